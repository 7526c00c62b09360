"""What the workstation displays show, built from one world snapshot: the ``Telemetry``
of a control tick (the LEE-camera view of the fixture, the capture metrics, rates, joints).

Float arithmetic on the gathered state, no numpy on 3-vectors: this runs every tick of a
headless grade, where numpy's per-call cost dominated (measured ~430 µs per tick before,
under 100 µs after). No pybullet import: the session hands in ``World.snapshot()``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from trainer.input.state import HandControllerState
from trainer.sim.metrics import (
    Pose,
    Rows,
    capture_metrics,
    column,
    cross,
    dot,
    norm,
    rows_from_quat,
    sub,
    to_frame,
)
from trainer.telemetry import Telemetry

if TYPE_CHECKING:
    from trainer.sim.world import Snapshot


def build_telemetry(
    s: Snapshot,
    *,
    tick: int,
    time_s: float,
    free_drift_start_s: float | None,
    drift_origin_m: Sequence[float] | None,
    hand_controller: HandControllerState,
    control: dict[str, Any],
    capture_state: str,
    payload_mass_kg: float,
    brakes: tuple[bool, ...],
    constraint_force_n: float,
    constraint_torque_nm: float,
    paused: bool,
    cameras_lost: tuple[str, ...],
    messages: tuple[str, ...],
) -> Telemetry:
    """The tick's snapshot; ``drift_origin_m`` is the shaft tip at free-drift start."""
    r_lee = rows_from_quat(s.lee_orientation_xyzw)
    r_fix = rows_from_quat(s.fixture_orientation_xyzw)
    offset = sub(s.tip_position_m, s.lee_position_m)
    rel_v = sub(s.tip_velocity_m_s, s.lee_velocity_m_s)
    metrics = capture_metrics(
        Pose(s.lee_position_m, s.lee_orientation_xyzw),
        s.lee_velocity_m_s,
        s.lee_angular_velocity_rad_s,
        Pose(s.fixture_position_m, s.fixture_orientation_xyzw),
        s.tip_position_m,
        s.tip_velocity_m_s,
        s.vehicle_angular_velocity_rad_s,
    )
    drift = 0.0 if drift_origin_m is None else norm(sub(s.tip_position_m, drift_origin_m))
    return Telemetry(
        tick=tick,
        time_s=time_s,
        free_drift_elapsed_s=None if free_drift_start_s is None else time_s - free_drift_start_s,
        metrics=metrics,
        shaft_tip_in_lee_m=to_frame(r_lee, offset),
        shaft_tip_velocity_in_lee_m_s=to_frame(r_lee, rel_v),
        alignment_error_lee_rad=_alignment_error(r_lee, r_fix),
        range_m=norm(offset),
        lee_position_m=s.lee_position_m,
        lee_orientation_xyzw=s.lee_orientation_xyzw,
        lee_velocity_m_s=s.lee_velocity_m_s,
        lee_angular_velocity_rad_s=s.lee_angular_velocity_rad_s,
        tip_speed_m_s=norm(s.lee_velocity_m_s),
        vehicle_position_m=s.vehicle_position_m,
        vehicle_velocity_m_s=s.vehicle_velocity_m_s,
        vehicle_orientation_xyzw=s.vehicle_orientation_xyzw,
        vehicle_angular_velocity_rad_s=s.vehicle_angular_velocity_rad_s,
        closing_speed_m_s=s.vehicle_velocity_m_s[2],
        fixture_position_m=s.fixture_position_m,
        fixture_orientation_xyzw=s.fixture_orientation_xyzw,
        drift_from_start_m=drift,
        joint_angles_rad=s.joint_angles_rad,
        joint_rates_rad_s=s.joint_rates_rad_s,
        joint_torques_nm=s.joint_torques_nm,
        brakes=brakes,
        hand_controller=hand_controller,
        control=control,
        capture_state=capture_state,
        payload_mass_kg=payload_mass_kg,
        constraint_force_n=constraint_force_n,
        constraint_torque_nm=constraint_torque_nm,
        paused=paused,
        cameras_lost=cameras_lost,
        messages=messages,
    )


def _alignment_error(r_lee: Rows, r_fix: Rows) -> tuple[float, float, float]:
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
    return _rotvec(m)


def _rotvec(r: Rows) -> tuple[float, float, float]:
    """Rotation vector (axis × angle) of the rotation matrix with rows ``r``."""
    cos_a = max(-1.0, min(1.0, (r[0][0] + r[1][1] + r[2][2] - 1.0) / 2.0))
    angle = math.acos(cos_a)
    axis = (r[2][1] - r[1][2], r[0][2] - r[2][0], r[1][0] - r[0][1])
    s = norm(axis)
    if s < 1e-12:
        return (0.0, 0.0, 0.0) if angle < 1e-6 else (math.pi, 0.0, 0.0)
    k = angle / s
    return (axis[0] * k, axis[1] * k, axis[2] * k)
