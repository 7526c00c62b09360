"""The capture: fly the LEE onto a free-drifting (or fixed) vehicle's grapple fixture and
pull the trigger inside the envelope (docs/REFERENCE.md §3, §4; docs/DESIGN.md §11).

| what                   | how                                                            |
|------------------------|----------------------------------------------------------------|
| episode                | Dragon keeps station until free drift (the procedure, trainer/tasks/procedure.py); with no free drift scheduled the clock runs from the start |
| timeline               | ``go_for_capture`` (MCC's GO), ``free_drift`` (MCC's call: thrusters off, the clock and the drift sphere start) |
| buttons                | CAPTURE (the trigger: the envelope decides), RELEASE, ABORT (judged: the right call or not), HOLD, RETREAT and FREE DRIFT (flown by Dragon after its response time) |
| end                    | rigidized (captured), ABORT watched 5 s (aborted), RETREAT flown and watched 5 s (retreated), the hard time limit or the drift sphere (missed or timeout): trainer.scoring.judge |
| report                 | the judge's facts and the ``procedure`` block                 |
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from trainer.clock import CONTROL_TICK_S
from trainer.input.state import Button
from trainer.scoring.judge import OutcomeJudge
from trainer.scoring.report import SessionFacts
from trainer.sim.capture import CaptureEvent
from trainer.sim.metrics import CaptureMetrics
from trainer.tasks.base import Task, TaskHost
from trainer.tasks.procedure import Procedure
from trainer.telemetry import Telemetry

# After Dragon's response to RETREAT the session ends once the retreat shows (E: 5 s, as
# an ABORT's watch in trainer/scoring/judge.py).
RETREAT_WATCH_S = 5.0
VEHICLE_COMMANDS = (Button.HOLD, Button.RETREAT, Button.FREE_DRIFT)


class CaptureTask(Task):
    """See the module docstring."""

    name: ClassVar[str] = "capture"
    EVENT_KINDS: ClassVar[frozenset[str]] = frozenset({"go_for_capture", "free_drift"})

    def __init__(self, host: TaskHost) -> None:
        super().__init__(host)
        self.judge = OutcomeJudge(host.scenario)
        self._drift_origin: tuple[float, ...] | None = None
        # Dragon's station-keeping, the free-drift command and gate, vehicle commands, cues.
        self.procedure = Procedure(
            host.scenario, host.world, CONTROL_TICK_S, host.event, host.say, self._on_free_drift
        )

    def start(self) -> None:
        if not self.procedure.flown:
            # No free drift scheduled (a fixed target, a drift from t = 0): the clock runs now.
            self._on_free_drift()

    # ------------------------------------------------------------------ the episode
    def _on_free_drift(self) -> None:
        """Free drift is confirmed: the capture clock and the drift sphere start now."""
        self.judge.on_free_drift(self.host.time_s)
        self._drift_origin = tuple(float(v) for v in self.host.world.shaft_tip().position_m)

    @property
    def free_drift_start_s(self) -> float | None:
        return self.judge.free_drift_start_s

    @property
    def drift_origin_m(self) -> tuple[float, ...] | None:
        return self._drift_origin

    def on_timeline(self, kind: str, params: Mapping[str, Any]) -> None:
        host = self.host
        if kind == "free_drift":
            self.procedure.timeline_free_drift(host.time_s)
            host.event("free_drift_start")
            host.say(str(params.get("call", "Dragon is in free drift.")))
        elif kind == "go_for_capture":
            host.event("go_for_capture")
            host.say(str(params.get("call", "Station, Houston: you are GO for capture.")))
        elif kind in self.EVENT_KINDS:
            self.procedure.timeline(host.time_s, kind, params)
        else:
            super().on_timeline(kind, params)

    # ------------------------------------------------------------------ the workstation
    def on_buttons(self, pressed: frozenset[Button]) -> None:
        host = self.host
        if Button.CAPTURE in pressed:
            self.trigger()
        if Button.RELEASE in pressed:
            host.capture_events(host.capture.release(host.time_s))
        if Button.ABORT in pressed and self.judge.aborted_at_s is None:
            self._abort()
        for button in VEHICLE_COMMANDS:
            if button in pressed:
                # Flown by Dragon after its response time (trainer/tasks/procedure.py).
                self.procedure.command(host.time_s, button.value, host.capture.holding)

    def trigger(self) -> None:
        """The RHC trigger: the snares close (the envelope decides what they catch)."""
        self.host.capture_events(self.host.capture.trigger(self.host.time_s))

    def _abort(self) -> None:
        host = self.host
        if host.capture.holding:
            host.event("vehicle_command", command="abort", effect="refused: vehicle is captured")
            host.say("ABORT refused: Dragon is held by the arm; release first.")
            return
        closing = float(host.world.vehicle_state().velocity_m_s[2])
        correct = self.judge.judge_abort(
            host.time_s, closing, answers_cue=self.procedure.cue_pending
        )
        self.procedure.command(host.time_s, "abort", captured=False)
        limit = host.scenario.abort.closing_speed_limit_m_s
        host.event("abort", closing_speed_m_s=closing, limit_m_s=limit, correct=correct)
        host.say("ABORT: Dragon is departing.")

    # ------------------------------------------------------------------ the snares
    def judge_trigger(self, metrics: CaptureMetrics) -> str:
        return self.judge.judge_trigger(self.host.time_s, metrics).tier

    def on_capture_event(self, event: CaptureEvent) -> None:
        if event.kind == "miss":
            self.judge.on_miss()
        elif event.kind == "snare_closed" and self.judge.on_snare_closed(self.host.time_s):
            self.host.say("Houston, Station: capture is complete.")

    def on_contact(self, bodies: str, speed_m_s: float) -> None:
        self.judge.on_contact(self.host.time_s, bodies, speed_m_s)

    # ------------------------------------------------------------------ each tick
    def after_step(self, telemetry: Telemetry) -> None:
        # Dragon decides its thrust for the next tick; the gate and cues are checked.
        self.procedure.after_step(telemetry.time_s, telemetry.range_m)

    def on_tick(self, telemetry: Telemetry) -> None:
        self.judge.on_tick(telemetry)

    def check_end(self, telemetry: Telemetry) -> tuple[str, str] | None:
        t = telemetry
        procedure = self.procedure
        holding = self.host.capture.holding
        if (
            procedure.retreat_flown_s is not None
            and not holding
            and t.time_s - procedure.retreat_flown_s >= RETREAT_WATCH_S
        ):
            return "retreated", "RETREAT commanded: Dragon backed away to a hold point"
        if not holding and self.judge.aborted_at_s is None:
            end = self.free_flight_end(t)
            if end is not None:
                return end
        return self.judge.check_end(t)

    def free_flight_end(self, telemetry: Telemetry) -> tuple[str, str] | None:
        """A subclass's own end rules while nothing is held and no ABORT is flown."""
        return None

    # ------------------------------------------------------------------ the end
    @property
    def outcome(self) -> str | None:
        return self.judge.outcome

    @property
    def outcome_reason(self) -> str | None:
        return self.judge.outcome_reason

    def finish(self, outcome: str, reason: str) -> bool:
        return self.judge.finish(outcome, reason)

    def report_blocks(self) -> dict[str, Any]:
        """The task's own blocks of the report (docs/DESIGN.md §6)."""
        return {"procedure": self.procedure.to_dict(), "drill": None}

    def facts(
        self,
        *,
        seed: int,
        pilot: str,
        end_time_s: float,
        recording: str | None,
        events: Sequence[dict[str, Any]],
    ) -> SessionFacts:
        facts = self.judge.facts(
            seed=seed, pilot=pilot, end_time_s=end_time_s, recording=recording, events=events
        )
        blocks = self.report_blocks()
        return dataclasses.replace(facts, procedure=blocks["procedure"], drill=blocks["drill"])
