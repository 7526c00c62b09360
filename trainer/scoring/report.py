"""The graded report (docs/DESIGN.md §6, contract): outcome, pass/fail with one sentence per failed
criterion, a 100-point score of named deductions, and the session metrics; as
``report.json`` and a Markdown debrief. Pure functions of the session's facts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from trainer.scenario.model import Scenario
from trainer.scoring.accumulate import (
    NEAR_VEHICLE_RANGE_M,
    NEAR_VEHICLE_TIP_SPEED_M_S,
    REVERSAL_THRESHOLD,
    ScoreAccumulator,
)
from trainer.scoring.envelope import FULL, OUTSIDE, QUANTITIES, EnvelopeJudgement
from trainer.sim.joints import JOINT_TORQUE_LIMIT_NM
from trainer.sim.metrics import CAPTURE_QUANTITIES, CaptureMetrics

# @2: the interrupted outcome; @3: a berthing's ``berthed`` outcome and ``berthing`` block
# (docs/DESIGN.md §6). Readers take older reports as they are.
REPORT_FORMAT = "canadarm-trainer/report@3"
# Score component for each envelope quantity (scenario scoring weights keys).
ENVELOPE_COMPONENTS = {q.name: q.component for q in CAPTURE_QUANTITIES}
# Deduction scales (E, documented in the Markdown report's legend):
CONTACTS_FOR_FULL_DEDUCTION = 3
MISSES_FOR_FULL_DEDUCTION = 2
EXCEEDANCE_S_FOR_FULL_DEDUCTION = 5.0
FREE_REVERSALS = 10  # a capture needs some back-and-forth; beyond this it is over-control
REVERSALS_FOR_FULL_DEDUCTION = 30
# Post-capture loads: deduct from half the joint torque limit (2,332 N·m, docs/REFERENCE.md §1,
# trainer.sim.joints) and the full weight at the limit itself.


@dataclass(frozen=True, slots=True)
class TriggerFacts:
    """The last trigger pull: when, the capture metrics then, and the envelope's verdict
    (judged once, when it was pulled: ``trainer.scoring.judge.OutcomeJudge``)."""

    time_s: float
    metrics: CaptureMetrics
    judgement: EnvelopeJudgement


@dataclass(frozen=True)
class SessionFacts:
    """What a finished session hands to grading (``OutcomeJudge.facts``)."""

    scenario: Scenario
    seed: int
    pilot: str
    outcome: str
    outcome_reason: str
    free_drift_start_s: float | None
    trigger: TriggerFacts | None
    misses: int
    captured_at_s: float | None
    aborted_at_s: float | None
    abort_correct: bool | None
    closing_speed_at_abort_m_s: float | None
    peak_closing_speed_m_s: float
    end_time_s: float
    accumulator: ScoreAccumulator
    recording: str | None
    events: list[dict[str, Any]] = field(default_factory=list)
    # The approach procedure (trainer/tasks/procedure.py Procedure.to_dict) and the offset-grapple
    # drill (trainer/tasks/drill.py), as plain data.
    procedure: dict[str, Any] | None = None
    drill: dict[str, Any] | None = None
    # A berthing's log (trainer/tasks/berthing_log.py), graded by trainer/scoring/berthing.py.
    berthing: dict[str, Any] | None = None
    notices: list[str] = field(default_factory=list)
    """What the grade rests on that the reader must know (a recording cut off by a crash,
    replayed on another scenario or seed): first in ``notes``, and in ``notices``."""
    aids: str | None = None  # the `fly` window's aid level; None for a headless grade
    trainee: str | None = None


def _clamp01(x: float) -> float:
    return 0.0 if x <= 0.0 else 1.0 if x >= 1.0 else x


def _time_since_drift(facts: SessionFacts, t: float | None) -> float | None:
    if t is None:
        return None
    return t - (facts.free_drift_start_s or 0.0)


def build_report(facts: SessionFacts) -> dict[str, Any]:
    """report.json's content (docs/DESIGN.md §6): a berthing's by trainer/scoring/berthing.py,
    every other task's here."""
    if facts.berthing is not None:
        from trainer.scoring.berthing import build_berthing_report

        return build_berthing_report(facts)
    return capture_report(facts)


def capture_report(facts: SessionFacts) -> dict[str, Any]:
    """The report of a capture (and of the capture half of a capture and berth)."""
    sc = facts.scenario
    weights = dict(sc.scoring_weights)
    reasons: list[str] = []
    notes: list[str] = list(facts.notices)
    deductions: dict[str, float] = {}
    acc = facts.accumulator
    limits = sc.time_limits
    abort_expected = sc.abort.expected
    correct_abort = facts.outcome == "aborted" and bool(facts.abort_correct)
    procedure = facts.procedure or {}
    cues = procedure.get("cues", [])
    cues_answered = bool(cues) and all(
        c["answer"] is not None and c["response_time_s"] <= c["window_s"] for c in cues
    )
    # A safe outcome that is the right one: a correct ABORT, a RETREAT answering every cue,
    # or the offset-grapple drill's alignment held.
    correct_retreat = facts.outcome == "retreated" and cues_answered
    safe_and_right = correct_abort or correct_retreat or facts.outcome == "aligned"

    judgement = facts.trigger.judgement if facts.trigger is not None else None
    time_to_capture = (
        _time_since_drift(facts, facts.trigger.time_s)
        if facts.outcome == "captured" and facts.trigger is not None
        else None
    )

    # --- pass/fail reasons, one sentence per failed criterion
    if facts.outcome == "captured":
        if abort_expected:
            reasons.append(
                f"ABORT was the right call (Dragon closing at up to {facts.peak_closing_speed_m_s:.3f} m/s, "
                f"limit {sc.abort.closing_speed_limit_m_s:.3f} m/s) but a capture was flown instead"
            )
        if (
            time_to_capture is not None
            and limits.penalty_until_s is not None
            and time_to_capture > limits.penalty_until_s
        ):
            reasons.append(
                f"time to capture {time_to_capture:.1f} s exceeds the {limits.penalty_until_s:.0f} s limit"
            )
    elif facts.outcome == "retreated":
        if not correct_retreat:
            reasons.append(
                "RETREAT commanded with no cue to answer: Dragon backed away and the capture "
                "was not flown"
            )
    elif facts.outcome == "aligned":
        pass
    elif facts.outcome == "aborted":
        if not correct_abort:
            closing = facts.closing_speed_at_abort_m_s or 0.0
            reasons.append(
                f"unnecessary ABORT: Dragon was closing at {closing:.3f} m/s, below the "
                f"{sc.abort.closing_speed_limit_m_s:.3f} m/s abort limit, and a capture was still feasible"
            )
    else:
        if facts.outcome == "missed" and judgement is not None:
            reasons.extend(f"at the last trigger, {s}" for s in judgement.reasons())
        reasons.append(facts.outcome_reason)
        if abort_expected and facts.aborted_at_s is None:
            reasons.append(
                f"ABORT was the right call (Dragon closing at up to {facts.peak_closing_speed_m_s:.3f} m/s, "
                f"limit {sc.abort.closing_speed_limit_m_s:.3f} m/s) and was not commanded"
            )
    violation = procedure.get("free_drift_gate_violation")
    if violation is not None:
        reasons.append(
            f"the LEE came within {violation['range_m']:.2f} m of the fixture at "
            f"t = {violation['time_s']:.1f} s, before free drift was confirmed (the limit is "
            "1.5 m until then)"
        )
    passed = not reasons and (facts.outcome == "captured" or safe_and_right)

    # --- score: named deductions, each at most its weight
    w = weights.get
    if safe_and_right:
        deductions["time"] = 0.0
    elif time_to_capture is None:
        deductions["time"] = w("time", 0.0)
    else:
        full = limits.full_credit_s
        until = limits.penalty_until_s
        if full is None or time_to_capture <= full or until is None or until <= full:
            frac = 0.0
        else:
            frac = _clamp01((time_to_capture - full) / (until - full))
        deductions["time"] = w("time", 0.0) * frac
    for quantity, component in ENVELOPE_COMPONENTS.items():
        weight = w(component, 0.0)
        if safe_and_right:
            deductions[component] = 0.0
        elif judgement is None or facts.outcome not in ("captured",):
            deductions[component] = weight
        else:
            q = next(j for j in judgement.quantities if j.name == quantity)
            deductions[component] = (
                0.0
                if q.tier == FULL
                else weight
                if q.tier == OUTSIDE
                else weight * _clamp01(q.excess)
            )
            if q.tier != FULL and q.sentence:
                notes.append(q.sentence)
    deductions["contacts"] = w("contacts", 0.0) * _clamp01(
        len(acc.contacts) / CONTACTS_FOR_FULL_DEDUCTION
    )
    if facts.outcome == "collision":
        deductions["contacts"] = w("contacts", 0.0)
    deductions["misses"] = w("misses", 0.0) * _clamp01(facts.misses / MISSES_FOR_FULL_DEDUCTION)
    deductions["rate_exceedances"] = w("rate_exceedances", 0.0) * _clamp01(
        acc.near_vehicle_exceedance_s / EXCEEDANCE_S_FOR_FULL_DEDUCTION
    )
    deductions["reversals"] = w("reversals", 0.0) * _clamp01(
        (acc.reversals - FREE_REVERSALS) / REVERSALS_FOR_FULL_DEDUCTION
    )
    half = 0.5 * JOINT_TORQUE_LIMIT_NM
    deductions["post_capture_loads"] = w("post_capture_loads", 0.0) * _clamp01(
        (acc.post_capture_peak_joint_torque_nm - half) / half
    )
    wrong_abort = (facts.outcome == "aborted" and not correct_abort) or (
        abort_expected and facts.aborted_at_s is None
    )
    deductions["abort_decision"] = w("abort_decision", 0.0) if wrong_abort else 0.0
    if acc.contacts:
        notes.append(f"{len(acc.contacts)} contact(s) between the arm and the vehicle or station")
    if facts.misses:
        notes.append(f"{facts.misses} missed trigger(s)")
    if acc.near_vehicle_exceedance_s > 0:
        notes.append(
            f"tip speed above {NEAR_VEHICLE_TIP_SPEED_M_S} m/s within {NEAR_VEHICLE_RANGE_M} m of the fixture "
            f"for {acc.near_vehicle_exceedance_s:.1f} s"
        )
    total = 100.0 - math.fsum(deductions.values())

    trigger: dict[str, Any] | None = None
    if facts.trigger is not None:
        trigger = {
            "time_s": facts.trigger.time_s,
            **facts.trigger.metrics.to_dict(),
            "tier": facts.trigger.judgement.tier,
        }
    return {
        "format": REPORT_FORMAT,
        "scenario": {"id": sc.id, "version": sc.version, "title": sc.title},
        "seed": facts.seed,
        "pilot": facts.pilot,
        "outcome": facts.outcome,
        "passed": passed,
        "reasons": reasons,
        "notes": notes,
        "notices": list(facts.notices),
        "outcome_reason": facts.outcome_reason,
        "free_drift_start_s": facts.free_drift_start_s,
        "trigger": trigger,
        "time_to_capture_s": time_to_capture,
        # speed_m_s: the relative normal speed the bodies came together at (sim/contacts.py)
        "contacts": [
            {"time_s": c.time_s, "bodies": c.bodies, "speed_m_s": c.speed_m_s} for c in acc.contacts
        ],
        "misses": facts.misses,
        "score": {
            "total": round(total, 2),
            "max": 100,
            "components": {k: -round(v, 3) for k, v in deductions.items()},
        },
        "metrics": {
            "peak_joint_torque_nm": acc.peak_joint_torque_nm,
            "hand_controller_reversals": acc.reversals,
            "peak_tip_speed_near_vehicle_m_s": acc.peak_tip_speed_near_vehicle_m_s,
            "min_manipulability": acc.min_manipulability
            if math.isfinite(acc.min_manipulability)
            else None,
            "post_capture_peak_joint_torque_nm": acc.post_capture_peak_joint_torque_nm,
            "post_capture_peak_constraint_force_n": acc.post_capture_peak_force_n,
            "post_capture_peak_constraint_torque_nm": acc.post_capture_peak_torque_nm,
            "near_vehicle_tip_speed_exceedance_s": acc.near_vehicle_exceedance_s,
            "peak_closing_speed_m_s": facts.peak_closing_speed_m_s,
            "session_end_s": facts.end_time_s,
        },
        "procedure": {
            "free_drift_by": procedure.get("free_drift_by", "timeline"),
            "free_drift_requested_s": procedure.get("free_drift_requested_s"),
            "free_drift_confirmed_s": procedure.get("free_drift_confirmed_s"),
            "free_drift_gate_violation": violation,
            "vehicle_commands": procedure.get("vehicle_commands", []),
            "cues": cues,
            "station_keeping_pulses": procedure.get("station_keeping_pulses", 0),
        },
        "drill": facts.drill,
        "recording": facts.recording,
        "aids": facts.aids,
        "trainee": facts.trainee,
        "berthing": None,
    }


def _limit_text(scenario: Scenario, quantity: str) -> tuple[str, str]:
    tier = getattr(scenario.envelope, quantity)
    if isinstance(tier.full, tuple):
        return f"{tier.full[0]:g}–{tier.full[1]:g}", f"{tier.allowed[0]:g}–{tier.allowed[1]:g}"
    return f"≤ {tier.full:g}", f"≤ {tier.allowed:g}"


def report_markdown(
    report: dict[str, Any], scenario: Scenario, events: list[dict[str, Any]]
) -> str:
    """A debrief an instructor can read without the JSON."""
    lines = [
        f"# Debrief: {scenario.title}",
        "",
        f"Scenario `{scenario.id}` v{scenario.version}, seed {report['seed']}, pilot `{report['pilot']}`"
        + (f", trainee {report['trainee']}" if report.get("trainee") else "")
        + (f", aids {report['aids']}" if report.get("aids") else "")
        + ".",
        "",
        f"**Outcome: {report['outcome']}, {'PASS' if report['passed'] else 'FAIL'}.** "
        f"Score {report['score']['total']:.1f} / {report['score']['max']}.",
        "",
    ]
    if report["reasons"]:
        lines += ["## Why it failed", ""] + [f"- {r}" for r in report["reasons"]] + [""]
    notices = report.get("notices", [])
    if notices:
        lines += ["## Notice", ""] + [f"- **{n}**" for n in notices] + [""]
    explained = [n for n in report["notes"] if n not in notices]
    if explained:
        lines += ["## Deductions explained", ""] + [f"- {n}" for n in explained] + [""]
    if report.get("berthing"):
        from trainer.scoring.berthing import berthing_markdown

        lines += berthing_markdown(report, scenario)
    trig = report["trigger"]
    if trig is None and not report.get("berthing"):  # (a berthing begins rigidized)
        lines += ["## The trigger", ""]
        lines += ["The capture trigger was never pulled.", ""]
    elif trig is not None:
        lines += ["## The trigger", ""]
        lines += [
            f"Pulled at t = {trig['time_s']:.1f} s "
            f"({(trig['time_s'] - (report['free_drift_start_s'] or 0.0)):.1f} s after free drift began); "
            f"envelope tier **{trig['tier']}**.",
            "",
            "| quantity | value | full credit | allowed |",
            "|---|---|---|---|",
        ]
        for name, label, unit, fmt in QUANTITIES:
            full, allowed = _limit_text(scenario, name)
            lines.append(f"| {label} ({unit}) | {trig[name]:{fmt}} | {full} | {allowed} |")
        lines.append("")
    lines += ["## Score", "", "| component | deduction |", "|---|---|"]
    for name, value in report["score"]["components"].items():
        lines.append(f"| {name} | {value:.2f} |")
    lines += [
        "",
        f"Hand-controller reversals count swings past ±{REVERSAL_THRESHOLD} "
        f"(the first {FREE_REVERSALS} are free); tip-speed exceedances are above "
        f"{NEAR_VEHICLE_TIP_SPEED_M_S} m/s within {NEAR_VEHICLE_RANGE_M} m of the fixture.",
        "",
        "## Metrics",
        "",
    ]
    for key, value in report["metrics"].items():
        text = f"{value:.4g}" if isinstance(value, float) else str(value)
        lines.append(f"- {key}: {text}")
    lines += ["", "## Timeline", "", "| t (s) | event | detail |", "|---|---|---|"]
    for ev in events:
        detail = ", ".join(
            f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
            for k, v in ev.items()
            if k not in ("time_s", "kind")
        )
        lines.append(f"| {ev['time_s']:.2f} | {ev['kind']} | {detail} |")
    if report.get("recording"):
        lines += ["", f"Recording: `{report['recording']}`."]
    return "\n".join(lines) + "\n"
