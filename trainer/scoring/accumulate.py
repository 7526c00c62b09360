"""Running metrics of a session, gathered one telemetry snapshot at a time.

Pure bookkeeping over ``Telemetry`` (no pybullet): the quantities the report's ``metrics``
block and the score's components need besides the trigger itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from trainer.scenario.model import Scenario
from trainer.sim.capture_state import CaptureState
from trainer.telemetry import Telemetry

# A hand-controller reversal: an axis swings from beyond +0.25 to beyond −0.25 (or back).
# Small corrections around centre are not reversals (E: a quarter deflection is a
# deliberate input on any pad; SMP-style scoring counts over-control, docs/REFERENCE.md §6).
REVERSAL_THRESHOLD = 0.25
# "Near the vehicle": the LEE within this range of the shaft tip (E: the last metre and a
# half, where an LEE moving fast risks an impact).
NEAR_VEHICLE_RANGE_M = 1.5
# Tip speed near the vehicle above this is an exceedance (E: 0.1 m/s, about 3x the allowed
# relative speed at capture and under a third of the unloaded coarse tip speed).
NEAR_VEHICLE_TIP_SPEED_M_S = 0.1


@dataclass(frozen=True, slots=True)
class ContactRecord:
    time_s: float
    bodies: str
    speed_m_s: float


@dataclass
class ScoreAccumulator:
    scenario: Scenario
    reversals: int = 0
    peak_joint_torque_nm: float = 0.0
    peak_tip_speed_near_vehicle_m_s: float = 0.0
    near_vehicle_exceedance_s: float = 0.0
    min_manipulability: float = math.inf
    post_capture_peak_joint_torque_nm: float = 0.0
    post_capture_peak_force_n: float = 0.0
    post_capture_peak_torque_nm: float = 0.0
    contacts: list[ContactRecord] = field(default_factory=list)
    _last_sign: list[int] = field(default_factory=lambda: [0] * 6)
    _last_time_s: float | None = None

    def add(self, t: Telemetry) -> None:
        dt = 0.0 if self._last_time_s is None else max(0.0, t.time_s - self._last_time_s)
        self._last_time_s = t.time_s
        axes = t.hand_controller.thc + t.hand_controller.rhc
        for i, value in enumerate(axes):
            sign = 1 if value > REVERSAL_THRESHOLD else -1 if value < -REVERSAL_THRESHOLD else 0
            if sign != 0:
                if self._last_sign[i] != 0 and sign != self._last_sign[i]:
                    self.reversals += 1
                self._last_sign[i] = sign
        peak = max((abs(v) for v in t.joint_torques_nm), default=0.0)
        self.peak_joint_torque_nm = max(self.peak_joint_torque_nm, peak)
        if t.range_m <= NEAR_VEHICLE_RANGE_M and t.capture_state is CaptureState.OPEN:
            self.peak_tip_speed_near_vehicle_m_s = max(
                self.peak_tip_speed_near_vehicle_m_s, t.lee_speed_m_s
            )
            if t.lee_speed_m_s > NEAR_VEHICLE_TIP_SPEED_M_S:
                self.near_vehicle_exceedance_s += dt
        if t.control is not None and math.isfinite(t.control.manipulability):
            self.min_manipulability = min(self.min_manipulability, t.control.manipulability)
        if t.capture_state.holding:
            self.post_capture_peak_joint_torque_nm = max(
                self.post_capture_peak_joint_torque_nm, peak
            )
            self.post_capture_peak_force_n = max(
                self.post_capture_peak_force_n, t.constraint_force_n
            )
            self.post_capture_peak_torque_nm = max(
                self.post_capture_peak_torque_nm, t.constraint_torque_nm
            )

    def contact(self, time_s: float, bodies: str, speed_m_s: float) -> None:
        self.contacts.append(ContactRecord(time_s, bodies, speed_m_s))
