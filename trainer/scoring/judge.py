"""The outcome judge: decides when and how a session ends, and gathers the facts the
report is built from (docs/DESIGN.md §6), as the session runs. Pure: no pybullet.

It is told what happens (the session's events, each tick's telemetry, the trigger's
metrics, an ABORT's closing speed) and keeps:

- the trigger: its time, metrics and envelope judgement, judged once when it is pulled
  (the capture mechanism asks ``judge_trigger`` for the tier; the report reuses the same
  judgement for its reasons and deductions);
- misses, the capture time, the ABORT (when, how fast the vehicle was closing, whether it
  was the right call), the peak closing speed in free drift;
- the running score metrics (``ScoreAccumulator``);
- the outcome and its reason.

``check_end`` applies the end rules each tick; ``facts`` hands ``SessionFacts`` to the
report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trainer.scenario.model import Scenario
from trainer.scoring.accumulate import ScoreAccumulator
from trainer.scoring.envelope import EnvelopeJudgement, judge
from trainer.scoring.report import SessionFacts, TriggerFacts
from trainer.sim.capture_state import CaptureState
from trainer.sim.metrics import CaptureMetrics
from trainer.telemetry import Telemetry

# A session with no hard time limit (the easy and drill scenarios) still ends (E: ten
# minutes is longer than any capture flown; the trainee can always start again).
SESSION_CAP_S = 600.0
# After an ABORT the session ends once the retreat shows (E: 5 s of thrusting).
ABORT_WATCH_S = 5.0


class OutcomeJudge:
    """See the module docstring."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.score = ScoreAccumulator(scenario)
        self.free_drift_start_s: float | None = None
        self.trigger: TriggerFacts | None = None
        self.misses = 0
        self.captured_at_s: float | None = None
        self.aborted_at_s: float | None = None
        self.closing_speed_at_abort_m_s: float | None = None
        self.abort_correct: bool | None = None
        self.peak_closing_speed_m_s = 0.0
        self.outcome: str | None = None
        self.outcome_reason: str | None = None

    # ------------------------------------------------------------------ what happens
    def judge_trigger(self, time_s: float, metrics: CaptureMetrics) -> EnvelopeJudgement:
        """The trigger is pulled: judge the metrics against the scenario's envelope."""
        judgement = judge(metrics, self.scenario.envelope)
        self.trigger = TriggerFacts(time_s, metrics, judgement)
        return judgement

    def judge_abort(
        self, time_s: float, closing_speed_m_s: float, answers_cue: bool = False
    ) -> bool:
        """ABORT is commanded: returns whether it was the right call (the scenario expects
        it, the vehicle closes faster than the abort limit, or it answers a retreat cue)."""
        abort = self.scenario.abort
        self.aborted_at_s = time_s
        self.closing_speed_at_abort_m_s = closing_speed_m_s
        self.abort_correct = (
            abort.expected or closing_speed_m_s > abort.closing_speed_limit_m_s or answers_cue
        )
        return self.abort_correct

    def on_free_drift(self, time_s: float) -> None:
        self.free_drift_start_s = time_s

    def on_miss(self) -> None:
        self.misses += 1

    def on_snare_closed(self, time_s: float) -> bool:
        """The snares closed; True the first time (the capture)."""
        if self.captured_at_s is not None:
            return False
        self.captured_at_s = time_s
        return True

    def on_contact(self, time_s: float, bodies: str, speed_m_s: float) -> None:
        self.score.contact(time_s, bodies, speed_m_s)

    def on_tick(self, t: Telemetry) -> None:
        self.score.add(t)
        if t.free_drift_elapsed_s is not None and self.aborted_at_s is None:
            self.peak_closing_speed_m_s = max(self.peak_closing_speed_m_s, t.closing_speed_m_s)

    # ------------------------------------------------------------------ the end
    @property
    def failed_outcome(self) -> str:
        """The outcome of an attempt that ends without capture or abort."""
        return "missed" if self.misses else "timeout"

    def check_end(self, t: Telemetry) -> tuple[str, str] | None:
        """The outcome and reason if the session ends with this tick, else None."""
        if t.capture_state is CaptureState.RIGID:
            return "captured", "rigidized"
        if self.aborted_at_s is not None and t.time_s - self.aborted_at_s >= ABORT_WATCH_S:
            return "aborted", "ABORT commanded"
        if t.capture_state.holding or self.aborted_at_s is not None:
            return None
        limits = self.scenario.time_limits
        elapsed = t.free_drift_elapsed_s
        drift = t.drift_from_start_m
        if (
            elapsed is not None
            and limits.hard_limit_s is not None
            and elapsed >= limits.hard_limit_s
        ):
            return self.failed_outcome, (
                f"no capture within the hard limit of {limits.hard_limit_s:.0f} s of free drift; "
                f"the fixture drifted {drift:.2f} m from its free-drift position"
            )
        if limits.drift_sphere_radius_m is not None and drift > limits.drift_sphere_radius_m:
            return self.failed_outcome, (
                f"the fixture drifted {drift:.2f} m from its free-drift position, "
                f"beyond the {limits.drift_sphere_radius_m:.1f} m capture sphere"
            )
        if t.time_s >= SESSION_CAP_S:
            return self.failed_outcome, (
                f"session time cap of {SESSION_CAP_S:.0f} s reached "
                f"(the fixture drifted {drift:.2f} m)"
            )
        return None

    def finish(self, outcome: str, reason: str) -> bool:
        """Set the outcome; False (and nothing changes) if it was already decided."""
        if self.outcome is not None:
            return False
        self.outcome = outcome
        self.outcome_reason = reason
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
        """What the report is built from; the session must have ended."""
        if self.outcome is None or self.outcome_reason is None:
            raise RuntimeError("the session has not ended: stop it before grading")
        return SessionFacts(
            scenario=self.scenario,
            seed=seed,
            pilot=pilot,
            outcome=self.outcome,
            outcome_reason=self.outcome_reason,
            free_drift_start_s=self.free_drift_start_s,
            trigger=self.trigger,
            misses=self.misses,
            captured_at_s=self.captured_at_s,
            aborted_at_s=self.aborted_at_s,
            abort_correct=self.abort_correct,
            closing_speed_at_abort_m_s=self.closing_speed_at_abort_m_s,
            peak_closing_speed_m_s=self.peak_closing_speed_m_s,
            end_time_s=end_time_s,
            accumulator=self.score,
            recording=recording,
            events=list(events),
        )
