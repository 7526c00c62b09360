"""What the live server and its clients agree on (docs/DESIGN.md §12, contract).

The transport is the Foxglove WebSocket protocol as foxglove-sdk 0.30 serves it
(subprotocol ``foxglove.sdk.v1``; the messages of the protocol's v1 specification). The
channels are the recording's own (trainer/record/schemas.py: /input, /state, /events,
/checkpoint, /tf, /instructor, JSON with their JSON schemas, log times in simulation
nanoseconds) and ``/camera/lee`` (``foxglove.CompressedImage``, JPEG).

Services (request and response JSON; every request of an action carries ``token``):

| service                | request fields                                   | does                     |
|------------------------|--------------------------------------------------|--------------------------|
| `/instructor/fault`    | token, fault, camera / joint / thc, rhc / switch / latch, fraction, at_s | injects a fault (a berthing's RTL fault and latch stall only in a berthing) |
| `/instructor/call`     | token, voice (houston, m2), text, at_s           | a call in the call log   |
| `/instructor/freeze`   | token                                            | freezes the simulation   |
| `/instructor/resume`   | token                                            | ends a freeze            |
| `/instructor/end`      | token                                            | ends the attempt         |
| `/instructor/note`     | token, text, author (optional)                   | a note in the notes file |
| `/session/info`        | (none; no token: what any watcher may see)       | the attempt's metadata,  |
|                        |                                                  | its events and actions so far |

An accepted action answers ``{"accepted": true, "action": ..., "pending": N}``: it is
applied at the next control tick and appears on /instructor. A refused request answers a
service call failure naming why, and the server logs one line.
"""

from __future__ import annotations

import ipaddress
import secrets

from trainer.errors import TrainerError

SUBPROTOCOL = "foxglove.sdk.v1"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_ADDRESS = f"{DEFAULT_HOST}:{DEFAULT_PORT}"
CAMERA_TOPIC = "/camera/lee"
ACTION_SERVICES: dict[str, str] = {
    "/instructor/fault": "fault",
    "/instructor/call": "call",
    "/instructor/freeze": "freeze",
    "/instructor/resume": "resume",
    "/instructor/end": "end",
}
NOTE_SERVICE = "/instructor/note"
INFO_SERVICE = "/session/info"
SERVICES: tuple[str, ...] = (*ACTION_SERVICES, NOTE_SERVICE, INFO_SERVICE)
ENCODING = "json"
MAX_REQUEST_BYTES = 16 * 1024
"""A request's payload at most (E: the longest, a note of 2,000 characters, is ~8 kB)."""
MAX_PENDING = 64
"""Actions waiting for the next tick at most (E: a person clicks a few a second)."""

# Crockford's base 32 without I, L, O, U: read aloud over a voice loop without ambiguity.
_TOKEN_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TOKEN_GROUPS = 3


def new_token() -> str:
    """A session token: 12 random characters (60 bits) in groups of four, e.g.
    ``7KQ2-M9XD-40TB``."""
    chars = "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(4 * TOKEN_GROUPS))
    return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))


def parse_address(text: str, option: str = "--live") -> tuple[str, int]:
    """``ADDRESS:PORT`` (an IP address, ``[v6]:PORT``, or ``localhost``; port 0 takes any
    free port); TrainerError (one line, exit 2) for anything else."""
    host, sep, port_text = text.rpartition(":")
    usage = (
        f"{option}: expected ADDRESS:PORT with an IP address "
        f"(e.g. {DEFAULT_ADDRESS}, or 0.0.0.0:{DEFAULT_PORT} for every interface), got {text!r}"
    )
    if not sep or not port_text.isdigit() or len(port_text) > 5 or int(port_text) > 65535:
        raise TrainerError(usage)
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if host == "localhost":
        host = DEFAULT_HOST
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise TrainerError(usage) from None
    return host, int(port_text)


def parse_url(text: str) -> tuple[str, int]:
    """``ws://HOST:PORT`` (or ``HOST:PORT``) of ``instruct``; TrainerError otherwise."""
    address = text[len("ws://") :] if text.startswith("ws://") else text
    address = address.rstrip("/")
    if "://" in address or "/" in address or not address:
        raise TrainerError(
            f"instruct: expected ws://ADDRESS:PORT (e.g. ws://{DEFAULT_ADDRESS}), got {text!r}"
        )
    return parse_address(address, "instruct")
