"""The one check of a request to the live server (docs/DESIGN.md §12): nothing a client
sends reaches the session unchecked.

A request is refused (``RefusedError``, one line that the server logs and answers with) when
it is larger than ``MAX_REQUEST_BYTES``, not in the ``json`` encoding, not one JSON object,
lacks the session's token or holds another one (compared in constant time), or when the
action's fields are not exactly what an action may hold (trainer/record/instructor.py: the
scenario language's own checks of a fault or a call), or when it is a fault of another task
than the attempt's (a berthing's RTL fault in a capture). A note's text and author are
checked as the notes file bounds them (trainer/record/notes.py).

| request           | becomes                                   |
|-------------------|-------------------------------------------|
| an action service | an ``InstructorAction`` (``client`` set)  |
| the note service  | a `NoteRequest`                           |
| the info service  | `INFO` (no token needed: watching only)   |
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any, Final

import orjson

from trainer.live.protocol import (
    ACTION_SERVICES,
    ENCODING,
    INFO_SERVICE,
    MAX_REQUEST_BYTES,
    NOTE_SERVICE,
)
from trainer.record.instructor import ActionError, InstructorAction, check_for_task, parse_action
from trainer.record.notes import MAX_NAME_CHARS, MAX_TEXT_CHARS
from trainer.text import terminal_text


class RefusedError(ValueError):
    """A request that does not reach the session (one line: why)."""


@dataclass(frozen=True, slots=True)
class NoteRequest:
    text: str
    author: str
    client: int


class _Info:
    def __repr__(self) -> str:
        return "INFO"


INFO: Final = _Info()
Request = InstructorAction | NoteRequest | _Info


def _body(payload: bytes, encoding: str) -> dict[str, Any]:
    if len(payload) > MAX_REQUEST_BYTES:
        raise RefusedError(f"{len(payload):,} bytes; a request holds at most {MAX_REQUEST_BYTES:,}")
    if encoding != ENCODING:
        raise RefusedError(f"encoding {terminal_text(encoding, 20)!r}; requests are {ENCODING}")
    try:
        body = orjson.loads(payload) if payload.strip() else {}
    except orjson.JSONDecodeError:
        raise RefusedError("not JSON") from None
    if not isinstance(body, dict):
        raise RefusedError("not a JSON object")
    return body


def _token(body: dict[str, Any], token: str) -> None:
    given = body.pop("token", None)
    if not isinstance(given, str):
        raise RefusedError("no session token (the token printed on the trainee's screen)")
    if not hmac.compare_digest(given.encode("utf-8", "replace"), token.encode()):
        raise RefusedError("wrong session token")


def _text(value: object, what: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RefusedError(f"{what}: a non-empty string")
    if len(value) > limit:
        raise RefusedError(f"{what}: {len(value):,} characters; at most {limit:,}")
    if any((ord(ch) < 32 and ch not in "\n\t") or ord(ch) == 127 for ch in value):
        raise RefusedError(f"{what}: holds control characters")
    return value


def check_request(
    service: str,
    payload: bytes,
    encoding: str,
    token: str,
    client: int,
    task: str | None = None,
) -> Request:
    """The checked request (see the module docstring), or ``RefusedError``; a fault of a
    task other than ``task`` (the attempt's, when one is flown) is refused too."""
    if service not in ACTION_SERVICES and service not in (NOTE_SERVICE, INFO_SERVICE):
        raise RefusedError(f"unknown service {terminal_text(service, 60)!r}")
    body = _body(payload, encoding)
    if service == INFO_SERVICE:
        return INFO
    _token(body, token)
    if service == NOTE_SERVICE:
        unknown = sorted(set(body) - {"text", "author"})
        if unknown:
            raise RefusedError(f"note: unknown field {terminal_text(str(unknown[0]), 40)!r}")
        text = _text(body.get("text"), "text", MAX_TEXT_CHARS)
        author = _text(body.get("author", "instructor"), "author", MAX_NAME_CHARS)
        return NoteRequest(text, author, client)
    try:
        action = parse_action(ACTION_SERVICES[service], body, client)
        if task is not None:
            check_for_task(action, task)
        return action
    except ActionError as exc:
        raise RefusedError(terminal_text(str(exc), 200)) from None
