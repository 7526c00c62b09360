"""A berthing graded, recorded, verified and graded again from its recording
(docs/DESIGN.md §5, §7, §10): flown from the ground, whose delay lines are part of the
session, so the recording's own inputs must re-fly the same berthing bit for bit."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from trainer.graded import run_graded
from trainer.pilots import make_pilot
from trainer.record.schemas import STATE_TOPIC
from trainer.record.seek import open_recording
from trainer.refly.plan import load_inputs
from trainer.refly.verify import verify_recording
from trainer.scenario.loader import load_scenario

Check = Callable[[Mapping[str, Any]], None]


@pytest.fixture(scope="module")
def ground_recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    scenario = load_scenario("crs20-berthing-ground")
    out = tmp_path_factory.mktemp("berthing-ground")
    run_graded(scenario, 3, make_pilot("autopilot", scenario), "autopilot", out)
    return out


def test_the_ground_autopilot_berths_through_the_delay(
    ground_recording: Path, report_schema: Check
) -> None:
    report = json.loads((ground_recording / "report.json").read_text(encoding="utf-8"))
    report_schema(report)
    assert report["outcome"] == "berthed" and report["passed"], report["reasons"]
    b = report["berthing"]
    assert b["flown_from"] == "ground" and b["round_trip_s"] == 7.0
    assert b["rtl"]["tier"] == "full" and b["guide_contacts"] == 0


def test_a_ground_berthing_is_reproduced_bit_for_bit(ground_recording: Path) -> None:
    result = verify_recording(ground_recording / "session.mcap")
    assert result.reproduced, result.divergence
    assert result.checkpoints > 400


def test_its_recording_as_pilot_grades_the_same(ground_recording: Path, tmp_path: Path) -> None:
    inputs = load_inputs(ground_recording / "session.mcap")
    scenario = load_scenario("crs20-berthing-ground")
    seed = int(str(inputs.metadata["seed"]))
    result = run_graded(scenario, seed, inputs, inputs.pilot_name, tmp_path)
    first = json.loads((ground_recording / "report.json").read_text(encoding="utf-8"))
    assert result.report["outcome"] == first["outcome"] == "berthed"
    assert result.report["score"] == first["score"]
    assert result.report["berthing"] == first["berthing"]


def test_the_recording_holds_the_berthing_state(ground_recording: Path) -> None:
    with open_recording(ground_recording / "session.mcap") as recording:
        states = [m.payload for m in recording.messages([STATE_TOPIC])]
    phases = [s["berthing"]["phase"] for s in states]
    assert phases[0] == "to_setup" and phases[-1] == "berthed"
    assert any(s["berthing"]["arm_limp"] for s in states)
