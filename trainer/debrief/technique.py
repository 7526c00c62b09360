"""The lesson marks of a session, in the form NASA's Generic Robotics Training uses:
three areas (general situational awareness; manoeuvre and task performance; hand-controller
technique), each marked + good, ✓ satisfactory or − needs work (docs/REFERENCE.md §3,
S), with the metrics behind each mark. An area's mark is its worst metric's.

Hand-controller metrics, over the flying window (free-drift start, or the first tick when
there is none, to the trigger, or to the end when it was never pulled), weighted by
simulated time (ticks while paused weigh nothing):

- an axis is *in use* while its deflection exceeds ``AXIS_IN_USE`` (E: a tenth of full
  deflection; below it a pad's rest noise and dead band sit, trainer/input/shaping.py);
- *multi-axis share*: of the time any axis is in use, the share with two or more axes in
  use at once (THC and RHC together);
- *corrections per minute*: how often an axis leaves the centre (crosses ``AXIS_IN_USE``);
- *reversals*: swings of an axis from one side past ±0.25 to the other (the score's count,
  trainer/scoring/accumulate.py).

Thresholds (good ≤ first, satisfactory ≤ second, else needs work), all E unless tagged:

| area | metric                               | good      | satisfactory | why                          |
|------|--------------------------------------|-----------|--------------|------------------------------|
| SA   | contacts with the vehicle/station    | 0         | 1 (no impact)| any contact is a finding     |
| SA   | tip speed > 0.1 m/s within 1.5 m (s) | 0         | 2            | the score deducts fully at 5 |
| SA   | LEE within 1.5 m before free drift   | never     | —            | docs/REFERENCE.md §3 free-drift gate, S |
| SA   | abort decision                       | right     | —            | docs/REFERENCE.md §4                 |
| MT   | outcome                              | passed    | —            | report.json ``passed``       |
| MT   | envelope tier at the trigger         | full      | allowed      | docs/REFERENCE.md §4 tiers           |
| MT   | time to capture                      | ≤ full-credit limit | ≤ penalty limit | scenario time limits |
| MT   | missed triggers                      | 0         | 1            |                              |
| HC   | reversals                            | ≤ 10      | ≤ 25         | 10 are free in the score     |
| HC   | corrections per minute               | ≤ 20      | ≤ 40         | slow, deliberate corrections (docs/REFERENCE.md §3: the arm oscillates) |
| HC   | multi-axis share                     | ≤ 50 %    | ≤ 75 %       | one or two axes at a time near the fixture |
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from trainer.debrief.series import Series
from trainer.scenario.model import Scenario
from trainer.scoring.accumulate import NEAR_VEHICLE_RANGE_M, REVERSAL_THRESHOLD
from trainer.scoring.report import FREE_REVERSALS

GOOD, SATISFACTORY, NEEDS_WORK, NOT_APPLICABLE = "good", "satisfactory", "needs work", "n/a"
SYMBOL = {GOOD: "+", SATISFACTORY: "✓", NEEDS_WORK: "−", NOT_APPLICABLE: "·"}
_RANK = {NOT_APPLICABLE: -1, GOOD: 0, SATISFACTORY: 1, NEEDS_WORK: 2}

AXIS_IN_USE = 0.1  # E: see the module docstring
GATE_RANGE_M = 1.5  # docs/REFERENCE.md §3, S: no closer than 1.5 m before free drift is confirmed
EXCEEDANCE_GOOD_S, EXCEEDANCE_SATISFACTORY_S = 0.0, 2.0
REVERSALS_SATISFACTORY = 25
CORRECTIONS_GOOD_PER_MIN, CORRECTIONS_SATISFACTORY_PER_MIN = 20.0, 40.0
MULTI_AXIS_GOOD, MULTI_AXIS_SATISFACTORY = 0.5, 0.75


@dataclass(frozen=True)
class Metric:
    name: str
    value: str
    mark: str
    basis: str  # the thresholds, in words


@dataclass(frozen=True)
class Area:
    title: str
    mark: str
    metrics: tuple[Metric, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "mark": self.mark,
            "metrics": [
                {"name": m.name, "value": m.value, "mark": m.mark, "basis": m.basis}
                for m in self.metrics
            ],
        }


@dataclass(frozen=True)
class HandControllerMetrics:
    window_s: float
    active_share: float
    multi_axis_share: float
    corrections: int
    corrections_per_min: float
    reversals: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "window_s": round(self.window_s, 2),
            "active_share": round(self.active_share, 4),
            "multi_axis_share": round(self.multi_axis_share, 4),
            "corrections": self.corrections,
            "corrections_per_min": round(self.corrections_per_min, 2),
            "reversals": self.reversals,
            "axis_in_use_threshold": AXIS_IN_USE,
            "reversal_threshold": REVERSAL_THRESHOLD,
        }


def _grade(value: float, good: float, satisfactory: float) -> str:
    return GOOD if value <= good else SATISFACTORY if value <= satisfactory else NEEDS_WORK


def _worst(metrics: tuple[Metric, ...]) -> str:
    marks = [m.mark for m in metrics if m.mark != NOT_APPLICABLE]
    return max(marks, key=_RANK.__getitem__) if marks else NOT_APPLICABLE


def flying_window(series: Series, report: dict[str, Any]) -> tuple[float, float]:
    start = report.get("free_drift_start_s")
    if not isinstance(start, int | float):
        start = float(series.input_t_s[0]) if len(series.input_t_s) else 0.0
    trigger = report.get("trigger") or {}
    end = trigger.get("time_s") if isinstance(trigger, dict) else None
    if not isinstance(end, int | float):
        end = series.duration_s
    return float(start), max(float(start), float(end))


def hand_controller_metrics(series: Series, report: dict[str, Any]) -> HandControllerMetrics:
    start, end = flying_window(series, report)
    t = series.input_t_s
    reversals = int((report.get("metrics") or {}).get("hand_controller_reversals", 0))
    mask = (t >= start) & (t <= end)
    if mask.sum() < 2:
        return HandControllerMetrics(0.0, 0.0, 0.0, 0, 0.0, reversals)
    times = t[mask]
    axes = np.abs(np.hstack([series.thc[mask], series.rhc[mask]]))
    axes = np.nan_to_num(axes)
    dt = np.diff(times, append=times[-1] + (times[-1] - times[-2]))
    in_use = axes > AXIS_IN_USE
    n_in_use = in_use.sum(axis=1)
    active_time = float(dt[n_in_use >= 1].sum())
    multi_time = float(dt[n_in_use >= 2].sum())
    window = float(dt.sum())
    onsets = int((in_use[1:] & ~in_use[:-1]).sum() + in_use[0].sum())
    minutes = window / 60.0
    return HandControllerMetrics(
        window_s=window,
        active_share=active_time / window if window > 0 else 0.0,
        multi_axis_share=multi_time / active_time if active_time > 0 else 0.0,
        corrections=onsets,
        corrections_per_min=onsets / minutes if minutes > 0 else 0.0,
        reversals=reversals,
    )


def _situational_awareness(
    report: dict[str, Any], series: Series, scenario: Scenario
) -> tuple[Metric, ...]:
    contacts = len(report.get("contacts") or [])
    collided = report.get("outcome") == "collision"
    contact_mark = NEEDS_WORK if collided else _grade(contacts, 0, 1)
    exceed = float((report.get("metrics") or {}).get("near_vehicle_tip_speed_exceedance_s", 0.0))
    metrics = [
        Metric(
            "contacts",
            f"{contacts}" + (" (an impact ended the attempt)" if collided else ""),
            contact_mark,
            "good 0, satisfactory 1 without an impact",
        ),
        Metric(
            f"time with tip speed > 0.1 m/s within {NEAR_VEHICLE_RANGE_M:g} m",
            f"{exceed:.1f} s",
            _grade(exceed, EXCEEDANCE_GOOD_S, EXCEEDANCE_SATISFACTORY_S),
            f"good 0 s, satisfactory ≤ {EXCEEDANCE_SATISFACTORY_S:g} s",
        ),
    ]
    drift = report.get("free_drift_start_s")
    if isinstance(drift, int | float) and drift > 0 and len(series.t_s):
        before = series.range_m[series.t_s < drift]
        closest = float(np.nanmin(before)) if len(before) and np.isfinite(before).any() else None
        broke = closest is not None and closest < GATE_RANGE_M
        metrics.append(
            Metric(
                f"LEE kept beyond {GATE_RANGE_M:g} m until free drift",
                "no" if broke else "yes",
                NEEDS_WORK if broke else GOOD,
                "closest before free drift "
                + (f"{closest:.2f} m" if closest is not None else "not recorded"),
            )
        )
    abort_deduction = float(report["score"]["components"].get("abort_decision", 0.0))
    expected = scenario.abort.expected
    aborted = report.get("outcome") == "aborted"
    if expected or aborted or abort_deduction:
        metrics.append(
            Metric(
                "abort decision",
                "right" if abort_deduction == 0 else "wrong",
                GOOD if abort_deduction == 0 else NEEDS_WORK,
                "abort when capture is no longer safe, never otherwise",
            )
        )
    return tuple(metrics)


def _task(report: dict[str, Any], scenario: Scenario) -> tuple[Metric, ...]:
    passed = bool(report.get("passed"))
    metrics = [
        Metric(
            "outcome",
            f"{report.get('outcome')}, {'pass' if passed else 'fail'}",
            GOOD if passed else NEEDS_WORK,
            "passed",
        )
    ]
    trigger = report.get("trigger")
    if report.get("berthing"):  # the berthing's marks; the capture's too when it had one
        from trainer.debrief.berthing import berthing_task_metrics

        metrics += berthing_task_metrics(report, scenario)
        if not isinstance(trigger, dict):
            return tuple(metrics)
        tier = trigger.get("tier")
        metrics.append(
            Metric(
                "envelope tier at the trigger",
                str(tier),
                {"full": GOOD, "allowed": SATISFACTORY}.get(str(tier), NEEDS_WORK),
                "good full credit, satisfactory allowed",
            )
        )
        return tuple(metrics)
    if report.get("outcome") == "aborted" and passed:
        metrics.append(Metric("envelope at the trigger", "aborted", NOT_APPLICABLE, ""))
    else:
        tier = trigger.get("tier") if isinstance(trigger, dict) else None
        mark = {"full": GOOD, "allowed": SATISFACTORY}.get(str(tier), NEEDS_WORK)
        metrics.append(
            Metric(
                "envelope tier at the trigger",
                str(tier) if tier else "never pulled",
                mark,
                "good full credit, satisfactory allowed",
            )
        )
    ttc = report.get("time_to_capture_s")
    limits = scenario.time_limits
    if isinstance(ttc, int | float):
        full = limits.full_credit_s if limits.full_credit_s is not None else float("inf")
        until = limits.penalty_until_s if limits.penalty_until_s is not None else full
        metrics.append(
            Metric(
                "time to capture",
                f"{ttc:.1f} s",
                _grade(ttc, full, until),
                f"good ≤ {full:g} s, satisfactory ≤ {until:g} s",
            )
        )
    misses = int(report.get("misses", 0))
    metrics.append(
        Metric("missed triggers", str(misses), _grade(misses, 0, 1), "good 0, satisfactory 1")
    )
    return tuple(metrics)


def _technique(hc: HandControllerMetrics) -> tuple[Metric, ...]:
    if hc.active_share == 0.0 and hc.reversals == 0:
        # nobody flew: no technique to judge (a hands-off run is not "good" technique)
        return (
            Metric(
                "hand controllers used",
                f"no input beyond ±{AXIS_IN_USE:g} in {hc.window_s:.0f} s",
                NOT_APPLICABLE,
                "nothing to mark",
            ),
        )
    return (
        Metric(
            f"reversals (swings past ±{REVERSAL_THRESHOLD:g})",
            str(hc.reversals),
            _grade(hc.reversals, FREE_REVERSALS, REVERSALS_SATISFACTORY),
            f"good ≤ {FREE_REVERSALS}, satisfactory ≤ {REVERSALS_SATISFACTORY}",
        ),
        Metric(
            "corrections per minute",
            f"{hc.corrections_per_min:.1f} ({hc.corrections} in {hc.window_s:.0f} s)",
            _grade(
                hc.corrections_per_min, CORRECTIONS_GOOD_PER_MIN, CORRECTIONS_SATISFACTORY_PER_MIN
            ),
            f"good ≤ {CORRECTIONS_GOOD_PER_MIN:g}, satisfactory ≤ {CORRECTIONS_SATISFACTORY_PER_MIN:g}",
        ),
        Metric(
            "time with more than one axis in use",
            f"{100 * hc.multi_axis_share:.0f} % of the time in use "
            f"(in use {100 * hc.active_share:.0f} % of the window)",
            _grade(hc.multi_axis_share, MULTI_AXIS_GOOD, MULTI_AXIS_SATISFACTORY),
            f"good ≤ {100 * MULTI_AXIS_GOOD:.0f} %, satisfactory ≤ {100 * MULTI_AXIS_SATISFACTORY:.0f} %",
        ),
    )


def lesson_marks(
    report: dict[str, Any], series: Series, scenario: Scenario, hc: HandControllerMetrics
) -> tuple[Area, Area, Area]:
    areas = (
        ("General situational awareness", _situational_awareness(report, series, scenario)),
        ("Manoeuvre and task performance", _task(report, scenario)),
        ("Hand-controller technique", _technique(hc)),
    )
    return tuple(Area(title, _worst(metrics), metrics) for title, metrics in areas)  # type: ignore[return-value]
