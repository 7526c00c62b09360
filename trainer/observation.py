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
from typing import TYPE_CHECKING

from trainer.control.telemetry import ControlTelemetry
from trainer.input.state import HandControllerState
from trainer.sim.capture_state import CaptureState
from trainer.sim.cbm_state import BerthingStatus
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
    control: ControlTelemetry | None,
    capture_state: CaptureState,
    payload_mass_kg: float,
    joint_brakes_engaged: tuple[bool, ...],
    constraint_force_n: float,
    constraint_torque_nm: float,
    paused: bool,
    cameras_lost: tuple[str, ...],
    messages: tuple[str, ...],
    berthing: BerthingStatus | None = None,
) -> Telemetry:
    """The tick's snapshot; ``drift_origin_m`` is the shaft tip at free-drift start.

    Only what every tick needs is computed here; the LEE-camera view (capture metrics,
    shaft tip in the LEE frame, alignment error) is derived by ``Telemetry.view`` on use."""
    tip = s.shaft_tip_position_world_m
    lee = s.lee_position_world_m
    dx, dy, dz = tip[0] - lee[0], tip[1] - lee[1], tip[2] - lee[2]
    v = s.lee_velocity_world_m_s
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
        lee_position_world_m=lee,
        lee_orientation_world_xyzw=s.lee_orientation_world_xyzw,
        lee_velocity_world_m_s=v,
        lee_angular_velocity_world_rad_s=s.lee_angular_velocity_world_rad_s,
        lee_speed_m_s=math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]),
        vehicle_position_world_m=s.vehicle_position_world_m,
        vehicle_velocity_world_m_s=s.vehicle_velocity_world_m_s,
        vehicle_orientation_world_xyzw=s.vehicle_orientation_world_xyzw,
        vehicle_angular_velocity_world_rad_s=s.vehicle_angular_velocity_world_rad_s,
        closing_speed_m_s=s.vehicle_velocity_world_m_s[2],
        frgf_position_world_m=s.frgf_position_world_m,
        frgf_orientation_world_xyzw=s.frgf_orientation_world_xyzw,
        shaft_tip_position_world_m=tip,
        shaft_tip_velocity_world_m_s=s.shaft_tip_velocity_world_m_s,
        drift_from_start_m=drift,
        joint_angles_rad=s.joint_angles_rad,
        joint_rates_rad_s=s.joint_rates_rad_s,
        joint_torques_nm=s.joint_torques_nm,
        joint_brakes_engaged=joint_brakes_engaged,
        hand_controller=hand_controller,
        control=control,
        capture_state=capture_state,
        payload_mass_kg=payload_mass_kg,
        constraint_force_n=constraint_force_n,
        constraint_torque_nm=constraint_torque_nm,
        paused=paused,
        cameras_lost=cameras_lost,
        messages=messages,
        berthing=berthing,
    )
