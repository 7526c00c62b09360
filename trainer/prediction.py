"""The ground's view of a berthing flown from Houston: the round trip between Houston and the station
(docs/REFERENCE.md §11: 6–8 s from a command to the video of its effect, S), and the
predictive display that shows where the arm and the vehicle will be when the commands
already sent have landed.

The delay lines themselves are trainer/tasks/ground_link.py's; this module is what the
downlinked snapshot carries (``Telemetry.ground``), pure, so the window, the replay viewer
and the pilots read it without the task. The link counts control ticks, never the wall clock (docs/DESIGN.md §3, §10):

| direction | what is delayed                              | by                      |
|-----------|----------------------------------------------|-------------------------|
| uplink    | every hand-controller state (sticks and buttons) before the arm's controller sees it | ``up_ticks`` |
| downlink  | every telemetry snapshot the workstation (and a pilot) sees: cameras, displays, overlays | ``down_ticks`` |

The round trip is split evenly (E: the command and the video travel the same relay path,
TDRS and the ground network, each way), so a stick deflected now moves the arm
``up_ticks`` later and the operator sees it ``up_ticks + down_ticks`` later. Paused
ticks do not advance either line (simulation time stands still).

The prediction (``GroundView``) is what a ground station can compute itself: it starts
from the delayed snapshot and integrates the LEE's commanded twist, tick by tick, for
every command the operator sent since the snapshot's commands (those executed but not yet
seen, and those still on their way up), with the arm's Cartesian rate law: each stick
axis a fraction of the LEE's speed or rate cap as the snapshot's controller reports it,
in its frame of resolution (base or LEE), the demand capped like the controller's and
slewed at its acceleration caps from the twist the snapshot's controller had reached
(with the 7.2 t payload, 0.011 m/s²: a full deflection takes 7 s to reach its speed, the
whole round trip). The vehicle, held by the LEE, moves with it rigidly. It leaves out
the drives' lag behind the command and the controller's pose feedback (E: the lag is
≈ 6 cm at the unloaded coarse rate, far less at the payload's speeds).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from trainer.clock import CONTROL_TICK_S
from trainer.control.telemetry import ControlTelemetry, Frame
from trainer.fixedmath import rows3_mul, rows3_times, rows3_transpose_times
from trainer.input.state import HandControllerState
from trainer.sim.rotation import rows_from_quat

Vec3 = tuple[float, float, float]
Quat = tuple[float, float, float, float]
Rows = tuple[Vec3, Vec3, Vec3]


class Seen(Protocol):
    """What the prediction reads of the delayed snapshot (a ``Telemetry``; named here by
    its fields, so that the telemetry, which carries a ``GroundView``, and this module do
    not import each other: docs/DESIGN.md §2)."""

    @property
    def lee_position_world_m(self) -> Vec3: ...
    @property
    def lee_orientation_world_xyzw(self) -> Quat: ...
    @property
    def vehicle_position_world_m(self) -> Vec3: ...
    @property
    def vehicle_orientation_world_xyzw(self) -> Quat: ...
    @property
    def control(self) -> ControlTelemetry | None: ...


# The controller's acceleration caps and payload law (trainer/control/params.py, E and D
# there; docs/REFERENCE.md §1.3), repeated here so the window and the viewer need no
# physics import; tests/tasks/test_ground_link.py checks that they agree.
TIP_ACCELERATION_M_S2 = 0.25
TIP_ANGULAR_ACCELERATION_RAD_S2 = math.radians(4.0)
PAYLOAD_REFERENCE_MASS_KG = 116_000.0 / ((0.37 / 0.02) ** 2 - 1.0)


def split_round_trip(round_trip_s: float) -> tuple[int, int]:
    """(uplink ticks, downlink ticks) of a round trip: half each way, in whole ticks."""
    total = round(round_trip_s / CONTROL_TICK_S)
    up = total // 2
    return up, total - up


def _quat_from_rows(r: Rows) -> Quat:
    """Rotation rows to a unit quaternion (x, y, z, w), Shepperd's method."""
    trace = r[0][0] + r[1][1] + r[2][2]
    if trace > 0.0:
        s = math.sqrt(trace + 1.0) * 2.0
        return ((r[2][1] - r[1][2]) / s, (r[0][2] - r[2][0]) / s, (r[1][0] - r[0][1]) / s, 0.25 * s)
    if r[0][0] > r[1][1] and r[0][0] > r[2][2]:
        s = math.sqrt(1.0 + r[0][0] - r[1][1] - r[2][2]) * 2.0
        return (0.25 * s, (r[0][1] + r[1][0]) / s, (r[0][2] + r[2][0]) / s, (r[2][1] - r[1][2]) / s)
    if r[1][1] > r[2][2]:
        s = math.sqrt(1.0 + r[1][1] - r[0][0] - r[2][2]) * 2.0
        return ((r[0][1] + r[1][0]) / s, 0.25 * s, (r[1][2] + r[2][1]) / s, (r[0][2] - r[2][0]) / s)
    s = math.sqrt(1.0 + r[2][2] - r[0][0] - r[1][1]) * 2.0
    return ((r[0][2] + r[2][0]) / s, (r[1][2] + r[2][1]) / s, 0.25 * s, (r[1][0] - r[0][1]) / s)


def _axis_angle_rows(w: Vec3, angle_scale: float) -> Rows:
    """Rotation rows of the rotation vector ``w · angle_scale`` (Rodrigues)."""
    x, y, z = w[0] * angle_scale, w[1] * angle_scale, w[2] * angle_scale
    angle = math.sqrt(x * x + y * y + z * z)
    if angle < 1e-15:
        return ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
    kx, ky, kz = x / angle, y / angle, z / angle
    c, s = math.cos(angle), math.sin(angle)
    t = 1.0 - c
    return (
        (c + kx * kx * t, kx * ky * t - kz * s, kx * kz * t + ky * s),
        (ky * kx * t + kz * s, c + ky * ky * t, ky * kz * t - kx * s),
        (kz * kx * t - ky * s, kz * ky * t + kx * s, c + kz * kz * t),
    )


@dataclass(frozen=True, slots=True)
class GhostPose:
    """Where the prediction puts the LEE and the vehicle (world frame)."""

    lee_position_m: Vec3
    lee_orientation_xyzw: Quat
    vehicle_position_m: Vec3
    vehicle_orientation_xyzw: Quat


@dataclass(frozen=True)
class GroundView:
    """What the ground sees and predicts on one tick (module docstring): the snapshot it
    sees is ``round_trip_s / 2`` old; ``ghost`` is where the LEE and the vehicle will be
    once every command sent so far has landed (computed on first use)."""

    round_trip_s: float
    up_ticks: int
    down_ticks: int
    base_rows: Rows  # the arm's base frame in the world (for base-frame commands)
    commands: tuple[HandControllerState, ...]  # sent since the snapshot's, oldest first
    _ghost: GhostPose | None = field(default=None, init=False, repr=False, compare=False)

    def ghost(self, seen: Seen) -> GhostPose:
        """The predicted poses, integrated from ``seen`` (the delayed snapshot)."""
        ghost = self._ghost
        if ghost is None:
            ghost = predict(seen, self.commands, self.base_rows)
            object.__setattr__(self, "_ghost", ghost)
        return ghost


def _slew(target: Vec3, previous: Vec3, max_step: float) -> Vec3:
    """The controller's slew (trainer/control/modes.py): at most ``max_step`` per tick."""
    dx, dy, dz = target[0] - previous[0], target[1] - previous[1], target[2] - previous[2]
    size = math.sqrt(dx * dx + dy * dy + dz * dz)
    if size <= max_step:
        return target
    k = max_step / size
    return (previous[0] + dx * k, previous[1] + dy * k, previous[2] + dz * k)


def predict(seen: Seen, commands: Sequence[HandControllerState], base_rows: Rows) -> GhostPose:
    """See the module docstring. Fixed-order float arithmetic (docs/DESIGN.md §10): the
    ground autopilot steers by it."""
    p = seen.lee_position_world_m
    r = rows_from_quat(seen.lee_orientation_world_xyzw)
    # The vehicle's pose in the LEE frame, held through the prediction.
    v_rows = rows_from_quat(seen.vehicle_orientation_world_xyzw)
    rel = (
        seen.vehicle_position_world_m[0] - p[0],
        seen.vehicle_position_world_m[1] - p[1],
        seen.vehicle_position_world_m[2] - p[2],
    )
    rel_lee = rows3_transpose_times(r, rel)
    v_in_lee = rows3_mul(_transpose(r), v_rows)
    control = seen.control
    if control is not None and not control.safed and not control.brakes_on and commands:
        speed = control.lee_speed_limit_m_s
        rate = control.lee_rate_limit_rad_s
        lee_frame = control.frame is Frame.LEE
        # The payload's acceleration caps (trainer/control/params.py: a = F / m).
        factor = 1.0 / (1.0 + control.payload_mass_kg / PAYLOAD_REFERENCE_MASS_KG)
        dv_max = TIP_ACCELERATION_M_S2 * factor * CONTROL_TICK_S
        dw_max = TIP_ANGULAR_ACCELERATION_RAD_S2 * factor * CONTROL_TICK_S
        # The commanded twist the snapshot's controller had reached (its slew's start).
        v = control.lee_velocity_command_world_m_s
        w = control.lee_angular_velocity_command_world_rad_s
        for hc in commands:
            tv: Vec3 = (hc.thc[0] * speed, hc.thc[1] * speed, hc.thc[2] * speed)
            tw: Vec3 = (hc.rhc[0] * rate, hc.rhc[1] * rate, hc.rhc[2] * rate)
            axes = r if lee_frame else base_rows
            tv = rows3_times(axes, tv)
            tw = rows3_times(axes, tw)
            v_norm = math.sqrt(tv[0] * tv[0] + tv[1] * tv[1] + tv[2] * tv[2])
            w_norm = math.sqrt(tw[0] * tw[0] + tw[1] * tw[1] + tw[2] * tw[2])
            cap = 1.0
            if speed > 0.0 and v_norm > speed:
                cap = speed / v_norm
            if rate > 0.0 and w_norm > rate:
                cap = min(cap, rate / w_norm)
            if cap < 1.0:
                tv = (tv[0] * cap, tv[1] * cap, tv[2] * cap)
                tw = (tw[0] * cap, tw[1] * cap, tw[2] * cap)
            v = _slew(tv, v, dv_max)
            w = _slew(tw, w, dw_max)
            dt = CONTROL_TICK_S
            p = (p[0] + v[0] * dt, p[1] + v[1] * dt, p[2] + v[2] * dt)
            r = rows3_mul(_axis_angle_rows(w, dt), r)
    vehicle_p = rows3_times(r, rel_lee)
    return GhostPose(
        lee_position_m=p,
        lee_orientation_xyzw=_quat_from_rows(r),
        vehicle_position_m=(p[0] + vehicle_p[0], p[1] + vehicle_p[1], p[2] + vehicle_p[2]),
        vehicle_orientation_xyzw=_quat_from_rows(rows3_mul(r, v_in_lee)),
    )


def _transpose(r: Rows) -> Rows:
    return (
        (r[0][0], r[1][0], r[2][0]),
        (r[0][1], r[1][1], r[2][1]),
        (r[0][2], r[1][2], r[2][2]),
    )
