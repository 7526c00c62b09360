"""The decoder of a /state message (trainer/record/decode.py): the ``Telemetry`` snapshot
it records, rebuilt with no pybullet and no re-simulation, which the replay viewer's
displays draw at an instant with the hand controllers of that tick's /input message
(docs/DESIGN.md §2, §7: the recording is the truth shown).

The /state message (``Telemetry.state_record``) holds every pose, velocity, joint and
control field of the snapshot. What it does not hold is derived here:

| snapshot field               | from                                                      |
|------------------------------|-----------------------------------------------------------|
| shaft_tip_position_world_m   | the FRGF pose and the shaft tip's offset in the FRGF frame |
|                              | (the ``frgf`` → ``frgf_tip`` transform of /tf)             |
| shaft_tip_velocity_world_m_s | vehicle velocity + ω × (shaft tip − vehicle centre of mass) |
|                              | (a rigid body: the vehicle carries the fixture)            |
| lee_speed_m_s                | the norm of the LEE velocity                              |
| hand_controller              | the /input message at or before the instant, decoded by   |
|                              | the caller (``IndexedRecording.input_at``); centred if none |
| paused, cameras_lost         | given by the caller (the /events of pauses and faults)     |
| berthing                     | a berthing's /state ``berthing`` field (absent elsewhere: None) |

A field missing from an older trainer's message reads as zero (or None / "open"), so an
older recording still shows what it has.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from trainer.clock import CONTROL_TICK_S  # docs/DESIGN.md §3: the control tick
from trainer.control.telemetry import (
    ControlTelemetry,
    ControlWarning,
    Frame,
    ModeName,
    RateScale,
    WarningKind,
)
from trainer.fixedmath import norm3
from trainer.input.state import HandControllerState
from trainer.sim.capture_state import CaptureState
from trainer.sim.cbm_state import BerthingStatus
from trainer.sim.rotation import rows_from_quat
from trainer.telemetry import Quat, Telemetry, Vec3

DEFAULT_SHAFT_TIP_FRGF_M: Vec3 = (0.0, 0.0, 0.0)
_ZERO: Vec3 = (0.0, 0.0, 0.0)
_IDENTITY: Quat = (0.0, 0.0, 0.0, 1.0)


def _num(value: Any, default: float = 0.0) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        f = float(value)
        return f if math.isfinite(f) else default
    return default


def _vec3(value: Any, default: Vec3 = _ZERO) -> Vec3:
    if isinstance(value, list | tuple) and len(value) == 3:
        return (_num(value[0]), _num(value[1]), _num(value[2]))
    return default


def _quat(value: Any) -> Quat:
    if isinstance(value, list | tuple) and len(value) == 4:
        q = (_num(value[0]), _num(value[1]), _num(value[2]), _num(value[3], 1.0))
        if any(q):
            return q
    return _IDENTITY


def _floats(value: Any) -> tuple[float, ...]:
    return tuple(_num(v) for v in value) if isinstance(value, list | tuple) else ()


def _get(message: dict[str, Any], key: str) -> dict[str, Any]:
    node = message.get(key)
    return node if isinstance(node, dict) else {}


def shaft_tip_offset_from_tf(tf: dict[str, Any] | None) -> Vec3:
    """The shaft tip's position in the FRGF frame, from a /tf message (its ``frgf`` →
    ``frgf_tip`` transform); the FRGF origin when the message lacks it."""
    transforms = tf.get("transforms") if isinstance(tf, dict) else None
    for item in transforms if isinstance(transforms, list) else ():
        if (
            isinstance(item, dict)
            and item.get("parent_frame_id") == "frgf"
            and item.get("child_frame_id") == "frgf_tip"
        ):
            t = item.get("translation")
            if isinstance(t, dict):
                return (_num(t.get("x")), _num(t.get("y")), _num(t.get("z")))
    return DEFAULT_SHAFT_TIP_FRGF_M


def _apply(rows: Sequence[Sequence[float]], p: Vec3) -> Vec3:
    return (
        rows[0][0] * p[0] + rows[0][1] * p[1] + rows[0][2] * p[2],
        rows[1][0] * p[0] + rows[1][1] * p[1] + rows[1][2] * p[2],
        rows[2][0] * p[0] + rows[2][1] * p[1] + rows[2][2] * p[2],
    )


def control_from_dict(data: Any) -> ControlTelemetry | None:
    """The ``ControlTelemetry`` of a /state message's ``control`` (None when absent or not
    understood: the status display then shows dashes, as before the first tick)."""
    if not isinstance(data, dict):
        return None
    try:
        warnings = tuple(
            ControlWarning(
                WarningKind(str(w.get("kind"))),
                str(w.get("message", "")),
                w.get("joint") if isinstance(w.get("joint"), str) else None,
                _num(w.get("value")) if w.get("value") is not None else None,
            )
            for w in data.get("warnings") or ()
            if isinstance(w, dict)
        )
        manipulability = data.get("manipulability")
        return ControlTelemetry(
            mode=ModeName(str(data.get("mode"))),
            frame=Frame(str(data.get("frame"))),
            rate_scale=RateScale(str(data.get("rate_scale"))),
            selected_joint=str(data.get("selected_joint", "")),
            brakes_on=bool(data.get("brakes_on", False)),
            safed=bool(data.get("safed", False)),
            safed_reason=data.get("safed_reason")
            if isinstance(data.get("safed_reason"), str)
            else None,
            warnings=warnings,
            manipulability=_num(manipulability, math.nan)
            if manipulability is not None
            else math.nan,
            lee_velocity_command_world_m_s=_vec3(data.get("lee_velocity_command_world_m_s")),
            lee_angular_velocity_command_world_rad_s=_vec3(
                data.get("lee_angular_velocity_command_world_rad_s")
            ),
            lee_speed_limit_m_s=_num(data.get("lee_speed_limit_m_s")),
            lee_rate_limit_rad_s=_num(data.get("lee_rate_limit_rad_s")),
            payload_mass_kg=_num(data.get("payload_mass_kg")),
        )
    except ValueError:  # an enum value this trainer does not know
        return None


def snapshot_from_state(
    state: dict[str, Any],
    time_s: float,
    *,
    hand_controller: HandControllerState | None = None,
    shaft_tip_frgf_m: Vec3 = DEFAULT_SHAFT_TIP_FRGF_M,
    paused: bool = False,
    cameras_lost: tuple[str, ...] = (),
) -> Telemetry:
    """The snapshot of a /state message recorded at ``time_s`` (see the module docstring)."""
    vehicle, lee, frgf = _get(state, "vehicle"), _get(state, "lee"), _get(state, "frgf")
    joints = _get(state, "joints")
    vehicle_p, vehicle_v = _vec3(vehicle.get("position_m")), _vec3(vehicle.get("velocity_m_s"))
    vehicle_w = _vec3(vehicle.get("angular_velocity_rad_s"))
    frgf_p, frgf_q = _vec3(frgf.get("position_m")), _quat(frgf.get("orientation_xyzw"))
    off = _apply(rows_from_quat(frgf_q), shaft_tip_frgf_m)
    tip = (frgf_p[0] + off[0], frgf_p[1] + off[1], frgf_p[2] + off[2])
    r = (tip[0] - vehicle_p[0], tip[1] - vehicle_p[1], tip[2] - vehicle_p[2])
    tip_v = (
        vehicle_v[0] + vehicle_w[1] * r[2] - vehicle_w[2] * r[1],
        vehicle_v[1] + vehicle_w[2] * r[0] - vehicle_w[0] * r[2],
        vehicle_v[2] + vehicle_w[0] * r[1] - vehicle_w[1] * r[0],
    )
    lee_v = _vec3(lee.get("velocity_m_s"))
    try:
        capture = CaptureState(str(state.get("capture_state", "open")))
    except ValueError:
        capture = CaptureState.OPEN
    control = control_from_dict(state.get("control"))
    tick = state.get("tick")
    drift = state.get("free_drift_elapsed_s")
    return Telemetry(
        tick=tick if isinstance(tick, int) else round(time_s / CONTROL_TICK_S),
        time_s=time_s,
        free_drift_elapsed_s=_num(drift) if drift is not None else None,
        range_m=_num(state.get("range_m")),
        lee_position_world_m=_vec3(lee.get("position_m")),
        lee_orientation_world_xyzw=_quat(lee.get("orientation_xyzw")),
        lee_velocity_world_m_s=lee_v,
        lee_angular_velocity_world_rad_s=_vec3(lee.get("angular_velocity_rad_s")),
        lee_speed_m_s=norm3(lee_v),
        vehicle_position_world_m=vehicle_p,
        vehicle_velocity_world_m_s=vehicle_v,
        vehicle_orientation_world_xyzw=_quat(vehicle.get("orientation_xyzw")),
        vehicle_angular_velocity_world_rad_s=vehicle_w,
        closing_speed_m_s=_num(state.get("closing_speed_m_s")),
        frgf_position_world_m=frgf_p,
        frgf_orientation_world_xyzw=frgf_q,
        shaft_tip_position_world_m=tip,
        shaft_tip_velocity_world_m_s=tip_v,
        drift_from_start_m=_num(state.get("drift_from_start_m")),
        joint_angles_rad=_floats(joints.get("angles_rad")),
        joint_rates_rad_s=_floats(joints.get("rates_rad_s")),
        joint_torques_nm=_floats(joints.get("torques_nm")),
        joint_brakes_engaged=tuple(bool(b) for b in joints.get("brakes") or ()),
        hand_controller=hand_controller if hand_controller is not None else HandControllerState(),
        control=control,
        capture_state=capture,
        payload_mass_kg=control.payload_mass_kg if control is not None else 0.0,
        constraint_force_n=_num(state.get("constraint_force_n")),
        constraint_torque_nm=_num(state.get("constraint_torque_nm")),
        paused=paused,
        cameras_lost=cameras_lost,
        berthing=_berthing(state.get("berthing")),
    )


def _berthing(data: Any) -> BerthingStatus | None:
    """A berthing's /state field (trainer/sim/cbm_state.py); None when absent or unreadable."""
    if not isinstance(data, dict):
        return None
    try:
        return BerthingStatus.from_dict(data)
    except (KeyError, TypeError, ValueError, IndexError):
        return None
