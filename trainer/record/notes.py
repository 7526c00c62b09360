"""The instructor's annotations of a recording: a sidecar file beside it (docs/DESIGN.md §7),
written by the replay viewer, read by the viewer and the debrief.

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
writes one whole line with a single ``write`` on a file opened for appending (never
through a link, trainer/safeio.py), then fsyncs. A reader skips a last line without its
newline (a write cut off) and any line that is not such an object, and counts what it
skipped.

The sidecar may come from anywhere, so reading it is bounded (docs/DESIGN.md §7): only a
regular file is opened (a FIFO is refused without blocking: one line, exit 2), at most
MAX_FILE_BYTES of it are read, at most MAX_NOTES notes kept (the earliest written), a line
longer than MAX_LINE_BYTES is skipped and a note's text is cut at MAX_TEXT_CHARS; what was
left out is said in ``Notes.omitted``, which the debrief and the viewer show.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import orjson

from trainer.errors import RecordingError
from trainer.safeio import NotRegularFileError, append_line, open_regular

SUFFIX = ".notes.jsonl"
# Bounds (E): an instructor writes a few dozen notes of a sentence or two; these are two
# orders of magnitude above that and keep a debrief page and its plot to a few MB.
MAX_FILE_BYTES = 1024 * 1024
MAX_NOTES = 1_000
MAX_LINE_BYTES = 16 * 1024
MAX_TEXT_CHARS = 2_000
MAX_NAME_CHARS = 200


@dataclass(frozen=True)
class Note:
    time_s: float
    text: str
    author: str
    created_utc: str


def notes_path(recording: Path) -> Path:
    return recording.with_name(recording.name + SUFFIX)


class Notes(NamedTuple):
    notes: list[Note]
    """sorted by time"""
    skipped: int
    """lines that are not a note (unreadable, cut off, too long)"""
    omitted: str | None
    """what the bounds left out, one sentence, or None"""


def read_notes(recording: Path) -> Notes:
    """The notes of a recording within the bounds (see the module docstring). No file: no
    notes. A sidecar that is not a regular file raises RecordingError."""
    path = notes_path(recording)
    try:
        with open_regular(path) as f:
            size = os.fstat(f.fileno()).st_size
            data = f.read(MAX_FILE_BYTES)
    except FileNotFoundError:
        return Notes([], 0, None)
    except (NotRegularFileError, IsADirectoryError) as exc:
        raise RecordingError(f"notes {path}: {exc.strerror}") from None
    except OSError:
        return Notes([], 1, None)
    omitted: list[str] = []
    if size > MAX_FILE_BYTES:
        omitted.append(
            f"the notes file holds {size:,} bytes; only its first {MAX_FILE_BYTES:,} were read"
        )
    lines = data.split(b"\n")
    tail = lines.pop()  # after the last newline: empty, or a line cut off mid-write
    skipped = 1 if tail.strip() and size <= MAX_FILE_BYTES else 0
    notes: list[Note] = []
    cut = 0
    for raw in lines:
        if not raw.strip():
            continue
        if len(notes) >= MAX_NOTES:
            omitted.append(f"only the first {MAX_NOTES:,} notes are shown")
            break
        note = _note(raw)
        if note is None:
            skipped += 1
            continue
        if len(note.text) > MAX_TEXT_CHARS:
            note = replace(note, text=note.text[: MAX_TEXT_CHARS - 1] + "…")
            cut += 1
        notes.append(note)
    if cut:
        omitted.append(f"{cut} note(s) cut at {MAX_TEXT_CHARS:,} characters")
    notes.sort(key=lambda n: n.time_s)
    return Notes(notes, skipped, "; ".join(omitted) + "." if omitted else None)


def _note(raw: bytes) -> Note | None:
    """One line as a note, or None when it is not one."""
    if len(raw) > MAX_LINE_BYTES:
        return None
    try:
        obj = orjson.loads(raw)  # nesting beyond 1,024 levels is a decode error, not a crash
        time_s = obj["time_s"]
        text = obj["text"]
        if (
            not isinstance(time_s, int | float)
            or isinstance(time_s, bool)
            or not math.isfinite(time_s)
            or not isinstance(text, str)
        ):
            return None
        author, created = obj.get("author", ""), obj.get("created_utc", "")
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return Note(
        float(time_s),
        text,
        author[:MAX_NAME_CHARS] if isinstance(author, str) else "",
        created[:MAX_NAME_CHARS] if isinstance(created, str) else "",
    )


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
    append_line(notes_path(recording), line, "notes")
    return note
