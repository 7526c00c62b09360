"""Open a recording and fetch any instant of it without reading the whole file
(docs/DESIGN.md §7, §9: a seek in a 30-minute session within 0.2 s, memory that does not
grow with the file).

The writer closes one zstd chunk per simulated second and ends a finished file with the
MCAP summary section: one chunk index per chunk (its byte offset, the first and last
message time, and which channels it holds, from the message indexes) and an index of the
metadata records. ``open_recording`` reads only the header, the footer, the summary and
the metadata; ``state_at(t)`` then bisects the chunk indexes by time and decompresses the
one or two chunks that hold the answer (a handful of recently used chunks stay cached, so
scrubbing back and forth costs nothing more).

A file cut off by a crash has no summary. Only then is the file read once from the start
(`StreamReader` with ``emit_chunks``: chunks are skipped over, not decompressed) to rebuild
the same chunk list in memory; ``IndexedRecording.notice`` says so and where the file ends.
The seeking API is the same either way.

| `IndexedRecording`       | meaning                                                       |
|--------------------------|---------------------------------------------------------------|
| metadata                 | the ``canadarm-trainer`` metadata (JSON-decoded)               |
| summary                  | the ``canadarm-trainer.summary`` metadata, or None (crashed)   |
| complete, notice         | True for a finished file; else why it was scanned, one line   |
| start_time_s, end_time_s | simulation times of the first and last message                 |
| duration_s               | end_time_s - start_time_s                                      |
| events(), checkpoints()  | every /events or /checkpoint message (reads only their chunks) |
| state_at(t), input_at(t) | the last /state or /input message at or before t (the first   |
| transforms_at(t)         | one for a t before it); None when the channel is empty; the   |
|                          | /tf frame tree likewise                                        |
| messages(topics, ...)    | messages of some channels in time order, streamed chunk by chunk |

Errors: the same one-line ``RecordingError`` as ``read_recording`` for a file that is not
a recording (missing, empty, not MCAP, of another format, cut before its metadata), and
for a chunk found damaged when it is read.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any, cast

import orjson
from mcap.exceptions import McapError
from mcap.reader import SeekingReader
from mcap.records import Channel, Chunk, Footer, Message, MessageIndex, Metadata
from mcap.stream_reader import StreamReader, breakup_chunk

from trainer.errors import RecordingError
from trainer.record.chunks import read_chunk_messages
from trainer.record.reader import (
    RecordedMessage,
    _decode_metadata,
    _Scan,
    _StrictFile,
    _TruncatedError,
)
from trainer.record.schemas import (
    CHECKPOINT_TOPIC,
    EVENTS_TOPIC,
    INPUT_TOPIC,
    METADATA_NAME,
    STATE_TOPIC,
    SUMMARY_METADATA_NAME,
    TF_TOPIC,
)

NS_PER_S = 1_000_000_000
CACHED_CHUNKS = 8
"""Decoded chunks kept (one simulated second each, ~100 kB decoded): enough to scrub
around an instant, bounded whatever the length of the session."""


@dataclass(frozen=True, slots=True)
class ChunkEntry:
    """Where one chunk is and what it holds."""

    offset: int  # byte offset of the chunk record (its opcode)
    start_ns: int
    end_ns: int
    channel_ids: frozenset[int] | None  # None: unknown (no message index), read it to know


class IndexedRecording:
    """A recording opened for seeking; see the module docstring. Close it (or use ``with``)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        scan = _Scan(self.path)  # the file checks and one-line errors of the sequential reader
        self._file: IO[bytes] = scan._open()
        self._size = scan.size
        self.metadata: dict[str, Any] = {}
        self.summary: dict[str, Any] | None = None
        self.complete = False
        self.notice: str | None = None
        self._topics: dict[int, str] = {}
        self._chunks: list[ChunkEntry] = []
        self._cache: OrderedDict[int, list[tuple[str, int, bytes]]] = OrderedDict()
        try:
            if not self._open_indexed(scan):
                self._scan_sequentially(scan)
        except BaseException:
            self._file.close()
            raise
        self._starts = [c.start_ns for c in self._chunks]

    # ------------------------------------------------------------------ opening
    def _open_indexed(self, scan: _Scan) -> bool:
        """Read the summary section; False when the file has none (cut off by a crash)."""
        try:
            reader = SeekingReader(self._file, validate_crcs=True)
            summary = reader.get_summary()
        except (McapError, ValueError, OSError, EOFError, KeyError, UnicodeDecodeError):
            return False
        except Exception:  # a damaged footer: mcap raises many kinds; scanning finds the cut
            return False
        if summary is None or not summary.chunk_indexes:
            return False
        metadata: dict[str, Any] | None = None
        for record in reader.iter_metadata():
            if record.name == METADATA_NAME and metadata is None:
                scan._check_metadata(record)
                metadata = scan.metadata
            elif record.name == SUMMARY_METADATA_NAME:
                self.summary = _decode_metadata(record.metadata)
        if metadata is None:
            raise scan._not_ours()
        self.metadata = metadata
        self._topics = {cid: ch.topic for cid, ch in summary.channels.items()}
        self._chunks = sorted(
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
        self.complete = True
        return True

    def _scan_sequentially(self, scan: _Scan) -> None:
        """No summary: walk the records once, skipping over chunk contents, to list the
        chunks that are whole on disk."""
        self._file.seek(0)
        strict = _StrictFile(self._file, self._size)
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
            except _TruncatedError:
                if scan.metadata is None:
                    raise scan._fail_early(header_seen) from None
                break
            except Exception as exc:  # damaged data: mcap raises many kinds
                if scan.metadata is None:
                    raise RecordingError(
                        f"{self.path} is not a readable MCAP recording ({exc})"
                    ) from None
                reason = f"damaged: {exc}"
                break
            header_seen = True
            if not isinstance(record, MessageIndex) and pending is not None:
                self._add_pending(pending, channels)
                pending, channels = None, set()
            if isinstance(record, Metadata):
                if record.name == METADATA_NAME and scan.metadata is None:
                    scan._check_metadata(record)
                elif record.name == SUMMARY_METADATA_NAME:
                    self.summary = _decode_metadata(record.metadata)
            elif isinstance(record, Channel):
                self._topics[record.id] = record.topic
            elif isinstance(record, Chunk):
                if scan.metadata is None:
                    raise scan._not_ours()
                pending = (before, record)
            elif isinstance(record, MessageIndex):
                channels.add(record.channel_id)
            elif isinstance(record, Message) and scan.metadata is None:
                raise scan._not_ours()
            elif isinstance(record, Footer):
                break
        if pending is not None:
            # The message indexes of the last chunk may be cut short: the channels read so
            # far are not all it holds (a cut between its /state and /input indexes hid
            # its inputs), so they are unknown.
            self._add_pending(pending, None)
        if scan.metadata is None:
            raise scan._not_ours()
        self.metadata = scan.metadata
        end_s = self._chunks[-1].end_ns / NS_PER_S if self._chunks else 0.0
        self.notice = (
            f"recording {self.path} has no index (the session did not close it: {reason}); "
            f"read by a sequential scan up to byte {strict.offset:,} of {self._size:,}, "
            f"t = {end_s:.1f} s"
        )

    def _add_pending(self, pending: tuple[int, Chunk], channels: set[int] | None) -> None:
        offset, chunk = pending
        if not channels or not channels <= self._topics.keys():
            # the writer puts its channel records inside the chunks (the first one, in
            # practice): only a chunk that names an unknown channel is decompressed here
            try:
                for record in breakup_chunk(chunk, validate_crc=True):
                    if isinstance(record, Channel):
                        self._topics.setdefault(record.id, record.topic)
            except Exception:  # damaged: reported when the chunk is read for its messages
                pass
        self._chunks.append(
            ChunkEntry(
                offset,
                chunk.message_start_time,
                chunk.message_end_time,
                frozenset(channels) if channels else None,
            )
        )

    # ------------------------------------------------------------------ life cycle
    def close(self) -> None:
        self._file.close()
        self._cache.clear()

    def __enter__(self) -> IndexedRecording:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ times
    @property
    def start_time_s(self) -> float:
        return self._chunks[0].start_ns / NS_PER_S if self._chunks else 0.0

    @property
    def end_time_s(self) -> float:
        return max((c.end_ns for c in self._chunks), default=0) / NS_PER_S

    @property
    def duration_s(self) -> float:
        return self.end_time_s - self.start_time_s

    @property
    def chunk_count(self) -> int:
        return len(self._chunks)

    # ------------------------------------------------------------------ chunks
    def _channel_ids(self, topics: Iterable[str]) -> frozenset[int]:
        wanted = set(topics)
        return frozenset(cid for cid, topic in self._topics.items() if topic in wanted)

    def _holds(self, chunk: ChunkEntry, channel_ids: frozenset[int]) -> bool:
        return chunk.channel_ids is None or not chunk.channel_ids.isdisjoint(channel_ids)

    def _records(self, index: int) -> list[tuple[str, int, bytes]]:
        """The messages of chunk ``index`` as (topic, log_time_ns, data), decoded once."""
        cached = self._cache.get(index)
        if cached is not None:
            self._cache.move_to_end(index)
            return cached
        entry = self._chunks[index]
        try:
            self._file.seek(entry.offset + 1 + 8)  # opcode and record length
            decoded = read_chunk_messages(self._file, self._topics)
        except Exception as exc:  # a damaged chunk: zstd, CRC and struct errors alike
            raise RecordingError(
                f"recording {self.path} is damaged in the chunk at byte {entry.offset:,} "
                f"(t = {entry.start_ns / NS_PER_S:.1f} s): {exc}"
            ) from None
        self._cache[index] = decoded
        if len(self._cache) > CACHED_CHUNKS:
            self._cache.popitem(last=False)
        return decoded

    def payload(self, topic: str, data: bytes, log_time_ns: int) -> dict[str, Any]:
        """A stored message decoded (RecordingError when it is not a JSON object)."""
        return self._payload(topic, data, log_time_ns)

    def _payload(self, topic: str, data: bytes, log_time_ns: int) -> dict[str, Any]:
        try:
            # orjson: 3-4x json's speed on the small messages a replay reads every tick;
            # same floats (both round correctly), and the NaN tokens json would accept
            # are never written (the writer stores non-finite values as null)
            payload = orjson.loads(data)
        except ValueError:  # orjson.JSONDecodeError is one
            payload = None
        if not isinstance(payload, dict):
            raise RecordingError(
                f"recording {self.path} is damaged: a {topic} message at "
                f"t = {log_time_ns / NS_PER_S:.3f} s is not a JSON object"
            )
        return payload

    # ------------------------------------------------------------------ seeking
    def _latest(self, topic: str, time_s: float) -> dict[str, Any] | None:
        ids = self._channel_ids([topic])
        if not ids or not self._chunks:
            return None
        t_ns = round(time_s * NS_PER_S)
        # the last chunk that starts at or before t, then back until one holds the channel
        index = bisect.bisect_right(self._starts, t_ns) - 1
        while index >= 0:
            if self._holds(self._chunks[index], ids):
                best: tuple[int, bytes] | None = None
                for msg_topic, log_time, data in self._records(index):
                    if msg_topic == topic and log_time <= t_ns:
                        best = (log_time, data)
                if best is not None:
                    return self._payload(topic, best[1], best[0])
            index -= 1
        # t lies before the channel's first message: that first message
        for message in self.messages([topic]):
            return message.payload
        return None

    def state_at(self, time_s: float) -> dict[str, Any] | None:
        """The /state message recorded at or last before ``time_s`` (simulation seconds)."""
        return self._latest(STATE_TOPIC, time_s)

    def input_at(self, time_s: float) -> dict[str, Any] | None:
        """The /input message (hand controllers, mode, frame) at or last before ``time_s``."""
        return self._latest(INPUT_TOPIC, time_s)

    def transforms_at(self, time_s: float) -> dict[str, Any] | None:
        """The /tf message (the frame tree: every arm link, the LEE, the vehicle and its
        FRGF, trainer/sim/frames.py) at or last before ``time_s``: what a viewer needs to
        draw the scene from a recording."""
        return self._latest(TF_TOPIC, time_s)

    def messages(
        self,
        topics: Iterable[str],
        start_s: float | None = None,
        end_s: float | None = None,
    ) -> Iterator[RecordedMessage]:
        """Messages of ``topics`` with start_s <= time <= end_s, in file (= time) order,
        decompressing only the chunks that hold them, one at a time."""
        for topic, log_time, data in self.raw_messages(topics, start_s, end_s):
            yield RecordedMessage(topic, log_time, self._payload(topic, data, log_time))

    def raw_messages(
        self,
        topics: Iterable[str],
        start_s: float | None = None,
        end_s: float | None = None,
    ) -> Iterator[tuple[str, int, bytes]]:
        """Like `messages`, as (topic, log_time_ns, the JSON bytes as stored)."""
        wanted = set(topics)
        ids = self._channel_ids(wanted)
        start_ns = None if start_s is None else round(start_s * NS_PER_S)
        end_ns = None if end_s is None else round(end_s * NS_PER_S)
        for index, chunk in enumerate(self._chunks):
            if start_ns is not None and chunk.end_ns < start_ns:
                continue
            if end_ns is not None and chunk.start_ns > end_ns:
                break
            if not self._holds(chunk, ids):
                continue
            for topic, log_time, data in self._records(index):
                if topic not in wanted:
                    continue
                if start_ns is not None and log_time < start_ns:
                    continue
                if end_ns is not None and log_time > end_ns:
                    continue
                yield topic, log_time, data

    def events(self) -> list[dict[str, Any]]:
        """Every /events message (reads only the chunks that hold one)."""
        return [m.payload for m in self.messages([EVENTS_TOPIC])]

    def checkpoints(self) -> list[dict[str, Any]]:
        """Every /checkpoint message."""
        return [m.payload for m in self.messages([CHECKPOINT_TOPIC])]


def open_recording(path: Path | str) -> IndexedRecording:
    """Open ``path`` for seeking (see the module docstring). Raises RecordingError."""
    return IndexedRecording(path)


__all__ = ["ChunkEntry", "IndexedRecording", "open_recording"]
