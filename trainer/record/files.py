"""Opening a recording file (docs/DESIGN.md §5, §7): the checks made before the first
message, and the list of its chunks the seeking reader (trainer/record/seek.py) works from.

A finished file ends with the MCAP summary section: one chunk index per chunk (its byte
offset, the first and last message time, and which channels it holds, from the message
indexes) and an index of the metadata records; `read_index` reads only that. A file cut
off by a crash has no summary: `scan_index` reads it once from the start (mcap's
``StreamReader`` with ``emit_chunks``: chunks are skipped over, not decompressed) and
rebuilds the same list of the chunks that are whole on disk, with a notice saying so and
where the file ends.

Only a file that cannot be a recording raises `RecordingError` (one line, naming the
path): missing, not a regular file (a FIFO would block the open), unreadable, empty, not
MCAP, cut inside its header or before its metadata, not a canadarm-trainer recording, or
of another format than ``canadarm-trainer/recording@1``.

`StrictFile` makes a short read an error (`TruncatedError`) instead of a record cut short
handed back as if it were whole: what mcap's stream reader needs to find where a crashed
file ends.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from mcap.exceptions import McapError
from mcap.reader import SeekingReader
from mcap.records import Channel, Chunk, Footer, Message, MessageIndex, Metadata
from mcap.stream_reader import StreamReader, breakup_chunk

from trainer.errors import RecordingError
from trainer.record.decode import NS_PER_S, metadata_values
from trainer.record.schemas import FORMAT, METADATA_NAME, SUMMARY_METADATA_NAME
from trainer.safeio import open_regular

MCAP_MAGIC = b"\x89MCAP0\r\n"
__all__ = ["NS_PER_S", "ChunkEntry", "FileIndex", "open_file", "read_index", "scan_index"]


@dataclass(frozen=True, slots=True)
class ChunkEntry:
    """Where one chunk is and what it holds."""

    offset: int  # byte offset of the chunk record (its opcode)
    start_ns: int
    end_ns: int
    channel_ids: frozenset[int] | None  # None: unknown (no message index), read it to know


@dataclass
class FileIndex:
    """What opening found: the metadata, the chunks in file order and their channels."""

    metadata: dict[str, Any]
    summary: dict[str, Any] | None  # the canadarm-trainer.summary metadata (None: crashed)
    topics: dict[int, str]  # channel id -> topic
    chunks: list[ChunkEntry] = field(default_factory=list)
    complete: bool = False
    notice: str | None = None  # why the file was scanned and where it ends


class TruncatedError(Exception):
    """The file ends inside a record."""


class StrictFile:
    """A binary file whose short reads raise `TruncatedError`: mcap's reader would otherwise
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
            raise TruncatedError
        data = self._file.read(size)
        self.offset += len(data)
        if len(data) != size:
            raise TruncatedError
        return data


def open_file(path: Path) -> tuple[IO[bytes], int]:
    """The recording file opened for reading, and its size; RecordingError when it is not
    a regular, readable file that starts as an MCAP file does."""
    try:
        # a regular file only: a FIFO given as a recording would block the open
        file = open_regular(path)
    except FileNotFoundError:
        raise RecordingError(f"recording {path} not found") from None
    except IsADirectoryError:
        raise RecordingError(f"recording {path} is a folder, not a file") from None
    except OSError as exc:
        raise RecordingError(f"cannot read recording {path}: {exc.strerror or exc}") from None
    try:
        size = os.fstat(file.fileno()).st_size
        head = file.read(len(MCAP_MAGIC))
        file.seek(0)
    except OSError as exc:
        file.close()
        raise RecordingError(f"cannot read recording {path}: {exc.strerror or exc}") from None
    if not head:
        file.close()
        raise RecordingError(f"recording {path} is empty (0 bytes)")
    if not MCAP_MAGIC.startswith(head):
        file.close()
        raise RecordingError(f"{path} is not a recording (not an MCAP file)")
    return file, size


def cut_too_early(path: Path, size: int, header_seen: bool) -> RecordingError:
    """The error of a file that ends before anything was recorded."""
    if not header_seen:
        return RecordingError(
            f"recording {path} ends inside its MCAP header at byte {size:,} "
            "(cut off before anything was recorded)"
        )
    return RecordingError(
        f"recording {path} ends before its metadata at byte {size:,} "
        "(cut off before anything was recorded)"
    )


def not_ours(path: Path) -> RecordingError:
    """The error of an MCAP file whose messages come before any of our metadata."""
    return RecordingError(
        f"{path} is an MCAP file but not a canadarm-trainer recording "
        f"(no {METADATA_NAME!r} metadata before its messages)"
    )


def checked_format(path: Path, record: Metadata) -> dict[str, Any]:
    """The ``canadarm-trainer`` metadata record's values, decoded; RecordingError when it
    names another format."""
    metadata = metadata_values(record.metadata)
    found = metadata.get("format")
    if found != FORMAT:
        raise RecordingError(f"recording {path} has format {found!r}; this trainer reads {FORMAT}")
    return metadata


def read_index(path: Path, file: IO[bytes]) -> FileIndex | None:
    """The index of a finished file, from its summary section; None when it has none (cut
    off by a crash: `scan_index`)."""
    try:
        reader = SeekingReader(file, validate_crcs=True)
        summary = reader.get_summary()
    except (McapError, ValueError, OSError, EOFError, KeyError, UnicodeDecodeError):
        return None
    except Exception:  # a damaged footer: mcap raises many kinds; scanning finds the cut
        return None
    if summary is None or not summary.chunk_indexes:
        return None
    metadata: dict[str, Any] | None = None
    closing: dict[str, Any] | None = None
    for record in reader.iter_metadata():
        if record.name == METADATA_NAME and metadata is None:
            metadata = checked_format(path, record)
        elif record.name == SUMMARY_METADATA_NAME:
            closing = metadata_values(record.metadata)
    if metadata is None:
        raise not_ours(path)
    chunks = sorted(
        (
            ChunkEntry(
                c.chunk_start_offset,
                c.message_start_time,
                c.message_end_time,
                frozenset(c.message_index_offsets) if c.message_index_offsets else None,
            )
            for c in summary.chunk_indexes
        ),
        key=lambda c: c.offset,
    )
    topics = {cid: ch.topic for cid, ch in summary.channels.items()}
    return FileIndex(metadata, closing, topics, chunks, complete=True)


def scan_index(path: Path, file: IO[bytes], size: int) -> FileIndex:
    """No summary: walk the records once, skipping over chunk contents, to list the
    chunks that are whole on disk."""
    file.seek(0)
    strict = StrictFile(file, size)
    index = FileIndex({}, None, {})
    metadata: dict[str, Any] | None = None
    reader = StreamReader(
        cast(IO[bytes], strict), emit_chunks=True, validate_crcs=False, record_size_limit=None
    )
    records = reader.records
    header_seen = False
    pending: tuple[int, Chunk] | None = None
    channels: set[int] = set()
    reason = "cut off or crashed"
    while True:
        before = strict.offset
        try:
            record = next(records)
        except StopIteration:
            break
        except TruncatedError:
            if metadata is None:
                raise cut_too_early(path, size, header_seen) from None
            break
        except Exception as exc:  # damaged data: mcap raises many kinds
            if metadata is None:
                raise RecordingError(f"{path} is not a readable MCAP recording ({exc})") from None
            reason = f"damaged: {exc}"
            break
        header_seen = True
        if not isinstance(record, MessageIndex) and pending is not None:
            _add_chunk(index, pending, channels)
            pending, channels = None, set()
        if isinstance(record, Metadata):
            if record.name == METADATA_NAME and metadata is None:
                metadata = checked_format(path, record)
            elif record.name == SUMMARY_METADATA_NAME:
                index.summary = metadata_values(record.metadata)
        elif isinstance(record, Channel):
            index.topics[record.id] = record.topic
        elif isinstance(record, Chunk):
            if metadata is None:
                raise not_ours(path)
            pending = (before, record)
        elif isinstance(record, MessageIndex):
            channels.add(record.channel_id)
        elif isinstance(record, Message) and metadata is None:
            raise not_ours(path)
        elif isinstance(record, Footer):
            break
    if pending is not None:
        # The message indexes of the last chunk may be cut short: the channels read so
        # far are not all it holds (a cut between its /state and /input indexes hid
        # its inputs), so they are unknown.
        _add_chunk(index, pending, None)
    if metadata is None:
        raise not_ours(path)
    index.metadata = metadata
    end_s = index.chunks[-1].end_ns / NS_PER_S if index.chunks else 0.0
    index.notice = (
        f"recording {path} has no index (the session did not close it: {reason}); "
        f"read by a sequential scan up to byte {strict.offset:,} of {size:,}, "
        f"t = {end_s:.1f} s"
    )
    return index


def _add_chunk(index: FileIndex, pending: tuple[int, Chunk], channels: set[int] | None) -> None:
    offset, chunk = pending
    if not channels or not channels <= index.topics.keys():
        # the writer puts its channel records inside the chunks (the first one, in
        # practice): only a chunk that names an unknown channel is decompressed here
        try:
            for record in breakup_chunk(chunk, validate_crc=True):
                if isinstance(record, Channel):
                    index.topics.setdefault(record.id, record.topic)
        except Exception:  # damaged: reported when the chunk is read for its messages
            pass
    index.chunks.append(
        ChunkEntry(
            offset,
            chunk.message_start_time,
            chunk.message_end_time,
            frozenset(channels) if channels else None,
        )
    )
