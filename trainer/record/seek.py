"""Open a recording and fetch any instant of it without reading the whole file
(docs/DESIGN.md §7, §9: a seek in a 30-minute session within 0.2 s, memory that does not
grow with the file).

The writer closes one zstd chunk per simulated second. ``open_recording`` reads only the
header, the footer, the summary and the metadata of a finished file (a file cut off by a
crash is scanned once instead, and ``IndexedRecording.notice`` says so and where it ends:
trainer/record/files.py); ``state_at(t)`` then bisects the chunk indexes by time and
decompresses the one or two chunks that hold the answer (a handful of recently used
chunks stay cached, so scrubbing back and forth costs nothing more). The seeking API is
the same either way.

| `IndexedRecording`       | meaning                                                       |
|--------------------------|---------------------------------------------------------------|
| metadata                 | the ``canadarm-trainer`` metadata (JSON-decoded)               |
| summary                  | the ``canadarm-trainer.summary`` metadata, or None (crashed)   |
| complete, notice         | True for a finished file; else why it was scanned, one line   |
| start_time_s, end_time_s | simulation times of the first and last message                 |
| duration_s               | end_time_s - start_time_s                                      |
| events(), checkpoints()  | every /events or /checkpoint message (reads only their chunks) |
| state_at(t)              | the last /state message at or before t (the first one for a t  |
| input_message_at(t)      | before it); None when the channel is empty; the /input message |
| transforms_at(t)         | and the /tf frame tree likewise                                |
| input_at(t)              | that /input message decoded: a ``HandControllerState``         |
| messages(topics, ...)    | messages of some channels in time order, streamed chunk by chunk |

Every message is decoded by the one decoder (trainer/record/decode.py): events with their
time and kind, /input into a ``HandControllerState``.

Errors: one line (``RecordingError``, trainer/record/files.py) for a file that is not a
recording (missing, empty, not MCAP, of another format, cut before its metadata), and for
a chunk found damaged when it is read: a damaged recording is refused, never read in part
(docs/DESIGN.md §5); only a file cut off by a crash is read up to its cut.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import orjson

from trainer.errors import RecordingError
from trainer.input.state import HandControllerState
from trainer.record.chunks import read_chunk_messages
from trainer.record.decode import InputError, event, input_state, short
from trainer.record.files import NS_PER_S, ChunkEntry, open_file, read_index, scan_index
from trainer.record.schemas import (
    CHECKPOINT_TOPIC,
    EVENTS_TOPIC,
    INPUT_TOPIC,
    STATE_TOPIC,
    TF_TOPIC,
)

CACHED_CHUNKS = 8
"""Decoded chunks kept (one simulated second each, ~100 kB decoded): enough to scrub
around an instant, bounded whatever the length of the session."""


@dataclass(frozen=True)
class RecordedMessage:
    """One message of a recording: topic, simulation time and the decoded JSON payload."""

    topic: str
    log_time_ns: int
    payload: dict[str, Any]

    @property
    def time_s(self) -> float:
        return self.log_time_ns / NS_PER_S


class IndexedRecording:
    """A recording opened for seeking; see the module docstring. Close it (or use ``with``)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._file: IO[bytes]
        self._file, self._size = open_file(self.path)  # the checks of trainer/record/files.py
        try:
            # the summary section of a finished file, else one scan of a crashed one
            index = read_index(self.path, self._file) or scan_index(
                self.path, self._file, self._size
            )
        except BaseException:
            self._file.close()
            raise
        self.metadata: dict[str, Any] = index.metadata
        self.summary: dict[str, Any] | None = index.summary
        self.complete = index.complete
        self.notice: str | None = index.notice
        self._topics = index.topics
        self._chunks = index.chunks
        self._cache: OrderedDict[int, list[tuple[str, int, bytes]]] = OrderedDict()
        self._starts = [c.start_ns for c in self._chunks]

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

    def input_message_at(self, time_s: float) -> dict[str, Any] | None:
        """The /input message (hand controllers, mode, frame) at or last before ``time_s``."""
        return self._latest(INPUT_TOPIC, time_s)

    def input_at(self, time_s: float) -> HandControllerState | None:
        """The hand-controller state of the /input message at or last before ``time_s``,
        decoded by the one decoder of /input (trainer/record/decode.py); RecordingError
        when that message is not the schema's."""
        message = self._latest(INPUT_TOPIC, time_s)
        if message is None:
            return None
        try:
            return input_state(message)
        except InputError as exc:
            raise RecordingError(
                f"recording {self.path}: /input at tick {short(message.get('tick'))}: {exc}"
            ) from None

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
        """Every /events message, decoded (trainer/record/decode.py `event`: ``time_s`` and
        ``kind`` always there); reads only the chunks that hold one."""
        return [event(m.payload, m.log_time_ns) for m in self.messages([EVENTS_TOPIC])]

    def checkpoints(self) -> list[dict[str, Any]]:
        """Every /checkpoint message."""
        return [m.payload for m in self.messages([CHECKPOINT_TOPIC])]


def open_recording(path: Path | str) -> IndexedRecording:
    """Open ``path`` for seeking (see the module docstring). Raises RecordingError."""
    return IndexedRecording(path)


__all__ = ["ChunkEntry", "IndexedRecording", "RecordedMessage", "open_recording"]
