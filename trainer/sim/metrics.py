"""Capture metrics (docs/DESIGN.md §4, contract): pure functions of the LEE and fixture states.

Pure functions, no pybullet, so scoring, the HUD and the recorder compute exactly the same
numbers the capture mechanism judges the trigger with; the alignment error the LEE-camera
overlay and the autopilot steer by lives here too.

Conventions: the LEE frame has +x along the boresight out of the LEE mouth; the FRGF frame
has +x along the shaft away from the vehicle; the "shaft tip" is the centre of the ball
at the end of the shaft. Quaternions are (x, y, z, w) as pybullet gives them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt

from trainer.sim.rotation import Rows, Vec, matrix_from_quat
from trainer.sim.rotation import rows_from_quat as rows_from_quat  # re-exported: its users

FloatArray = npt.NDArray[np.float64]

# The FRGF cams are three-fold, so roll misalignment is measured modulo 120° and folded
# into [0°, 60°] (docs/REFERENCE.md §4, docs/DESIGN.md §4).
CAM_SYMMETRY_DEG = 120.0


@dataclass(frozen=True, slots=True)
class Pose:
    """A frame in the world: position (m) and orientation quaternion (x, y, z, w)."""

    position_m: tuple[float, float, float]
    orientation_xyzw: tuple[float, float, float, float]

    def rotation(self) -> FloatArray:
        return matrix_from_quat(self.orientation_xyzw)


@dataclass(frozen=True, slots=True)
class CaptureMetrics:
    """The six capture quantities of docs/DESIGN.md §4 at one instant."""

    lateral_offset_m: float
    axial_depth_m: float
    pitch_yaw_misalignment_deg: float
    roll_misalignment_deg: float
    relative_speed_m_s: float
    relative_rate_deg_s: float

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Quantity:
    """How every room names one capture quantity: the one table of them."""

    name: str  # the CaptureMetrics field, the key in reports, /state and the envelope
    words: str  # in a sentence ("lateral offset 0.120 m exceeds ...")
    unit: str  # as shown
    fmt: str  # its format in sentences
    title: str  # a plot's title
    label: str  # the status display's row
    short: str  # the overlay's cue
    component: str  # its score component (docs/REFERENCE.md §4.2)
    definition: str  # what it measures (the /state schema's description)
    envelope: str  # "upper": a limit from above; "range": a band (the envelope's shape)


CAPTURE_QUANTITIES: tuple[Quantity, ...] = (
    Quantity("lateral_offset_m", "lateral offset", "m", ".3f", "Lateral offset", "LATERAL",
             "OFFSET", "lateral", "shaft tip to the LEE boresight", "upper"),
    Quantity("axial_depth_m", "axial depth", "m", ".3f",
             "Axial depth of the shaft tip in the LEE", "DEPTH", "DEPTH", "axial",
             "shaft tip inside the mouth (negative = outside)", "range"),
    Quantity("pitch_yaw_misalignment_deg", "pitch/yaw misalignment", "°", ".1f",
             "Pitch/yaw misalignment", "PITCH/YAW", "PITCH/YAW", "pitch_yaw",
             "boresight to reversed shaft axis", "upper"),
    Quantity("roll_misalignment_deg", "roll misalignment", "°", ".1f",
             "Roll misalignment (folded to 0–60°)", "ROLL", "ROLL", "roll",
             "about the boresight, folded to [0, 60]", "upper"),
    Quantity("relative_speed_m_s", "relative speed", "m/s", ".4f", "Relative speed",
             "REL SPEED", "SPEED", "speed", "shaft tip relative to the LEE origin", "upper"),
    Quantity("relative_rate_deg_s", "relative angular rate", "°/s", ".2f",
             "Relative angular rate", "REL RATE", "RATES", "rate",
             "vehicle minus LEE angular velocity", "upper"),
)  # fmt: skip
"""The six capture quantities of docs/DESIGN.md §4, in their order: the names, words,
units and labels every room uses (scoring, the recording schema, the displays, the
debrief) come from here."""
QUANTITY_NAMES: tuple[str, ...] = tuple(q.name for q in CAPTURE_QUANTITIES)


def fold_roll_deg(angle_deg: float) -> float:
    """Fold a roll angle into [0°, 60°] using the three-fold symmetry of the cams."""
    a = math.fmod(abs(angle_deg), CAM_SYMMETRY_DEG)
    return min(a, CAM_SYMMETRY_DEG - a)


# Anything indexable by 0..2 as floats: a tuple from pybullet or a numpy vector.
VecLike = Sequence[float] | FloatArray


def column(r: Rows, i: int) -> Vec:
    return (r[0][i], r[1][i], r[2][i])


def to_frame(r: Rows, v: VecLike) -> Vec:
    """R^T v: a world vector expressed in the frame whose rotation rows are ``r``."""
    return (
        r[0][0] * v[0] + r[1][0] * v[1] + r[2][0] * v[2],
        r[0][1] * v[0] + r[1][1] * v[1] + r[2][1] * v[2],
        r[0][2] * v[0] + r[1][2] * v[1] + r[2][2] * v[2],
    )


def sub(a: VecLike, b: VecLike) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def dot(a: VecLike, b: VecLike) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def cross(a: VecLike, b: VecLike) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def norm(a: VecLike) -> float:
    return math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2])


def capture_metrics(
    lee: Pose,
    lee_linear_velocity_m_s: VecLike,
    lee_angular_velocity_rad_s: VecLike,
    fixture: Pose,
    shaft_tip_position_m: VecLike,
    shaft_tip_velocity_m_s: VecLike,
    vehicle_angular_velocity_rad_s: VecLike,
) -> CaptureMetrics:
    """Compute the docs/DESIGN.md §4 metrics with the LEE frame as reference.

    ``lee_linear_velocity_m_s`` is the velocity of the LEE frame origin (the mouth centre);
    ``shaft_tip_velocity_m_s`` the velocity of the ball centre; both in the world frame.
    """
    r_lee = rows_from_quat(lee.orientation_xyzw)
    r_fix = rows_from_quat(fixture.orientation_xyzw)
    offset_lee = to_frame(r_lee, sub(shaft_tip_position_m, lee.position_m))
    lateral = math.hypot(offset_lee[1], offset_lee[2])
    # Inside the mouth means behind the mouth plane, i.e. against the boresight.
    depth = -offset_lee[0]

    boresight = column(r_lee, 0)
    shaft = column(r_fix, 0)
    reversed_shaft = (-shaft[0], -shaft[1], -shaft[2])
    # atan2 of |cross| and dot keeps precision near 0°, where acos loses half the digits.
    pitch_yaw_deg = math.degrees(
        math.atan2(norm(cross(boresight, reversed_shaft)), dot(boresight, reversed_shaft))
    )

    # Roll: angle about the boresight from LEE +z to the FRGF +z projected on the LEE y-z plane.
    fix_z_in_lee = to_frame(r_lee, column(r_fix, 2))
    roll_deg = math.degrees(math.atan2(-fix_z_in_lee[1], fix_z_in_lee[2]))
    return CaptureMetrics(
        lateral_offset_m=lateral,
        axial_depth_m=depth,
        pitch_yaw_misalignment_deg=pitch_yaw_deg,
        roll_misalignment_deg=fold_roll_deg(roll_deg),
        relative_speed_m_s=norm(sub(shaft_tip_velocity_m_s, lee_linear_velocity_m_s)),
        relative_rate_deg_s=math.degrees(
            norm(sub(vehicle_angular_velocity_rad_s, lee_angular_velocity_rad_s))
        ),
    )


def alignment_error_in_lee(r_lee: Rows, r_fix: Rows) -> tuple[float, float, float]:
    """Rotation vector (LEE frame) from the LEE attitude to the seated attitude for this
    fixture: boresight on the reversed shaft, LEE +z on the fixture's +z turned to the
    nearest of its three cam positions."""
    shaft = column(r_fix, 0)
    x_d = (-shaft[0], -shaft[1], -shaft[2])
    z_fix = column(r_fix, 2)
    y_fix = cross(shaft, z_fix)
    z_lee = column(r_lee, 2)
    best: tuple[float, float, float] = z_fix
    best_score = -2.0
    for k in range(3):
        a = k * 2.0 * math.pi / 3.0
        ca, sa = math.cos(a), math.sin(a)
        z_k = (
            ca * z_fix[0] + sa * y_fix[0],
            ca * z_fix[1] + sa * y_fix[1],
            ca * z_fix[2] + sa * y_fix[2],
        )
        score = dot(z_k, z_lee)
        if score > best_score:
            best, best_score = z_k, score
    along = dot(best, x_d)
    z_d = sub(best, (along * x_d[0], along * x_d[1], along * x_d[2]))
    n = norm(z_d)
    z_d = (z_d[0] / n, z_d[1] / n, z_d[2] / n)
    y_d = cross(z_d, x_d)
    # Desired axes expressed in the LEE frame: the columns of R_lee^T R_des.
    cx, cy, cz = to_frame(r_lee, x_d), to_frame(r_lee, y_d), to_frame(r_lee, z_d)
    m = ((cx[0], cy[0], cz[0]), (cx[1], cy[1], cz[1]), (cx[2], cy[2], cz[2]))
    return rotation_vector(m)


def rotation_vector(r: Rows) -> tuple[float, float, float]:
    """Rotation vector (axis × angle) of the rotation matrix with rows ``r``."""
    cos_a = max(-1.0, min(1.0, (r[0][0] + r[1][1] + r[2][2] - 1.0) / 2.0))
    angle = math.acos(cos_a)
    axis = (r[2][1] - r[1][2], r[0][2] - r[2][0], r[1][0] - r[0][1])
    s = norm(axis)
    if s < 1e-12:
        return (0.0, 0.0, 0.0) if angle < 1e-6 else (math.pi, 0.0, 0.0)
    k = angle / s
    return (axis[0] * k, axis[1] * k, axis[2] * k)
