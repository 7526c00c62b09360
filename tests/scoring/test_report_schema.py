"""report.json's keys and types are pinned by docs/report.schema.json (docs/DESIGN.md §6):
a report built from a session's facts matches it, and renaming, dropping or retyping a key
does not. Emitted reports of real graded runs are checked in tests/session/test_grading.py.
Pure: no pybullet."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from scoring_support import facts, scenario

from trainer.scoring.accumulate import ScoreAccumulator
from trainer.scoring.report import build_report
from trainer.sim.metrics import CaptureMetrics

Check = Callable[[Mapping[str, Any]], None]


def _captured_report() -> dict[str, Any]:
    sc = scenario("crs20-capture")
    acc = ScoreAccumulator(sc)
    acc.contact(12.0, "ssrms/tip_lee - dragon/frgf", 0.01)
    built = facts(
        sc,
        seed=3,
        pilot="autopilot",
        metrics=CaptureMetrics(0.01, 0.1, 1.0, 2.0, 0.004, 0.02),
        accumulator=acc,
        recording="session.mcap",
    )
    # Through JSON, as the file is written.
    return dict(json.loads(json.dumps(build_report(built))))


def test_a_built_report_matches_the_shipped_schema(report_schema: Check) -> None:
    report = _captured_report()
    report_schema(report)


@pytest.mark.parametrize(
    ("path", "change"),
    [
        (("metrics", "hand_controller_reversals"), "rename"),
        (("trigger", "tier"), "drop"),
        (("score", "total"), "retype"),
        (("outcome",), "retype"),
        (("score", "components", "time"), "rename"),
    ],
)
def test_a_renamed_dropped_or_retyped_key_is_caught(
    report_schema: Check, path: tuple[str, ...], change: str
) -> None:
    report = copy.deepcopy(_captured_report())
    parent: dict[str, Any] = report
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if change == "rename":
        parent[last + "_renamed"] = parent.pop(last)
    elif change == "drop":
        del parent[last]
    else:
        parent[last] = "not a number" if not isinstance(parent[last], str) else 7
    with pytest.raises(AssertionError, match=r"report\.json: "):
        report_schema(report)


def test_the_null_trigger_of_an_unflown_session_matches(report_schema: Check) -> None:
    report = _captured_report()
    report.update(outcome="timeout", passed=False, trigger=None, time_to_capture_s=None)
    report_schema(report)
