"""The debrief and the history of a berthing (trainer/debrief/berthing.py, docs/DESIGN.md
§6): report.json keeps its berthing block and matches the schema, the page explains the
procedure and the RTL envelope with the berthing quantities plotted on their bands, the
lesson marks judge the berthing (not a trigger it never had), and the history lists the
attempt under its scenario."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from trainer.debrief.command import build_debrief
from trainer.graded import run_graded
from trainer.history.command import format_history
from trainer.history.store import HistoryStore, attempt_from_report, record_attempt
from trainer.pilots import make_pilot
from trainer.record.seek import open_recording
from trainer.scenario.loader import load_scenario

Check = Callable[[Mapping[str, Any]], None]


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    scenario = load_scenario("crs20-berthing-rtl-fault")
    out = tmp_path_factory.mktemp("berthing")
    run_graded(scenario, 4, make_pilot("autopilot", scenario), "autopilot", out, record=True)
    return out


def test_the_debrief_explains_the_berthing(graded: Path, report_schema: Check) -> None:
    with open_recording(graded / "session.mcap") as recording:
        report, page = build_debrief(recording)
    report_schema({k: v for k, v in report.items() if k != "debrief"})
    assert report["berthing"]["rtl"]["on_three_rtls"]
    text = re.sub(r"<[^>]+>", " ", page)
    assert "The berthing" in text and "Ready to latch at t =" in text
    assert "on three indicators (one failed)" in text
    assert "The capture trigger was never pulled" not in text
    joined = " ".join(re.findall(r'alt="([^"]*)"', page))
    for title in ("Berthing: separation", "Lateral offset", "Tilt", "Roll", "Axial speed"):
        assert title in joined, (title, joined)
    marks = {m["name"]: m for a in report["debrief"]["lesson_marks"] for m in a["metrics"]}
    assert marks["RTL envelope tier"]["mark"] == "good"
    assert "envelope tier at the trigger" not in marks
    assert marks["procedure"]["value"] == "kept"


def test_the_history_lists_a_berthing_under_its_scenario(graded: Path, tmp_path: Path) -> None:
    report = json.loads((graded / "report.json").read_text(encoding="utf-8"))
    db = tmp_path / "history.sqlite3"
    record_attempt(report, trainee="alice", db_path=db)
    with HistoryStore(db) as store:
        attempts = store.attempts("alice")
    lines = format_history("alice", attempts)
    assert "crs20-berthing-rtl-fault (1 attempt(s))" in lines
    assert any("berthed" in line and "yes" in line for line in lines)
    assert (
        attempt_from_report(report, trainee="alice", aids=None, recording=None).outcome == "berthed"
    )
