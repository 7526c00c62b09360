"""Nothing a client sends reaches the session unchecked (docs/DESIGN.md §12): the one
check of a request (trainer/live/requests.py) fuzzed with random bytes, wrong services,
oversized payloads, bad tokens and bad fault names and values; then a real server on
loopback, with a real session ticking, taking random frames, wrong ops, truncated and
oversized messages and forged service calls from hostile clients: the session records no
action and no fault, the server answers a good client afterwards, and each refusal is one
line on stderr."""

from __future__ import annotations

import contextlib
import logging
import random
import struct
import time
from typing import Any

import jsonschema
import orjson
import pytest

from trainer.input.state import HandControllerState
from trainer.live.client import LiveClient, LiveError
from trainer.live.protocol import (
    ACTION_SERVICES,
    INFO_SERVICE,
    MAX_PENDING,
    MAX_REQUEST_BYTES,
    NOTE_SERVICE,
)
from trainer.live.requests import INFO, NoteRequest, RefusedError, check_request
from trainer.live.server import LiveServer
from trainer.record.instructor import InstructorAction
from trainer.record.schemas import INSTRUCTOR_SCHEMA
from trainer.scenario.loader import load_scenario
from trainer.session import Session

TOKEN = "7KQ2-M9XD-40TB"
SERVICES = [*ACTION_SERVICES, NOTE_SERVICE, INFO_SERVICE]
VALIDATOR = jsonschema.Draft202012Validator(INSTRUCTOR_SCHEMA)


def _value(rng: random.Random, depth: int = 0) -> Any:
    makers = [
        lambda: None,
        lambda: True,
        lambda: rng.randint(-(2**40), 2**40),
        lambda: rng.uniform(-1e6, 1e6),
        lambda: float("nan"),
        lambda: rng.choice(
            ["lee", "elbow", "external", "wrist_roll", "houston", "m2", "", "\x1b[2J"]
        ),
        lambda: "x" * rng.choice([1, 199, 200, 201, 5000]),
        lambda: rng.choice([[0.1, 0.0, 0.0], [2.0, 0, 0], [0, 0], ["a", 0, 0]]),
        lambda: rng.choice(
            ["camera_loss", "camera_restore", "brake_stuck", "hand_controller_bias", "fire"]
        ),
        lambda: [_value(rng, depth + 1) for _ in range(rng.randrange(4))],
        lambda: {rng.choice(["fault", "camera", "text"]): _value(rng, depth + 1)},
    ]
    return makers[rng.randrange(len(makers) if depth < 3 else len(makers) - 2)]()


def _body(rng: random.Random) -> dict[str, Any]:
    keys = ["token", "fault", "camera", "joint", "thc", "rhc", "at_s", "voice", "text", "author"]
    body = {k: _value(rng) for k in rng.sample(keys, rng.randrange(len(keys)))}
    if rng.random() < 0.6:
        body["token"] = rng.choice([TOKEN, TOKEN.lower(), TOKEN + " ", "", "0" * 14, 7])
    return body


def test_fuzzed_requests_are_refused_or_exactly_an_action() -> None:
    rng = random.Random(23)
    outcomes = {"refused": 0, "action": 0, "note": 0, "info": 0}
    for i in range(6000):
        service = rng.choice([*SERVICES, "/instructor/other", "", "/session/info/x"])
        kind = i % 4
        if kind == 0:  # random bytes
            payload = rng.randbytes(rng.randrange(64))
        elif kind == 1:  # oversized
            payload = orjson.dumps({"token": TOKEN, "text": "a" * MAX_REQUEST_BYTES})
        else:  # random JSON objects, tokens right and wrong
            payload = orjson.dumps(_body(rng), option=orjson.OPT_NON_STR_KEYS)
        encoding = "json" if rng.random() < 0.9 else rng.choice(["cdr", "JSON", ""])
        try:
            checked = check_request(service, payload, encoding, TOKEN, client=i)
        except RefusedError as exc:
            assert str(exc) and "\n" not in str(exc)
            outcomes["refused"] += 1
            continue
        assert len(payload) <= MAX_REQUEST_BYTES and encoding == "json"
        if checked is INFO:
            outcomes["info"] += 1
            continue
        assert orjson.loads(payload)["token"] == TOKEN  # nothing acts without the token
        if isinstance(checked, NoteRequest):
            outcomes["note"] += 1
            continue
        assert isinstance(checked, InstructorAction)
        record = {"tick": 0, "time_s": 0.0, **checked.record()}
        assert VALIDATOR.is_valid(record), record
        outcomes["action"] += 1
    assert outcomes["refused"] > 4000 and outcomes["action"] > 5, outcomes


@pytest.mark.parametrize(
    ("service", "body", "why"),
    [
        ("/instructor/fault", {"fault": "camera_loss", "camera": "lee"}, "no session token"),
        ("/instructor/fault", {"token": "x", "fault": "camera_loss"}, "wrong session token"),
        ("/instructor/fault", {"token": TOKEN, "fault": "fire"}, "fault: one of"),
        (
            "/instructor/fault",
            {"token": TOKEN, "fault": "camera_loss", "camera": "nose"},
            "unknown camera",
        ),
        (
            "/instructor/fault",
            {"token": TOKEN, "fault": "brake_stuck", "joint": "knee"},
            "unknown SSRMS joint",
        ),
        (
            "/instructor/fault",
            {"token": TOKEN, "fault": "hand_controller_bias", "thc": [1.5, 0, 0]},
            r"thc\[0\]: must lie in \[-1, 1\]",
        ),
        (
            "/instructor/fault",
            {"token": TOKEN, "fault": "camera_loss", "camera": "lee", "at_s": -1},
            "at_s",
        ),
        ("/instructor/call", {"token": TOKEN, "voice": "capcom", "text": "hi"}, "voice"),
        (
            "/instructor/call",
            {"token": TOKEN, "voice": "m2", "text": "a\x07b"},
            "control characters",
        ),
        ("/instructor/freeze", {"token": TOKEN, "now": True}, "takes no fields"),
        ("/instructor/note", {"token": TOKEN, "text": ""}, "text: a non-empty string"),
        ("/instructor/launch", {"token": TOKEN}, "unknown service"),
    ],
)
def test_each_refusal_names_why(service: str, body: dict[str, Any], why: str) -> None:
    with pytest.raises(RefusedError, match=why):
        check_request(service, orjson.dumps(body), "json", TOKEN, client=1)


def _garbage(rng: random.Random, service_ids: list[int]) -> bytes | str:
    choice = rng.randrange(7)
    if choice == 0:
        return rng.randbytes(rng.randrange(1, 300))
    if choice == 1:
        return orjson.dumps({"op": rng.choice(["nonsense", "subscribe", "advertise", 3])}).decode()
    if choice == 2:
        return '{"op":"subscribe","subscriptions":[{"id":1,"channelId":999999}]}'
    if choice == 3:  # a service call cut short, or naming a service that is not there
        return struct.pack("<BIII", 2, rng.choice([*service_ids, 4242]), 1, 200) + b"json{}"
    if choice == 4:  # a forged call without the token, or with a wrong one
        body = orjson.dumps(
            {"token": rng.choice(["", "AAAA-BBBB-CCCC"]), "fault": "camera_loss", "camera": "lee"}
        )
        return struct.pack("<BIII", 2, rng.choice(service_ids), 7, 4) + b"json" + body
    if choice == 5:  # oversized service call
        body = b'{"token":"x","text":"' + b"a" * (2 * MAX_REQUEST_BYTES) + b'"}'
        return struct.pack("<BIII", 2, rng.choice(service_ids), 8, 4) + b"json" + body
    return "not json at all {"


def test_hostile_clients_change_nothing_in_a_running_session(
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = LiveServer("127.0.0.1", 0)
    session = Session(load_scenario("crs20-capture"), 2, pilot="none", mirror=server)
    # a session without a recording has no recorder: watch what it would record instead
    recorded: list[Any] = []
    session.listeners.append(lambda ev: recorded.append((ev.kind, ev.detail)))
    instructed: list[Any] = []
    original = session.instruct
    session.instruct = lambda action: (instructed.append(action), original(action))[1]  # type: ignore[method-assign]
    server.begin({"seed": 2}, None)
    rng = random.Random(7)
    hostile = [LiveClient("127.0.0.1", server.port, topics=["/state"]) for _ in range(3)]
    live_log = logging.getLogger("canadarm-trainer.live")  # its own stderr handler
    live_log.addHandler(caplog.handler)
    try:
        service_ids = list(hostile[0].services.values())
        sent = 0
        deadline = time.monotonic() + 20  # bounded in count and in time
        while sent < 600 and time.monotonic() < deadline:
            client = hostile[sent % 3]
            if client.closed is None:
                with contextlib.suppress(LiveError):
                    client.send_raw(_garbage(rng, service_ids))
            sent += 1
            if sent % 20 == 0:  # the session ticks on meanwhile, actions applied between
                server.before_tick(session)
                session.tick(HandControllerState())
        time.sleep(0.5)
        for _ in range(10):
            server.before_tick(session)
            session.tick(HandControllerState())
        assert instructed == []
        assert not any(kind in ("fault", "pause", "end") for kind, _ in recorded)
        assert server.refused > 0
        lines = [r.getMessage() for r in caplog.records if r.name == live_log.name]
        assert len(lines) == server.refused and all("\n" not in line for line in lines)
        assert any("no session token" in line or "wrong session token" in line for line in lines)
        # a good client is served afterwards, and its action reaches the session
        good = LiveClient("127.0.0.1", server.port, topics=["/events"])
        try:
            assert good.call("/instructor/freeze", {"token": server.token})["accepted"] is True
        finally:
            good.close()
        server.before_tick(session)
        assert [a.action for a in instructed] == ["freeze"] and session.frozen
    finally:
        live_log.removeHandler(caplog.handler)
        for client in hostile:
            client.close()
        server.stop()
        session.close()


def test_a_flood_is_bounded_and_an_ended_attempt_takes_nothing() -> None:
    server = LiveServer("127.0.0.1", 0)
    client = LiveClient("127.0.0.1", server.port, topics=[])
    try:
        with pytest.raises(LiveError, match="no attempt is being flown"):
            client.call("/instructor/freeze", {"token": server.token})
        server.begin({"seed": 1}, None)
        for _ in range(MAX_PENDING):
            client.call("/instructor/freeze", {"token": server.token})
        with pytest.raises(LiveError, match="already wait for the next tick"):
            client.call("/instructor/freeze", {"token": server.token})
        server.end()  # what waited is dropped with the attempt
        server.begin({"seed": 1}, None)
        assert server._queue.empty()
    finally:
        client.close()
        server.stop()


def test_a_handshake_without_the_servers_subprotocol_is_refused() -> None:
    """foxglove-sdk 0.30 serves ``foxglove.sdk.v1`` only: a client offering the older
    ``foxglove.websocket.v1`` alone, or nothing, gets HTTP 400 (docs/DESIGN.md §12), and
    the server serves the next one."""
    import base64
    import os
    import socket

    server = LiveServer("127.0.0.1", 0)
    try:
        for offered in ("foxglove.websocket.v1", ""):
            with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
                key = base64.b64encode(os.urandom(16)).decode()
                protocol = f"Sec-WebSocket-Protocol: {offered}\r\n" if offered else ""
                sock.sendall(
                    (
                        f"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                        f"Sec-WebSocket-Version: 13\r\n{protocol}\r\n"
                    ).encode()
                )
                assert sock.recv(200).startswith(b"HTTP/1.1 400")
        client = LiveClient("127.0.0.1", server.port, topics=[])
        assert "/session/info" in client.services
        client.close()
    finally:
        server.stop()
