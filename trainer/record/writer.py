"""Write a session recording: an MCAP file that survives a crash (docs/DESIGN.md §7).

The writer is handed simulation times only; it never reads the wall clock, so a replay
that re-simulates a session and records it again writes the same messages.

| method             | channel       | message (JSON)                                      |
|--------------------|---------------|-----------------------------------------------------|
| `write_input`      | `/input`      | ``{"tick", "time_s", **payload}`` every control tick |
| `write_state`      | `/state`      | ``{"time_s", **payload}`` at ≥ 10 Hz                 |
| `write_event`      | `/events`     | ``{"time_s", "kind", **payload}``                    |
| `write_checkpoint` | `/checkpoint` | ``{"tick", "time_s", "step", "digest"}``             |
| `write_tf`         | `/tf`         | ``{"transforms": [foxglove.FrameTransform ...]}``    |
| `write_instructor` | `/instructor` | ``{"tick", "time_s", **payload}`` (an instructor's action) |

Crash safety: messages go into zstd-compressed chunks; the chunk in progress is written
and the file flushed (to the operating system, not fsynced) whenever a message's time
reaches the next whole simulated second, and on `flush`. A process that dies therefore
loses at most the last simulated second; the seeking reader (`trainer.record.seek`) reads
every chunk before the cut. The recording is written at its final path from the first byte: the header and
the ``canadarm-trainer`` metadata are on disk when the constructor returns, and a file
that could not get them is removed, never left empty.

Messages are encoded with orjson (about 3 µs a /state message against json's 43 µs,
docs/PYBULLET_NOTES.md): floats in their shortest round-trip form, so they read back bit
for bit (tests/record/test_recording_roundtrip.py checks it). Non-finite floats, which JSON
cannot hold, are written as ``null``; numpy arrays and scalars are written as lists and
numbers; sets as sorted lists.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from collections.abc import Mapping, Sequence
from importlib import metadata as importlib_metadata
from pathlib import Path
from types import TracebackType
from typing import IO, Any, cast

import orjson
from mcap.writer import LIBRARY_IDENTIFIER, CompressionType, Writer

from trainer import __version__
from trainer.errors import RecordingError
from trainer.fingerprint import fingerprint
from trainer.record.schemas import (
    CHANNELS,
    CHECKPOINT_TOPIC,
    EVENTS_TOPIC,
    FORMAT,
    INPUT_FIELDS,
    INPUT_TOPIC,
    INSTRUCTOR_TOPIC,
    MESSAGE_ENCODING,
    METADATA_NAME,
    PROFILE,
    SCHEMA_ENCODING,
    STATE_TOPIC,
    SUMMARY_METADATA_NAME,
    TF_TOPIC,
    schema_bytes,
)
from trainer.safeio import create_file
from trainer.signals import deferred

NS_PER_S = 1_000_000_000
CHUNK_SIZE_BYTES = 256 * 1024
"""Backstop only: chunks are normally closed at every whole simulated second."""

# The metadata keys the writer fills in itself (a copy of a recording leaves them out).
WRITER_METADATA_KEYS = (
    "format",
    "trainer_version",
    "pybullet_version",
    "pybullet_api_version",
    "environment",
)


def _to_json_value(value: object) -> object:
    """``json`` fallback for numpy arrays/scalars and sets (sorted, like button sets)."""
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return tolist()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} cannot be written to a recording as JSON")


# Numpy arrays and scalars natively, non-string keys as strings (as json does).
_ORJSON_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


def encode_json_bytes(value: object) -> bytes:
    """Compact JSON as UTF-8; non-finite floats become null (JSON has no NaN or infinity).
    Raises TypeError naming the type of a value JSON cannot hold."""
    try:
        return orjson.dumps(value, default=_to_json_value, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError as exc:
        raise TypeError(str(exc.__cause__ or exc)) from None


def encode_json(value: object) -> str:
    """``encode_json_bytes`` as text."""
    return encode_json_bytes(value).decode()


def metadata_strings(values: Mapping[str, object]) -> dict[str, str]:
    """MCAP metadata is str → str: every value JSON-encoded, strings included."""
    out: dict[str, str] = {}
    for key, value in values.items():
        if not isinstance(key, str):
            raise TypeError(f"recording metadata keys must be strings, got {key!r}")
        out[key] = encode_json(value)
    return out


@functools.cache
def _pybullet_versions() -> tuple[str, int | None]:
    """The installed pybullet distribution and its API version (replays are bit-exact
    only on the same build, so the recording names it)."""
    try:
        dist = importlib_metadata.version("pybullet")
    except importlib_metadata.PackageNotFoundError:
        dist = "unknown"
    try:
        import pybullet

        api: int | None = int(pybullet.getAPIVersion())
    except (ImportError, AttributeError):
        api = None
    return dist, api


def _seconds_to_ns(time_s: float) -> int:
    log_time_ns = round(time_s * NS_PER_S)
    if log_time_ns < 0:
        raise ValueError(f"simulation time must be ≥ 0 s, got {time_s}")
    return log_time_ns


def tf_message(time_s: float, transforms: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The /tf message: every transform stamped with the simulation time."""
    ns = _seconds_to_ns(time_s)
    stamp = {"sec": ns // NS_PER_S, "nsec": ns % NS_PER_S}
    return {"transforms": [{"timestamp": stamp, **t} for t in transforms]}


def instructor_message(tick: int, time_s: float, payload: Mapping[str, Any]) -> dict[str, Any]:
    """The /instructor message of an action (its payload without tick and time_s)."""
    if "tick" in payload or "time_s" in payload:
        raise ValueError("/instructor payload must not hold tick or time_s")
    return {"tick": tick, "time_s": time_s, **payload}


class InputEncoder:
    """The bytes of one tick's /input message, as the writer stores them (and the replay
    verifier compares them). A held payload (the same object again: the caller's unchanged
    input) reuses its encoding, so a payload must not be mutated after it was encoded."""

    def __init__(self) -> None:
        self._payload: Mapping[str, Any] | None = None
        self._body = ""

    def encode(self, tick: int, time_s: float, payload: Mapping[str, Any]) -> bytes:
        if payload is not self._payload:
            if not payload.keys() >= INPUT_FIELDS:
                missing = sorted(INPUT_FIELDS - payload.keys())
                raise ValueError(f"/input message at tick {tick} lacks {missing}")
            if "tick" in payload or "time_s" in payload:
                raise ValueError("/input payload must not hold tick or time_s")
            self._body = encode_json(payload)[1:]  # '"thc":[...],...}' (never empty)
            self._payload = payload
        if type(tick) is not int or type(time_s) is not float:
            return encode_json_bytes({"tick": tick, "time_s": time_s, **payload})
        # Ints as str, floats as repr: shortest round-trip text too, so the message reads back
        # exactly as a freshly encoded one (tests/record/test_recording_roundtrip.py).
        return f'{{"tick":{tick},"time_s":{time_s!r},{self._body}'.encode()


class RecordingWriter:
    """Writes one session to an MCAP file (see the module docstring).

    | argument   | meaning                                                                |
    |------------|------------------------------------------------------------------------|
    | `path`     | the recording; its folder is created; an existing file is replaced     |
    | `metadata` | JSON-ready values: scenario_id, scenario (dict), seed, pilot,          |
    |            | start_time_utc ... (format and trainer/pybullet versions are added)    |

    Times are simulation seconds (≥ 0, non-decreasing in practice). Ends with `close`
    (idempotent; also on leaving a ``with`` block). Raises `RecordingError` naming the
    path when the file cannot be created or written.
    """

    def __init__(self, path: Path | str, metadata: Mapping[str, object]) -> None:
        self.path = Path(path)
        reserved = [key for key in WRITER_METADATA_KEYS if key in metadata]
        if reserved:
            raise ValueError(f"recording metadata keys {reserved} are written by the writer")
        pybullet_dist, pybullet_api = _pybullet_versions()
        header = metadata_strings(
            {
                "format": FORMAT,
                "trainer_version": __version__,
                "pybullet_version": pybullet_dist,
                "pybullet_api_version": pybullet_api,
                # where it was made: docs/DESIGN.md §10, trainer/fingerprint.py
                "environment": fingerprint(),
                **metadata,
            }
        )  # encoded before the file exists: bad metadata leaves nothing behind
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RecordingError(
                f"cannot create the folder of recording {self.path}: {exc.strerror or exc}"
            ) from exc
        try:
            # a new file, never written through a link (trainer/safeio.py, docs/DESIGN.md §5)
            self._stream: IO[bytes] = create_file(self.path)
        except OSError as exc:
            raise RecordingError(
                f"cannot create recording {self.path}: {exc.strerror or exc}"
            ) from exc
        try:
            # Any: mcap ships py.typed but leaves flush/finish untyped
            self._writer: Any = cast(
                Any,
                Writer(self._stream, chunk_size=CHUNK_SIZE_BYTES, compression=CompressionType.ZSTD),
            )
            self._writer.start(
                profile=PROFILE, library=f"canadarm-trainer/{__version__} {LIBRARY_IDENTIFIER}"
            )
            self._writer.add_metadata(METADATA_NAME, header)
            channel_ids: dict[str, int] = {}
            for topic, schema in CHANNELS:
                schema_id = self._writer.register_schema(
                    name=str(schema["title"]), encoding=SCHEMA_ENCODING, data=schema_bytes(schema)
                )
                channel_ids[topic] = self._writer.register_channel(
                    topic=topic, message_encoding=MESSAGE_ENCODING, schema_id=schema_id
                )
            self._writer.flush()
        except OSError as exc:
            self._stream.close()
            self.path.unlink(missing_ok=True)
            raise RecordingError(
                f"cannot write recording {self.path}: {exc.strerror or exc}"
            ) from exc
        self._input_id = channel_ids[INPUT_TOPIC]
        self._state_id = channel_ids[STATE_TOPIC]
        self._events_id = channel_ids[EVENTS_TOPIC]
        self._checkpoint_id = channel_ids[CHECKPOINT_TOPIC]
        self._tf_id = channel_ids[TF_TOPIC]
        self._instructor_id = channel_ids[INSTRUCTOR_TOPIC]
        self._sequence = dict.fromkeys(channel_ids.values(), 0)
        self._next_flush_ns = NS_PER_S
        self._closed = False
        # The last /input payload and its JSON body: a hand-controller state is usually held
        # for many ticks, so the body is encoded once and only tick and time are spliced in.
        self._input = InputEncoder()
        self._input_hash = hashlib.blake2b(digest_size=16)

    # -- messages ----------------------------------------------------------------------

    def write_input(self, tick: int, time_s: float, payload: Mapping[str, Any]) -> None:
        """One control tick: ``payload`` holds HandControllerState.to_dict() plus mode,
        frame and rate_scale (schemas.INPUT_FIELDS).

        Passing the same payload object again (the caller's unchanged input) reuses its
        encoding (``InputEncoder``); a payload must therefore not be mutated after it was
        written."""
        data = self._input.encode(tick, time_s, payload)
        self._write_encoded(self._input_id, _seconds_to_ns(time_s), data)
        # the digest trainer/record/inputs.py computes when it checks the stream again
        self._input_hash.update(len(data).to_bytes(8, "little"))
        self._input_hash.update(data)

    @property
    def input_digest(self) -> str:
        """Hash of every /input and /instructor message written so far, as stored, in their
        order (``InputCheck.digest``):
        ``grade`` keeps it in the summary, so that ``report`` sees inputs changed later."""
        return self._input_hash.hexdigest()

    def write_state(self, time_s: float, payload: Mapping[str, Any]) -> None:
        """A telemetry snapshot; the session decides the keys (schemas.STATE_SCHEMA)."""
        if "time_s" in payload:
            raise ValueError("/state payload must not hold time_s")
        self._write(self._state_id, _seconds_to_ns(time_s), {"time_s": time_s, **payload})

    def write_event(
        self, time_s: float, kind: str, payload: Mapping[str, Any] | None = None
    ) -> None:
        """Something that happened (free drift start, trigger, contact, fault, end ...)."""
        message: dict[str, Any] = {"time_s": time_s, "kind": kind}
        if payload:
            if "time_s" in payload or "kind" in payload:
                raise ValueError("/events payload must not hold time_s or kind")
            message.update(payload)
        self._write(self._events_id, _seconds_to_ns(time_s), message)

    def write_checkpoint(self, tick: int, time_s: float, step: int, digest: str) -> None:
        """A hash of the physics state, for replay verification."""
        message = {"tick": tick, "time_s": time_s, "step": step, "digest": digest}
        self._write(self._checkpoint_id, _seconds_to_ns(time_s), message)

    def write_tf(self, time_s: float, transforms: Sequence[Mapping[str, Any]]) -> None:
        """The frame tree now: each transform holds ``parent_frame_id``, ``child_frame_id``,
        ``translation`` {x, y, z} and ``rotation`` {x, y, z, w}; the writer stamps each with
        the simulation time as ``timestamp`` {sec, nsec} (foxglove.FrameTransform)."""
        self._write(self._tf_id, _seconds_to_ns(time_s), tf_message(time_s, transforms))

    def write_instructor(self, tick: int, time_s: float, payload: Mapping[str, Any]) -> None:
        """An instructor's action, applied before tick ``tick``'s input: ``payload`` is
        ``InstructorAction.record()`` (trainer/record/instructor.py)."""
        data = encode_json_bytes(instructor_message(tick, time_s, payload))
        self._write_encoded(self._instructor_id, _seconds_to_ns(time_s), data)
        # an input of the session too: in the digest, in the file's order (inputs.py)
        self._input_hash.update(len(data).to_bytes(8, "little"))
        self._input_hash.update(data)

    def _write(self, channel_id: int, log_time_ns: int, message: Mapping[str, Any]) -> None:
        if self._closed:
            raise ValueError(f"recording {self.path} is closed")
        self._write_encoded(channel_id, log_time_ns, encode_json_bytes(message))

    def _write_encoded(self, channel_id: int, log_time_ns: int, data: bytes) -> None:
        if self._closed:
            raise ValueError(f"recording {self.path} is closed")
        # A signal waits until the message is whole in its chunk: raised in the middle of
        # mcap's chunk building, it left a damaged chunk before the footer (trainer/signals.py).
        with deferred():
            self._add(channel_id, log_time_ns, data)

    def _add(self, channel_id: int, log_time_ns: int, data: bytes) -> None:
        try:
            if log_time_ns >= self._next_flush_ns:
                # a new simulated second: the previous one goes to disk as a whole chunk
                self._writer.flush()
                self._next_flush_ns = (log_time_ns // NS_PER_S + 1) * NS_PER_S
            sequence = self._sequence[channel_id]
            self._sequence[channel_id] = sequence + 1
            self._writer.add_message(
                channel_id=channel_id,
                log_time=log_time_ns,
                publish_time=log_time_ns,
                data=data,
                sequence=sequence,
            )
        except OSError as exc:
            raise RecordingError(
                f"cannot write recording {self.path}: {exc.strerror or exc}"
            ) from exc

    # -- end -----------------------------------------------------------------------------

    def flush(self) -> None:
        """Write the chunk in progress and flush the file now (e.g. when pausing)."""
        if self._closed:
            return
        try:
            with deferred():
                self._writer.flush()
        except OSError as exc:
            raise RecordingError(
                f"cannot write recording {self.path}: {exc.strerror or exc}"
            ) from exc

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self, summary: Mapping[str, object] | None = None) -> None:
        """Write the rest, the ``canadarm-trainer.summary`` metadata when a summary is
        given, the MCAP summary section and footer. Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            try:
                if summary is not None:
                    record = metadata_strings(summary)
                    self._writer.flush()  # the summary follows the last messages
                    self._writer.add_metadata(SUMMARY_METADATA_NAME, record)
            finally:
                self._writer.finish()  # a proper footer even when the summary is bad
            self._stream.close()
        except OSError as exc:
            raise RecordingError(
                f"cannot finish recording {self.path}: {exc.strerror or exc}"
            ) from exc
        finally:
            if not self._stream.closed:
                with contextlib.suppress(OSError):  # already reporting the first failure
                    self._stream.close()

    def __enter__(self) -> RecordingWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
