"""The berthing's procedure, step by step (docs/REFERENCE.md §10.3): what MCC, the CBM
operator and the mechanism do as Dragon moves, and the calls the crew hears. The task
(trainer/tasks/berthing.py) hands it each tick's snapshot and the buttons that land, and
ends the episode from the step it has reached.

| step             | moves on when                                                   |
|------------------|-----------------------------------------------------------------|
| to_setup         | Dragon held 3 s at pre-install setup (3.5 m, aligned)           |
| survey           | the camcorder survey's 10 s are over                            |
| to_pre_install   | Dragon held 3 s at pre-install (1.5 m, aligned)                 |
| cbcs_check       | 5 s: MCC's GO for final approach                                 |
| final_approach   | all four RTLs make (or three and a failed one, 10 s, the CBCS confirming) inside the envelope: first stage, the arm limp |
| first_stage      | the latches' 20 s draw (a stalled latch: the latches open, back_out) |
| second_stage     | the 16 bolts, 4 s each                                          |
| brakes           | the arm's brakes on, then 5 s to MCC's GO for release           |
| release          | RELEASE: berthed                                                 |
| back_out         | (an abort) Dragon back near pre-install: aborted                 |
"""

from __future__ import annotations

from collections.abc import Sequence

from trainer.scenario.model import BerthingSpec
from trainer.sim import cbm_geometry as geo
from trainer.sim.cbm import BerthingMechanism
from trainer.sim.cbm_metrics import BerthingMetrics, berthing_metrics, rtl_indicators
from trainer.tasks.base import TaskHost
from trainer.tasks.berthing_log import (
    OUTSIDE,
    RTL_QUANTITIES,
    BerthingLog,
    judged_value,
    rtl_tier,
    tier_of,
)
from trainer.telemetry import Telemetry

# docs/REFERENCE.md §10 (E unless tagged): a position is reached when held this long within
# these tolerances (separation, lateral, angles, speeds).
HOLD_S = 3.0
SETUP_TOLERANCE = (0.25, 0.25, 3.0, 0.01)  # m, m, deg, m/s
PRE_INSTALL_TOLERANCE = (0.15, 0.10, 2.0, 0.01)
SURVEY_S = 10.0  # the camcorder survey at pre-install setup, compressed
CBCS_CHECK_S = 5.0  # the CBCS target checked at pre-install before MCC's GO
RTL_OVERRIDE_S = 10.0  # three RTLs and a good CBCS view this long: first stage on three
FIRST_STAGE_S = 20.0  # the four latches' draw
BOLT_S = 4.0  # each of the 16 bolts in turn: 64 s of second stage
STALL_DETECT_S = 2.0  # after first stage should have ended, the CBM operator calls a stall
GO_DELAY_S = 5.0  # brakes on to MCC's GO for release
BACK_OUT_M = geo.PRE_INSTALL_M - 0.2  # an abort is complete once back near pre-install


def _near(m: BerthingMetrics, target_m: float, tol: tuple[float, float, float, float]) -> bool:
    sep_tol, lateral, angle, speed = tol
    return (
        abs(m.separation_m - target_m) <= sep_tol
        and m.lateral_offset_m <= lateral
        and m.tilt_deg <= angle
        and abs(m.roll_deg) <= angle
        and abs(m.axial_speed_m_s) <= speed
        and m.lateral_speed_m_s <= speed
    )


def metrics_of(t: Telemetry) -> BerthingMetrics:
    return berthing_metrics(
        t.vehicle_position_world_m,
        t.vehicle_orientation_world_xyzw,
        t.vehicle_velocity_world_m_s,
        t.vehicle_angular_velocity_world_rad_s,
    )


class BerthingProcedure:
    """The steps of one berthing (module docstring); its ``log`` is the report's block."""

    def __init__(
        self, host: TaskHost, spec: BerthingSpec, log: BerthingLog, mechanism: BerthingMechanism
    ) -> None:
        self.host = host
        self.spec = spec
        self.log = log
        self.mechanism = mechanism
        self.failed_rtl: int | None = None  # an RTL indicator that never makes (0-3)
        self.stall: tuple[int, float] | None = None  # a latch that stalls, where
        self._phase_since = 0.0
        self._hold_since: float | None = None
        self._lit: tuple[bool, bool, bool, bool] = (False, False, False, False)
        self._rtl_armed = True
        self._three_since: float | None = None
        self._stage_start = 0.0
        self._bolts = 0
        self._limp = False
        self._stall_called = False
        self._cbcs_lost = False

    @property
    def phase(self) -> str:
        return self.log.phase

    @property
    def lit(self) -> tuple[bool, bool, bool, bool]:
        return self._lit

    @property
    def bolts(self) -> int:
        return self._bolts

    @property
    def limp(self) -> bool:
        return self._limp

    def begin(self, now_s: float) -> None:
        self._phase_since = now_s

    def to(self, phase: str) -> None:
        self.log.phase = phase
        self._phase_since = self.host.time_s
        self._hold_since = None
        self.host.event("berthing_phase", phase=phase)

    def release(self) -> None:
        host = self.host
        now = host.time_s
        if self.phase == "release":
            host.capture_events(host.capture.release(now))
            self.log.released_s = now
            self.to("berthed")
            host.say("Houston, Station: LEE released. Dragon is berthed to Harmony nadir.")
            return
        host.event("vehicle_command", command="release", effect="refused: no GO for release")
        host.say("LEE release refused: MCC has not given the GO for release.")
        if self.log.violation(now, "release_without_go", "RELEASE commanded before MCC's GO"):
            host.event("procedure_violation", rule="release_without_go")

    def abort(self, cause: str) -> None:
        host = self.host
        now = host.time_s
        if self.phase not in ("final_approach", "first_stage"):
            host.event("vehicle_command", command="abort", effect=f"refused in {self.phase}")
            return
        faulted = self._stall_called or self.failed_rtl is not None or self._cbcs_lost
        correct = cause != "commanded" or faulted
        self.mechanism.release()
        self.set_limp(False)
        self.log.abort = {"time_s": now, "cause": cause, "correct": correct}
        host.event("berthing_abort", cause=cause, correct=correct)
        host.say("Berthing aborted: latches open. Back Dragon out to pre-install.")
        self.to("back_out")

    def set_limp(self, limp: bool) -> None:
        self._limp = limp
        self.host.world.set_arm_limp(limp)

    def latches(self) -> tuple[float, float, float, float]:
        if self.log.first_stage_s is None:
            return (0.0, 0.0, 0.0, 0.0)
        if self.log.first_stage_complete_s is not None:
            return (1.0, 1.0, 1.0, 1.0)
        if self.phase == "back_out":
            return (0.0, 0.0, 0.0, 0.0)
        s = min(1.0, (self.host.time_s - self._stage_start) / FIRST_STAGE_S)
        out = [s, s, s, s]
        if self.stall is not None:
            out[self.stall[0]] = min(s, self.stall[1])
        return (out[0], out[1], out[2], out[3])

    def update(self, telemetry: Telemetry) -> None:
        """One tick after the physics: the indicators, the guides, the step of the moment."""
        t = telemetry
        now = t.time_s
        m = metrics_of(t)
        raw = rtl_indicators(t.vehicle_position_world_m, t.vehicle_orientation_world_xyzw)
        lit = tuple(made and i != self.failed_rtl for i, made in enumerate(raw))
        for i, (was, now_lit) in enumerate(zip(self._lit, lit, strict=True)):
            if now_lit and not was:
                self.host.event("rtl_made", switch=i + 1)
        self._lit = (lit[0], lit[1], lit[2], lit[3])
        self._cbcs_lost = "cbcs" in t.cameras_lost
        self._watch_guides(now, m, t)
        step = getattr(self, f"_step_{self.phase}", None)
        if step is not None:
            step(now, m, raw)

    def _watch_guides(self, now: float, m: BerthingMetrics, t: Telemetry) -> None:
        """Into the guides only after MCC's GO and with the CBCS video up (procedure)."""
        if m.separation_m >= geo.GUIDE_HEIGHT_M or self.phase in ("back_out", "berthed"):
            return
        broken: list[tuple[str, str]] = []
        if self.log.go_for_final_s is None:
            broken.append(
                ("guides_before_go", "Dragon entered the alignment guides before MCC's GO")
            )
        if "cbcs" in t.cameras_lost and self.phase == "final_approach":
            broken.append(
                ("guides_without_cbcs", "Dragon was driven into the guides with the CBCS lost")
            )
        for rule, detail in broken:
            if self.log.violation(now, rule, detail):
                self.host.event("procedure_violation", rule=rule, separation_m=m.separation_m)

    def _held(self, now: float, ok: bool) -> bool:
        if not ok:
            self._hold_since = None
            return False
        if self._hold_since is None:
            self._hold_since = now
        return now - self._hold_since >= HOLD_S - 1e-9

    def _step_to_setup(self, now: float, m: BerthingMetrics, raw: Sequence[bool]) -> None:
        if self._held(now, _near(m, geo.PRE_INSTALL_SETUP_M, SETUP_TOLERANCE)):
            self.log.pre_install_setup_s = now
            self.to("survey")
            self.host.say("Pre-install setup. Camcorder survey of the CBM through the hatch "
                          "window: hold Dragon still.")  # fmt: skip

    def _step_survey(self, now: float, m: BerthingMetrics, raw: Sequence[bool]) -> None:
        if now - self._phase_since >= SURVEY_S - 1e-9:
            self.to("to_pre_install")
            self.host.say("Survey complete, the CBM is clear. Go to pre-install.")

    def _step_to_pre_install(self, now: float, m: BerthingMetrics, raw: Sequence[bool]) -> None:
        if self._held(now, _near(m, geo.PRE_INSTALL_M, PRE_INSTALL_TOLERANCE)):
            self.log.pre_install_s = now
            self.to("cbcs_check")
            self.host.say("Pre-install. The CBCS is up; checking the target.")

    def _step_cbcs_check(self, now: float, m: BerthingMetrics, raw: Sequence[bool]) -> None:
        if now - self._phase_since >= CBCS_CHECK_S - 1e-9:
            self.log.go_for_final_s = now
            self.to("final_approach")
            self.host.say("Station, Houston: GO for final approach. Drive in until all four "
                          "ready-to-latch indicators make.")  # fmt: skip

    def _step_final_approach(self, now: float, m: BerthingMetrics, raw: Sequence[bool]) -> None:
        lit = self._lit
        if not self._rtl_armed:
            if not any(raw):  # backed off: the indicators are all out again
                self._rtl_armed = True
                self.host.say("RTLs clear. Re-approach when ready.")
            return
        if all(lit):
            self._judge_rtl(now, m, on_three=False)
            return
        failed = self.failed_rtl
        if failed is not None and lit.count(True) == 3 and raw[failed]:
            if self._three_since is None:
                self._three_since = now
                self.host.say(
                    f"Three RTLs; RTL {failed + 1} has not made. Hold; checking the CBCS."
                )
            elif now - self._three_since >= RTL_OVERRIDE_S - 1e-9:
                self._judge_rtl(now, m, on_three=True)
        else:
            self._three_since = None

    def _judge_rtl(self, now: float, m: BerthingMetrics, on_three: bool) -> None:
        envelope = self.spec.envelope
        tier = rtl_tier(m, envelope)
        quantities = {
            name: {
                "value": judged_value(m, name),
                "tier": tier_of(judged_value(m, name), getattr(envelope, name)),
            }
            for name, _label, _unit, _fmt in RTL_QUANTITIES
        }
        self.log.rtl = {
            "time_s": now,
            **m.to_dict(),
            "tier": tier,
            "quantities": quantities,
            "indicators": list(self._lit),
            "on_three_rtls": on_three,
        }
        self.host.event("rtl", tier=tier, on_three_rtls=on_three, **m.to_dict())
        self._three_since = None
        if tier == OUTSIDE:
            self.log.rtl_rejections += 1
            self._rtl_armed = False
            bad = [label for name, label, _u, _f in RTL_QUANTITIES
                   if quantities[name]["tier"] == OUTSIDE]  # fmt: skip
            self.host.say(f"RTL outside the capture envelope ({', '.join(bad)}): no latches. "
                          "Back off and re-approach.")  # fmt: skip
            return
        stall = self.stall
        self.mechanism.first_stage(now, FIRST_STAGE_S, None if stall is None else stall[1])
        self.set_limp(True)
        self.log.first_stage_s = now
        self._stage_start = now
        self.to("first_stage")
        reason = "Three RTLs and the CBCS alignment" if on_three else "Four RTLs"
        self.host.say(f"{reason}: capture latches closing. SSRMS is limp.")

    def _step_first_stage(self, now: float, m: BerthingMetrics, raw: Sequence[bool]) -> None:
        elapsed = now - self._stage_start
        if self.stall is not None:
            if elapsed >= FIRST_STAGE_S + STALL_DETECT_S - 1e-9 and not self._stall_called:
                self._stall_called = True
                latch = self.stall[0] + 1
                self.host.say(f"Capture latch {latch} has stalled: first stage failed.")
                self.abort(cause=f"capture latch {latch} stalled")
            return
        if elapsed >= FIRST_STAGE_S - 1e-9:
            self.log.first_stage_complete_s = now
            self.mechanism.second_stage(now, geo.BOLT_COUNT * BOLT_S)
            self._stage_start = now
            self.to("second_stage")
            self.host.say("First stage capture complete. Driving the 16 bolts.")

    def _step_second_stage(self, now: float, m: BerthingMetrics, raw: Sequence[bool]) -> None:
        driven = min(geo.BOLT_COUNT, int((now - self._stage_start + 1e-9) // BOLT_S))
        while self._bolts < driven:
            self._bolts += 1
            self.host.event("bolt_driven", bolt=self._bolts)
        if driven >= geo.BOLT_COUNT:
            self.log.second_stage_complete_s = now
            self.to("brakes")
            self.host.say("Second stage capture complete: all 16 bolts. SSRMS: brakes on.")

    def _step_brakes(self, now: float, m: BerthingMetrics, raw: Sequence[bool]) -> None:
        if self.log.brakes_on_s is None:
            if all(self._brakes_engaged()):
                self.log.brakes_on_s = now
                self.host.say("Brakes on. Stand by for the GO for LEE release.")
            return
        if now - self.log.brakes_on_s >= GO_DELAY_S - 1e-9:
            self.log.go_for_release_s = now
            self.to("release")
            self.host.say("Station, Houston: you are GO for LEE release.")

    def _brakes_engaged(self) -> tuple[bool, ...]:
        return self.host.world.brakes_engaged()
