"""Each score component on its own, from a session's facts built by hand (no world, no
pybullet): what a trainee loses for each kind of mistake, and nothing for a clean one.
crs20-capture's weights: time 15, lateral 10, axial 10, pitch_yaw 10, roll 5, speed 10,
rate 5, contacts 10, misses 5, rate_exceedances 5, reversals 5, post_capture_loads 5,
abort_decision 5."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from scoring_support import GOOD_METRICS, facts, scenario

from trainer.scoring.report import build_report
from trainer.sim.joints import JOINT_TORQUE_LIMIT_NM


def components(**changes: Any) -> dict[str, float]:
    return dict(build_report(facts(**changes))["score"]["components"])


def test_a_clean_quick_capture_loses_nothing() -> None:
    report = build_report(facts())
    assert report["passed"] and report["reasons"] == []
    assert all(v == 0.0 for v in report["score"]["components"].values())
    assert report["score"]["total"] == 100.0


@pytest.mark.parametrize(
    ("time_to_capture_s", "deduction"),
    [(60.0, 0.0), (99.0, 0.0), (139.5, 7.5), (180.0, 15.0), (200.0, 15.0)],
)
def test_time_loses_linearly_from_full_credit_to_the_penalty_limit(
    time_to_capture_s: float, deduction: float
) -> None:
    got = components(trigger_time_s=5.0 + time_to_capture_s)
    assert got["time"] == pytest.approx(-deduction)


def test_time_beyond_the_penalty_limit_is_also_a_failed_criterion() -> None:
    report = build_report(facts(trigger_time_s=5.0 + 181.0))
    assert not report["passed"]
    assert any("time to capture 181.0 s exceeds the 180 s limit" in r for r in report["reasons"])


@pytest.mark.parametrize(
    ("metric", "value", "component", "deduction"),
    [
        ("lateral_offset_m", 0.075, "lateral", 5.0),  # half-way into the allowed band
        ("axial_depth_m", 0.025, "axial", 5.0),  # half-way below the full window
        ("axial_depth_m", 0.175, "axial", 5.0),  # half-way above it
        ("pitch_yaw_misalignment_deg", 10.0, "pitch_yaw", 10.0),  # at the allowed limit
        ("roll_misalignment_deg", 10.0, "roll", 2.5),
        ("relative_speed_m_s", 0.02, "speed", 5.0),
        ("relative_rate_deg_s", 0.3, "rate", 5.0),
    ],
)
def test_each_envelope_quantity_loses_its_share_of_the_allowed_band(
    metric: str, value: float, component: str, deduction: float
) -> None:
    metrics = dataclasses.replace(GOOD_METRICS, **{metric: value})
    report = build_report(facts(metrics=metrics))
    got = report["score"]["components"]
    assert got[component] == pytest.approx(-deduction)
    others = {k: v for k, v in got.items() if k != component}
    assert all(v == 0.0 for v in others.values()), others
    assert report["notes"], "the deduction is explained"


def test_without_a_capture_every_envelope_component_is_lost() -> None:
    got = components(outcome="timeout", outcome_reason="no capture", trigger=None)
    for component, weight in [("lateral", 10), ("axial", 10), ("roll", 5), ("rate", 5)]:
        assert got[component] == -weight
    assert got["time"] == -15.0


@pytest.mark.parametrize(("contacts", "deduction"), [(1, 10 / 3), (3, 10.0), (5, 10.0)])
def test_contacts_lose_a_third_of_their_weight_each(contacts: int, deduction: float) -> None:
    f = facts()
    for i in range(contacts):
        f.accumulator.contact(10.0 + i, "ssrms/boom_b - dragon/dragon", 0.02)
    got = build_report(f)["score"]["components"]
    assert got["contacts"] == pytest.approx(-deduction, abs=1e-3)


def test_a_collision_loses_the_whole_contacts_weight() -> None:
    got = components(outcome="collision", outcome_reason="collision", trigger=None)
    assert got["contacts"] == -10.0


@pytest.mark.parametrize(("misses", "deduction"), [(0, 0.0), (1, 2.5), (2, 5.0), (4, 5.0)])
def test_misses_lose_half_their_weight_each(misses: int, deduction: float) -> None:
    assert components(misses=misses)["misses"] == pytest.approx(-deduction)


@pytest.mark.parametrize(("seconds", "deduction"), [(0.0, 0.0), (2.5, 2.5), (5.0, 5.0), (9.0, 5.0)])
def test_tip_speed_exceedance_near_the_vehicle_loses_up_to_five_seconds_worth(
    seconds: float, deduction: float
) -> None:
    f = facts()
    f.accumulator.near_vehicle_exceedance_s = seconds
    assert build_report(f)["score"]["components"]["rate_exceedances"] == pytest.approx(-deduction)


@pytest.mark.parametrize(("reversals", "deduction"), [(10, 0.0), (25, 2.5), (40, 5.0), (90, 5.0)])
def test_reversals_beyond_ten_lose_over_the_next_thirty(reversals: int, deduction: float) -> None:
    f = facts()
    f.accumulator.reversals = reversals
    assert build_report(f)["score"]["components"]["reversals"] == pytest.approx(-deduction)


@pytest.mark.parametrize(("fraction", "deduction"), [(0.4, 0.0), (0.75, 2.5), (1.0, 5.0)])
def test_post_capture_joint_torque_loses_from_half_the_limit(
    fraction: float, deduction: float
) -> None:
    f = facts()
    f.accumulator.post_capture_peak_joint_torque_nm = fraction * JOINT_TORQUE_LIMIT_NM
    got = build_report(f)["score"]["components"]["post_capture_loads"]
    assert got == pytest.approx(-deduction)


def test_abort_decision_right_wrong_and_missing() -> None:
    abort_sc = scenario("crs20-abort")
    right = build_report(
        facts(
            abort_sc,
            outcome="aborted",
            outcome_reason="ABORT commanded",
            trigger=None,
            aborted_at_s=8.0,
            abort_correct=True,
            closing_speed_at_abort_m_s=0.03,
        )
    )
    assert right["passed"] and right["score"]["total"] == 100.0
    wrong = components(
        outcome="aborted",
        outcome_reason="ABORT commanded",
        trigger=None,
        aborted_at_s=8.0,
        abort_correct=False,
        closing_speed_at_abort_m_s=0.005,
    )
    assert wrong["abort_decision"] == -5.0
    flew_instead = build_report(facts(abort_sc))
    assert not flew_instead["passed"]
    assert flew_instead["score"]["components"]["abort_decision"] == -5.0
