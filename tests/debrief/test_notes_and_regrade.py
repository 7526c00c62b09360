"""The annotations sidecar, and the debrief of a recording that holds no graded report."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from trainer.debrief.command import build_debrief
from trainer.record.notes import append_note, notes_path, read_notes
from trainer.record.seek import open_recording


def test_notes_round_trip_sorted_by_time(tmp_path: Path) -> None:
    recording = tmp_path / "session.mcap"
    append_note(recording, 12.5, "second", "B")
    append_note(recording, 3.0, "first, ünïcode", "A")
    assert notes_path(recording).name == "session.mcap.notes.jsonl"
    notes, skipped, _omitted = read_notes(recording)
    assert [(n.time_s, n.text, n.author) for n in notes] == [
        (3.0, "first, ünïcode", "A"),
        (12.5, "second", "B"),
    ]
    assert skipped == 0
    assert all(n.created_utc.endswith("+00:00") for n in notes)


def test_bad_and_cut_lines_are_skipped_and_counted(tmp_path: Path) -> None:
    recording = tmp_path / "session.mcap"
    append_note(recording, 1.0, "kept", "A")
    with notes_path(recording).open("a") as f:
        f.write('"just a string"\n{"time_s": "soon", "text": "x"}\n{"time_s": 2.0, "te')
    notes, skipped, _omitted = read_notes(recording)
    assert [n.text for n in notes] == ["kept"]
    assert skipped == 3


def test_no_sidecar_no_notes(tmp_path: Path) -> None:
    assert read_notes(tmp_path / "session.mcap") == ([], 0, None)


def test_a_cut_off_recording_is_re_flown_and_graded_as_cut(
    graded_recording: Path, tmp_path: Path, report_schema: Callable[[Mapping[str, Any]], None]
) -> None:
    cut = tmp_path / "cut.mcap"
    data = graded_recording.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with open_recording(cut) as rec:
        report, page = build_debrief(rec)
    assert report["debrief"]["report_source"] == "re-flown from the recording"
    assert report["outcome"] == "interrupted"  # stopped at the cut, not timed out
    assert "cut off" in report["outcome_reason"]
    assert "sequential scan" in report["debrief"]["recording_notice"]
    assert "flown again from its scenario, seed and inputs" in page
    report_schema(json.loads(json.dumps(report)))


def test_a_session_the_trainee_quit_verifies_and_debriefs_with_its_aids(tmp_path: Path) -> None:
    """Like a `fly` session: the aid level in the metadata, the trainee quits, no graded
    report stored: replay reproduces the quit, and the debrief re-flies and grades it."""
    from trainer.input.state import HandControllerState
    from trainer.refly.verify import verify_recording
    from trainer.scenario.loader import load_scenario
    from trainer.session import Session

    path = tmp_path / "flown.mcap"
    session = Session(
        load_scenario("basic-drill"),
        3,
        pilot="keyboard",
        recording_path=path,
        extra_metadata={"aids": "guided", "trainee": "ada"},
    )
    for i in range(150):
        session.tick(HandControllerState(thc=(0.3 if i < 60 else 0.0, 0.0, 0.0)))
    session.stop()
    session.close(summary={"outcome": session.outcome, "passed": False})

    result = verify_recording(path)
    assert result.reproduced, result.divergence
    with open_recording(path) as rec:
        report, page = build_debrief(rec)
    assert report["debrief"]["aids"] == "guided"
    assert report["debrief"]["report_source"] == "re-flown from the recording"
    assert report["outcome_reason"] == "stopped by the user"
    assert "aids <b>guided</b>" in page and "trainee <b>ada</b>" in page


def test_a_report_at_format_1_stored_in_a_recording_is_still_read(
    graded_recording: Path, tmp_path: Path
) -> None:
    """report@2 only added the interrupted outcome: a recording graded by a trainer that
    wrote report@1 debriefs from its stored report as it is (docs/DESIGN.md §6)."""
    from refly.recordings import copy_recording  # tests/refly/recordings.py

    def to_format_1(summary: dict[str, Any]) -> dict[str, Any]:
        report = dict(summary["report"])
        report["format"] = "canadarm-trainer/report@1"
        report["outcome_reason"] = "rigidized (graded by an older trainer)"
        return {**summary, "report": report}

    old = tmp_path / "old.mcap"
    copy_recording(graded_recording, old, alter_summary=to_format_1)
    with open_recording(old) as rec:
        report, page = build_debrief(rec)
    assert report["format"] == "canadarm-trainer/report@1"
    assert report["outcome_reason"] == "rigidized (graded by an older trainer)"
    assert report["debrief"]["report_source"] == "recording summary"
    assert "CAPTURED: PASS" in page


def test_a_report_at_format_2_stored_in_a_recording_is_still_read(
    graded_recording: Path, tmp_path: Path
) -> None:
    """report@3 added the berthed outcome and the berthing block: a report@2 (no
    ``berthing`` key at all) debriefs from the recording as it is (docs/DESIGN.md §6)."""
    from refly.recordings import copy_recording  # tests/refly/recordings.py

    def to_format_2(summary: dict[str, Any]) -> dict[str, Any]:
        report = {k: v for k, v in summary["report"].items() if k != "berthing"}
        report["format"] = "canadarm-trainer/report@2"
        report["outcome_reason"] = "rigidized (graded before berthing)"
        return {**summary, "report": report}

    old = tmp_path / "old.mcap"
    copy_recording(graded_recording, old, alter_summary=to_format_2)
    with open_recording(old) as rec:
        report, page = build_debrief(rec)
    assert report["format"] == "canadarm-trainer/report@2"
    assert "berthing" not in report
    assert report["outcome_reason"] == "rigidized (graded before berthing)"
    assert report["debrief"]["report_source"] == "recording summary"
    assert "CAPTURED: PASS" in page
