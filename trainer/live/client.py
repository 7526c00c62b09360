"""A small client of the Foxglove WebSocket protocol (docs/DESIGN.md §12), on
``websockets``' threaded client: what ``instruct``'s console, the tests and
bench/bench_live.py connect with. foxglove-sdk ships only a server.

The messages it speaks (the protocol's v1 specification; subprotocol ``foxglove.sdk.v1``):

| direction | message                    | form                                              |
|-----------|----------------------------|---------------------------------------------------|
| in        | serverInfo                 | JSON ``op``; a new ``sessionId``: a new attempt    |
| in        | advertise / unadvertise    | JSON: channels (id, topic, encoding, schema)      |
| in        | advertiseServices          | JSON: services (id, name, request schema)         |
| in        | status, serviceCallFailure | JSON: ``message``                                 |
| in        | message data               | binary 0x01, subscription u32, log time u64, data |
| in        | time                       | binary 0x02, u64 (the session's simulation time)  |
| in        | service call response      | binary 0x03, service u32, call u32, encoding, data |
| out       | subscribe                  | JSON ``{"op":"subscribe","subscriptions":[...]}`` |
| out       | service call request       | binary 0x02, service u32, call u32, encoding, data |

All integers little-endian. A reader thread receives; ``messages`` is a queue of
`Message` (topic, log time, payload, when it arrived: ``time.monotonic()``), which the
console drains at its own pace; ``call`` sends a request and waits for its answer.
"""

from __future__ import annotations

import itertools
import queue
import struct
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from websockets.exceptions import ConnectionClosed, WebSocketException
from websockets.sync.client import ClientConnection, connect

from trainer.errors import TrainerError
from trainer.live.protocol import ENCODING, SUBPROTOCOL

MAX_MESSAGE_BYTES = 8 * 1024 * 1024
_HEADER = struct.Struct("<BIQ")  # opcode, subscription id, log time
_CALL = struct.Struct("<BIII")  # opcode, service id, call id, encoding length


class LiveError(TrainerError):
    """The server cannot be reached, or refused a call (one line)."""


@dataclass(frozen=True, slots=True)
class Message:
    topic: str
    log_time_ns: int
    data: bytes
    received_s: float  # time.monotonic() when it arrived

    def json(self) -> Any:
        return orjson.loads(self.data)


@dataclass
class _Call:
    done: threading.Event = field(default_factory=threading.Event)
    result: bytes | None = None
    failure: str | None = None


class LiveClient:
    """Connects at once (LiveError, one line, when it cannot); subscribes to ``topics``
    as they are advertised. ``new_attempts`` counts the server's new sessions."""

    def __init__(
        self,
        host: str,
        port: int,
        topics: Iterable[str] = ("/state", "/events", "/input", "/instructor"),
        *,
        timeout_s: float = 5.0,
        queue_limit: int = 10_000,
    ) -> None:
        self.url = f"ws://[{host}]:{port}" if ":" in host else f"ws://{host}:{port}"
        self.wanted = set(topics)
        try:
            # entered by hand: the connection outlives this call (websockets 17 wants a
            # ``with`` block or this)
            self._ws: ClientConnection = connect(
                self.url,
                subprotocols=[SUBPROTOCOL],  # type: ignore[list-item]
                open_timeout=timeout_s,
                max_size=MAX_MESSAGE_BYTES,
                compression=None,
            ).__enter__()
        except (OSError, WebSocketException, TimeoutError) as exc:
            raise LiveError(f"cannot reach {self.url}: {exc}") from None
        self.messages: queue.Queue[Message] = queue.Queue(queue_limit)
        self.channels: dict[int, dict[str, Any]] = {}
        self.services: dict[str, int] = {}
        self.server_info: dict[str, Any] = {}
        self.statuses: list[str] = []
        self.server_time_ns = 0
        self.new_attempts = 0
        self.dropped = 0
        self.bytes_received = 0
        self.closed: str | None = None
        self._subscriptions: dict[int, str] = {}
        self._next_id = itertools.count(1)
        self._calls: dict[int, _Call] = {}
        self._lock = threading.Lock()
        self._advertised = threading.Event()
        self._thread = threading.Thread(target=self._read, name="live-client", daemon=True)
        self._thread.start()
        if not self._advertised.wait(timeout_s):
            self.close()
            raise LiveError(f"{self.url}: no channels advertised within {timeout_s:g} s")

    # ------------------------------------------------------------------ receiving
    def _read(self) -> None:
        try:
            for frame in self._ws:
                if isinstance(frame, bytes):
                    self.bytes_received += len(frame)
                    self._binary(frame)
                else:
                    self.bytes_received += len(frame.encode())
                    self._text(frame)
        except (ConnectionClosed, OSError) as exc:
            self.closed = str(exc) or "connection closed"
        else:
            self.closed = "connection closed"
        finally:
            self.closed = self.closed or "connection closed"
            with self._lock:
                for call in self._calls.values():
                    call.failure = f"connection lost: {self.closed}"
                    call.done.set()

    def _text(self, text: str) -> None:
        try:
            message = orjson.loads(text)
        except orjson.JSONDecodeError:
            return
        if not isinstance(message, dict):
            return
        op = message.get("op")
        if op == "serverInfo":
            if self.server_info and message.get("sessionId") != self.server_info.get("sessionId"):
                self.new_attempts += 1
            self.server_info = message
        elif op == "advertise":
            subscribe = []
            for channel in message.get("channels", []):
                self.channels[int(channel["id"])] = channel
                if channel.get("topic") in self.wanted:
                    sub_id = next(self._next_id)
                    self._subscriptions[sub_id] = str(channel["topic"])
                    subscribe.append({"id": sub_id, "channelId": int(channel["id"])})
            if subscribe:
                self._send(orjson.dumps({"op": "subscribe", "subscriptions": subscribe}).decode())
            self._advertised.set()
        elif op == "advertiseServices":
            for service in message.get("services", []):
                self.services[str(service["name"])] = int(service["id"])
        elif op == "status":
            self.statuses.append(str(message.get("message", "")))
        elif op == "serviceCallFailure":
            with self._lock:
                call = self._calls.get(int(message.get("callId", -1)))
            if call is not None:
                call.failure = str(message.get("message", "failed"))
                call.done.set()

    def _binary(self, data: bytes) -> None:
        if not data:
            return
        opcode = data[0]
        if opcode == 1 and len(data) >= _HEADER.size:
            _op, sub_id, log_time = _HEADER.unpack_from(data)
            topic = self._subscriptions.get(sub_id)
            if topic is None:
                return
            message = Message(topic, log_time, data[_HEADER.size :], time.monotonic())
            try:
                self.messages.put_nowait(message)
            except queue.Full:
                self.dropped += 1
        elif opcode == 2 and len(data) >= 9:
            (self.server_time_ns,) = struct.unpack_from("<Q", data, 1)
        elif opcode == 3 and len(data) >= _CALL.size:
            _op, _service, call_id, length = _CALL.unpack_from(data)
            with self._lock:
                call = self._calls.get(call_id)
            if call is not None:
                call.result = data[_CALL.size + length :]
                call.done.set()

    # ------------------------------------------------------------------ sending
    def _send(self, data: str | bytes) -> None:
        try:
            self._ws.send(data)
        except (ConnectionClosed, OSError) as exc:
            raise LiveError(f"{self.url}: connection lost: {exc}") from None

    def send_raw(self, data: str | bytes) -> None:
        """Send a frame as it is (the tests' hostile client)."""
        self._send(data)

    def call(self, service: str, request: dict[str, Any], timeout_s: float = 5.0) -> Any:
        """Call ``service`` with ``request`` (JSON) and return its decoded answer;
        LiveError when it is refused, unknown or not answered in time."""
        service_id = self.services.get(service)
        if service_id is None:
            raise LiveError(f"{self.url}: no service {service!r}")
        call_id = next(self._next_id)
        pending = _Call()
        with self._lock:
            self._calls[call_id] = pending
        encoding = ENCODING.encode()
        header = _CALL.pack(2, service_id, call_id, len(encoding))
        try:
            self._send(header + encoding + orjson.dumps(request))
            if not pending.done.wait(timeout_s):
                raise LiveError(f"{service}: no answer within {timeout_s:g} s")
        finally:
            with self._lock:
                self._calls.pop(call_id, None)
        if pending.failure is not None:
            raise LiveError(f"{service}: {pending.failure}")
        return orjson.loads(pending.result or b"null")

    def close(self) -> None:
        self._ws.close()
        self._thread.join(timeout=2.0)
