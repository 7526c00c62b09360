"""The immutable snapshot of one control tick that everything above the session reads:
the HUD, the recorder, scoring and the pilots (a pilot sees what a crew member sees on the
workstation displays, never pybullet). Pure data; no pybullet, no pygame.

The LEE-camera view of the fixture (the capture metrics, the shaft tip and the alignment
error in the LEE frame) is derived from the poses on first use and kept: a headless grade
builds a Telemetry every control tick (60 Hz) for scoring and the end checks, which read
only plain fields, while the view is read at the 10 Hz of the /state record and of the
autopilot's decisions. Computing it eagerly cost ~25 µs per tick (a sixth of the whole
tick budget at 100x real time, DESIGN §9).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from trainer.input.state import HandControllerState
from trainer.sim.metrics import (
    CaptureMetrics,
    Pose,
    alignment_error_in_lee,
    capture_metrics,
    rows_from_quat,
    sub,
    to_frame,
)

Vec3 = tuple[float, float, float]
Quat = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class CameraView:
    """What the LEE camera overlay derives from the poses (see ``Telemetry.view``)."""

    metrics: CaptureMetrics
    # Ball centre of the FRGF shaft in the LEE frame (what the LEE camera overlay shows).
    shaft_tip_in_lee_m: Vec3
    # Its velocity relative to the LEE origin, in the LEE frame.
    shaft_tip_velocity_in_lee_m_s: Vec3
    # Rotation vector (rad, LEE frame) that turns the LEE onto the seated attitude for the
    # fixture (boresight on the reversed shaft, roll to the nearest cam position).
    alignment_error_lee_rad: Vec3


@dataclass(frozen=True, slots=True)
class Telemetry:
    tick: int
    time_s: float
    # Seconds since free drift began, None before it (the workstation's free-drift clock).
    free_drift_elapsed_s: float | None
    # Distance from the LEE origin to the shaft tip (ball centre).
    range_m: float
    lee_position_m: Vec3
    lee_orientation_xyzw: Quat
    lee_velocity_m_s: Vec3
    lee_angular_velocity_rad_s: Vec3
    tip_speed_m_s: float
    vehicle_position_m: Vec3
    vehicle_velocity_m_s: Vec3
    vehicle_orientation_xyzw: Quat
    vehicle_angular_velocity_rad_s: Vec3
    # Vehicle speed toward the station (+z, zenith): positive means closing.
    closing_speed_m_s: float
    fixture_position_m: Vec3
    fixture_orientation_xyzw: Quat
    # The shaft tip (ball centre) in the world: position and velocity.
    shaft_tip_position_m: Vec3
    shaft_tip_velocity_m_s: Vec3
    drift_from_start_m: float
    joint_angles_rad: tuple[float, ...]
    joint_rates_rad_s: tuple[float, ...]
    joint_torques_nm: tuple[float, ...]
    brakes: tuple[bool, ...]
    hand_controller: HandControllerState
    control: dict[str, Any]
    capture_state: str
    payload_mass_kg: float
    constraint_force_n: float
    constraint_torque_nm: float
    paused: bool = False
    cameras_lost: tuple[str, ...] = ()
    messages: tuple[str, ...] = field(default_factory=tuple)
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
        """The capture metrics of DESIGN §4 now."""
        return self.view.metrics

    @property
    def shaft_tip_in_lee_m(self) -> Vec3:
        return self.view.shaft_tip_in_lee_m

    @property
    def shaft_tip_velocity_in_lee_m_s(self) -> Vec3:
        return self.view.shaft_tip_velocity_in_lee_m_s

    @property
    def alignment_error_lee_rad(self) -> Vec3:
        return self.view.alignment_error_lee_rad

    def state_record(self) -> dict[str, Any]:
        """The recording's /state message (DESIGN §7)."""
        return {
            "tick": self.tick,
            "free_drift_elapsed_s": self.free_drift_elapsed_s,
            "vehicle": {
                "position_m": list(self.vehicle_position_m),
                "velocity_m_s": list(self.vehicle_velocity_m_s),
                "orientation_xyzw": list(self.vehicle_orientation_xyzw),
                "angular_velocity_rad_s": list(self.vehicle_angular_velocity_rad_s),
            },
            "lee": {
                "position_m": list(self.lee_position_m),
                "orientation_xyzw": list(self.lee_orientation_xyzw),
                "velocity_m_s": list(self.lee_velocity_m_s),
                "angular_velocity_rad_s": list(self.lee_angular_velocity_rad_s),
            },
            "frgf": {
                "position_m": list(self.fixture_position_m),
                "orientation_xyzw": list(self.fixture_orientation_xyzw),
            },
            "joints": {
                "angles_rad": list(self.joint_angles_rad),
                "rates_rad_s": list(self.joint_rates_rad_s),
                "torques_nm": list(self.joint_torques_nm),
                "brakes": list(self.brakes),
            },
            "metrics": self.metrics.to_dict(),
            "range_m": self.range_m,
            "drift_from_start_m": self.drift_from_start_m,
            "closing_speed_m_s": self.closing_speed_m_s,
            "capture_state": self.capture_state,
            "constraint_force_n": self.constraint_force_n,
            "constraint_torque_nm": self.constraint_torque_nm,
            "control": self.control,
        }


def _camera_view(t: Telemetry) -> CameraView:
    r_lee = rows_from_quat(t.lee_orientation_xyzw)
    metrics = capture_metrics(
        Pose(t.lee_position_m, t.lee_orientation_xyzw),
        t.lee_velocity_m_s,
        t.lee_angular_velocity_rad_s,
        Pose(t.fixture_position_m, t.fixture_orientation_xyzw),
        t.shaft_tip_position_m,
        t.shaft_tip_velocity_m_s,
        t.vehicle_angular_velocity_rad_s,
    )
    return CameraView(
        metrics=metrics,
        shaft_tip_in_lee_m=to_frame(r_lee, sub(t.shaft_tip_position_m, t.lee_position_m)),
        shaft_tip_velocity_in_lee_m_s=to_frame(
            r_lee, sub(t.shaft_tip_velocity_m_s, t.lee_velocity_m_s)
        ),
        alignment_error_lee_rad=alignment_error_in_lee(
            r_lee, rows_from_quat(t.fixture_orientation_xyzw)
        ),
    )
