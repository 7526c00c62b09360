"""The instructor's annotations of a recording: a sidecar file beside it.

Format: ``<recording>.notes.jsonl`` (for ``session.mcap``: ``session.mcap.notes.jsonl``),
UTF-8, one JSON object per line, appended and never rewritten:

    {"time_s": 56.1, "text": "Trigger pulled with the roll still settling.",
     "author": "instructor", "created_utc": "2026-11-29T04:10:00+00:00"}

| key           | type   | meaning                                                    |
|---------------|--------|------------------------------------------------------------|
| `time_s`      | number | simulation time in the recording the note is about (≥ 0)   |
| `text`        | string | the note                                                   |
| `author`      | string | who wrote it                                               |
| `created_utc` | string | when it was written (ISO 8601, UTC)                        |

Append-only so a writer that dies can only lose the line it was writing: `append_note`
writes one whole line with a single ``write`` on a file opened for appending, then fsyncs.
A reader skips a last line without its newline (a write cut off) and any line that is not
such an object, and counts what it skipped.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SUFFIX = ".notes.jsonl"


@dataclass(frozen=True)
class Note:
    time_s: float
    text: str
    author: str
    created_utc: str


def notes_path(recording: Path) -> Path:
    return recording.with_name(recording.name + SUFFIX)


def read_notes(recording: Path) -> tuple[list[Note], int]:
    """(the notes sorted by time, how many lines were skipped). No file: no notes."""
    path = notes_path(recording)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], 0
    except OSError:
        return [], 1
    lines = data.split(b"\n")
    tail = lines.pop()  # after the last newline: empty, or a line cut off mid-write
    skipped = 1 if tail.strip() else 0
    notes: list[Note] = []
    for raw in lines:
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
            time_s = obj["time_s"]
            text = obj["text"]
            if (
                not isinstance(time_s, int | float)
                or isinstance(time_s, bool)
                or not math.isfinite(time_s)
                or not isinstance(text, str)
            ):
                raise ValueError
            notes.append(
                Note(
                    float(time_s),
                    text,
                    str(obj.get("author", "")),
                    str(obj.get("created_utc", "")),
                )
            )
        except (ValueError, KeyError, TypeError):
            skipped += 1
    notes.sort(key=lambda n: n.time_s)
    return notes, skipped


def append_note(recording: Path, time_s: float, text: str, author: str) -> Note:
    """Append one note (one line, one write, fsynced)."""
    note = Note(float(time_s), text, author, datetime.now(UTC).isoformat(timespec="seconds"))
    line = (
        json.dumps(
            {
                "time_s": note.time_s,
                "text": note.text,
                "author": note.author,
                "created_utc": note.created_utc,
            },
            ensure_ascii=False,
        )
        + "\n"
    ).encode()
    fd = os.open(notes_path(recording), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)
    return note
