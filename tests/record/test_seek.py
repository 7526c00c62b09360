"""The seeking reader, the one reader of a recording: any instant from its indexes, a
crashed file by a scan, every message decoded by the one decoder."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.recorded import read_whole
from trainer.errors import RecordingError
from trainer.record.decode import input_state
from trainer.record.seek import open_recording

Written = dict[str, list[dict[str, Any]]]


def expected_at(messages: list[dict[str, Any]], time_s: float) -> dict[str, Any]:
    before = [m for m in messages if m["time_s"] <= time_s + 1e-12]
    return before[-1] if before else messages[0]


def test_seeking_returns_the_state_and_input_recorded_at_that_instant(
    finished_recording: tuple[Path, Written],
) -> None:
    path, written = finished_recording
    with open_recording(path) as rec:
        assert rec.complete and rec.notice is None
        assert rec.summary == {"outcome": "captured", "passed": True, "score": 92.5}
        assert rec.metadata["seed"] == 7
        assert rec.duration_s == pytest.approx(359 / 60)
        for t in (0.0, 0.1, 0.15, 1.0, 2.49, 3.05, 5.9, 5.99):
            assert rec.state_at(t) == expected_at(written["states"], t), t
            assert rec.input_message_at(t) == expected_at(written["inputs"], t), t
            assert rec.input_at(t) == input_state(expected_at(written["inputs"], t)), t
        # before the first message: the first; after the last: the last
        assert rec.state_at(-3.0) == written["states"][0]
        assert rec.state_at(99.0) == written["states"][-1]
        assert rec.events() == written["events"]
        assert rec.checkpoints() == written["checkpoints"]


def test_messages_stream_a_time_window(finished_recording: tuple[Path, Written]) -> None:
    path, written = finished_recording
    with open_recording(path) as rec:
        window = [m.payload for m in rec.messages(["/state"], 2.0, 3.5)]
    assert window == [s for s in written["states"] if 2.0 <= s["time_s"] <= 3.5]


def test_a_graded_session_seeks_to_its_own_states(graded_recording: Path) -> None:
    whole = read_whole(graded_recording)  # streamed in order: no seeking
    with open_recording(graded_recording) as rec:
        assert rec.duration_s == pytest.approx(whole.end_time_s, abs=0.02)
        for state in whole.states[::37]:
            assert rec.state_at(state["time_s"]) == state
        assert rec.events() == whole.events


def test_a_crashed_recording_is_scanned_and_says_so(
    finished_recording: tuple[Path, Written], tmp_path: Path
) -> None:
    path = finished_recording[0]
    cut = tmp_path / "cut.mcap"
    data = path.read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3])
    with open_recording(cut) as rec:
        assert not rec.complete
        assert rec.notice is not None
        assert "no index" in rec.notice and "sequential scan" in rec.notice
        assert str(cut) in rec.notice
        whole = read_whole(path)
        assert 0 < rec.end_time_s <= whole.end_time_s
        kept = [s for s in whole.states if s["time_s"] <= rec.end_time_s]
        assert kept and kept == [m.payload for m in rec.messages(["/state"])]
        for state in kept[::5]:
            assert rec.state_at(state["time_s"]) == state


def test_a_recording_copied_unchanged_opens_with_its_index(
    finished_recording: tuple[Path, Written], tmp_path: Path
) -> None:
    copy = tmp_path / "copy.mcap"
    shutil.copy(finished_recording[0], copy)
    with open_recording(copy) as rec:
        assert rec.complete and rec.chunk_count >= 6


@pytest.mark.parametrize(
    ("content", "wording"),
    [
        (b"", "is empty (0 bytes)"),
        (b"not an mcap file at all\n", "is not a recording (not an MCAP file)"),
        (b"\x89MCAP0\r", "ends inside its MCAP header"),
    ],
)
def test_files_that_are_not_recordings(tmp_path: Path, content: bytes, wording: str) -> None:
    path = tmp_path / "bad.mcap"
    path.write_bytes(content)
    with pytest.raises(RecordingError) as caught:
        open_recording(path)
    assert wording in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match="not found"):
        open_recording(tmp_path / "nope.mcap")


def test_a_cut_inside_a_chunks_message_indexes_keeps_all_its_messages(
    graded_recording: Path, tmp_path: Path
) -> None:
    """Every cut between the end of a chunk and the next record (its message indexes, one
    per channel) recovers that chunk whole: a cut after the /state index but before the
    /input one once hid the chunk's inputs."""
    from mcap.reader import make_reader  # the file's own record offsets

    data = graded_recording.read_bytes()
    with graded_recording.open("rb") as f:
        summary = make_reader(f).get_summary()
    assert summary is not None
    second = sorted(summary.chunk_indexes, key=lambda c: c.chunk_start_offset)[1]
    chunk_end = second.chunk_start_offset + second.chunk_length
    index_end = chunk_end + second.message_index_length
    with open_recording(graded_recording) as whole:  # the first two chunks' inputs
        inputs = list(whole.messages(["/input"]))
    expected = len([m for m in inputs if m.log_time_ns <= second.message_end_time])
    assert 0 < expected < len(inputs)
    cut = tmp_path / "cut.mcap"
    for offset in range(chunk_end, index_end + 1, max(1, (index_end - chunk_end) // 12)):
        cut.write_bytes(data[:offset])
        with open_recording(cut) as rec:
            assert len(list(rec.messages(["/input"]))) == expected, offset


def test_the_reader_loads_no_scenario_package() -> None:
    """Opening a recording costs what reading it needs (docs/DESIGN.md §9: the reader's
    memory): the scenario package (its loader, yaml) is loaded only by a command that
    checks a recording's scenario (trainer/record/decode.py)."""
    import subprocess
    import sys

    code = (
        "import sys, trainer.record.seek, trainer.record.inputs\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'yaml'"
        " or m.startswith('trainer.scenario')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
