"""One verdict on a recording (issue 24, docs/DESIGN.md §7): ``grade --pilot``,
``replay --verify``, ``report`` and the viewer refuse the same damaged or forged recordings
with one line and exit 2 (trainer/record/inputs.py, trainer/record/decode.py), a refused
recording never joins the history, and ``report`` says when a recording's inputs are not
those its stored report graded. Every case runs the real command line in a subprocess."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import orjson
import pytest
from hostile_support import cli, forge, refused, short_scenario

COMMANDS = (
    ("grade", "crs20-capture-short", "--pilot"),
    ("replay", "--verify"),
    ("report",),
)


@pytest.fixture(scope="module")
def short_recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real graded session of a 7 s scenario (nobody flying), with its summary."""
    from trainer.graded import run_graded
    from trainer.pilots import make_pilot
    from trainer.scenario.loader import load_scenario

    folder = tmp_path_factory.mktemp("short")
    scenario = load_scenario(short_scenario(folder))
    run_graded(scenario, 3, make_pilot("none", scenario), "none", folder / "graded")
    return folder / "graded" / "session.mcap"


def _args(command: tuple[str, ...], recording: Path, out: Path) -> list[str]:
    if command[0] == "grade":
        scenario = short_scenario(out.parent)
        return ["grade", str(scenario), "--pilot", str(recording), "--out", str(out)]
    if command[0] == "replay":
        return ["replay", str(recording), "--verify"]
    return ["report", str(recording), "--out", str(out)]


def _history_rows(data: Path) -> int:
    db = data / "history.sqlite3"
    if not db.exists():
        return 0
    with sqlite3.connect(db) as con:
        return int(con.execute("SELECT COUNT(*) FROM attempts").fetchone()[0])


def _every_command_refuses(recording: Path, tmp_path: Path, *words: str) -> None:
    data = tmp_path / "data"
    for command in COMMANDS:
        out = tmp_path / f"out-{command[0]}"
        result = cli(*_args(command, recording, out), env={"CANADARM_TRAINER_DATA_DIR": str(data)})
        refused(result, *words)
        assert not (out / "report.json").exists(), command
    assert _history_rows(data) == 0  # a damaged recording is never graded into the history


def _meta(**values: object) -> dict[str, str]:
    return {k: json.dumps(v) for k, v in values.items()}


@pytest.mark.parametrize(
    ("metadata", "words"),
    [
        (_meta(seed=-1), ["seed must be an integer from 0 to 4294967295", "-1"]),
        (_meta(seed=2**70), ["seed must be an integer", str(2**70)]),
        (_meta(seed="7"), ["seed must be an integer", "'7'"]),
        ({"scenario": "[" * 5000 + "]" * 5000}, ["no resolved scenario"]),
        ({"scenario": '{"a":' * 500 + "1" + "}" * 500}, ["nested more than 20 levels"]),
        ({"scenario": '{"a":' * 25 + "1" + "}" * 25}, ["nested more than 20 levels"]),
    ],
    ids=["seed-negative", "seed-2^70", "seed-text", "scenario-5000-deep", "deep-500", "deep-25"],
)
def test_metadata_out_of_bounds_is_refused_by_every_command(
    short_recording: Path, tmp_path: Path, metadata: dict[str, str], words: list[str]
) -> None:
    forged = forge(short_recording, tmp_path / "forged.mcap", metadata=metadata)
    _every_command_refuses(forged, tmp_path, *words)


def _set(key: str, value: object, at: int = 5) -> object:
    def change(index: int, data: bytes) -> bytes:
        if index != at:
            return data
        message = orjson.loads(data)
        message[key] = value
        return orjson.dumps(message)

    return change


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda i, d: b"this is not JSON" if i == 5 else d, ["/input message 5", "not a JSON"]),
        (_set("warp", 1), ["tick 5", "unknown field 'warp'"]),
        (_set("mode", "warp-drive"), ["tick 5", "mode = 'warp-drive'"]),
        (_set("thc", [0, 2.5, 0]), ["tick 5", "thc[1]", "outside [-1, 1]"]),
        (_set("connected", "false"), ["tick 5", "connected", "'false'"]),
        (_set("buttons", ["warp"]), ["tick 5", "buttons[0]"]),
        (lambda i, d: None if i == 5 else d, ["tick 6", "follows tick 4"]),
    ],
    ids=["not-json", "unknown-key", "mode", "thc", "connected", "button", "gap"],
)
def test_a_bad_input_message_gets_one_verdict(
    short_recording: Path, tmp_path: Path, change: object, words: list[str]
) -> None:
    forged = forge(short_recording, tmp_path / "forged.mcap", input_bytes=change)  # type: ignore[arg-type]
    _every_command_refuses(forged, tmp_path, *words)


def test_the_viewer_refuses_the_same_recording(short_recording: Path, tmp_path: Path) -> None:
    forged = forge(short_recording, tmp_path / "forged.mcap", input_bytes=_set("mode", "warp"))  # type: ignore[arg-type]
    refused(cli("replay", str(forged)), "mode = 'warp'")


def test_report_says_when_the_inputs_do_not_reproduce_the_stored_report(
    short_recording: Path, tmp_path: Path
) -> None:
    forged = forge(
        short_recording,
        tmp_path / "edited.mcap",
        input_bytes=_set("thc", [0.0, 0.5, 0.0], at=100),  # type: ignore[arg-type]
    )
    result = cli("report", str(forged), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "inputs are not the ones its stored report graded" in result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["debrief"]["report_source"].startswith("re-flown: the recording's inputs")
    assert "inputs are not the ones" in (tmp_path / "out" / "debrief.html").read_text()
    # the recording as graded: its stored report, and no such note
    same = cli("report", str(short_recording), "--out", str(tmp_path / "same"))
    assert same.returncode == 0 and "inputs are not" not in same.stderr
    stored = json.loads((tmp_path / "same" / "report.json").read_text())
    assert stored["debrief"]["report_source"] == "recording summary"


def test_hostile_notes_are_bounded_and_never_a_crash(short_recording: Path, tmp_path: Path) -> None:
    folder = tmp_path / "rec"
    folder.mkdir()
    recording = folder / "session.mcap"
    recording.write_bytes(short_recording.read_bytes())
    note = json.dumps({"time_s": 1.0, "text": "x" * 5000, "author": "i"})
    lines = ["[" * 100_000, note] + [json.dumps({"time_s": 2.0, "text": "n"})] * 1500
    sidecar = folder / "session.mcap.notes.jsonl"
    sidecar.write_text("\n".join(lines) + "\n" + "z" * (2 * 1024 * 1024))
    result = cli("report", str(recording))
    assert result.returncode == 0, result.stderr
    page = (folder / "debrief.html").read_text()
    assert "only the first 1,000 notes are shown" in page
    assert "cut at 2,000 characters" in page
    assert "only its first 1,048,576 were read" in page
    assert len(page) < 3 * 1024 * 1024


@pytest.mark.parametrize("what", ["recording", "notes"])
def test_a_fifo_is_refused_without_blocking(
    short_recording: Path, tmp_path: Path, what: str
) -> None:
    folder = tmp_path / "rec"
    folder.mkdir()
    recording = folder / "session.mcap"
    if what == "recording":
        os.mkfifo(recording)
        for command in COMMANDS:
            refused(cli(*_args(command, recording, tmp_path / "o"), timeout=30), "FIFO")
    else:
        recording.write_bytes(short_recording.read_bytes())
        os.mkfifo(folder / "session.mcap.notes.jsonl")
        refused(cli("report", str(recording), timeout=30), "notes", "FIFO")
