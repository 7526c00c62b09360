"""Hand-controller metrics and lesson marks on hand-made input streams."""

from __future__ import annotations

import numpy as np
import pytest

from trainer.debrief.series import Series
from trainer.debrief.technique import (
    GOOD,
    NEEDS_WORK,
    SATISFACTORY,
    hand_controller_metrics,
    lesson_marks,
)
from trainer.scenario.loader import load_scenario


def series(thc: list[tuple[float, float, float]], rhc: list[tuple[float, float, float]]) -> Series:
    n = len(thc)
    t = np.arange(n) / 60.0
    return Series(
        t_s=t[::6],
        range_m=np.full(len(t[::6]), 3.0),
        metrics={},
        joint_angles_rad=np.zeros((len(t[::6]), 7)),
        capture_state=["open"] * len(t[::6]),
        input_t_s=t,
        thc=np.array(thc, dtype=float),
        rhc=np.array(rhc, dtype=float),
    )


REPORT = {"free_drift_start_s": 0.0, "trigger": None, "metrics": {"hand_controller_reversals": 3}}


def test_one_axis_at_a_time_with_two_corrections() -> None:
    # 10 s: x pushed for 2 s, centred 3 s, pushed again 2 s, centred 3 s
    thc = [(0.5 if (i < 120 or 300 <= i < 420) else 0.0, 0.0, 0.0) for i in range(600)]
    rhc = [(0.0, 0.05, 0.0)] * 600  # within the dead band: not in use
    hc = hand_controller_metrics(series(thc, rhc), REPORT)
    assert hc.corrections == 2
    assert hc.window_s == pytest.approx(10.0)
    assert hc.corrections_per_min == pytest.approx(12.0)
    assert hc.active_share == pytest.approx(0.4)
    assert hc.multi_axis_share == 0.0
    assert hc.reversals == 3


def test_two_axes_together_count_as_multi_axis() -> None:
    thc = [(0.3, 0.3 if i < 300 else 0.0, 0.0) for i in range(600)]
    rhc = [(0.0, 0.0, 0.0)] * 600
    hc = hand_controller_metrics(series(thc, rhc), REPORT)
    assert hc.active_share == pytest.approx(1.0)
    assert hc.multi_axis_share == pytest.approx(0.5)
    assert hc.corrections == 2


def test_marks_follow_the_documented_thresholds() -> None:
    scenario = load_scenario("crs20-capture")
    # jittery: an axis leaves the centre 50 times a minute
    thc = [(0.5 if (i // 36) % 2 else 0.0, 0.0, 0.0) for i in range(3600)]
    s = series(thc, [(0.0, 0.0, 0.0)] * 3600)
    report = {
        "outcome": "captured",
        "passed": True,
        "free_drift_start_s": 0.0,
        "trigger": {"time_s": 60.0, "tier": "allowed"},
        "time_to_capture_s": 60.0,
        "misses": 0,
        "contacts": [],
        "metrics": {"hand_controller_reversals": 12, "near_vehicle_tip_speed_exceedance_s": 0.0},
        "score": {"components": {"abort_decision": 0.0}},
    }
    hc = hand_controller_metrics(s, report)
    sa, task, technique = lesson_marks(report, s, scenario, hc)
    assert sa.mark == GOOD
    assert task.mark == SATISFACTORY  # the allowed tier
    assert technique.mark == NEEDS_WORK  # 50 corrections a minute
    marks = {m.name: m.mark for m in technique.metrics}
    assert marks["corrections per minute"] == NEEDS_WORK
    assert any(m.mark == SATISFACTORY for m in technique.metrics)  # 12 reversals


def test_hands_off_is_not_marked_as_good_technique() -> None:
    scenario = load_scenario("crs20-capture")
    s = series([(0.0, 0.0, 0.0)] * 600, [(0.02, 0.0, 0.0)] * 600)
    report = {
        "outcome": "timeout",
        "passed": False,
        "free_drift_start_s": 0.0,
        "trigger": None,
        "time_to_capture_s": None,
        "misses": 0,
        "contacts": [],
        "metrics": {"hand_controller_reversals": 0},
        "score": {"components": {}},
    }
    hc = hand_controller_metrics(s, report)
    _, task, technique = lesson_marks(report, s, scenario, hc)
    assert technique.mark == "n/a"
    assert task.mark == NEEDS_WORK
