"""The immutable snapshot of one control tick that everything above the session reads:
the HUD, the recorder, scoring and the pilots (a pilot sees what a crew member sees on the
workstation displays, never pybullet). Pure data; no pybullet, no pygame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from trainer.input.state import HandControllerState
from trainer.sim.metrics import CaptureMetrics

Vec3 = tuple[float, float, float]
Quat = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Telemetry:
    tick: int
    time_s: float
    # Seconds since free drift began, None before it (the workstation's free-drift clock).
    free_drift_elapsed_s: float | None
    metrics: CaptureMetrics
    # Ball centre of the FRGF shaft in the LEE frame (what the LEE camera overlay shows).
    shaft_tip_in_lee_m: Vec3
    # Its velocity relative to the LEE origin, in the LEE frame.
    shaft_tip_velocity_in_lee_m_s: Vec3
    # Rotation vector (rad, LEE frame) that turns the LEE onto the seated attitude for the
    # fixture (boresight on the reversed shaft, roll to the nearest cam position).
    alignment_error_lee_rad: Vec3
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
