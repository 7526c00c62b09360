"""Capture metrics (DESIGN §4, contract): pure functions of the LEE and fixture states.

Everything here is numpy only, so scoring, the HUD and the recorder compute exactly the
same numbers the capture mechanism judges the trigger with.

Conventions: the LEE frame has +x along the boresight out of the LEE mouth; the FRGF frame
has +x along the shaft away from the vehicle; the "shaft tip" is the centre of the ball
at the end of the shaft. Quaternions are (x, y, z, w) as pybullet gives them.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

# The FRGF cams are three-fold, so roll misalignment is measured modulo 120° and folded
# into [0°, 60°] (REFERENCE §4, DESIGN §4).
CAM_SYMMETRY_DEG = 120.0


def quat_to_matrix(quat_xyzw: FloatArray | tuple[float, ...]) -> FloatArray:
    """Rotation matrix (columns = body axes in the world) of a unit quaternion (x, y, z, w)."""
    x, y, z, w = (float(v) for v in quat_xyzw)
    norm = math.sqrt(x * x + y * y + z * z + w * w)
    if norm == 0.0 or not math.isfinite(norm):
        raise ValueError(f"quaternion {quat_xyzw} is not a rotation")
    x, y, z, w = x / norm, y / norm, z / norm, w / norm
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )


@dataclass(frozen=True, slots=True)
class Pose:
    """A frame in the world: position (m) and orientation quaternion (x, y, z, w)."""

    position_m: tuple[float, float, float]
    orientation_xyzw: tuple[float, float, float, float]

    def rotation(self) -> FloatArray:
        return quat_to_matrix(self.orientation_xyzw)


@dataclass(frozen=True, slots=True)
class CaptureMetrics:
    """The six capture quantities of DESIGN §4 at one instant."""

    lateral_offset_m: float
    axial_depth_m: float
    pitch_yaw_misalignment_deg: float
    roll_misalignment_deg: float
    relative_speed_m_s: float
    relative_rate_deg_s: float

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


def fold_roll_deg(angle_deg: float) -> float:
    """Fold a roll angle into [0°, 60°] using the three-fold symmetry of the cams."""
    a = math.fmod(abs(angle_deg), CAM_SYMMETRY_DEG)
    return min(a, CAM_SYMMETRY_DEG - a)


def capture_metrics(
    lee: Pose,
    lee_linear_velocity_m_s: FloatArray | tuple[float, float, float],
    lee_angular_velocity_rad_s: FloatArray | tuple[float, float, float],
    fixture: Pose,
    shaft_tip_position_m: FloatArray | tuple[float, float, float],
    shaft_tip_velocity_m_s: FloatArray | tuple[float, float, float],
    vehicle_angular_velocity_rad_s: FloatArray | tuple[float, float, float],
) -> CaptureMetrics:
    """Compute the DESIGN §4 metrics with the LEE frame as reference.

    ``lee_linear_velocity_m_s`` is the velocity of the LEE frame origin (the mouth centre);
    ``shaft_tip_velocity_m_s`` the velocity of the ball centre; both in the world frame.
    """
    r_lee = lee.rotation()
    r_fix = fixture.rotation()
    offset_lee = r_lee.T @ (
        np.asarray(shaft_tip_position_m, dtype=float) - np.asarray(lee.position_m)
    )
    lateral = math.hypot(float(offset_lee[1]), float(offset_lee[2]))
    # Inside the mouth means behind the mouth plane, i.e. against the boresight.
    depth = -float(offset_lee[0])

    boresight = r_lee[:, 0]
    reversed_shaft = -r_fix[:, 0]
    # atan2 of |cross| and dot keeps precision near 0°, where acos loses half the digits.
    pitch_yaw_deg = math.degrees(
        math.atan2(
            float(np.linalg.norm(np.cross(boresight, reversed_shaft))),
            float(boresight @ reversed_shaft),
        )
    )

    # Roll: angle about the boresight from LEE +z to the FRGF +z projected on the LEE y-z plane.
    fix_z_in_lee = r_lee.T @ r_fix[:, 2]
    roll_deg = math.degrees(math.atan2(float(-fix_z_in_lee[1]), float(fix_z_in_lee[2])))
    relative_velocity = np.asarray(shaft_tip_velocity_m_s, dtype=float) - np.asarray(
        lee_linear_velocity_m_s, dtype=float
    )
    relative_rate = np.asarray(vehicle_angular_velocity_rad_s, dtype=float) - np.asarray(
        lee_angular_velocity_rad_s, dtype=float
    )
    return CaptureMetrics(
        lateral_offset_m=lateral,
        axial_depth_m=depth,
        pitch_yaw_misalignment_deg=pitch_yaw_deg,
        roll_misalignment_deg=fold_roll_deg(roll_deg),
        relative_speed_m_s=float(np.linalg.norm(relative_velocity)),
        relative_rate_deg_s=math.degrees(float(np.linalg.norm(relative_rate))),
    )
