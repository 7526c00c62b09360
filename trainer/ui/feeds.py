"""Camera images for the monitors: the seam between the window and a renderer.

A ``CameraFeed`` is any callable ``feed(camera, (width, height)) -> RGB array`` of shape
(height, width, 3), uint8, for the cameras "lee", "elbow", "external" and a berthing's
"cbcs" (trainer/scenario/events.py). When the snapshot is the ground's (a berthing flown
from Houston) and ``ghost`` is set (the aid levels that show it), the rendered feed draws
the predictive display's ghost into every camera (trainer/prediction.py). The window only blits what it gets; it never asks pybullet.
``make_feed`` uses the OpenGL renderer of ``trainer/render`` when it is there and works,
and otherwise ``SchematicFeed``: a plain drawing of the LEE camera's view of the grapple
fixture's visual target from the snapshot's poses (the target where the camera geometry
puts it; parallax between the stand-off tip and its circle shows misalignment), and
schematic plan and side views for the other two monitors, labelled as such on screen.

LEE camera geometry of the schematic (E until the renderer defines its own): on the LEE
frame's +z, ``LEE_CAMERA_OFFSET_M`` above the boresight, looking along +x, so that a
seated fixture's target (0.34 m above its shaft on FRGF +z, robots/dragon/dragon.urdf)
sits on the image centre; horizontal field of view ``LEE_HFOV_DEG``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pygame

from trainer.scenario.model import Scenario
from trainer.sim.metrics import column, rows_from_quat, sub, to_frame
from trainer.telemetry import Telemetry

RGBImage = npt.NDArray[np.uint8]
Vec3 = tuple[float, float, float]
CameraFeed = Callable[[str, tuple[int, int]], RGBImage]
CAMERAS: tuple[str, ...] = ("lee", "external", "elbow")
CAMERA_TITLES = {
    "lee": "LEE CAMERA",
    "external": "EXTERNAL (S1)",
    "elbow": "ELBOW CAMERA",
    "cbcs": "CBCS (HARMONY NADIR)",
}

LEE_CAMERA_OFFSET_M = (0.0, 0.0, 0.34)  # E: the target's height above the shaft (see above)
LEE_HFOV_DEG = 40.0  # E: a narrow close-up lens that shows the 0.56 m plate at 1 m
TARGET_OFFSET_FRGF_M = (0.0, 0.0, 0.34)  # the black circle's centre (dragon.urdf)
STANDOFF_TIP_FRGF_M = (0.2, 0.0, 0.34)  # the stand-off cross (dragon.urdf)
TARGET_CIRCLE_RADIUS_M = 0.06
PLATE_HALF_M = 0.28
# The ghost is drawn once it stands off the picture (E: 5 mm, or 1 - |q·q'| of 1e-6, about
# 0.16°): closer, it would only tint the whole image.
GHOST_MIN_M = 0.005
GHOST_MIN_TURN = 1e-6


@dataclass(frozen=True, slots=True)
class Projection:
    """Pinhole projection of the LEE camera onto a ``width`` x ``height`` image."""

    width: int
    height: int
    hfov_deg: float = LEE_HFOV_DEG

    @property
    def focal_px(self) -> float:
        return 0.5 * self.width / math.tan(math.radians(self.hfov_deg) / 2.0)

    def project_lee(self, p_lee: Vec3) -> tuple[float, float] | None:
        """Pixel (u right, v down) of a point given in the LEE frame; None behind the camera."""
        x = p_lee[0] - LEE_CAMERA_OFFSET_M[0]
        y = p_lee[1] - LEE_CAMERA_OFFSET_M[1]
        z = p_lee[2] - LEE_CAMERA_OFFSET_M[2]
        if x <= 0.02:
            return None
        f = self.focal_px
        return (self.width / 2.0 - f * y / x, self.height / 2.0 - f * z / x)


def frgf_point_in_lee(t: Telemetry, p_frgf: Vec3) -> Vec3:
    """A point given in the FRGF frame, expressed in the LEE frame."""
    return point_in_lee(
        t.lee_position_world_m,
        t.lee_orientation_world_xyzw,
        t.frgf_position_world_m,
        t.frgf_orientation_world_xyzw,
        p_frgf,
    )


def point_in_lee(
    lee_position_world_m: Sequence[float],
    lee_orientation_world_xyzw: Sequence[float],
    frgf_position_m: Sequence[float],
    frgf_orientation_xyzw: Sequence[float],
    p_frgf: Vec3,
) -> Vec3:
    """``p_frgf`` (FRGF frame) in the LEE frame, from the two poses (world frame)."""
    r_f = rows_from_quat(frgf_orientation_xyzw)
    world = (
        frgf_position_m[0] + r_f[0][0] * p_frgf[0] + r_f[0][1] * p_frgf[1] + r_f[0][2] * p_frgf[2],
        frgf_position_m[1] + r_f[1][0] * p_frgf[0] + r_f[1][1] * p_frgf[1] + r_f[1][2] * p_frgf[2],
        frgf_position_m[2] + r_f[2][0] * p_frgf[0] + r_f[2][1] * p_frgf[1] + r_f[2][2] * p_frgf[2],
    )
    return to_frame(rows_from_quat(lee_orientation_world_xyzw), sub(world, lee_position_world_m))


def target_pixel(t: Telemetry, size: tuple[int, int]) -> tuple[float, float] | None:
    """Where the stand-off cross of the fixture's target appears on a LEE image of ``size``."""
    return Projection(*size).project_lee(frgf_point_in_lee(t, STANDOFF_TIP_FRGF_M))


class RenderedFeed:
    """The monitors drawn by ``trainer.render`` (OpenGL via EGL, or its CPU fallback at a
    reduced size) from the poses of the snapshot shown, lit as the scenario says."""

    def __init__(
        self,
        scenario: Scenario,
        telemetry: Callable[[], Telemetry | None],
        prefer: Literal["gl", "cpu"] = "gl",
    ) -> None:
        from trainer.render import Renderer, Scene

        self._scenario = scenario
        self._telemetry = telemetry
        self._scene = Scene.for_scenario(scenario)
        self._renderer = Renderer.create(self._scene, prefer=prefer)
        self._poses_of: tuple[int, Any] | None = None
        self._ghost_of: tuple[int, Any] | None = None
        self._blank: dict[tuple[int, int], RGBImage] = {}
        self.ghost = False  # draw the predictive display's ghost (set by the aid level)
        # Say on screen when the images come from the slow CPU fallback (the rule).
        self.label = self._renderer.fallback_reason or ""

    def __call__(self, camera: str, size: tuple[int, int]) -> RGBImage:
        from trainer.render import lighting_for, poses_from_telemetry

        t = self._telemetry()
        if t is None:
            blank = self._blank.get(size)
            if blank is None:
                blank = self._blank[size] = np.zeros((size[1], size[0], 3), np.uint8)
            return blank
        if self._poses_of is None or self._poses_of[0] != id(t):
            self._poses_of = (id(t), poses_from_telemetry(t, self._scene))
        light = lighting_for(self._scenario, t.time_s)
        ghost = self._ghost(t) if self.ghost else None
        return self._renderer.render(camera, self._poses_of[1], size, light, ghost)  # type: ignore[arg-type]

    def _ghost(self, t: Telemetry) -> Any:
        """The ghost's poses for this snapshot, or None (not flown from the ground, or the
        ghost sits on the picture: nothing in flight)."""
        if t.ground is None:
            return None
        if self._ghost_of is None or self._ghost_of[0] != id(t):
            from trainer.render import ghost_poses

            g = t.ground.ghost(t)
            moved = max(
                abs(a - b)
                for a, b in zip(g.vehicle_position_m, t.vehicle_position_world_m, strict=True)
            )
            turned = 1.0 - abs(
                sum(
                    a * b
                    for a, b in zip(
                        g.vehicle_orientation_xyzw, t.vehicle_orientation_world_xyzw, strict=True
                    )
                )
            )
            # E: under 5 mm and about 0.1° the ghost would only tint the picture.
            poses = None
            if moved > GHOST_MIN_M or turned > GHOST_MIN_TURN:
                assert self._poses_of is not None
                poses = ghost_poses(
                    self._scene,
                    self._poses_of[1],
                    g.lee_position_m,
                    g.lee_orientation_xyzw,
                    g.vehicle_position_m,
                    g.vehicle_orientation_xyzw,
                )
            self._ghost_of = (id(t), poses)
        return self._ghost_of[1]

    def close(self) -> None:
        self._renderer.close()


def standoff_pixel(t: Telemetry, size: tuple[int, int]) -> tuple[float, float] | None:
    """Where the rendered LEE camera shows the stand-off cross of the fixture's target, on
    an image of ``size`` (the renderer's camera geometry, trainer/render/cameras.py)."""
    from trainer.render import Scene, camera, poses_from_telemetry

    r_f = rows_from_quat(t.frgf_orientation_world_xyzw)
    p = STANDOFF_TIP_FRGF_M
    world = tuple(
        t.frgf_position_world_m[i] + r_f[i][0] * p[0] + r_f[i][1] * p[1] + r_f[i][2] * p[2]
        for i in range(3)
    )
    poses = poses_from_telemetry(t, Scene.load("dragon", include_station=False))
    return camera("lee", poses).project(world, size)


class SchematicFeed:
    """Draws the monitors from the latest snapshot (see the module docstring)."""

    label = "SCHEMATIC VIEW: no OpenGL renderer"

    def __init__(self, telemetry: Callable[[], Telemetry | None]) -> None:
        self._telemetry = telemetry
        self._surfaces: dict[tuple[str, tuple[int, int]], pygame.Surface] = {}

    def __call__(self, camera: str, size: tuple[int, int]) -> RGBImage:
        key = (camera, size)
        surface = self._surfaces.get(key)
        if surface is None:
            surface = self._surfaces[key] = pygame.Surface(size)
        t = self._telemetry()
        if camera == "lee":
            _draw_lee(surface, t)
        elif camera == "cbcs":
            _draw_cbcs(surface, t)
        else:
            _draw_schematic(surface, t, plan=camera == "external")
        w, h = size
        return np.frombuffer(pygame.image.tobytes(surface, "RGB"), np.uint8).reshape(h, w, 3)


def _draw_lee(surface: pygame.Surface, t: Telemetry | None) -> None:
    w, h = surface.get_size()
    surface.fill((14, 16, 22))
    if t is None:
        return
    proj = Projection(w, h)
    f = proj.focal_px
    # The fixture plate (grey square), the black circle, the stand-off rod and its cross.
    r_f = rows_from_quat(t.frgf_orientation_world_xyzw)
    r_lee = rows_from_quat(t.lee_orientation_world_xyzw)
    y_axis = to_frame(r_lee, column(r_f, 1))
    z_axis = to_frame(r_lee, column(r_f, 2))
    corners = []
    for sy, sz in ((1, 1), (-1, 1), (-1, -1), (1, -1)):
        p = frgf_point_in_lee(t, (0.0, sy * PLATE_HALF_M, sz * PLATE_HALF_M))
        q = proj.project_lee(p)
        if q is None:
            return
        corners.append(q)
    pygame.draw.polygon(surface, (120, 122, 128), corners)
    centre = frgf_point_in_lee(t, TARGET_OFFSET_FRGF_M)
    c = proj.project_lee(centre)
    tip = frgf_point_in_lee(t, STANDOFF_TIP_FRGF_M)
    s = proj.project_lee(tip)
    if c is None or s is None:
        return
    depth = max(centre[0] - LEE_CAMERA_OFFSET_M[0], 0.05)
    radius = max(2, round(f * TARGET_CIRCLE_RADIUS_M / depth))
    pygame.draw.circle(surface, (235, 235, 230), c, radius + max(1, radius // 5))
    pygame.draw.circle(surface, (8, 8, 8), c, radius)
    pygame.draw.line(surface, (235, 235, 230), c, s, max(1, round(f * 0.016 / depth)))
    arm = 0.045
    tip_depth = max(tip[0] - LEE_CAMERA_OFFSET_M[0], 0.05)
    width = max(2, round(f * 0.016 / tip_depth))
    for axis in (y_axis, z_axis):
        a = proj.project_lee(tuple(tip[i] + arm * axis[i] for i in range(3)))  # type: ignore[arg-type]
        b = proj.project_lee(tuple(tip[i] - arm * axis[i] for i in range(3)))  # type: ignore[arg-type]
        if a is not None and b is not None:
            pygame.draw.line(surface, (250, 250, 245), a, b, width)
    # The shaft's ball, below the target.
    ball = proj.project_lee(t.shaft_tip_position_lee_m)
    if ball is not None:
        pygame.draw.circle(
            surface,
            (180, 182, 188),
            ball,
            max(2, round(f * 0.04 / max(t.shaft_tip_position_lee_m[0], 0.05))),
        )


def _draw_cbcs(surface: pygame.Surface, t: Telemetry | None) -> None:
    """The CBCS's view drawn flat: the hatch (white), the target's disk (black) and its
    cross (white) where the camera geometry puts them (trainer/sim/cbm_metrics.py)."""
    from trainer.sim.cbm_geometry import CBCS_FOV_DEG, RING_INNER_RADIUS_M, TARGET_DISK_RADIUS_M
    from trainer.sim.cbm_metrics import cbcs_view

    w, h = surface.get_size()
    surface.fill((14, 16, 22))
    if t is None:
        return
    view = cbcs_view(t.vehicle_position_world_m, t.vehicle_orientation_world_xyzw)
    if not math.isfinite(view.disk_right):
        return
    f = (h / 2.0) / math.tan(math.radians(CBCS_FOV_DEG) / 2.0)
    disk = (w / 2 + f * view.disk_right, h / 2 - f * view.disk_up)
    cross = (w / 2 + f * view.cross_right, h / 2 - f * view.cross_up)
    depth = max(view.range_m, 0.05)
    pygame.draw.circle(
        surface, (200, 200, 196), disk, max(2, round(f * RING_INNER_RADIUS_M / depth))
    )
    pygame.draw.circle(surface, (8, 8, 8), disk, max(2, round(f * TARGET_DISK_RADIUS_M / depth)))
    arm = f * 0.08 / max(depth - 0.1, 0.05)
    width = max(1, round(f * 0.02 / depth))
    pygame.draw.line(
        surface, (245, 245, 240), (cross[0] - arm, cross[1]), (cross[0] + arm, cross[1]), width
    )
    pygame.draw.line(
        surface, (245, 245, 240), (cross[0], cross[1] - arm), (cross[0], cross[1] + arm), width
    )


def _draw_schematic(surface: pygame.Surface, t: Telemetry | None, *, plan: bool) -> None:
    """Plan view (x-y, external) or side view (x-z, elbow) of LEE, Dragon and the fixture."""
    w, h = surface.get_size()
    surface.fill((10, 14, 24))
    if t is None:
        return
    j = 1 if plan else 2
    centre = t.frgf_position_world_m
    scale = min(w, h) / 24.0  # 24 m across the monitor

    def px(p: tuple[float, float, float]) -> tuple[float, float]:
        return (w / 2 + (p[0] - centre[0]) * scale, h / 2 - (p[j] - centre[j]) * scale)

    pygame.draw.line(surface, (40, 48, 64), (0, h / 2), (w, h / 2), 1)
    pygame.draw.line(surface, (40, 48, 64), (w / 2, 0), (w / 2, h), 1)
    vx, vy = px(t.vehicle_position_world_m)
    pygame.draw.circle(surface, (200, 200, 205), (vx, vy), max(3, round(2.0 * scale)), 2)
    pygame.draw.circle(surface, (240, 200, 60), px(t.frgf_position_world_m), 4)
    pygame.draw.circle(surface, (90, 200, 255), px(t.lee_position_world_m), 5)
    pygame.draw.line(
        surface, (90, 200, 255), px(t.lee_position_world_m), px(t.shaft_tip_position_world_m), 1
    )
