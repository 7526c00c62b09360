"""End-to-end grading: the autopilot captures, nobody flying times out with the drift named,
a trigger outside the envelope misses, ABORT is graded, and a recording replays bit for
bit. (Every scenario's determinism is pinned by tests/golden.)"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.recorded import read_whole
from trainer.cli import main
from trainer.graded import run_graded
from trainer.input.state import Button, HandControllerState
from trainer.pilots import NonePilot, make_pilot
from trainer.pilots.autopilot import TARGET_DEPTH_M, TRIGGER_DEPTH_TOLERANCE_M
from trainer.refly.plan import load_inputs
from trainer.scenario.loader import load_scenario


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_autopilot_captures_crs20_and_passes(
    seed: int, tmp_path: Path, report_schema: Callable[[Mapping[str, Any]], None]
) -> None:
    scenario = load_scenario("crs20-capture")
    result = run_graded(scenario, seed, make_pilot("autopilot", scenario), "autopilot", tmp_path)
    report = result.report
    assert report["outcome"] == "captured", report["reasons"]
    assert report["passed"] and report["reasons"] == []
    assert report["trigger"]["tier"] == "full"
    assert report["time_to_capture_s"] < 99.0
    assert report["score"]["total"] >= 90
    on_disk = json.loads((tmp_path / "report.json").read_text())
    assert on_disk == json.loads(json.dumps(report))
    report_schema(on_disk)
    assert (tmp_path / "report.md").read_text().startswith("# Debrief")
    assert read_whole(tmp_path / "session.mcap").complete


@pytest.mark.parametrize(
    "scenario_id", ["crs20-hc-bias", "crs20-stuck-brake", "crs20-lee-camera-loss"]
)
def test_autopilot_flies_through_each_capturable_fault(scenario_id: str, tmp_path: Path) -> None:
    """A biased THC, a joint held by a stuck brake, the LEE camera lost: each can still be
    captured, and the autopilot (the instructors' reference pilot) does it at full credit.
    With the THC bias it must learn the whole creep, or it flies the shaft too deep; with
    the LEE camera lost it holds off until the video is back."""
    scenario = load_scenario(scenario_id)
    result = run_graded(scenario, 2, make_pilot("autopilot", scenario), "autopilot", tmp_path)
    report = result.report
    assert report["outcome"] == "captured" and report["passed"], report["reasons"]
    assert report["trigger"]["tier"] == "full"
    # Where it aimed: mid full-credit window (a half-learnt bias had it stuck 4 cm deeper).
    assert abs(report["trigger"]["axial_depth_m"] - TARGET_DEPTH_M) <= TRIGGER_DEPTH_TOLERANCE_M
    # Without the LEE camera's video nobody can judge the trigger: it waits for the video.
    for loss, restore in zip(
        scenario.events("camera_loss"), scenario.events("camera_restore"), strict=True
    ):
        assert not loss.time_s <= report["trigger"]["time_s"] < restore.time_s


def test_nobody_flying_times_out_with_the_drift_named(
    tmp_path: Path, report_schema: Callable[[Mapping[str, Any]], None]
) -> None:
    scenario = load_scenario("crs20-capture")
    report = run_graded(scenario, 3, NonePilot(), "none", tmp_path, record=False).report
    report_schema(json.loads((tmp_path / "report.json").read_text()))
    assert report["outcome"] == "timeout"
    assert not report["passed"]
    assert report["trigger"] is None
    assert any("drifted" in r and "1.0 m capture sphere" in r for r in report["reasons"])


class TriggerAt:
    """Pulls the trigger at a given tick, hands off otherwise."""

    name = "trigger-at"

    def __init__(self, tick: int) -> None:
        self.tick = tick
        self.count = 0

    def next_state(self, telemetry):  # type: ignore[no-untyped-def]
        self.count += 1
        held = self.tick <= self.count < self.tick + 20
        return HandControllerState(buttons=frozenset({Button.CAPTURE}) if held else frozenset())


def test_trigger_far_outside_the_envelope_misses(
    tmp_path: Path, report_schema: Callable[[Mapping[str, Any]], None]
) -> None:
    scenario = load_scenario("crs20-capture")
    report = run_graded(scenario, 1, TriggerAt(400), "trigger-at", tmp_path, record=False).report
    report_schema(json.loads((tmp_path / "report.json").read_text()))
    assert report["outcome"] == "missed"
    assert not report["passed"]
    assert report["trigger"]["tier"] == "outside"
    assert any("axial depth" in r and "shallower than the allowed" in r for r in report["reasons"])
    assert report["score"]["components"]["misses"] < 0


def test_abort_scenario_passed_by_aborting_and_failed_by_capturing(
    tmp_path: Path, report_schema: Callable[[Mapping[str, Any]], None]
) -> None:
    scenario = load_scenario("crs20-abort")
    aborted = run_graded(
        scenario, 1, make_pilot("autopilot", scenario), "autopilot", tmp_path / "a"
    ).report
    assert aborted["outcome"] == "aborted" and aborted["passed"], aborted["reasons"]

    nominal = load_scenario("crs20-capture")
    unnecessary = run_graded(
        nominal, 1, TriggerAbort(), "abort-now", tmp_path / "b", record=False
    ).report
    assert unnecessary["outcome"] == "aborted" and not unnecessary["passed"]
    assert "unnecessary ABORT" in unnecessary["reasons"][0]

    ignored = run_graded(scenario, 1, NonePilot(), "none", tmp_path / "c", record=False).report
    assert not ignored["passed"]
    assert any("ABORT was the right call" in r for r in ignored["reasons"])

    tried = run_graded(
        scenario, 1, TriggerAt(400), "trigger-at", tmp_path / "d", record=False
    ).report
    assert not tried["passed"] and tried["outcome"] != "aborted"
    assert any("ABORT was the right call" in r for r in tried["reasons"])
    assert tried["score"]["components"]["abort_decision"] < 0
    for run in "abcd":
        report_schema(json.loads((tmp_path / run / "report.json").read_text()))


class TriggerAbort:
    name = "abort-now"

    def __init__(self) -> None:
        self.count = 0

    def next_state(self, telemetry):  # type: ignore[no-untyped-def]
        self.count += 1
        return HandControllerState(
            buttons=frozenset({Button.ABORT}) if 400 < self.count < 420 else frozenset()
        )


def test_replaying_a_recording_reproduces_the_session(tmp_path: Path) -> None:
    scenario = load_scenario("crs20-capture-hard")
    original = run_graded(
        scenario, 5, make_pilot("autopilot", scenario), "autopilot", tmp_path / "a"
    )
    inputs = load_inputs(tmp_path / "a" / "session.mcap")
    assert inputs.metadata["seed"] == 5
    replay = run_graded(scenario, 5, inputs, "replay", tmp_path / "b")
    a = read_whole(tmp_path / "a" / "session.mcap")
    b = read_whole(tmp_path / "b" / "session.mcap")
    assert [c["digest"] for c in a.checkpoints] == [c["digest"] for c in b.checkpoints]
    assert a.states == b.states
    assert replay.report["outcome"] == original.report["outcome"]
    assert replay.report["trigger"] == original.report["trigger"]


def test_grade_cli_bad_input_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["grade", "crs20-captur", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "crs20-capture" in err[0]
    broken = tmp_path / "x.mcap"
    broken.write_bytes(b"not a recording")
    assert main(["grade", "crs20-capture", "--pilot", str(broken), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "x.mcap" in err[0]
    assert not (tmp_path / "report.json").exists()


def test_grade_cli_many_seeds_prints_a_summary(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    report_schema: Callable[[Mapping[str, Any]], None],
) -> None:
    # crs20-abort: unflown, its vehicle leaves the capture sphere in 39 s (an uncapped
    # scenario would run the 600 s session cap for each seed).
    assert (
        main(
            [
                "grade",
                "crs20-abort",
                "--pilot",
                "none",
                "--seeds",
                "1..2",
                "--out",
                str(tmp_path),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "passed 0/2" in out
    for seed in (1, 2):
        report_schema(json.loads((tmp_path / f"seed-{seed}" / "report.json").read_text()))
