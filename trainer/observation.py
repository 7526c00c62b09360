"""What the workstation displays show, built from one world snapshot: the ``Telemetry``
of a control tick (poses, rates, joints, capture state; the LEE-camera view of the fixture
is derived from it on use, see ``trainer.telemetry``).

Float arithmetic on the gathered state, no numpy on 3-vectors: this runs every tick of a
headless grade, where numpy's per-call cost dominated. No pybullet import: the session
hands in ``World.snapshot()``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from trainer.input.state import HandControllerState
from trainer.telemetry import Telemetry

if TYPE_CHECKING:
    from trainer.sim.state import Snapshot


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
    """The tick's snapshot; ``drift_origin_m`` is the shaft tip at free-drift start.

    Only what every tick needs is computed here; the LEE-camera view (capture metrics,
    shaft tip in the LEE frame, alignment error) is derived by ``Telemetry.view`` on use."""
    tip = s.tip_position_m
    lee = s.lee_position_m
    dx, dy, dz = tip[0] - lee[0], tip[1] - lee[1], tip[2] - lee[2]
    v = s.lee_velocity_m_s
    if drift_origin_m is None:
        drift = 0.0
    else:
        ox, oy, oz = (
            tip[0] - drift_origin_m[0],
            tip[1] - drift_origin_m[1],
            tip[2] - drift_origin_m[2],
        )
        drift = math.sqrt(ox * ox + oy * oy + oz * oz)
    return Telemetry(
        tick=tick,
        time_s=time_s,
        free_drift_elapsed_s=None if free_drift_start_s is None else time_s - free_drift_start_s,
        range_m=math.sqrt(dx * dx + dy * dy + dz * dz),
        lee_position_m=lee,
        lee_orientation_xyzw=s.lee_orientation_xyzw,
        lee_velocity_m_s=v,
        lee_angular_velocity_rad_s=s.lee_angular_velocity_rad_s,
        tip_speed_m_s=math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]),
        vehicle_position_m=s.vehicle_position_m,
        vehicle_velocity_m_s=s.vehicle_velocity_m_s,
        vehicle_orientation_xyzw=s.vehicle_orientation_xyzw,
        vehicle_angular_velocity_rad_s=s.vehicle_angular_velocity_rad_s,
        closing_speed_m_s=s.vehicle_velocity_m_s[2],
        fixture_position_m=s.fixture_position_m,
        fixture_orientation_xyzw=s.fixture_orientation_xyzw,
        shaft_tip_position_m=tip,
        shaft_tip_velocity_m_s=s.tip_velocity_m_s,
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
