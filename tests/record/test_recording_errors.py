"""Files that are not recordings, and recordings that cannot be written: one clear line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mcap.writer import Writer

from trainer.errors import RecordingError
from trainer.record import RecordingWriter, open_recording


def one_line_error(path: Path) -> str:
    with pytest.raises(RecordingError) as caught:
        open_recording(path).close()
    message = str(caught.value)
    assert str(path) in message
    assert "\n" not in message
    return message


def test_missing(tmp_path: Path) -> None:
    path = tmp_path / "nope.mcap"
    assert one_line_error(path) == f"recording {path} not found"


def test_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.mcap"
    path.write_bytes(b"")
    assert one_line_error(path) == f"recording {path} is empty (0 bytes)"


@pytest.mark.parametrize("content", [b"{}", b"hello, this is a text file\n", b"\x89MCAP1\r\nxx"])
def test_not_mcap(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "report.json"
    path.write_bytes(content)
    assert one_line_error(path) == f"{path} is not a recording (not an MCAP file)"


def test_a_folder(tmp_path: Path) -> None:
    assert one_line_error(tmp_path) == f"recording {tmp_path} is a folder, not a file"


def test_cut_inside_the_magic(tmp_path: Path) -> None:
    path = tmp_path / "cut.mcap"
    path.write_bytes(b"\x89MCA")
    assert one_line_error(path) == (
        f"recording {path} ends inside its MCAP header at byte 4 "
        "(cut off before anything was recorded)"
    )


def _foreign_mcap(path: Path, metadata: dict[str, str] | None) -> None:
    with path.open("wb") as file:
        writer: Any = Writer(file)  # mcap leaves finish() untyped
        writer.start()
        if metadata is not None:
            writer.add_metadata("canadarm-trainer", metadata)
        schema = writer.register_schema("x", "jsonschema", b"{}")
        channel = writer.register_channel("/input", "json", schema)
        writer.add_message(channel, 0, b"{}", 0)
        writer.finish()


def test_another_tools_mcap(tmp_path: Path) -> None:
    path = tmp_path / "ros.mcap"
    _foreign_mcap(path, None)
    assert one_line_error(path) == (
        f"{path} is an MCAP file but not a canadarm-trainer recording "
        "(no 'canadarm-trainer' metadata before its messages)"
    )


def test_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "future.mcap"
    _foreign_mcap(path, {"format": '"canadarm-trainer/recording@2"'})
    assert one_line_error(path) == (
        f"recording {path} has format 'canadarm-trainer/recording@2'; "
        "this trainer reads canadarm-trainer/recording@1"
    )


def test_cannot_create_the_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    path = blocker / "out" / "session.mcap"
    with pytest.raises(RecordingError) as caught:
        RecordingWriter(path, {})
    assert str(caught.value).startswith(f"cannot create the folder of recording {path}: ")
    assert not path.exists()


def test_cannot_open_the_file(tmp_path: Path) -> None:
    path = tmp_path / "session.mcap"
    path.mkdir()
    with pytest.raises(RecordingError) as caught:
        RecordingWriter(path, {})
    assert str(caught.value).startswith(f"cannot create recording {path}: ")
    assert "\n" not in str(caught.value)


def test_bad_metadata_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "out" / "session.mcap"
    with pytest.raises(TypeError, match="object cannot be written"):
        RecordingWriter(path, {"scenario": object()})
    assert not path.exists()
    with pytest.raises(ValueError, match="written by the writer"):
        RecordingWriter(path, {"format": "mine"})
    assert not path.exists()


def test_creates_missing_folders_and_replaces_an_old_file(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "session.mcap"
    for seed in (1, 2):
        with RecordingWriter(path, {"seed": seed}):
            pass
    with open_recording(path) as recording:
        assert recording.metadata["seed"] == 2
