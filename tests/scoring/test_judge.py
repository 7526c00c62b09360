"""The outcome judge on its own (no world): when a session ends and why, whether an
ABORT was right, and the facts it hands the report."""

from __future__ import annotations

import pytest
from scoring_support import GOOD_METRICS, scenario, telemetry

from trainer.scoring.judge import ABORT_WATCH_S, SESSION_CAP_S, OutcomeJudge
from trainer.sim.capture_state import CaptureState


def test_a_rigid_capture_ends_the_session_captured() -> None:
    judge = OutcomeJudge(scenario())
    assert judge.check_end(telemetry(capture_state=CaptureState.RIGIDIZING)) is None
    assert judge.check_end(telemetry(capture_state=CaptureState.RIGID)) == (
        "captured",
        "rigidized",
    )


def test_the_hard_limit_and_the_drift_sphere_end_an_unflown_attempt() -> None:
    judge = OutcomeJudge(scenario())  # hard limit 240 s, drift sphere 1.0 m
    assert judge.check_end(telemetry(free_drift_elapsed_s=239.0)) is None
    outcome, reason = judge.check_end(telemetry(free_drift_elapsed_s=240.0)) or ("", "")
    assert outcome == "timeout" and "hard limit of 240 s" in reason
    outcome, reason = judge.check_end(telemetry(drift_from_start_m=1.2)) or ("", "")
    assert outcome == "timeout" and "beyond the 1.0 m capture sphere" in reason
    judge.on_miss()
    assert (judge.check_end(telemetry(drift_from_start_m=1.2)) or ("",))[0] == "missed"


def test_holding_the_vehicle_suspends_the_limits() -> None:
    judge = OutcomeJudge(scenario())
    held = telemetry(capture_state=CaptureState.CAPTURED, free_drift_elapsed_s=500.0)
    assert judge.check_end(held) is None


def test_a_session_without_limits_ends_at_the_cap() -> None:
    judge = OutcomeJudge(scenario("crs20-capture-easy"))
    assert judge.check_end(telemetry(time_s=SESSION_CAP_S - 1)) is None
    outcome, reason = judge.check_end(telemetry(time_s=SESSION_CAP_S)) or ("", "")
    assert outcome == "timeout" and "session time cap" in reason


def test_abort_is_right_when_closing_too_fast_and_ends_once_the_retreat_shows() -> None:
    judge = OutcomeJudge(scenario())  # limit 0.02 m/s, abort not expected
    assert judge.judge_abort(10.0, 0.03) is True
    assert OutcomeJudge(scenario()).judge_abort(10.0, 0.01) is False
    assert OutcomeJudge(scenario("crs20-abort")).judge_abort(10.0, 0.0) is True  # expected
    assert judge.check_end(telemetry(time_s=10.0 + ABORT_WATCH_S - 0.1)) is None
    assert judge.check_end(telemetry(time_s=10.0 + ABORT_WATCH_S)) == (
        "aborted",
        "ABORT commanded",
    )


def test_the_peak_closing_speed_counts_in_free_drift_before_any_abort() -> None:
    judge = OutcomeJudge(scenario())
    judge.on_tick(telemetry(closing_speed_m_s=0.05))  # before free drift: not counted
    judge.on_tick(telemetry(free_drift_elapsed_s=1.0, closing_speed_m_s=0.012))
    judge.judge_abort(2.0, 0.012)
    judge.on_tick(telemetry(free_drift_elapsed_s=2.0, closing_speed_m_s=0.04))
    assert judge.peak_closing_speed_m_s == 0.012


def test_the_trigger_is_judged_once_and_handed_to_the_report() -> None:
    judge = OutcomeJudge(scenario())
    judge.on_free_drift(5.0)
    assert judge.judge_trigger(60.0, GOOD_METRICS).tier == "full"
    assert judge.on_snare_closed(62.0) and not judge.on_snare_closed(63.0)
    with pytest.raises(RuntimeError, match="has not ended"):
        judge.facts(seed=1, pilot="test", end_time_s=80.0, recording=None, events=[])
    assert judge.finish("captured", "rigidized") and not judge.finish("timeout", "late")
    facts = judge.facts(seed=1, pilot="test", end_time_s=80.0, recording=None, events=[])
    assert facts.outcome == "captured" and facts.captured_at_s == 62.0
    assert facts.trigger is not None and facts.trigger.time_s == 60.0
    assert facts.trigger.judgement.tier == "full" and facts.free_drift_start_s == 5.0
