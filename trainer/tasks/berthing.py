"""Berthing: with Dragon rigidized on the LEE, move it to Harmony's nadir port and hold it
while the Common Berthing Mechanism draws it in (docs/REFERENCE.md §10; docs/DESIGN.md §11:
the task ``berthing``).

| what      | how                                                                    |
|-----------|------------------------------------------------------------------------|
| episode   | Dragon rigidized on the LEE at the capture point (a session of its own), or handed over by the capture (trainer/tasks/capture_and_berth.py) |
| procedure | pre-install setup (3.5 m out, held; the camcorder survey), pre-install (1.5 m, held; the CBCS check, then MCC's GO for final approach), the final approach into the guides until all four RTL indicators make, first stage (four latches draw Dragon in, the arm limp), second stage (16 bolts), brakes on, MCC's GO, LEE release |
| timeline  | ``rtl_fault`` (an indicator that never makes: the CBM operator proceeds on three once the CBCS confirms the alignment), ``latch_stall`` (first stage fails: the latches reopen and Dragon must be backed out) |
| buttons   | RELEASE (after MCC's GO only), ABORT (stop the berthing and back out); through the ground link's delay when flown from Houston |
| end       | berthed (released after second stage), aborted (backed out to pre-install after an abort), timeout (the hard limit); collisions, faults and interruptions are the session's |
| report    | the ``berthing`` block (trainer/tasks/berthing_log.py), graded by trainer/scoring/berthing.py |

Every number (positions, tolerances, timings) is docs/REFERENCE.md §10's with its tag.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from trainer.input.state import Button, HandControllerState
from trainer.scoring.accumulate import ScoreAccumulator
from trainer.scoring.report import SessionFacts
from trainer.sim import cbm_geometry as geo
from trainer.sim.cbm import BerthingMechanism
from trainer.sim.cbm_metrics import BerthingMetrics, berthing_metrics, rtl_indicators
from trainer.sim.cbm_state import BerthingStatus
from trainer.tasks.base import Task, TaskHost
from trainer.tasks.berthing_log import (
    OUTSIDE,
    RTL_QUANTITIES,
    BerthingLog,
    judged_value,
    rtl_tier,
    tier_of,
)
from trainer.tasks.ground_link import GroundLink
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
DEFAULT_STALL_FRACTION = 0.6
GUIDE_LINKS = "station/cbm_"  # contacts with the ACBM's ring and guides


def _near(m: BerthingMetrics, target_m: float, tol: tuple[float, float, float, float]) -> bool:
    sep_tol, lateral, angle, speed = tol
    return (
        abs(m.separation_m - target_m) <= sep_tol
        and m.lateral_offset_m <= lateral
        and m.tilt_deg <= angle
        and abs(m.roll_deg) <= angle
        and abs(m.closing_speed_m_s) <= speed
        and m.lateral_speed_m_s <= speed
    )


def metrics_of(t: Telemetry) -> BerthingMetrics:
    return berthing_metrics(
        t.vehicle_position_world_m,
        t.vehicle_orientation_world_xyzw,
        t.vehicle_velocity_world_m_s,
        t.vehicle_angular_velocity_world_rad_s,
    )


class BerthingTask(Task):
    """See the module docstring."""

    name: ClassVar[str] = "berthing"
    EVENT_KINDS: ClassVar[frozenset[str]] = frozenset({"rtl_fault", "latch_stall"})

    def __init__(self, host: TaskHost) -> None:
        super().__init__(host)
        spec = host.scenario.berthing
        if spec is None:
            raise ValueError("a berthing task needs the scenario's berthing section")
        self.spec = spec
        self.log = BerthingLog(spec.flown_from, spec.round_trip_s)
        self.score = ScoreAccumulator(host.scenario)
        self.mechanism = BerthingMechanism(host.world)
        self.link: GroundLink | None = None
        self.started_s: float | None = None
        self.failed_rtl: int | None = None
        self.stall: tuple[int, float] | None = None
        self._outcome: str | None = None
        self._reason: str | None = None
        self._phase_since = 0.0
        self._hold_since: float | None = None
        self._lit: tuple[bool, bool, bool, bool] = (False, False, False, False)
        self._rtl_armed = True
        self._three_since: float | None = None
        self._stage_start = 0.0
        self._bolts = 0
        self._limp = False
        self._delayed_buttons: frozenset[Button] = frozenset()
        self._stall_called = False
        self._cbcs_lost = False

    # ------------------------------------------------------------------ the episode
    def start(self) -> None:
        host = self.host
        host.capture_events(host.capture.hold_rigid(host.time_s))
        self.begin()

    def begin(self) -> None:
        """The berthing starts now, Dragon rigidized on the LEE."""
        host = self.host
        self.started_s = host.time_s
        self._phase_since = host.time_s
        if self.spec.flown_from == "ground":
            self.link = GroundLink(self.spec.round_trip_s, host.world.base_rotation_rows)
            host.say(
                f"Station, Houston: ROBO has the arm from the ground, {self.spec.round_trip_s:g} s "
                "round trip. Moving Dragon to pre-install setup."
            )
        else:
            host.say("Station, Houston: Dragon is rigidized. You are GO to berth it to Harmony "
                     "nadir: move it to pre-install setup.")  # fmt: skip
        host.event("berthing_phase", phase="to_setup")

    @property
    def phase(self) -> str:
        return self.log.phase

    def _to(self, phase: str) -> None:
        self.log.phase = phase
        self._phase_since = self.host.time_s
        self._hold_since = None
        self.host.event("berthing_phase", phase=phase)

    def on_timeline(self, kind: str, params: Mapping[str, Any]) -> None:
        if kind == "rtl_fault":
            switch = int(params["switch"])
            self.failed_rtl = switch - 1
            self.log.faults.append(f"RTL indicator {switch} failed (never makes)")
            self.host.event("fault", fault="rtl_fault", switch=switch)
        elif kind == "latch_stall":
            latch = int(params["latch"])
            fraction = float(params.get("fraction", DEFAULT_STALL_FRACTION))
            self.stall = (latch - 1, fraction)
            self.log.faults.append(f"capture latch {latch} stalls at {fraction:.0%} of its travel")
            self.host.event("fault", fault="latch_stall", latch=latch, fraction=fraction)
        else:
            super().on_timeline(kind, params)
        call = params.get("call")
        if call:
            self.host.say(str(call))

    # ------------------------------------------------------------------ the link
    def uplink(self, hc: HandControllerState) -> HandControllerState:
        link = self.link
        if link is None:
            return hc
        landed = link.uplink(hc)
        # The ground's buttons act when they land, as its sticks do.
        self._buttons(landed.buttons - self._delayed_buttons)
        self._delayed_buttons = landed.buttons
        return landed

    def downlink(self, telemetry: Telemetry) -> Telemetry:
        return telemetry if self.link is None else self.link.downlink(telemetry)

    def on_buttons(self, pressed: frozenset[Button]) -> None:
        if self.link is None:
            self._buttons(pressed)

    def _buttons(self, pressed: frozenset[Button]) -> None:
        if Button.RELEASE in pressed:
            self._release()
        if Button.ABORT in pressed:
            self._abort(cause="commanded")

    def _release(self) -> None:
        host = self.host
        now = host.time_s
        if self.phase == "release":
            host.capture_events(host.capture.release(now))
            self.log.released_s = now
            self._to("berthed")
            host.say("Houston, Station: LEE released. Dragon is berthed to Harmony nadir.")
            return
        host.event("vehicle_command", command="release", effect="refused: no GO for release")
        host.say("LEE release refused: MCC has not given the GO for release.")
        if self.log.violation(now, "release_without_go", "RELEASE commanded before MCC's GO"):
            host.event("procedure_violation", rule="release_without_go")

    def _abort(self, cause: str) -> None:
        host = self.host
        now = host.time_s
        if self.phase not in ("final_approach", "first_stage"):
            host.event("vehicle_command", command="abort", effect=f"refused in {self.phase}")
            return
        faulted = self._stall_called or self.failed_rtl is not None or self._cbcs_lost
        correct = cause != "commanded" or faulted
        self.mechanism.release()
        self._set_limp(False)
        self.log.abort = {"time_s": now, "cause": cause, "correct": correct}
        host.event("berthing_abort", cause=cause, correct=correct)
        host.say("Berthing aborted: latches open. Back Dragon out to pre-install.")
        self._to("back_out")

    def _set_limp(self, limp: bool) -> None:
        self._limp = limp
        self.host.world.set_arm_limp(limp)

    # ------------------------------------------------------------------ contacts
    def on_contact(self, bodies: str, speed_m_s: float) -> None:
        self.score.contact(self.host.time_s, bodies, speed_m_s)
        if GUIDE_LINKS in bodies:
            log = self.log
            log.guide_contacts += 1
            log.peak_guide_contact_speed_m_s = max(log.peak_guide_contact_speed_m_s, speed_m_s)

    def on_contact_force(self, bodies: str, force_n: float) -> None:
        if GUIDE_LINKS in bodies:
            self.log.peak_guide_force_n = max(self.log.peak_guide_force_n, force_n)

    # ------------------------------------------------------------------ each tick
    def berthing_status(self) -> BerthingStatus | None:
        if self.started_s is None:
            return None
        return BerthingStatus(
            phase=self.phase,
            rtl_made=self._lit,
            latches=self._latches(),
            bolts_driven=self._bolts,
            arm_limp=self._limp,
            round_trip_s=self.spec.round_trip_s,
        )

    def _latches(self) -> tuple[float, float, float, float]:
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

    def on_tick(self, telemetry: Telemetry) -> None:
        self.score.add(telemetry)

    def after_step(self, telemetry: Telemetry) -> None:
        if self.started_s is None:
            return
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
            self._to("survey")
            self.host.say("Pre-install setup. Camcorder survey of the CBM through the hatch "
                          "window: hold Dragon still.")  # fmt: skip

    def _step_survey(self, now: float, m: BerthingMetrics, raw: Sequence[bool]) -> None:
        if now - self._phase_since >= SURVEY_S - 1e-9:
            self._to("to_pre_install")
            self.host.say("Survey complete, the CBM is clear. Go to pre-install.")

    def _step_to_pre_install(self, now: float, m: BerthingMetrics, raw: Sequence[bool]) -> None:
        if self._held(now, _near(m, geo.PRE_INSTALL_M, PRE_INSTALL_TOLERANCE)):
            self.log.pre_install_s = now
            self._to("cbcs_check")
            self.host.say("Pre-install. The CBCS is up; checking the target.")

    def _step_cbcs_check(self, now: float, m: BerthingMetrics, raw: Sequence[bool]) -> None:
        if now - self._phase_since >= CBCS_CHECK_S - 1e-9:
            self.log.go_for_final_s = now
            self._to("final_approach")
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
        self._set_limp(True)
        self.log.first_stage_s = now
        self._stage_start = now
        self._to("first_stage")
        reason = "Three RTLs and the CBCS alignment" if on_three else "Four RTLs"
        self.host.say(f"{reason}: capture latches closing. SSRMS is limp.")

    def _step_first_stage(self, now: float, m: BerthingMetrics, raw: Sequence[bool]) -> None:
        elapsed = now - self._stage_start
        if self.stall is not None:
            if elapsed >= FIRST_STAGE_S + STALL_DETECT_S - 1e-9 and not self._stall_called:
                self._stall_called = True
                latch = self.stall[0] + 1
                self.host.say(f"Capture latch {latch} has stalled: first stage failed.")
                self._abort(cause=f"capture latch {latch} stalled")
            return
        if elapsed >= FIRST_STAGE_S - 1e-9:
            self.log.first_stage_complete_s = now
            self.mechanism.second_stage(now, geo.BOLT_COUNT * BOLT_S)
            self._stage_start = now
            self._to("second_stage")
            self.host.say("First stage capture complete. Driving the 16 bolts.")

    def _step_second_stage(self, now: float, m: BerthingMetrics, raw: Sequence[bool]) -> None:
        driven = min(geo.BOLT_COUNT, int((now - self._stage_start + 1e-9) // BOLT_S))
        while self._bolts < driven:
            self._bolts += 1
            self.host.event("bolt_driven", bolt=self._bolts)
        if driven >= geo.BOLT_COUNT:
            self.log.second_stage_complete_s = now
            self._to("brakes")
            self.host.say("Second stage capture complete: all 16 bolts. SSRMS: brakes on.")

    def _step_brakes(self, now: float, m: BerthingMetrics, raw: Sequence[bool]) -> None:
        if self.log.brakes_on_s is None:
            if all(self._brakes_engaged()):
                self.log.brakes_on_s = now
                self.host.say("Brakes on. Stand by for the GO for LEE release.")
            return
        if now - self.log.brakes_on_s >= GO_DELAY_S - 1e-9:
            self.log.go_for_release_s = now
            self._to("release")
            self.host.say("Station, Houston: you are GO for LEE release.")

    def _brakes_engaged(self) -> tuple[bool, ...]:
        return self.host.world.brakes_engaged()

    # ------------------------------------------------------------------ the end
    def check_end(self, telemetry: Telemetry) -> tuple[str, str] | None:
        if self.started_s is None:
            return None
        if self.phase == "berthed":
            return "berthed", (
                "Dragon berthed to Harmony nadir: second stage complete, brakes on, "
                "LEE released on MCC's GO"
            )
        if self.phase == "back_out":
            m = metrics_of(telemetry)
            if m.separation_m >= BACK_OUT_M:
                cause = (self.log.abort or {}).get("cause", "commanded")
                return "aborted", (
                    f"berthing aborted ({cause}); Dragon backed out to "
                    f"{m.separation_m:.2f} m from the port"
                )
        limit = self.spec.hard_limit_s
        if telemetry.time_s - self.started_s >= limit:
            return "timeout", (
                f"not berthed within the hard limit of {limit:.0f} s "
                f"(the procedure had reached: {self.phase.replace('_', ' ')})"
            )
        return None

    @property
    def outcome(self) -> str | None:
        return self._outcome

    @property
    def outcome_reason(self) -> str | None:
        return self._reason

    def finish(self, outcome: str, reason: str) -> bool:
        if self._outcome is not None:
            return False
        self._outcome, self._reason = outcome, reason
        return True

    def facts(
        self,
        *,
        seed: int,
        pilot: str,
        end_time_s: float,
        recording: str | None,
        events: Sequence[dict[str, Any]],
    ) -> SessionFacts:
        if self._outcome is None or self._reason is None:
            raise RuntimeError("the session has not ended: stop it before grading")
        abort = self.log.abort
        return SessionFacts(
            scenario=self.host.scenario,
            seed=seed,
            pilot=pilot,
            outcome=self._outcome,
            outcome_reason=self._reason,
            free_drift_start_s=None,
            trigger=None,
            misses=0,
            captured_at_s=None,
            aborted_at_s=None if abort is None else float(abort["time_s"]),
            abort_correct=None if abort is None else bool(abort["correct"]),
            closing_speed_at_abort_m_s=None,
            peak_closing_speed_m_s=0.0,
            end_time_s=end_time_s,
            accumulator=self.score,
            recording=recording,
            events=list(events),
            berthing=self.log.to_dict(),
        )
