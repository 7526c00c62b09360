"""Fixtures of the recording tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from recording_helpers import METADATA, SUMMARY, write_session

from trainer.record import RecordingWriter


@pytest.fixture
def finished_recording(tmp_path: Path) -> tuple[Path, dict[str, list[dict[str, Any]]]]:
    """A closed 6-second recording with a summary, and the messages written to it."""
    path = tmp_path / "session.mcap"
    with RecordingWriter(path, METADATA) as writer:
        written = write_session(writer, 6.0)
        writer.close(SUMMARY)
    return path, written
