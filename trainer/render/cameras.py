"""The cameras: where each one is and what it looks at, resolved from the link poses.

A camera frame follows the LEE convention (docs/DESIGN.md §3): +x is the boresight, +z the "up" of
the image, so the image's right is −y. Pixels: u to the right, v down, the image centre at
(W/2, H/2) in pixel-edge coordinates (pixel (i, j) covers u in [j, j+1]); square pixels
with the focal length f = (H/2) / tan(fov_y/2).

| name       | mount                                         | looks at                       |
|------------|-----------------------------------------------|--------------------------------|
| ``lee``    | ``arm/lee_camera`` (robots/ssrms, on the tip LEE, 0.34 m above the boresight) | along the LEE +x |
| ``elbow``  | ``arm/elbow_camera`` (on boom B by the elbow) | pan-tilt aimed between the LEE and the fixture |
| ``external`` | fixed on the station (E, forward, port, below) | the arm and the capture point |
| ``cbcs``   | ``station/cbcs_camera`` (behind Harmony's nadir hatch window, robots/station) | out along the port's axis (docs/REFERENCE.md §10.2) |
| free       | ``orbit_camera(target, azimuth, elevation, distance)`` (the replay viewer) | the target |

Fields of view are estimates (E): the real cameras zoom; these are the settings a crew
would pick for the task.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from trainer.render.geometry import FloatArray, Vec3, quat_to_matrix
from trainer.render.lighting import SpotLight
from trainer.render.poses import ScenePoses

CameraName = Literal["lee", "elbow", "external", "cbcs"]
# The arm's and the station's capture cameras; the berthing camera (``cbcs``) is drawn on
# the berthing's own monitor (trainer/ui/workstation.py).
CAMERA_NAMES: tuple[CameraName, ...] = ("lee", "elbow", "external")

# The LEE camera looks past its own LEE (E: the simplified LEE model's end ring, 0.31 m
# ahead of the lens and 5 cm below it, would fill the bottom sixth of the image; the real
# camera sits at the front of its housing and the crew's view is of the fixture).
LEE_CAMERA_HIDDEN = frozenset({"arm/tip_lee_housing"})
# E: 30° vertical. At the capture_ready stand-off (2.3 m from the camera to the fixture)
# the 0.56 m FRGF plate fills ~40% of the image height; at the trigger range (~0.3 m) the
# 0.12 m target circle fills ~75%: both readable (judged on rendered images).
LEE_FOV_Y_DEG = 30.0
# E: the elbow and station cameras are wide views of the work site.
ELBOW_FOV_Y_DEG = 45.0
EXTERNAL_FOV_Y_DEG = 45.0
FREE_FOV_Y_DEG = 45.0
# Depth range (m): the LEE camera sees the target 0.2 m away at capture; the station's
# arrays lie 50 m off (24-bit depth keeps ~1 mm at 1 m with these).
NEAR_M = 0.05
FAR_M = 400.0

# LEE camera lamps (E: the LEE camera carries its own lights for night operations,
# docs/REFERENCE.md §7.1): a cone around the boresight, bright enough to show the target from 2.5 m.
LEE_LAMP_HALF_ANGLE_DEG = 20.0
LEE_LAMP_INTENSITY = 1.0
LEE_LAMP_HALF_M = 1.2
# The elbow camera's lamp (E): wider and weaker, lights the wrist and the fixture area.
ELBOW_LAMP_HALF_ANGLE_DEG = 30.0
ELBOW_LAMP_INTENSITY = 0.5
ELBOW_LAMP_HALF_M = 6.0

# The CBCS (docs/REFERENCE.md §10.2, E): 40° vertical field of view; it looks through the
# hatch window, so the hatch (its own link) is not drawn, nor its own housing. Its lamp is
# on day and night (E: Dragon's hatch faces the station and lies in its shadow whatever
# the sun does; rendered without it the target is black on black): a 25° cone, bright
# enough for the target from 4 m.
CBCS_HIDDEN = frozenset({"station/cbm_hatch", "station/cbcs_camera"})
CBCS_LAMP_HALF_ANGLE_DEG = 25.0
CBCS_LAMP_INTENSITY = 0.8
CBCS_LAMP_HALF_M = 3.0

# Station camera (E: below the forward end of the station, port side, looking aft and
# down, framing the SSRMS and Dragon at the capture point, mounts.yaml).
EXTERNAL_POSITION_M: Vec3 = (16.0, 10.0, -3.0)
EXTERNAL_TARGET_M: Vec3 = (5.0, 0.0, -7.5)


@dataclass(frozen=True)
class CameraSpec:
    """A pinhole camera in the world: position (m), rotation (columns = the camera's
    boresight +x, left +y and image-up +z in the world), vertical field of view, depth
    range, the lamps it carries and the links it does not see (its own mount)."""

    position_m: Vec3
    rotation: FloatArray  # 3x3
    fov_y_deg: float
    near_m: float = NEAR_M
    far_m: float = FAR_M
    lamps: tuple[SpotLight, ...] = ()
    hidden: frozenset[str] = frozenset()
    # The lamps are on whatever the light (the CBCS's: its target is in the station's shadow)
    lamps_always: bool = False

    def focal_px(self, height_px: int) -> float:
        return (height_px / 2.0) / math.tan(math.radians(self.fov_y_deg) / 2.0)

    def project(
        self, point_m: Sequence[float], size: tuple[int, int]
    ) -> tuple[float, float] | None:
        """Pixel (u, v) of a world point in an image of ``size`` = (width, height), or
        None behind the camera. For overlays drawn over the image."""
        w, h = size
        d = self.rotation.T @ (np.asarray(point_m, dtype=float) - np.asarray(self.position_m))
        if d[0] <= 1e-9:
            return None
        f = self.focal_px(h)
        return (w / 2.0 - f * d[1] / d[0], h / 2.0 - f * d[2] / d[0])


def look_at(
    position_m: Sequence[float] | FloatArray,
    target_m: Sequence[float] | FloatArray,
    up: Sequence[float] | FloatArray = (0.0, 0.0, 1.0),
) -> FloatArray:
    """Camera rotation (columns boresight, left, up) looking from ``position_m`` at
    ``target_m`` with the image up as close to ``up`` as the boresight allows."""
    fwd = np.asarray(target_m, dtype=float) - np.asarray(position_m, dtype=float)
    fwd /= np.linalg.norm(fwd)
    u = np.asarray(up, dtype=float)
    left = np.cross(u, fwd)
    if np.linalg.norm(left) < 1e-6:  # looking along `up`: any perpendicular will do
        left = np.cross(np.array([1.0, 0.0, 0.0]), fwd)
        if np.linalg.norm(left) < 1e-6:
            left = np.cross(np.array([0.0, 1.0, 0.0]), fwd)
    left /= np.linalg.norm(left)
    image_up = np.cross(fwd, left)
    return np.stack([fwd, left, image_up], axis=1)


def _lamp(
    position: FloatArray, direction: FloatArray, half: float, i: float, r: float
) -> SpotLight:
    return SpotLight(
        (float(position[0]), float(position[1]), float(position[2])),
        (float(direction[0]), float(direction[1]), float(direction[2])),
        half,
        i,
        r,
    )


def camera(name: CameraName, poses: ScenePoses) -> CameraSpec:
    """The named camera at the poses. Raises KeyError for an unknown name or a pose the
    camera needs that ``poses`` lacks."""
    if name == "lee":
        mount = poses["arm/lee_camera"]
        rot = quat_to_matrix(mount.orientation_xyzw)
        pos = np.asarray(mount.position_m)
        lamp = _lamp(pos, rot[:, 0], LEE_LAMP_HALF_ANGLE_DEG, LEE_LAMP_INTENSITY, LEE_LAMP_HALF_M)
        return CameraSpec(
            mount.position_m, rot, LEE_FOV_Y_DEG, lamps=(lamp,), hidden=LEE_CAMERA_HIDDEN
        )
    if name == "elbow":
        mount = poses["arm/elbow_camera"]
        aim = np.asarray(poses["arm/tip_lee"].position_m)
        if "vehicle/frgf_tip" in poses:  # the work site: between the LEE and the fixture
            aim = 0.5 * (aim + np.asarray(poses["vehicle/frgf_tip"].position_m))
        rot = look_at(mount.position_m, aim)  # image up toward zenith (E: PTU levelled)
        pos = np.asarray(mount.position_m)
        lamp = _lamp(
            pos, rot[:, 0], ELBOW_LAMP_HALF_ANGLE_DEG, ELBOW_LAMP_INTENSITY, ELBOW_LAMP_HALF_M
        )
        return CameraSpec(mount.position_m, rot, ELBOW_FOV_Y_DEG, near_m=0.2, lamps=(lamp,))
    if name == "external":
        rot = look_at(EXTERNAL_POSITION_M, EXTERNAL_TARGET_M)
        return CameraSpec(EXTERNAL_POSITION_M, rot, EXTERNAL_FOV_Y_DEG, near_m=0.5)
    if name == "cbcs":
        from trainer.sim.cbm_geometry import CBCS_FOV_DEG

        mount = poses["station/cbcs_camera"]
        rot = quat_to_matrix(mount.orientation_xyzw)
        pos = np.asarray(mount.position_m)
        lamp = _lamp(
            pos, rot[:, 0], CBCS_LAMP_HALF_ANGLE_DEG, CBCS_LAMP_INTENSITY, CBCS_LAMP_HALF_M
        )
        return CameraSpec(
            mount.position_m,
            rot,
            CBCS_FOV_DEG,
            near_m=0.05,
            lamps=(lamp,),
            hidden=CBCS_HIDDEN,
            lamps_always=True,
        )
    raise KeyError(f"unknown camera {name!r}; known: {', '.join(CAMERA_NAMES)}")


def orbit_camera(
    target_m: Sequence[float],
    azimuth_deg: float,
    elevation_deg: float,
    distance_m: float,
    fov_y_deg: float = FREE_FOV_Y_DEG,
) -> CameraSpec:
    """A free camera orbiting ``target_m`` (the replay viewer's): azimuth from +x toward
    +y, elevation above the x-y plane (world frame), at ``distance_m``; image up = zenith."""
    az = math.radians(azimuth_deg)
    el = math.radians(max(-89.0, min(89.0, elevation_deg)))
    t = np.asarray(target_m, dtype=float)
    offset = distance_m * np.array(
        [math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el)]
    )
    pos = t + offset
    near = max(0.02, min(1.0, distance_m / 100.0))
    return CameraSpec(
        (float(pos[0]), float(pos[1]), float(pos[2])), look_at(pos, t), fov_y_deg, near_m=near
    )
