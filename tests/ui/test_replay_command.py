"""``canadarm-trainer replay RECORDING`` as a user meets it (subprocesses, SDL dummy
driver): a recording cut off by a crash opens up to the cut with a notice; a file that is
not a recording, an empty one or one of another format version is one line on stderr
and exit status 2; a note entered survives the viewer being killed right after."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from trainer.record.notes import read_notes
from trainer.record.seek import open_recording

CLI = [sys.executable, "-m", "trainer.cli"]


def _env() -> dict[str, str]:
    return dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")


def _refused(path: Path, *extra: str) -> str:
    out = subprocess.run(
        [*CLI, "replay", str(path), *extra], capture_output=True, text=True, env=_env(), timeout=60
    )
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    return lines[0]


def test_foreign_and_empty_files_are_refused_in_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mcap"
    empty.write_bytes(b"")
    assert "empty.mcap" in _refused(empty)
    text = tmp_path / "notes.mcap"
    text.write_text("not a recording\n")
    assert "notes.mcap" in _refused(text)
    assert "missing.mcap" in _refused(tmp_path / "missing.mcap")


def test_another_format_version_is_refused_naming_both(tmp_path: Path) -> None:
    from mcap.writer import Writer

    old = tmp_path / "old.mcap"
    with old.open("wb") as f:
        writer = Writer(f)
        writer.start(profile="", library="test")
        writer.add_metadata(
            "canadarm-trainer", {"format": json.dumps("canadarm-trainer/recording@0")}
        )
        writer.finish()
    line = _refused(old)
    assert "canadarm-trainer/recording@0" in line and "canadarm-trainer/recording@1" in line


def test_bad_options_are_refused_before_a_window_opens(graded_recording: Path) -> None:
    assert "--at" in _refused(graded_recording, "--at", "9999")
    assert "--at" in _refused(graded_recording, "--at", "-1")
    assert "--size" in _refused(graded_recording, "--size", "huge")


def _wait_for(proc: subprocess.Popen[str], text: str) -> list[str]:
    seen: list[str] = []
    assert proc.stderr is not None
    for line in proc.stderr:
        seen.append(line)
        if text in line:
            return seen
    raise AssertionError(f"the viewer ended before saying {text!r}: {''.join(seen)}")


def test_a_recording_cut_by_a_crash_opens_up_to_the_cut(
    graded_recording: Path, tmp_path: Path
) -> None:
    data = graded_recording.read_bytes()
    cut = tmp_path / "cut.mcap"
    cut.write_bytes(data[: len(data) // 2])
    with open_recording(cut) as rec:
        end_s = rec.end_time_s
    assert 10.0 < end_s < 70.0
    proc = subprocess.Popen(
        [*CLI, "replay", str(cut), "--at", "5", "--size", "800x480"],
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        lines = _wait_for(proc, "replay:")
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert "no index" in lines[0] and "shown up to the cut" in lines[0]
    assert f"of {end_s:.1f} s" in lines[-1]


def test_a_note_survives_the_viewer_killed_right_after_it_is_entered(
    graded_recording: Path, tmp_path: Path
) -> None:
    recording = tmp_path / "session.mcap"
    recording.write_bytes(graded_recording.read_bytes())
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        import pygame
        from trainer.record.seek import open_recording
        from trainer.record.decode import scenario_of
        from trainer.ui.replay.app import ReplayViewer
        from trainer.ui.replay.model import build_model

        path = Path(sys.argv[1])
        rec = open_recording(path)
        model = build_model(rec, scenario_of(path, rec.metadata))
        pygame.init()
        viewer = ReplayViewer(model, pygame.display.set_mode((800, 480)), start_s=20.0)
        for event in (
            pygame.event.Event(pygame.KEYDOWN, key=pygame.K_n, mod=0, unicode="n"),
            pygame.event.Event(pygame.TEXTINPUT, text="late on the roll"),
            pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\\r"),
        ):
            pygame.event.post(event)
        viewer.frame()
        print("entered", file=sys.stderr, flush=True)
        viewer.run()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(recording)],
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        _wait_for(proc, "entered")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    notes, skipped, _omitted = read_notes(recording)
    assert skipped == 0
    assert [(n.time_s, n.text, n.author) for n in notes] == [
        (20.0, "late on the roll", "instructor")
    ]
    assert recording.read_bytes() == graded_recording.read_bytes()
