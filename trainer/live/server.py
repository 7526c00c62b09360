"""The live server of ``fly --live`` (docs/DESIGN.md §12): the foxglove-sdk WebSocket
server, the recording's channels on it, the instructor's services, and the queue of
checked actions the window applies between two ticks.

It is a mirror of the recording (``RecordingSink``, handed to the ``Session`` beside the
file: trainer/record/sink.py ``TeeSink``): every message the recorder writes is logged on
the channel of the same name, in the writer's encoding, stamped with its simulation time;
/state also sets the server's time (the protocol's ``time`` capability). Nothing is encoded
for a channel no client subscribes to. Logging hands the bytes to the SDK's own threads,
which drop the oldest data for a client that cannot keep up: a slow or lost client never
holds the window.

A service request is checked on the SDK's thread (trainer/live/requests.py); an action
goes into a bounded queue that ``before_tick`` empties into ``Session.instruct`` at the
next tick boundary; a note is appended to the notes file beside the recording at once
(trainer/record/notes.py), at the session time last streamed. A refusal is logged on
stderr, one line, and answered as a service call failure.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import foxglove
import orjson
from foxglove import Schema
from foxglove.channels import CompressedImageChannel
from foxglove.messages import CompressedImage, Timestamp
from foxglove.websocket import (
    Capability,
    ChannelView,
    Client,
    MessageSchema,
    ServerListener,
    Service,
    ServiceRequest,
    ServiceSchema,
)

from trainer.errors import TrainerError
from trainer.live.protocol import (
    ACTION_SERVICES,
    CAMERA_TOPIC,
    ENCODING,
    MAX_PENDING,
    NOTE_SERVICE,
    SERVICES,
    new_token,
)
from trainer.live.requests import INFO, NoteRequest, RefusedError, check_request
from trainer.record.instructor import InstructorAction
from trainer.record.notes import append_note
from trainer.record.schemas import (
    CHANNELS,
    CHECKPOINT_TOPIC,
    EVENTS_TOPIC,
    INPUT_TOPIC,
    INSTRUCTOR_TOPIC,
    SCHEMA_ENCODING,
    STATE_TOPIC,
    TF_TOPIC,
    schema_bytes,
)
from trainer.record.writer import (
    NS_PER_S,
    InputEncoder,
    encode_json_bytes,
    instructor_message,
    tf_message,
)
from trainer.session import Session

log = logging.getLogger("canadarm-trainer.live")
HISTORY_LIMIT = 5_000
"""Events and actions kept for a console that joins late (E: a session logs hundreds)."""

_REQUEST_SCHEMA = {"type": "object", "description": "see trainer/live/protocol.py"}


def _stderr_logging() -> None:
    """One line per refusal on stderr, whatever the caller configured."""
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("canadarm-trainer live: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


class _Subscriptions(ServerListener):
    """Who subscribes to what (client id -> topics): the window shows how many watch."""

    def __init__(self, table: dict[int, set[str]]) -> None:
        self.table = table

    def on_subscribe(self, client: Client, channel: ChannelView) -> None:
        self.table.setdefault(client.id, set()).add(channel.topic)

    def on_unsubscribe(self, client: Client, channel: ChannelView) -> None:
        topics = self.table.get(client.id)
        if topics is not None:
            topics.discard(channel.topic)
            if not topics:
                del self.table[client.id]


class LiveServer:
    """See the module docstring. ``start`` raises TrainerError (one line) when the
    address cannot be listened on."""

    def __init__(self, host: str, port: int, token: str | None = None) -> None:
        _stderr_logging()
        self.token = token or new_token()
        self.host = host
        self._context = foxglove.Context()
        self._channels = {
            topic: foxglove.Channel(
                topic,
                schema=Schema(
                    name=str(schema["title"]), encoding=SCHEMA_ENCODING, data=schema_bytes(schema)
                ),
                message_encoding="json",
                context=self._context,
            )
            for topic, schema in CHANNELS
        }
        self.camera = CompressedImageChannel(CAMERA_TOPIC, context=self._context)
        self.subscriptions: dict[int, set[str]] = {}
        self._input = InputEncoder()
        self._queue: queue.Queue[InstructorAction] = queue.Queue(MAX_PENDING)
        self._lock = threading.Lock()
        self._history: list[dict[str, Any]] = []
        self._metadata: dict[str, Any] = {}
        self._recording: Path | None = None
        self._task: str | None = None  # the attempt's task: its faults only (a berthing's)
        self.accepting = False
        self.time_s = 0.0
        self.refused = 0
        services = [
            Service(
                name,
                schema=ServiceSchema(
                    f"canadarm_trainer{name.replace('/', '.')}",
                    request=MessageSchema(
                        encoding=ENCODING,
                        schema=Schema(
                            name=f"canadarm_trainer{name.replace('/', '.')}.Request",
                            encoding=SCHEMA_ENCODING,
                            data=orjson.dumps(_REQUEST_SCHEMA),
                        ),
                    ),
                ),
                handler=self._handle,
            )
            for name in SERVICES
        ]
        try:
            self._server = foxglove.start_server(
                name="canadarm-trainer",
                host=host,
                port=port,
                capabilities=[Capability.Services, Capability.Time],
                supported_encodings=[ENCODING],
                services=services,
                server_listener=_Subscriptions(self.subscriptions),
                context=self._context,
            )
        except RuntimeError as exc:
            why = str(exc).removeprefix("FoxgloveError: ")
            raise TrainerError(f"--live {host}:{port}: cannot listen there: {why}") from None
        self.port = self._server.port

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"ws://{host}:{self.port}"

    # ------------------------------------------------------------------ attempts
    def begin(self, metadata: Mapping[str, Any], recording: Path | None) -> None:
        """A new attempt, once its session is built: its metadata (what its recording
        holds), where its recording (and notes file) goes; clients are told to start
        afresh."""
        with self._lock:  # (the history already holds the events of its t = 0)
            self._metadata = dict(metadata)
            self._recording = recording
            scenario = metadata.get("scenario")
            task = scenario.get("task") if isinstance(scenario, Mapping) else None
            self._task = task if isinstance(task, str) else None
            self.accepting = True
        self._server.clear_session()

    def end(self) -> None:
        """The attempt is over: actions are refused until the next one begins, and the
        next one's messages start a history of their own."""
        with self._lock:  # (a request is accepted under it too: none slips to the next)
            self.accepting = False
            self._history = []
            self.time_s = 0.0
            self._input = InputEncoder()
            while not self._queue.empty():
                self._queue.get_nowait()

    def before_tick(self, session: Session) -> None:
        """Apply the actions that came since the last tick (the window calls this between
        two ticks: docs/DESIGN.md §12, §10)."""
        while True:
            try:
                action = self._queue.get_nowait()
            except queue.Empty:
                return
            session.instruct(action)

    def stop(self) -> None:
        self.end()
        self._server.stop()

    # ------------------------------------------------------------------ services
    def _handle(self, request: ServiceRequest) -> bytes:
        try:
            checked = check_request(
                request.service_name,
                request.payload,
                request.encoding,
                self.token,
                request.client_id,
                self._task,
            )
            if checked is INFO:
                return self._info()
            if not self.accepting:
                raise RefusedError("no attempt is being flown")
            if isinstance(checked, NoteRequest):
                return self._note(checked)
            assert isinstance(checked, InstructorAction)
            with self._lock:
                if not self.accepting:  # the attempt ended meanwhile: never to the next one
                    raise RefusedError("no attempt is being flown")
                try:
                    self._queue.put_nowait(checked)
                except queue.Full:
                    raise RefusedError(
                        f"{MAX_PENDING} actions already wait for the next tick"
                    ) from None
            return orjson.dumps(
                {"accepted": True, "action": checked.action, "pending": self._queue.qsize()}
            )
        except RefusedError as exc:
            self.refused += 1
            log.warning(
                "refused %s from client %d: %s", request.service_name, request.client_id, exc
            )
            raise RuntimeError(f"refused: {exc}") from None

    def _info(self) -> bytes:
        with self._lock:
            info = {
                "metadata": self._metadata,
                "recording": str(self._recording) if self._recording else None,
                "time_s": self.time_s,
                "history": list(self._history),
                "services": {"actions": list(ACTION_SERVICES), "note": NOTE_SERVICE},
            }
        return encode_json_bytes(info)

    def _note(self, note: NoteRequest) -> bytes:
        recording = self._recording
        if recording is None:
            raise RefusedError("this attempt has no recording to note")
        try:
            written = append_note(recording, self.time_s, note.text, note.author)
        except (TrainerError, OSError) as exc:
            raise RefusedError(f"note not saved: {exc}") from None
        return orjson.dumps({"accepted": True, "action": "note", "time_s": written.time_s})

    # ------------------------------------------------------------------ the mirror
    def _log(self, topic: str, time_s: float, data: bytes) -> None:
        self._channels[topic].log(data, log_time=round(time_s * NS_PER_S))

    def _wanted(self, topic: str) -> bool:
        return self._channels[topic].has_sinks()

    def _remember(self, topic: str, message: dict[str, Any]) -> None:
        with self._lock:
            if len(self._history) < HISTORY_LIMIT:
                self._history.append({"topic": topic, **message})

    def write_input(self, tick: int, time_s: float, payload: Mapping[str, Any]) -> None:
        self.time_s = time_s
        if self._wanted(INPUT_TOPIC):
            self._log(INPUT_TOPIC, time_s, self._input.encode(tick, time_s, payload))

    def write_state(self, time_s: float, payload: Mapping[str, Any]) -> None:
        self._server.broadcast_time(round(time_s * NS_PER_S))
        if self._wanted(STATE_TOPIC):
            self._log(STATE_TOPIC, time_s, encode_json_bytes({"time_s": time_s, **payload}))

    def write_event(
        self, time_s: float, kind: str, payload: Mapping[str, Any] | None = None
    ) -> None:
        message = {"time_s": time_s, "kind": kind, **(payload or {})}
        self._remember(EVENTS_TOPIC, message)
        if self._wanted(EVENTS_TOPIC):
            self._log(EVENTS_TOPIC, time_s, encode_json_bytes(message))

    def write_checkpoint(self, tick: int, time_s: float, step: int, digest: str) -> None:
        if self._wanted(CHECKPOINT_TOPIC):
            message = {"tick": tick, "time_s": time_s, "step": step, "digest": digest}
            self._log(CHECKPOINT_TOPIC, time_s, encode_json_bytes(message))

    def write_tf(self, time_s: float, transforms: Sequence[Mapping[str, Any]]) -> None:
        if self._wanted(TF_TOPIC):
            self._log(TF_TOPIC, time_s, encode_json_bytes(tf_message(time_s, transforms)))

    def write_instructor(self, tick: int, time_s: float, payload: Mapping[str, Any]) -> None:
        message = instructor_message(tick, time_s, payload)
        self._remember(INSTRUCTOR_TOPIC, message)
        if self._wanted(INSTRUCTOR_TOPIC):
            self._log(INSTRUCTOR_TOPIC, time_s, encode_json_bytes(message))

    def flush(self) -> None:
        pass

    def close(self, summary: Mapping[str, object] | None = None) -> None:
        pass

    # ------------------------------------------------------------------ the camera
    def camera_wanted(self) -> bool:
        return self.camera.has_sinks()

    def publish_camera(self, jpeg: bytes, time_ns: int) -> None:
        stamp = Timestamp(sec=time_ns // NS_PER_S, nsec=time_ns % NS_PER_S)
        self.camera.log(
            CompressedImage(timestamp=stamp, frame_id="tip_lee", data=jpeg, format="jpeg"),
            log_time=time_ns,
        )
