"""A closed-loop pilot that captures through the hand controllers, as a crew member would.

It reads only the workstation's telemetry (the LEE-camera view of the fixture, the
free-drift clock, the vehicle's rates) and produces ``HandControllerState`` values, so a
graded autopilot run exercises exactly the code a trainee's gamepad does.

Technique (REFERENCE §3): Cartesian rate mode in the LEE (camera) frame; wait for free
drift; null the attitude error and the lateral offset at a standoff in front of the
fixture while matching its drift; fly straight in along the boresight; pull the trigger
with the shaft tip in the middle of the full-credit depth window and every quantity well
inside full credit; hold still after capture. It calls ABORT instead when the vehicle
closes on the station faster than the scenario's limit or rotates faster than any capture
could follow.
"""

from __future__ import annotations

import math

import numpy as np

from trainer.input.state import Button, HandControllerState
from trainer.scenario.model import Scenario
from trainer.sim.metrics import quat_to_matrix
from trainer.telemetry import Telemetry

# Targets and gains (E: tuned on crs20-capture seeds; all comfortably inside REFERENCE §4).
STANDOFF_M = 0.45  # shaft tip this far in front of the mouth while aligning
TARGET_DEPTH_M = 0.10  # centre of the 0.05–0.15 m full-credit window
POSITION_GAIN_PER_S = 0.35
# Creep observer: a crew member notices the LEE moving when the sticks say it should not (a
# hand-controller bias) and leans against it. The autopilot compares the LEE's measured
# velocity with what it commanded and low-pass filters the difference (E: 1 s).
CREEP_TIME_CONSTANT_S = 1.0
CREEP_LIMIT_FRACTION = 0.3  # never lean against more than 30% of full deflection
ATTITUDE_GAIN_PER_S = 0.5
APPROACH_SPEED_M_S = 0.06  # cap on the closing component far out
FINAL_SPEED_M_S = 0.02  # cap within 0.3 m
ALIGNED_LATERAL_M = 0.015
ALIGNED_ANGLE_RAD = math.radians(1.5)
TRIGGER_DEPTH_TOLERANCE_M = 0.02
TRIGGER_SPEED_M_S = 0.006
TRIGGER_RATE_DEG_S = 0.06
CAPTURE_HOLD_TICKS = 20  # longer than any device guard (0.25 s = 15 ticks)
DEFAULT_SPEED_LIMIT_M_S = 0.37  # REFERENCE §1, until the control telemetry says otherwise
DEFAULT_RATE_LIMIT_RAD_S = math.radians(4.0)


class Autopilot:
    name = "autopilot"

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self._button_ticks: dict[Button, int] = {}
        self._phase = "wait"
        self._aborted = False
        self._creep_v = np.zeros(3)
        self._creep_w = np.zeros(3)
        self._last_v: np.ndarray | None = None
        self._last_w: np.ndarray | None = None
        self._hold_point: np.ndarray | None = None

    def _press(self, button: Button, ticks: int = 3) -> None:
        self._button_ticks.setdefault(button, ticks)

    def _held_buttons(self) -> frozenset[Button]:
        held = frozenset(b for b, n in self._button_ticks.items() if n > 0)
        self._button_ticks = {b: n - 1 for b, n in self._button_ticks.items() if n > 1}
        return held

    def next_state(self, t: Telemetry) -> HandControllerState:
        thc, rhc = (0.0, 0.0, 0.0), (0.0, 0.0, 0.0)
        control = t.control
        if control.get("frame", "lee") != "lee" and not self._button_ticks:
            self._press(Button.FRAME, 2)
        elif control.get("safed"):
            self._press(Button.RESUME, 2)
        elif t.free_drift_elapsed_s is None:
            thc, rhc = self._hold(t)  # GO given, waiting for free drift: keep station
        elif not self._aborted and t.capture_state == "open":
            if self._should_abort(t):
                self._aborted = True
                self._press(Button.ABORT, CAPTURE_HOLD_TICKS)
            else:
                thc, rhc = self._fly(t)
        return HandControllerState(thc=thc, rhc=rhc, buttons=self._held_buttons())

    def _should_abort(self, t: Telemetry) -> bool:
        limit = self.scenario.abort.closing_speed_limit_m_s
        rate_deg_s = math.degrees(float(np.linalg.norm(t.vehicle_angular_velocity_rad_s)))
        return (
            t.closing_speed_m_s > limit
            or rate_deg_s > self.scenario.envelope.relative_rate_deg_s.allowed
        )

    def _to_controllers(
        self, t: Telemetry, v: np.ndarray, w: np.ndarray
    ) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
        """Velocity demands (LEE frame) as hand-controller deflections of the current scale,
        leaning against any observed creep."""
        vmax = float(t.control.get("tip_speed_limit_m_s") or DEFAULT_SPEED_LIMIT_M_S)
        wmax = float(t.control.get("tip_rate_limit_rad_s") or DEFAULT_RATE_LIMIT_RAD_S)
        self._observe_creep(t, vmax, wmax)
        self._last_v, self._last_w = v.copy(), w.copy()
        v = v - self._creep_v
        w = w - self._creep_w
        thc = tuple(float(np.clip(x / vmax, -1.0, 1.0)) for x in v)
        rhc = tuple(float(np.clip(x / wmax, -1.0, 1.0)) for x in w)
        return (thc[0], thc[1], thc[2]), (rhc[0], rhc[1], rhc[2])

    def _hold(self, t: Telemetry) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
        """Keep the fixture where it is in the camera view (counter any creep)."""
        p = np.asarray(t.shaft_tip_in_lee_m)
        if self._hold_point is None:
            self._hold_point = p.copy()
        error = p - self._hold_point
        return self._to_controllers(t, POSITION_GAIN_PER_S * error, np.zeros(3))

    def _observe_creep(self, t: Telemetry, vmax: float, wmax: float) -> None:
        """Update the estimate of uncommanded LEE motion (LEE frame)."""
        if self._last_v is None or self._last_w is None:
            return
        r_lee = quat_to_matrix(t.lee_orientation_xyzw)
        v_obs = r_lee.T @ np.asarray(t.lee_velocity_m_s)
        w_obs = r_lee.T @ np.asarray(t.lee_angular_velocity_rad_s)
        a = (1.0 / 60.0) / CREEP_TIME_CONSTANT_S
        self._creep_v += a * (v_obs - self._last_v - self._creep_v)
        self._creep_w += a * (w_obs - self._last_w - self._creep_w)
        self._creep_v = np.clip(
            self._creep_v, -CREEP_LIMIT_FRACTION * vmax, CREEP_LIMIT_FRACTION * vmax
        )
        self._creep_w = np.clip(
            self._creep_w, -CREEP_LIMIT_FRACTION * wmax, CREEP_LIMIT_FRACTION * wmax
        )

    def _fly(self, t: Telemetry) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
        r_lee = quat_to_matrix(t.lee_orientation_xyzw)
        p = np.asarray(t.shaft_tip_in_lee_m)
        # The fixture's own motion, in the LEE frame: what the LEE must match.
        v_ball = r_lee.T @ np.asarray(t.lee_velocity_m_s) + np.asarray(
            t.shaft_tip_velocity_in_lee_m_s
        )
        w_vehicle = r_lee.T @ np.asarray(t.vehicle_angular_velocity_rad_s)
        att = np.asarray(t.alignment_error_lee_rad)
        lateral = math.hypot(p[1], p[2])
        aligned = lateral < ALIGNED_LATERAL_M and float(np.linalg.norm(att)) < ALIGNED_ANGLE_RAD
        if self._phase == "wait":
            self._phase = "align"
        if self._phase == "align" and aligned and abs(p[0] - STANDOFF_M) < 0.05:
            self._phase = "approach"
        if self._phase == "approach" and (
            lateral > 3 * ALIGNED_LATERAL_M or np.linalg.norm(att) > 3 * ALIGNED_ANGLE_RAD
        ):
            self._phase = "align"
        target_x = STANDOFF_M if self._phase == "align" else -TARGET_DEPTH_M
        error = p - np.array([target_x, 0.0, 0.0])
        v = v_ball + POSITION_GAIN_PER_S * error
        cap = APPROACH_SPEED_M_S if p[0] > 0.3 else FINAL_SPEED_M_S
        speed = float(np.linalg.norm(v - v_ball))
        if speed > cap:
            v = v_ball + (v - v_ball) * (cap / speed)
        w = w_vehicle + ATTITUDE_GAIN_PER_S * att

        m = t.metrics
        if (
            self._phase == "approach"
            and abs(m.axial_depth_m - TARGET_DEPTH_M) < TRIGGER_DEPTH_TOLERANCE_M
            and m.lateral_offset_m < 0.02
            and m.pitch_yaw_misalignment_deg < 2.0
            and m.roll_misalignment_deg < 2.0
            and m.relative_speed_m_s < TRIGGER_SPEED_M_S
            and m.relative_rate_deg_s < TRIGGER_RATE_DEG_S
        ):
            self._press(Button.CAPTURE, CAPTURE_HOLD_TICKS)
            return (0.0, 0.0, 0.0), (0.0, 0.0, 0.0)

        return self._to_controllers(t, v, w)
