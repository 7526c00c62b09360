"""The instructor's commands on files that are not usable recordings: one clear line on
stderr, exit status 2, no traceback and nothing written (docs/DESIGN.md §5)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mcap.writer import Writer


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trainer.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def _mcap(path: Path, metadata: dict[str, str] | None) -> None:
    with path.open("wb") as file:
        writer: Any = Writer(file)
        writer.start()
        if metadata is not None:
            writer.add_metadata("canadarm-trainer", metadata)
        schema = writer.register_schema("x", "jsonschema", b"{}")
        channel = writer.register_channel("/input", "json", schema)
        writer.add_message(channel, 0, b"{}", 0)
        writer.finish()


def make_bad(kind: str, folder: Path, graded: Path) -> tuple[Path, str]:
    """A bad recording of ``kind`` and a phrase its error line must hold."""
    path = folder / f"{kind}.mcap"
    if kind == "empty":
        path.write_bytes(b"")
        return path, "is empty (0 bytes)"
    if kind == "truncated":
        path.write_bytes(graded.read_bytes()[:40])  # cut before anything was recorded
        return path, "cut off before anything was recorded"
    if kind == "foreign":
        path.write_text('{"not": "a recording"}\n')
        return path, "is not a recording (not an MCAP file)"
    if kind == "other-tool":
        _mcap(path, None)
        return path, "not a canadarm-trainer recording"
    if kind == "wrong-version":
        _mcap(path, {"format": '"canadarm-trainer/recording@2"'})
        return path, "this trainer reads canadarm-trainer/recording@1"
    if kind == "missing":
        return path, "not found"
    raise AssertionError(kind)


KINDS = ("empty", "truncated", "foreign", "other-tool", "wrong-version", "missing")
COMMANDS = (("replay", "--verify"), ("replay",), ("report",))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_bad_recordings_give_one_line_and_status_2(
    kind: str, command: tuple[str, ...], tmp_path: Path, graded_recording: Path
) -> None:
    path, phrase = make_bad(kind, tmp_path, graded_recording)
    out = tmp_path / "out"
    extra = ("--out", str(out)) if command[0] == "report" else ()
    run = cli(command[0], str(path), *command[1:], *extra)
    assert run.returncode == 2, (run.stdout, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith(f"canadarm-trainer {command[0]}: ")
    assert phrase in lines[0]
    assert str(path) in lines[0]
    assert "Traceback" not in run.stderr
    assert not out.exists()  # nothing half-written


def test_report_into_a_file_instead_of_a_folder(tmp_path: Path, graded_recording: Path) -> None:
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    run = cli("report", str(graded_recording), "--out", str(not_a_folder))
    assert run.returncode == 2
    assert (
        run.stderr.strip()
        == f"canadarm-trainer report: --out {not_a_folder}: is a file, not a folder"
    )


def test_replay_without_verify_opens_the_viewer_describing_the_recording(
    graded_recording: Path,
) -> None:
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "trainer.cli", "replay", str(graded_recording), "--size", "800x480"],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stderr is not None
        line = ""
        for line in proc.stderr:
            if line.startswith("replay:"):
                break
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert "crs20-capture" in line and "seed 7" in line
    assert "outcome captured" in line and "shown at t = 0.00 s" in line
