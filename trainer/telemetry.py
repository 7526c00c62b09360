"""The immutable snapshot of one control tick that everything above the session reads:
the window, the replay viewer, the debrief, the recorder, scoring and the pilots (a pilot
sees what a crew member sees on the workstation displays, never pybullet). Pure data; no
pybullet, no pygame.

Naming (one rule for the whole snapshot, the /state record and ``ControlTelemetry``):
``<thing>_<quantity>_<frame>_<unit>``. The frame is ``_world`` (LVLH, docs/DESIGN.md §3)
or ``_lee`` (the tip LEE frame: +x boresight, +z camera up); a name without a frame is a
scalar that has none (a speed, a range, an angle between two frames). Quaternions end in
``_xyzw`` (pybullet order) and rotate the thing's frame into the named frame.

Things: ``lee`` is the tip Latching End Effector (the arm's end effector; its origin is
the centre of the LEE mouth); ``frgf`` is the grapple fixture on the vehicle (its frame's
origin is the centre of the base plate); ``shaft_tip`` is the centre of the ball at the end
of the FRGF shaft (docs/DESIGN.md §4). "tip" never names anything else in the snapshot.
(report.json's ``peak_tip_speed_near_vehicle_m_s`` keeps its contract name: it is the
``lee_speed_m_s`` of this snapshot.) ``vehicle`` is the cargo Dragon's centre of mass.

| field                                   | unit   | frame | meaning                                  |
|-----------------------------------------|--------|-------|------------------------------------------|
| tick                                    |        |       | control ticks (1/60 s) simulated so far  |
| time_s                                  | s      |       | simulation time                          |
| free_drift_elapsed_s                    | s      |       | since free drift began; None before it   |
| range_m                                 | m      |       | LEE origin to shaft tip                  |
| lee_position_world_m                    | m      | world | LEE origin                               |
| lee_orientation_world_xyzw              |        | world | LEE attitude                             |
| lee_velocity_world_m_s                  | m/s    | world | LEE origin velocity                      |
| lee_angular_velocity_world_rad_s        | rad/s  | world | LEE angular velocity                     |
| lee_speed_m_s                           | m/s    |       | norm of lee_velocity_world_m_s           |
| vehicle_position_world_m                | m      | world | vehicle centre of mass                   |
| vehicle_velocity_world_m_s              | m/s    | world | vehicle centre-of-mass velocity          |
| vehicle_orientation_world_xyzw          |        | world | vehicle attitude                         |
| vehicle_angular_velocity_world_rad_s    | rad/s  | world | vehicle angular velocity                 |
| closing_speed_m_s                       | m/s    |       | the vehicle's closing speed: its speed toward the station (+z, zenith); > 0 closing. "Closing speed" means this and nothing else (the LEE-to-fixture rate is the range rate) |
| frgf_position_world_m                   | m      | world | FRGF frame origin (base plate centre)    |
| frgf_orientation_world_xyzw             |        | world | FRGF attitude                            |
| shaft_tip_position_world_m              | m      | world | shaft tip (ball centre)                  |
| shaft_tip_velocity_world_m_s            | m/s    | world | shaft tip velocity                       |
| drift_from_start_m                      | m      |       | shaft tip from where free drift began (0 before) |
| joint_angles_rad                        | rad    |       | the 7 SSRMS joints, base to tip          |
| joint_rates_rad_s                       | rad/s  |       | joint rates, base to tip                 |
| joint_torques_nm                        | N·m    |       | joint drive torques, base to tip         |
| joint_brakes_engaged                    |        |       | per joint: brake holding (stuck included) |
| hand_controller                         | [-1,1] |       | the input that drove this tick (bias included) |
| control                                 |        |       | ``ControlTelemetry`` of this tick; None before the first tick or after a failed one |
| capture_state                           |        |       | the LEE mechanism's phase (``CaptureState``) |
| payload_mass_kg                         | kg     |       | mass the arm carries (0 unless holding a free vehicle) |
| constraint_force_n                      | N      |       | snare constraint force magnitude (0 when not holding) |
| constraint_torque_nm                    | N·m    |       | snare constraint torque magnitude        |
| paused                                  |        |       | the session clock is stopped             |
| cameras_lost                            |        |       | cameras whose video is lost (sorted names) |
| messages                                |        |       | the last five calls heard (oldest first) |
| berthing                                |        |       | a berthing's mechanism and procedure (``BerthingStatus``, trainer/sim/cbm_state.py); None in other tasks |
| ground                                  |        |       | flown from the ground: the link's delay and the predictive display (``GroundView``, trainer/prediction.py); None from the Cupola |

Derived on first use (``view``, ``metrics`` and the properties below), from the fields:

| property                                | unit   | frame | meaning                                  |
|-----------------------------------------|--------|-------|------------------------------------------|
| metrics                                 |        |       | the six capture metrics of docs/DESIGN.md §4 |
| shaft_tip_position_lee_m                | m      | lee   | shaft tip relative to the LEE origin     |
| shaft_tip_velocity_lee_m_s              | m/s    | lee   | shaft tip velocity relative to the LEE origin |
| alignment_error_lee_rad                 | rad    | lee   | rotation vector turning the LEE onto its seated attitude for the fixture |

The LEE-camera view is derived lazily and kept: a headless grade builds a Telemetry every
control tick (60 Hz) for scoring and the end checks, which read only plain fields, while
the view is read at the 10 Hz of the /state record and of the autopilot's decisions.
Computing it eagerly cost ~25 µs per tick (a sixth of the whole tick budget at 100x real
time, docs/DESIGN.md §9).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from trainer.control.telemetry import ControlTelemetry
from trainer.input.state import HandControllerState
from trainer.sim.capture_state import CaptureState
from trainer.sim.cbm_state import BerthingStatus
from trainer.sim.metrics import (
    CaptureMetrics,
    Pose,
    alignment_error_in_lee,
    capture_metrics,
    rows_from_quat,
    sub,
    to_frame,
)

if TYPE_CHECKING:
    from trainer.prediction import GroundView

Vec3 = tuple[float, float, float]
Quat = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class CameraView:
    """What the LEE camera overlay derives from the poses (see ``Telemetry.view``)."""

    metrics: CaptureMetrics
    shaft_tip_position_lee_m: Vec3
    shaft_tip_velocity_lee_m_s: Vec3
    alignment_error_lee_rad: Vec3


@dataclass(frozen=True, slots=True)
class Telemetry:
    """One control tick's snapshot: see the module docstring for every field."""

    tick: int
    time_s: float
    free_drift_elapsed_s: float | None
    range_m: float
    lee_position_world_m: Vec3
    lee_orientation_world_xyzw: Quat
    lee_velocity_world_m_s: Vec3
    lee_angular_velocity_world_rad_s: Vec3
    lee_speed_m_s: float
    vehicle_position_world_m: Vec3
    vehicle_velocity_world_m_s: Vec3
    vehicle_orientation_world_xyzw: Quat
    vehicle_angular_velocity_world_rad_s: Vec3
    closing_speed_m_s: float
    frgf_position_world_m: Vec3
    frgf_orientation_world_xyzw: Quat
    shaft_tip_position_world_m: Vec3
    shaft_tip_velocity_world_m_s: Vec3
    drift_from_start_m: float
    joint_angles_rad: tuple[float, ...]
    joint_rates_rad_s: tuple[float, ...]
    joint_torques_nm: tuple[float, ...]
    joint_brakes_engaged: tuple[bool, ...]
    hand_controller: HandControllerState
    control: ControlTelemetry | None
    capture_state: CaptureState
    payload_mass_kg: float
    constraint_force_n: float
    constraint_torque_nm: float
    paused: bool = False
    cameras_lost: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()
    berthing: BerthingStatus | None = None
    ground: GroundView | None = None
    _view: CameraView | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def view(self) -> CameraView:
        """The LEE-camera view of the fixture, computed once on first use."""
        view = self._view
        if view is None:
            view = _camera_view(self)
            object.__setattr__(self, "_view", view)  # a cache: the value is fixed by the fields
        return view

    @property
    def metrics(self) -> CaptureMetrics:
        """The capture metrics of docs/DESIGN.md §4 now."""
        return self.view.metrics

    @property
    def shaft_tip_position_lee_m(self) -> Vec3:
        return self.view.shaft_tip_position_lee_m

    @property
    def shaft_tip_velocity_lee_m_s(self) -> Vec3:
        return self.view.shaft_tip_velocity_lee_m_s

    @property
    def alignment_error_lee_rad(self) -> Vec3:
        return self.view.alignment_error_lee_rad

    @property
    def range_rate_m_s(self) -> float:
        """The range rate: how fast the LEE-to-shaft-tip range (``range_m``) changes, m/s,
        negative while it shrinks (not the vehicle's closing speed toward the station,
        ``closing_speed_m_s``)."""
        p = self.shaft_tip_position_lee_m
        v = self.shaft_tip_velocity_lee_m_s
        r = math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2])
        if r < 1e-9:
            return 0.0
        rate: float = (p[0] * v[0] + p[1] * v[1] + p[2] * v[2]) / r
        return rate

    def state_record(self) -> dict[str, Any]:
        """The recording's /state message (docs/DESIGN.md §7; its schema is
        ``trainer.record.schemas.STATE_SCHEMA``). Vectors in the world frame."""
        return {
            "tick": self.tick,
            "free_drift_elapsed_s": self.free_drift_elapsed_s,
            "vehicle": {
                "position_m": list(self.vehicle_position_world_m),
                "velocity_m_s": list(self.vehicle_velocity_world_m_s),
                "orientation_xyzw": list(self.vehicle_orientation_world_xyzw),
                "angular_velocity_rad_s": list(self.vehicle_angular_velocity_world_rad_s),
            },
            "lee": {
                "position_m": list(self.lee_position_world_m),
                "orientation_xyzw": list(self.lee_orientation_world_xyzw),
                "velocity_m_s": list(self.lee_velocity_world_m_s),
                "angular_velocity_rad_s": list(self.lee_angular_velocity_world_rad_s),
            },
            "frgf": {
                "position_m": list(self.frgf_position_world_m),
                "orientation_xyzw": list(self.frgf_orientation_world_xyzw),
            },
            "joints": {
                "angles_rad": list(self.joint_angles_rad),
                "rates_rad_s": list(self.joint_rates_rad_s),
                "torques_nm": list(self.joint_torques_nm),
                "brakes": list(self.joint_brakes_engaged),
            },
            "metrics": self.metrics.to_dict(),
            "range_m": self.range_m,
            "drift_from_start_m": self.drift_from_start_m,
            "closing_speed_m_s": self.closing_speed_m_s,
            "capture_state": self.capture_state.value,
            "constraint_force_n": self.constraint_force_n,
            "constraint_torque_nm": self.constraint_torque_nm,
            "control": None if self.control is None else self.control.to_dict(),
        } | ({} if self.berthing is None else {"berthing": self.berthing.to_dict()})


def _camera_view(t: Telemetry) -> CameraView:
    r_lee = rows_from_quat(t.lee_orientation_world_xyzw)
    metrics = capture_metrics(
        Pose(t.lee_position_world_m, t.lee_orientation_world_xyzw),
        t.lee_velocity_world_m_s,
        t.lee_angular_velocity_world_rad_s,
        Pose(t.frgf_position_world_m, t.frgf_orientation_world_xyzw),
        t.shaft_tip_position_world_m,
        t.shaft_tip_velocity_world_m_s,
        t.vehicle_angular_velocity_world_rad_s,
    )
    return CameraView(
        metrics=metrics,
        shaft_tip_position_lee_m=to_frame(
            r_lee, sub(t.shaft_tip_position_world_m, t.lee_position_world_m)
        ),
        shaft_tip_velocity_lee_m_s=to_frame(
            r_lee, sub(t.shaft_tip_velocity_world_m_s, t.lee_velocity_world_m_s)
        ),
        alignment_error_lee_rad=alignment_error_in_lee(
            r_lee, rows_from_quat(t.frgf_orientation_world_xyzw)
        ),
    )
