"""The environments' reward (docs/ENVIRONMENT.md §4): derived from the capture envelope
and the graded report's score, never from rules of its own.

| part         | when                  | value (score points)                                              |
|--------------|-----------------------|-------------------------------------------------------------------|
| progress     | every step            | Φ(after) − Φ(before), Φ the envelope potential below              |
| deductions   | every step            | −(the growth of the report's running deductions this step)        |
| bonus        | the episode's end     | passed: the report's score total plus the running deductions; else 0 |

**The envelope potential** Φ ≤ 0 weighs how far each quantity of the capture envelope
(docs/DESIGN.md §4) is from its full-credit tier by the scenario's scoring weight of that
quantity: Φ = −Σ w_q · e_q / (1 + e_q), with e_q the envelope judgement's ``excess`` (0
inside full credit, 1 at the allowed limit; trainer/scoring/envelope.py). Before free
drift, Φ is its floor −Σ w_q (the task forbids closing in then, docs/REFERENCE.md §3: the
1.5 m gate); while the snares hold the vehicle, Φ = 0 (its ceiling: a hold is only ever
made inside the allowed tier). The offset-grapple drill judges alignment in front of the
fixture, not depth inside the mouth, so its Φ leaves out the axial quantity. Progress is
potential-based shaping: it sums to Φ(end) − Φ(start) over any episode and changes no
policy's ranking (Ng, Harada and Russell, 1999).

**The running deductions** are the report's own (docs/REFERENCE.md §4.2,
trainer/scoring/report.py): contacts, misses, tip-speed exceedances near the vehicle,
hand-controller reversals and post-capture loads, each as ``build_report`` computes it from
the judge's accumulator so far; at the end, as the final report has it.

So a passing episode returns its report's score plus Φ(end) − Φ(start); a failing one
Φ(end) − Φ(start) minus its deductions. Plain float arithmetic throughout.
"""

from __future__ import annotations

import math
from typing import Any

from trainer.scenario.model import Scenario
from trainer.scoring.envelope import QUANTITIES, judge
from trainer.scoring.judge import OutcomeJudge
from trainer.scoring.report import ENVELOPE_COMPONENTS, SessionFacts, build_report
from trainer.telemetry import Telemetry

# The report's score components that accrue while an episode runs (docs/REFERENCE.md §4.2).
RUNNING_COMPONENTS = ("contacts", "misses", "rate_exceedances", "reversals", "post_capture_loads")
# The task that judges alignment in front of the fixture, not depth (trainer/tasks/drill.py).
ALIGNMENT_ONLY_TASKS = frozenset({"offset-grapple-drill"})


class EnvelopeReward:
    """The reward of one scenario's episodes (module docstring)."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        weights = scenario.scoring_weights
        skip = {"axial_depth_m"} if scenario.task in ALIGNMENT_ONLY_TASKS else set()
        # (index in the judgement's quantities, weight) of each quantity Φ weighs
        self._terms = tuple(
            (i, float(weights.get(ENVELOPE_COMPONENTS[name], 0.0)))
            for i, (name, *_rest) in enumerate(QUANTITIES)
            if name not in skip
        )
        floor = 0.0
        for _i, weight in self._terms:
            floor -= weight
        self.floor = floor
        self._deductions_key: tuple[float, ...] | None = None
        self._deductions = 0.0

    def potential(self, t: Telemetry) -> tuple[float, str | None]:
        """Φ of a snapshot (module docstring), and the envelope tier a trigger pulled now
        would get: None before free drift and while the vehicle is held, when Φ needs no
        judgement (the envelope is judged only then: it is a fifth of a step's cost)."""
        if t.free_drift_elapsed_s is None:
            return self.floor, None
        if t.capture_state.holding:
            return 0.0, None
        judgement = judge(t.metrics, self.scenario.envelope)
        quantities = judgement.quantities
        phi = 0.0
        for i, weight in self._terms:
            excess = quantities[i].excess
            phi -= weight * excess / (1.0 + excess)
        return phi, judgement.tier

    def running_deductions(self, judge_now: OutcomeJudge) -> float:
        """The report's running deductions so far (points ≥ 0), as ``build_report`` gives
        them for the judge's accumulator; recomputed only when one of their inputs moved."""
        acc = judge_now.score
        key = (
            float(len(acc.contacts)),
            float(judge_now.misses),
            float(acc.reversals),
            acc.near_vehicle_exceedance_s,
            acc.post_capture_peak_joint_torque_nm,
        )
        if key != self._deductions_key:
            self._deductions_key = key
            facts = SessionFacts(
                scenario=self.scenario,
                seed=0,
                pilot="",
                outcome="timeout",  # provisional: the running components do not read it
                outcome_reason="",
                free_drift_start_s=judge_now.free_drift_start_s,
                trigger=None,
                misses=judge_now.misses,
                captured_at_s=None,
                aborted_at_s=None,
                abort_correct=None,
                closing_speed_at_abort_m_s=None,
                peak_closing_speed_m_s=0.0,
                end_time_s=0.0,
                accumulator=acc,
                recording=None,
            )
            self._deductions = deductions_of(build_report(facts))
        return self._deductions

    @staticmethod
    def terminal_bonus(report: dict[str, Any]) -> float:
        """The end's bonus: a passing report's score total plus its running deductions (so
        a passing episode's deductions and bonus together come to its score), else 0."""
        if not report["passed"]:
            return 0.0
        return float(report["score"]["total"]) + deductions_of(report)


def deductions_of(report: dict[str, Any]) -> float:
    """The running deductions of a report (points ≥ 0; its components are negative)."""
    components = report["score"]["components"]
    return math.fsum(-float(components[name]) for name in RUNNING_COMPONENTS)
