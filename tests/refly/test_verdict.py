"""The verdict after a divergence (trainer/refly/verdict.py): the recorded result read
from the best source there is, and compared with a replayed report."""

from __future__ import annotations

from typing import Any

from trainer.refly.verdict import compare_results, environment_lines, recorded_result


def _report(
    outcome: str = "captured", time_s: float | None = 55.2, score: float = 100.0
) -> dict[str, Any]:
    trigger = None if time_s is None else {"time_s": time_s, "tier": "full"}
    return {"outcome": outcome, "passed": outcome == "captured", "trigger": trigger,
            "score": {"total": score}}  # fmt: skip


def test_the_stored_report_is_the_recorded_result() -> None:
    recorded = recorded_result({"report": _report()}, [{"kind": "end", "outcome": "timeout"}])
    assert recorded == {
        "outcome": "captured",
        "passed": True,
        "trigger": (55.2, "full"),
        "score": 100.0,
    }


def test_without_a_report_the_summary_and_the_events_stand_in() -> None:
    events = [
        {"kind": "trigger", "time_s": 40.0, "tier": "outside"},
        {"kind": "trigger", "time_s": 61.5, "tier": "allowed"},
        {"kind": "end", "outcome": "captured"},
    ]
    recorded = recorded_result({"outcome": "captured", "passed": True}, events)
    assert recorded == {"outcome": "captured", "passed": True, "trigger": (61.5, "allowed")}
    # a session cut off by a crash: no end event, so its triggers are not the whole story
    assert recorded_result(None, events[:2]) == {}


def test_the_same_result_and_a_different_one() -> None:
    recorded = recorded_result({"report": _report()}, [])
    same = compare_results(recorded, _report(time_s=55.2 + 1e-9, score=100.004))
    assert same.same
    assert same.sentence().startswith("the replayed session reaches the recorded result")
    other = compare_results(recorded, _report("collision", None, 20.0))
    assert not other.same
    assert "outcome recorded captured, replayed collision" in other.sentence()
    assert "trigger recorded at 55.200 s (full), replayed not pulled" in other.sentence()
    late = compare_results(recorded, _report(time_s=55.2 + 1 / 60))
    assert not late.same  # a tick later is another trigger


def test_what_the_recording_does_not_hold_is_said() -> None:
    comparison = compare_results({"outcome": "timeout"}, _report("timeout", None))
    assert comparison.same
    assert comparison.missing == ("passed", "trigger", "score")
    assert "not in the recording: passed, trigger, score" in comparison.sentence()


def test_environment_lines() -> None:
    assert "no environment fingerprint" in environment_lines(None)[0]
    lines = environment_lines({"libm_path": "sse2"})
    assert lines[0] == "recorded on a machine that differs from this one:"
    assert any("libm_path" in line and "sse2" in line for line in lines)
