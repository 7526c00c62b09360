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

The procedure's steps, MCC's and the CBM operator's calls and the mechanism's commands
are trainer/tasks/berthing_steps.py's; every number (positions, tolerances, timings) is
docs/REFERENCE.md §10's with its tag.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from trainer.input.state import Button, ButtonEdges, TickInput
from trainer.scoring.accumulate import ScoreAccumulator
from trainer.scoring.report import SessionFacts
from trainer.sim.cbm import BerthingMechanism
from trainer.sim.cbm_state import BerthingStatus
from trainer.tasks.base import Task, TaskHost
from trainer.tasks.berthing_log import BerthingLog
from trainer.tasks.berthing_steps import BACK_OUT_M, BerthingProcedure, metrics_of
from trainer.tasks.ground_link import GroundLink
from trainer.telemetry import Telemetry

__all__ = ["BerthingTask", "metrics_of"]
# A latch stall's default point (E): past the middle of its travel, the vehicle drawn in.
DEFAULT_STALL_FRACTION = 0.6
GUIDE_LINKS = "station/cbm_"  # contacts with the ACBM's ring and guides


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
        self.steps = BerthingProcedure(host, spec, self.log, self.mechanism)
        self.link: GroundLink | None = None
        self.started_s: float | None = None
        self._delayed_edges = ButtonEdges()  # of the stream that lands (the ground's)

    # ------------------------------------------------------------------ the episode
    def start(self) -> None:
        host = self.host
        host.capture_events(host.capture.hold_rigid(host.time_s))
        self.begin()

    def begin(self) -> None:
        """The berthing starts now, Dragon rigidized on the LEE."""
        host = self.host
        self.started_s = host.time_s
        self.steps.begin(host.time_s)
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

    def on_timeline(self, kind: str, params: Mapping[str, Any]) -> None:
        if kind == "rtl_fault":
            switch = int(params["switch"])
            self.steps.failed_rtl = switch - 1
            self.log.faults.append(f"RTL indicator {switch} failed (never makes)")
            self.host.event("fault", fault="rtl_fault", switch=switch)
        elif kind == "latch_stall":
            latch = int(params["latch"])
            fraction = float(params.get("fraction", DEFAULT_STALL_FRACTION))
            self.steps.stall = (latch - 1, fraction)
            self.log.faults.append(f"capture latch {latch} stalls at {fraction:.0%} of its travel")
            self.host.event("fault", fault="latch_stall", latch=latch, fraction=fraction)
        else:
            super().on_timeline(kind, params)
        call = params.get("call")
        if call:
            self.host.say(str(call))

    # ------------------------------------------------------------------ the link
    def uplink(self, tick_input: TickInput) -> TickInput:
        link = self.link
        if link is None:
            return tick_input
        # The ground's buttons act when they land, as its sticks do: the edges of the
        # delayed stream (the arm's controller and this task see the same TickInput).
        return self._delayed_edges.next(link.uplink(tick_input.state))

    def downlink(self, telemetry: Telemetry) -> Telemetry:
        return telemetry if self.link is None else self.link.downlink(telemetry)

    def on_buttons(self, pressed: frozenset[Button]) -> None:
        if Button.RELEASE in pressed:
            self.steps.release()
        if Button.ABORT in pressed:
            self.steps.abort(cause="commanded")

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
            rtl_made=self.steps.lit,
            latches=self.steps.latches(),
            bolts_driven=self.steps.bolts,
            arm_limp=self.steps.limp,
            round_trip_s=self.spec.round_trip_s,
        )

    def on_tick(self, telemetry: Telemetry) -> None:
        self.score.add(telemetry)

    def after_step(self, telemetry: Telemetry) -> None:
        if self.started_s is not None:
            self.steps.update(telemetry)

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

    def facts(
        self,
        *,
        seed: int,
        pilot: str,
        end_time_s: float,
        recording: str | None,
        events: Sequence[dict[str, Any]],
    ) -> SessionFacts:
        if self._outcome is None or self._outcome_reason is None:
            raise RuntimeError("the session has not ended: stop it before grading")
        abort = self.log.abort
        self.log.contacts = len(self.score.contacts)
        self.log.reversals = self.score.reversals
        return SessionFacts(
            scenario=self.host.scenario,
            seed=seed,
            pilot=pilot,
            outcome=self._outcome,
            outcome_reason=self._outcome_reason,
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
