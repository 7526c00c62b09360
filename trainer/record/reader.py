"""Read a session recording, including one cut off by a crash (docs/DESIGN.md §7).

Reading is sequential (mcap's ``StreamReader``), never through the summary section at the
end of the file, because a crashed session has none: every record that is complete on
disk is read, and reading stops at the first incomplete or damaged one with a one-line
`Recording.notice` instead of an exception. Chunk CRCs are checked, so a damaged chunk
is reported, not decoded into garbage.

Only a file that cannot be a recording raises `RecordingError` (one line, naming the
path): missing, unreadable, empty, not MCAP, cut inside its header or before its
metadata, or of another format than ``canadarm-trainer/recording@1``.

| `Recording` field | meaning                                                          |
|-------------------|------------------------------------------------------------------|
| metadata          | the ``canadarm-trainer`` metadata, values JSON-decoded             |
| inputs            | `/input` messages in order (dicts as written)                     |
| states            | `/state` messages                                                 |
| events            | `/events` messages                                                |
| checkpoints       | `/checkpoint` messages                                            |
| summary           | the ``canadarm-trainer.summary`` metadata, or None (crashed)       |
| complete          | True when the file ends with its footer and closing magic         |
| notice            | None, or why and where reading stopped early                      |
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from mcap.records import Channel, Footer, Header, Message, Metadata
from mcap.stream_reader import StreamReader

from trainer.errors import RecordingError
from trainer.record.schemas import (
    CHECKPOINT_TOPIC,
    EVENTS_TOPIC,
    FORMAT,
    INPUT_TOPIC,
    METADATA_NAME,
    STATE_TOPIC,
    SUMMARY_METADATA_NAME,
)
from trainer.safeio import open_regular

MCAP_MAGIC = b"\x89MCAP0\r\n"
TOPICS = (INPUT_TOPIC, STATE_TOPIC, EVENTS_TOPIC, CHECKPOINT_TOPIC)


@dataclass(frozen=True)
class RecordedMessage:
    """One message of a recording: topic, simulation time and the decoded JSON payload."""

    topic: str
    log_time_ns: int
    payload: dict[str, Any]

    @property
    def time_s(self) -> float:
        return self.log_time_ns / 1e9


@dataclass(frozen=True)
class Recording:
    """A recording read back (see the module docstring for the fields)."""

    path: Path
    metadata: dict[str, Any]
    inputs: list[dict[str, Any]] = field(default_factory=list)
    states: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    checkpoints: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] | None = None
    complete: bool = False
    notice: str | None = None
    end_time_s: float = 0.0
    """Simulation time of the last message read."""

    @property
    def message_count(self) -> int:
        return len(self.inputs) + len(self.states) + len(self.events) + len(self.checkpoints)


class _TruncatedError(Exception):
    """The file ends inside a record."""


class _StrictFile:
    """A binary file whose short reads raise `_TruncatedError`: mcap's reader would otherwise
    hand back a record cut short as if it were whole."""

    def __init__(self, file: IO[bytes], size: int) -> None:
        self._file = file
        self._size = size
        self.offset = 0

    def read(self, size: int) -> bytes:
        if size < 0:
            raise ValueError("a record length is out of range")
        if size > self._size - self.offset:  # never allocate what the file cannot hold
            self.offset = self._size
            raise _TruncatedError
        data = self._file.read(size)
        self.offset += len(data)
        if len(data) != size:
            raise _TruncatedError
        return data


def _decode_metadata(values: dict[str, str]) -> dict[str, Any]:
    decoded: dict[str, Any] = {}
    for key, text in values.items():
        try:
            decoded[key] = json.loads(text)
        except (ValueError, RecursionError):
            # written by another tool, or nested beyond what json can walk: the string as it
            # is (its users check the shape, trainer/replay/source.py checked_metadata)
            decoded[key] = text
    return decoded


class _Scan:
    """One sequential pass over a recording; `messages` yields, the rest is the outcome."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.metadata: dict[str, Any] | None = None
        self.summary: dict[str, Any] | None = None
        self.complete = False
        self.count = 0
        self.end_time_ns = 0
        self.size = 0
        self.good_offset = 0  # end of the last complete record
        self.stop_reason: str | None = None  # None: read to the end

    def _open(self) -> IO[bytes]:
        try:
            # a regular file only: a FIFO given as a recording would block the open
            file = open_regular(self.path)
        except FileNotFoundError:
            raise RecordingError(f"recording {self.path} not found") from None
        except IsADirectoryError:
            raise RecordingError(f"recording {self.path} is a folder, not a file") from None
        except OSError as exc:
            raise RecordingError(
                f"cannot read recording {self.path}: {exc.strerror or exc}"
            ) from None
        try:
            self.size = os.fstat(file.fileno()).st_size
            head = file.read(len(MCAP_MAGIC))
            file.seek(0)
        except OSError as exc:
            file.close()
            raise RecordingError(
                f"cannot read recording {self.path}: {exc.strerror or exc}"
            ) from None
        if not head:
            file.close()
            raise RecordingError(f"recording {self.path} is empty (0 bytes)")
        if not MCAP_MAGIC.startswith(head):
            file.close()
            raise RecordingError(f"{self.path} is not a recording (not an MCAP file)")
        return file

    def _fail_early(self, header_seen: bool) -> RecordingError:
        if not header_seen:
            return RecordingError(
                f"recording {self.path} ends inside its MCAP header at byte {self.size:,} "
                "(cut off before anything was recorded)"
            )
        return RecordingError(
            f"recording {self.path} ends before its metadata at byte {self.size:,} "
            "(cut off before anything was recorded)"
        )

    def _check_metadata(self, record: Metadata) -> None:
        metadata = _decode_metadata(record.metadata)
        found = metadata.get("format")
        if found != FORMAT:
            raise RecordingError(
                f"recording {self.path} has format {found!r}; this trainer reads {FORMAT}"
            )
        self.metadata = metadata

    def _not_ours(self) -> RecordingError:
        return RecordingError(
            f"{self.path} is an MCAP file but not a canadarm-trainer recording "
            f"(no {METADATA_NAME!r} metadata before its messages)"
        )

    def messages(self) -> Iterator[RecordedMessage]:
        """Every complete message on the trainer's channels, in file order.

        Raises RecordingError before the first message when the file is not a readable
        recording; afterwards it only stops (see `stop_reason`)."""
        with self._open() as file:
            strict = _StrictFile(file, self.size)
            # no length limit: _StrictFile treats a record longer than the rest of the file
            # as cut off, which is what it is after a crash
            reader = StreamReader(
                cast(IO[bytes], strict), validate_crcs=True, record_size_limit=None
            )
            records = reader.records
            topics: dict[int, str] = {}
            header_seen = False
            while True:
                try:
                    record = next(records)
                except StopIteration:
                    self.complete = True
                    break
                except _TruncatedError:
                    if self.metadata is None:
                        raise self._fail_early(header_seen) from None
                    self.stop_reason = "cut off or crashed"
                    break
                except Exception as exc:  # damaged data: mcap raises many kinds
                    if not header_seen:
                        raise RecordingError(
                            f"{self.path} is not a readable MCAP recording ({exc})"
                        ) from None
                    if self.metadata is None:
                        raise RecordingError(
                            f"recording {self.path} is damaged before its metadata ({exc})"
                        ) from None
                    self.stop_reason = f"damaged: {exc}"
                    break
                self.good_offset = strict.offset
                if isinstance(record, Header):
                    header_seen = True
                elif isinstance(record, Metadata):
                    if record.name == METADATA_NAME and self.metadata is None:
                        self._check_metadata(record)
                    elif record.name == SUMMARY_METADATA_NAME:
                        self.summary = _decode_metadata(record.metadata)
                elif isinstance(record, Channel):
                    topics[record.id] = record.topic
                elif isinstance(record, Message):
                    if self.metadata is None:
                        raise self._not_ours()
                    topic = topics.get(record.channel_id)
                    if topic not in TOPICS:
                        continue  # another tool's channel
                    try:
                        payload = json.loads(record.data)
                    except (ValueError, RecursionError):  # nested past what json walks
                        self.stop_reason = f"damaged: a {topic} message is not JSON"
                        break
                    if not isinstance(payload, dict):
                        self.stop_reason = f"damaged: a {topic} message is not an object"
                        break
                    self.count += 1
                    self.end_time_ns = max(self.end_time_ns, record.log_time)
                    yield RecordedMessage(topic, record.log_time, payload)
                elif isinstance(record, Footer):
                    pass  # the closing magic follows; StopIteration marks completion
            if self.metadata is None:
                raise self._not_ours()

    @property
    def notice(self) -> str | None:
        if self.stop_reason is None:
            return None
        where = (
            f"ends early at byte {self.good_offset:,} of {self.size:,} ({self.stop_reason})"
            if self.stop_reason == "cut off or crashed"
            else f"is {self.stop_reason} after byte {self.good_offset:,} of {self.size:,}"
        )
        return (
            f"recording {self.path} {where}; read {self.count:,} messages "
            f"up to t = {self.end_time_ns / 1e9:.1f} s"
        )


def read_recording(path: Path | str) -> Recording:
    """Read a whole recording into memory (a 30-minute session is ~130,000 messages)."""
    scan = _Scan(path)
    by_topic: dict[str, list[dict[str, Any]]] = {topic: [] for topic in TOPICS}
    for message in scan.messages():
        by_topic[message.topic].append(message.payload)
    if scan.metadata is None:  # messages() has raised already; this satisfies the types
        raise scan._not_ours()
    return Recording(
        path=scan.path,
        metadata=scan.metadata,
        inputs=by_topic[INPUT_TOPIC],
        states=by_topic[STATE_TOPIC],
        events=by_topic[EVENTS_TOPIC],
        checkpoints=by_topic[CHECKPOINT_TOPIC],
        summary=scan.summary,
        complete=scan.complete,
        notice=scan.notice,
        end_time_s=scan.end_time_ns / 1e9,
    )


def iter_messages(path: Path | str) -> Iterator[RecordedMessage]:
    """Messages one at a time, for files too large to hold; stops quietly at a cut
    (use `read_recording` for the notice). Raises RecordingError like `read_recording`."""
    yield from _Scan(path).messages()
