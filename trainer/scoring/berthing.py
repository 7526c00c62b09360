"""The graded report of a berthing (docs/DESIGN.md §6): pass or fail with one sentence per
failed criterion, a 100-point score of named deductions, and the ``berthing`` block, from
the session's facts (the berthing task's log, trainer/tasks/berthing_log.py). Pure.

The score (E, a design choice mirroring the capture's, docs/REFERENCE.md §4.2 and §10):
time and the five RTL-envelope quantities carry 55 of the 100 points, how the vehicle was
handled into the guides the other 45.

| component       | weight | full deduction at                                          |
|-----------------|--------|------------------------------------------------------------|
| time            | 15     | pre-install to first stage: linear from full credit to the penalty limit |
| lateral, tilt, axial_speed | 10 each | linear across the allowed band; full outside it or without RTL |
| roll, rate      | 5 each | same                                                       |
| contacts        | 10     | 3 contacts (any collision: all 10)                         |
| guide_loads     | 10     | linear from half the 2,200 N impact limit to the limit     |
| rtl_rejections  | 5      | 2 RTLs made outside the envelope (a re-approach each)      |
| reversals       | 5      | 10 free reversals, then 30 more (as the capture's)         |
| procedure       | 10     | 5 each: guides before the GO, guides without the CBCS, a release before the GO |
| abort_decision  | 5      | an abort with no fault to answer                           |

A capture and berth in one session scores each half on its own 100 and reports half of
each, its components prefixed ``capture_`` and ``berthing_``.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from trainer.scoring.accumulate import REVERSAL_THRESHOLD
from trainer.scoring.report import (
    FREE_REVERSALS,
    REVERSALS_FOR_FULL_DEDUCTION,
    SessionFacts,
    capture_report,
)

WEIGHTS: dict[str, float] = {
    "time": 15.0,
    "lateral": 10.0,
    "tilt": 10.0,
    "roll": 5.0,
    "axial_speed": 10.0,
    "rate": 5.0,
    "contacts": 10.0,
    "guide_loads": 10.0,
    "rtl_rejections": 5.0,
    "reversals": 5.0,
    "procedure": 10.0,
    "abort_decision": 5.0,
}
# The RTL quantity behind each envelope component (trainer/tasks/berthing_log.py).
ENVELOPE_COMPONENTS = {
    "lateral_offset_m": "lateral",
    "tilt_deg": "tilt",
    "roll_deg": "roll",
    "axial_speed_m_s": "axial_speed",
    "rate_deg_s": "rate",
}
CONTACTS_FOR_FULL_DEDUCTION = 3
REJECTIONS_FOR_FULL_DEDUCTION = 2
PROCEDURE_DEDUCTION_EACH = 5.0
# The session's impact limit (docs/REFERENCE.md §4.1, D/E: trainer/session/contacts.py);
# a guide load deducts from half of it.
GUIDE_FORCE_LIMIT_N = 2_200.0


def _clamp01(x: float) -> float:
    return 0.0 if x <= 0.0 else 1.0 if x >= 1.0 else x


def grade_berthing(facts: SessionFacts) -> tuple[list[str], list[str], dict[str, float], bool]:
    """(reasons, notes, deductions, passed) of the berthing half."""
    log: dict[str, Any] = facts.berthing or {}
    spec = facts.scenario.berthing
    reasons: list[str] = []
    notes: list[str] = []
    d: dict[str, float] = {}
    outcome = facts.outcome
    abort = log.get("abort")
    correct_abort = outcome == "aborted" and bool(abort and abort.get("correct"))
    safe_and_right = correct_abort
    if outcome not in ("berthed", "aborted"):
        reasons.append(facts.outcome_reason)
    if outcome == "aborted" and not correct_abort:
        reasons.append(
            "unnecessary abort: the berthing was stopped with no fault to answer "
            "(no latch stalled, every RTL indicator working, the CBCS video up)"
        )
    for v in log.get("violations", []):
        reasons.append(f"at t = {v['time_s']:.1f} s, {v['detail'][0].lower()}{v['detail'][1:]}")
    # time: pre-install to first stage
    elapsed = log.get("pre_install_to_first_stage_s")
    full = spec.full_credit_s if spec is not None else None
    until = spec.penalty_until_s if spec is not None else None
    if safe_and_right:
        d["time"] = 0.0
    elif elapsed is None:
        d["time"] = WEIGHTS["time"]
    else:
        if full is None or elapsed <= full or until is None or until <= full:
            frac = 0.0
        else:
            frac = _clamp01((elapsed - full) / (until - full))
        d["time"] = WEIGHTS["time"] * frac
        if until is not None and elapsed > until:
            reasons.append(
                f"pre-install to first stage took {elapsed:.0f} s, beyond the {until:.0f} s limit"
            )
        elif frac > 0.0:
            notes.append(
                f"pre-install to first stage took {elapsed:.0f} s (full credit up to {full:.0f} s)"
            )
    rtl = log.get("rtl")
    for quantity, component in ENVELOPE_COMPONENTS.items():
        weight = WEIGHTS[component]
        if safe_and_right:
            d[component] = 0.0
        elif rtl is None or spec is None:
            d[component] = weight
        else:
            q = rtl["quantities"][quantity]
            tier = getattr(spec.envelope, quantity)
            if q["tier"] == "full":
                d[component] = 0.0
            elif q["tier"] == "outside":
                d[component] = weight
            else:
                span = max(tier.allowed - tier.full, 1e-12)
                d[component] = weight * _clamp01((q["value"] - tier.full) / span)
            if q["tier"] != "full":
                notes.append(
                    f"at RTL, {quantity.replace('_', ' ')} {q['value']:.4g} was above the "
                    f"full-credit {tier.full:g} (allowed {tier.allowed:g})"
                )
    if rtl is not None and rtl.get("on_three_rtls"):
        notes.append(
            "first stage went ahead on three RTL indicators, the CBCS confirming the alignment"
        )
    acc = facts.accumulator
    # The berthing's own counts (a capture and berth's accumulator holds both halves).
    contacts = int(log.get("contacts", len(acc.contacts)))
    reversals = int(log.get("reversals", acc.reversals))
    d["contacts"] = WEIGHTS["contacts"] * _clamp01(contacts / CONTACTS_FOR_FULL_DEDUCTION)
    if outcome == "collision":
        d["contacts"] = WEIGHTS["contacts"]
    peak = float(log.get("peak_guide_force_n", 0.0))
    half = 0.5 * GUIDE_FORCE_LIMIT_N
    d["guide_loads"] = WEIGHTS["guide_loads"] * _clamp01((peak - half) / half)
    if log.get("guide_contacts"):
        notes.append(
            f"{log['guide_contacts']} contact(s) with the CBM's ring or guides, at up to "
            f"{log.get('peak_guide_contact_speed_m_s', 0.0):.3f} m/s and {peak:.0f} N"
        )
    rejections = int(log.get("rtl_rejections", 0))
    d["rtl_rejections"] = WEIGHTS["rtl_rejections"] * _clamp01(
        rejections / REJECTIONS_FOR_FULL_DEDUCTION
    )
    if rejections:
        notes.append(f"{rejections} RTL(s) made outside the envelope and re-approached")
    d["reversals"] = WEIGHTS["reversals"] * _clamp01(
        (reversals - FREE_REVERSALS) / REVERSALS_FOR_FULL_DEDUCTION
    )
    if reversals > FREE_REVERSALS:
        notes.append(f"{reversals} hand-controller reversals (past ±{REVERSAL_THRESHOLD})")
    d["procedure"] = min(
        WEIGHTS["procedure"], PROCEDURE_DEDUCTION_EACH * len(log.get("violations", []))
    )
    d["abort_decision"] = (
        WEIGHTS["abort_decision"] if outcome == "aborted" and not correct_abort else 0.0
    )
    passed = not reasons and (outcome == "berthed" or correct_abort)
    return reasons, notes, d, passed


def build_berthing_report(facts: SessionFacts) -> dict[str, Any]:
    """report.json for a berthing session, or a capture then berthing (module docstring)."""
    reasons, notes, deductions, passed = grade_berthing(facts)
    capture_reached = facts.trigger is not None
    base_facts = dataclasses.replace(facts, outcome="captured", outcome_reason="rigidized")
    base = capture_report(base_facts)
    notices = list(facts.notices)
    if capture_reached:
        # The capture half, graded as the capture task grades it.
        capture_notes = [n for n in base["notes"] if n not in notices]
        reasons = list(base["reasons"]) + reasons
        notes = capture_notes + notes
        components = {f"capture_{k}": 0.5 * v for k, v in base["score"]["components"].items()}
        components |= {f"berthing_{k}": -0.5 * v for k, v in deductions.items()}
        total = 100.0 + math.fsum(components.values())
        passed = passed and not base["reasons"]
        components = {k: round(v, 3) for k, v in components.items()}
    else:
        total = 100.0 - math.fsum(deductions.values())
        components = {k: -round(v, 3) for k, v in deductions.items()}
    report = dict(base)
    report.update(
        outcome=facts.outcome,
        outcome_reason=facts.outcome_reason,
        passed=passed,
        reasons=reasons,
        notes=notices + [n for n in notes if n not in notices],
        score={"total": round(total, 2), "max": 100, "components": components},
        berthing=facts.berthing,
    )
    if not capture_reached:
        report["time_to_capture_s"] = None
    return report


def berthing_markdown(report: dict[str, Any], scenario: Any) -> list[str]:
    """The debrief's berthing section (report.md): the procedure's times, the RTL
    envelope, the guides, faults and violations."""
    b = report.get("berthing")
    if not b:
        return []
    lines = ["## The berthing", ""]
    who = "the ground" if b["flown_from"] == "ground" else "the crew"
    lines.append(
        f"Flown by {who}"
        + (f" with a {b['round_trip_s']:g} s round trip" if b["round_trip_s"] else "")
        + f"; the procedure reached **{b['phase_reached'].replace('_', ' ')}**."
    )
    lines += ["", "| step | t (s) |", "|---|---|"]
    for key, label in (
        ("pre_install_setup_s", "pre-install setup (3.5 m)"),
        ("pre_install_s", "pre-install (1.5 m)"),
        ("go_for_final_approach_s", "GO for final approach"),
        ("first_stage_s", "RTL: first stage begins"),
        ("first_stage_complete_s", "first stage complete"),
        ("second_stage_complete_s", "second stage complete (16 bolts)"),
        ("brakes_on_s", "brakes on"),
        ("go_for_release_s", "GO for LEE release"),
        ("released_s", "LEE released"),
    ):
        value = b.get(key)
        lines.append(f"| {label} | {'–' if value is None else f'{value:.1f}'} |")
    elapsed = b.get("pre_install_to_first_stage_s")
    if elapsed is not None:
        lines += ["", f"Pre-install to first stage: {elapsed:.0f} s."]
    rtl = b.get("rtl")
    spec = scenario.berthing
    lines += ["", "### Ready to latch", ""]
    if rtl is None or spec is None:
        lines.append("The RTL indicators never all made.")
    else:
        three = " (first stage on three indicators)" if rtl["on_three_rtls"] else ""
        lines += [
            f"At t = {rtl['time_s']:.1f} s, separation {rtl['separation_m']:.3f} m; envelope "
            f"tier **{rtl['tier']}**{three}.",
            "",
            "| quantity | value | full credit | allowed | tier |",
            "|---|---|---|---|---|",
        ]
        for name, q in rtl["quantities"].items():
            tier = getattr(spec.envelope, name)
            lines.append(
                f"| {name} | {q['value']:.4g} | ≤ {tier.full:g} | ≤ {tier.allowed:g} | {q['tier']} |"
            )
    lines += [
        "",
        f"Guides and ring: {b['guide_contacts']} contact(s), fastest approach "
        f"{b['peak_guide_contact_speed_m_s']:.3f} m/s, peak force {b['peak_guide_force_n']:.0f} N "
        f"(an impact above {GUIDE_FORCE_LIMIT_N:.0f} N). RTL re-approaches: {b['rtl_rejections']}.",
    ]
    if b["faults"]:
        lines += ["", "Faults: " + "; ".join(b["faults"]) + "."]
    if b["violations"]:
        lines += [""] + [
            f"- violation at {v['time_s']:.1f} s: {v['detail']}" for v in b["violations"]
        ]
    if b["abort"]:
        a = b["abort"]
        right = "the right call" if a["correct"] else "not called for"
        lines += ["", f"Aborted at {a['time_s']:.1f} s ({a['cause']}): {right}."]
    return [*lines, ""]
