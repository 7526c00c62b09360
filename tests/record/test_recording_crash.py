"""A recording cut off anywhere (a crash, a full disk, a copy in progress) still reads, up
to its last whole chunk; a damaged one is refused where it is damaged."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from mcap.records import Chunk, Message
from mcap.stream_reader import breakup_chunk
from recording_helpers import METADATA, write_session

from tests.recorded import read_whole
from trainer.errors import RecordingError
from trainer.record import RecordingWriter, open_recording

Written = dict[str, list[dict[str, Any]]]
CHUNK_OPCODE = 0x06
SCANNED = (
    "has no index (the session did not close it: cut off or crashed); read by a sequential scan"
)
FOOTER_OPCODE = 0x02


def top_level_records(data: bytes) -> list[tuple[int, int, int]]:
    """(opcode, start, end) of every record after the leading magic, up to the footer."""
    records = []
    offset = 8
    while offset < len(data) - 8:
        opcode = data[offset]
        length = int.from_bytes(data[offset + 1 : offset + 9], "little")
        records.append((opcode, offset, offset + 9 + length))
        offset += 9 + length
    return records


def messages_in_chunk(data: bytes, start: int, end: int) -> int:
    from io import BytesIO

    from mcap.stream_reader import StreamReader

    record = next(
        r for r in StreamReader(BytesIO(data[start:end]), skip_magic=True, emit_chunks=True).records
    )
    assert isinstance(record, Chunk)
    return sum(isinstance(r, Message) for r in breakup_chunk(record))


def test_every_cut_reads_what_was_complete(
    finished_recording: tuple[Path, Written], tmp_path: Path
) -> None:
    path, written = finished_recording
    data = path.read_bytes()
    records = top_level_records(data)
    header_end = records[0][2]  # the header record
    metadata_end = records[1][2]  # the canadarm-trainer metadata, written first
    chunks = [(s, e, messages_in_chunk(data, s, e)) for op, s, e in records if op == CHUNK_OPCODE]
    assert len(chunks) == 6
    footer_start = next(s for op, s, _ in records if op == FOOTER_OPCODE)

    cuts = set(range(0, metadata_end + 3))
    cuts |= set(range(metadata_end, len(data), 41))
    for start, end, _ in chunks:
        cuts |= {start, start + 1, start + 9, start + 40, (start + end) // 2, end - 1, end, end + 1}
    cuts |= {footer_start - 1, footer_start, footer_start + 5, *range(len(data) - 9, len(data))}
    all_inputs = written["inputs"]
    cut_file = tmp_path / "cut.mcap"
    for cut in sorted(cuts):
        cut_file.write_bytes(data[:cut])
        if cut == 0:
            with pytest.raises(RecordingError, match="is empty"):
                open_recording(cut_file)
            continue
        if cut < header_end:
            with pytest.raises(RecordingError, match="ends inside its MCAP header"):
                open_recording(cut_file)
            continue
        if cut < metadata_end:
            with pytest.raises(RecordingError, match="ends before its metadata"):
                open_recording(cut_file)
            continue
        recording = read_whole(cut_file)
        expected = sum(count for _, end, count in chunks if end <= cut)
        assert recording.message_count == expected, cut
        assert recording.inputs == all_inputs[: len(recording.inputs)]
        assert recording.metadata["scenario_id"] == "crs20-capture"
        assert not recording.complete
        assert recording.notice is not None
        assert recording.notice.startswith(f"recording {cut_file} {SCANNED} up to byte ")
        assert "\n" not in recording.notice
    assert read_whole(path).complete


def test_notice_wording(finished_recording: tuple[Path, Written], tmp_path: Path) -> None:
    path, _ = finished_recording
    data = path.read_bytes()
    chunks = [(s, e) for op, s, e in top_level_records(data) if op == CHUNK_OPCODE]
    cut = (chunks[2][0] + chunks[2][1]) // 2  # inside the third second's chunk
    cut_file = tmp_path / "cut.mcap"
    cut_file.write_bytes(data[:cut])
    recording = read_whole(cut_file)
    # the scan stops where the third chunk's record runs past the end of the file
    assert (
        recording.notice
        == f"recording {cut_file} {SCANNED} up to byte {cut:,} of {cut:,}, t = 2.0 s"
    )
    assert recording.end_time_s == pytest.approx(119 / 60)
    assert recording.message_count == sum(messages_in_chunk(data, s, e) for s, e in chunks[:2])


def test_summary_survives_a_cut_after_the_data(
    finished_recording: tuple[Path, Written], tmp_path: Path
) -> None:
    path, written = finished_recording
    data = path.read_bytes()
    cut_file = tmp_path / "cut.mcap"
    cut_file.write_bytes(data[:-3])  # inside the closing magic
    recording = read_whole(cut_file)
    assert recording.summary == {"outcome": "captured", "passed": True, "score": 92.5}
    assert recording.inputs == written["inputs"]
    assert not recording.complete
    assert recording.notice is not None


def test_a_crash_loses_at_most_the_last_simulated_second(tmp_path: Path) -> None:
    path = tmp_path / "session.mcap"
    writer = RecordingWriter(path, METADATA)
    try:
        written = write_session(writer, 3.5)  # ticks 0..209; t = 3.0 s flushed [0, 3)
        crashed = tmp_path / "crashed.mcap"
        shutil.copyfile(path, crashed)  # the bytes on disk as a crash would leave them
        recording = read_whole(crashed)
        assert recording.inputs == [m for m in written["inputs"] if m["time_s"] < 3.0]
        assert len(recording.inputs) == 180
        assert recording.states == [m for m in written["states"] if m["time_s"] < 3.0]
        assert recording.events == [m for m in written["events"] if m["time_s"] < 3.0]
        assert recording.checkpoints == [m for m in written["checkpoints"] if m["time_s"] < 3.0]
        assert recording.summary is None
        assert not recording.complete
        assert recording.notice is not None
        assert "(the session did not close it: cut off or crashed)" in recording.notice
        assert recording.notice.endswith(", t = 3.0 s")
    finally:
        writer.close()


def test_a_crash_right_after_opening_leaves_a_readable_file(tmp_path: Path) -> None:
    path = tmp_path / "session.mcap"
    writer = RecordingWriter(path, METADATA)
    try:
        crashed = tmp_path / "crashed.mcap"
        shutil.copyfile(path, crashed)
        recording = read_whole(crashed)
        assert recording.metadata["pilot"] == "autopilot"
        assert recording.message_count == 0
        assert recording.notice is not None
        assert recording.notice.endswith(", t = 0.0 s")
    finally:
        writer.close()


def test_explicit_flush_puts_everything_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "session.mcap"
    writer = RecordingWriter(path, METADATA)
    try:
        written = write_session(writer, 0.5)
        writer.write_event(0.5, "pause")
        writer.flush()
        crashed = tmp_path / "crashed.mcap"
        shutil.copyfile(path, crashed)
        recording = read_whole(crashed)
        assert recording.inputs == written["inputs"]
        assert recording.events[-1] == {"time_s": 0.5, "kind": "pause"}
    finally:
        writer.close()


def test_a_damaged_chunk_is_refused_where_it_is_read(
    finished_recording: tuple[Path, Written], tmp_path: Path
) -> None:
    """A chunk that fails its check is never decoded into garbage: reading reaches it and
    stops with one line naming where (docs/DESIGN.md §5: a damaged recording is refused)."""
    path, written = finished_recording
    data = bytearray(path.read_bytes())
    chunks = [(s, e) for op, s, e in top_level_records(bytes(data)) if op == CHUNK_OPCODE]
    middle = (chunks[3][0] + chunks[3][1]) // 2
    data[middle] ^= 0xFF
    damaged = tmp_path / "damaged.mcap"
    damaged.write_bytes(bytes(data))
    read: list[dict[str, Any]] = []
    with open_recording(damaged) as recording, pytest.raises(RecordingError) as caught:
        read.extend(m.payload for m in recording.messages(["/input"]))
    assert read == written["inputs"][:180]
    assert str(caught.value).startswith(
        f"recording {damaged} is damaged in the chunk at byte {chunks[3][0]:,} (t = 3.0 s): "
    )
    assert "\n" not in str(caught.value)
