"""The one decoder of a recording (docs/DESIGN.md §7): from its metadata and messages to
the typed records every reader uses, so that ``grade --pilot``, ``replay --verify``,
``report`` and the replay viewer read a recording the same way.

| what               | decoded into                                   | by                       |
|--------------------|------------------------------------------------|--------------------------|
| metadata values    | JSON values (a value that is not JSON: text)   | `metadata_values`        |
| the session setup  | `RecordingInfo`: resolved scenario, seed,      | `recording_info`         |
|                    | pilot, aid level; checked before any use       | (`checked_metadata`)     |
| the aid level      | the recorded level, or `NOT_RECORDED` (the one | `aid_level`              |
|                    | default: ``grade`` has no window, no aids)     |                          |
| an /input message  | `HandControllerState`, exactly the schema's    | `input_state` (the order |
|                    | fields                                         | and digest: inputs.py)   |
| a /state message   | the ``Telemetry`` snapshot it records          | snapshot.py              |
| an /events message | a dict: ``time_s`` a number, ``kind`` a        | `event`                  |
|                    | string, then the kind's own fields             |                          |

Nothing in a recording is trusted: it may come from a crash, a newer trainer, another tool
or a hand edit. What a replay depends on (the seed, the scenario, every /input field) is
refused in one line when it is not what the writer writes (RecordingError; an /input
field: `InputError`, which the caller places); what is only shown is read as far as it
goes.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainer.errors import RecordingError, ValidationError
from trainer.input.state import AXIS_LIMIT, Button, HandControllerState
from trainer.record.schemas import INPUT_SCHEMA
from trainer.text import terminal_text

if TYPE_CHECKING:
    from trainer.scenario.model import Scenario

# The scenario package is imported where a recording's scenario is checked, not at the top:
# the seeking reader imports this module, and a reader that only seeks needs neither the
# scenario loader nor yaml (docs/DESIGN.md §9: the reader's memory).

NS_PER_S = 1_000_000_000

# ------------------------------------------------------------------ metadata

NOT_RECORDED = "not recorded"
"""The aid level of a recording that names none (``grade``, which has no window)."""


def metadata_values(values: dict[str, str]) -> dict[str, Any]:
    """An MCAP metadata record's values, each JSON-decoded (docs/DESIGN.md §7)."""
    decoded: dict[str, Any] = {}
    for key, text in values.items():
        try:
            decoded[key] = json.loads(text)
        except (ValueError, RecursionError):
            # written by another tool, or nested beyond what json can walk: the string as it
            # is (its users check the shape: checked_metadata)
            decoded[key] = text
    return decoded


def json_shape_problem(value: object, max_depth: int, max_values: int) -> str | None:
    """Why ``value`` (decoded JSON) is deeper or larger than the bounds, or None; walked
    without recursion."""
    stack: list[tuple[object, int]] = [(value, 1)]
    count = 0
    while stack:
        item, depth = stack.pop()
        count += 1
        if count > max_values:
            return f"holds more than {max_values:,} values"
        if depth > max_depth:
            return f"is nested more than {max_depth} levels deep"
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return None


def checked_metadata(path: Path, metadata: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The resolved scenario (as stored) and the seed of a recording's metadata, checked
    before any use: a seed from 0 to 2**32 - 1, a scenario that is a mapping within the
    scenario file bounds. RecordingError (one line) otherwise."""
    from trainer.scenario.defaults import SEED_MAX
    from trainer.scenario.loader import MAX_DEPTH, MAX_VALUES

    seed = metadata.get("seed")
    if type(seed) is not int or not 0 <= seed <= SEED_MAX:
        raise RecordingError(
            f"recording {path}: its metadata's seed must be an integer from 0 to {SEED_MAX}, "
            f"got {terminal_text(repr(seed), 40)}"
        )
    raw = metadata.get("scenario")
    if not isinstance(raw, dict):
        raise RecordingError(f"recording {path} holds no resolved scenario in its metadata")
    # bounded like a scenario file, and so before anything walks it: a deeply nested one
    # would otherwise be a RecursionError in every command that reads it
    problem = json_shape_problem(raw, MAX_DEPTH, MAX_VALUES)
    if problem is not None:
        raise RecordingError(f"recording {path}: the scenario in its metadata {problem}")
    return raw, seed


def scenario_of(path: Path, metadata: dict[str, Any]) -> Scenario:
    """The scenario resolved inside a recording, validated like a scenario file."""
    from trainer.scenario.loader import scenario_from_json

    raw, _seed = checked_metadata(path, metadata)
    try:
        return scenario_from_json(raw, f"{path} (scenario in the recording)")
    except ValidationError as exc:
        why = exc.one_line() if exc.problems else f"recording {path}: invalid scenario"
        raise RecordingError(why) from None


def aid_level(metadata: dict[str, Any]) -> str:
    """The aid level the session was flown with (``fly`` records it), or NOT_RECORDED."""
    aids = metadata.get("aids")
    return str(aids) if isinstance(aids, str) and aids else NOT_RECORDED


@dataclass(frozen=True)
class RecordingInfo:
    """What a recording says about its session: enough to fly it again or show it."""

    scenario: Scenario  # the resolved scenario stored in it, never today's file of that id
    seed: int
    pilot: str  # as recorded, made safe for a terminal
    aids: str  # aid_level()
    metadata: dict[str, Any]  # every metadata value, JSON-decoded


def recording_info(path: Path, metadata: dict[str, Any]) -> RecordingInfo:
    """The checked setup of a recording (RecordingError when the seed or the scenario is
    missing or out of bounds)."""
    _raw, seed = checked_metadata(path, metadata)
    return RecordingInfo(
        scenario=scenario_of(path, metadata),
        seed=seed,
        pilot=terminal_text(str(metadata.get("pilot", "unknown")), 200),
        aids=aid_level(metadata),
        metadata=metadata,
    )


# ------------------------------------------------------------------ /input

_PROPERTIES: dict[str, Any] = INPUT_SCHEMA["properties"]
_KEYS = frozenset(_PROPERTIES)
_BUTTONS = frozenset(b.value for b in Button)
_ENUMS = {name: frozenset(_PROPERTIES[name]["enum"]) for name in ("mode", "frame", "rate_scale")}


class InputError(ValueError):
    """An /input message that is not exactly the schema's; the text names the field."""


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def short(value: object) -> str:
    """A value quoted for a one-line error (at most 40 characters)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _axes(name: str, axes: object) -> tuple[float, float, float]:
    if not isinstance(axes, list) or len(axes) != 3:
        raise InputError(f"{name} must be a list of 3 numbers, got {short(axes)}")
    for i, value in enumerate(axes):
        if not _number(value) or not math.isfinite(value):
            raise InputError(f"{name}[{i}] must be a finite number, got {short(value)}")
        if abs(value) > AXIS_LIMIT:
            raise InputError(
                f"{name}[{i}] = {value!r} is outside [-{AXIS_LIMIT:g}, {AXIS_LIMIT:g}] "
                "(a hand-controller deflection)"
            )
    return (float(axes[0]), float(axes[1]), float(axes[2]))


def input_state(message: dict[str, Any]) -> HandControllerState:
    """The hand-controller state of one /input message, whose fields must be exactly the
    schema's (``INPUT_SCHEMA``: no other key, none missing, axes finite in [-1, 1], the
    enumerations' values only); InputError names the first field that is not. The order
    of ``tick`` and ``time_s`` is the stream's (trainer/record/inputs.py)."""
    unknown = sorted(str(k) for k in message.keys() - _KEYS)
    if unknown:
        raise InputError(f"unknown field {unknown[0][:40]!r} (not in the schema)")
    missing = sorted(_KEYS - message.keys())
    if missing:
        raise InputError(f"{missing[0]} is missing")
    thc, rhc = _axes("thc", message["thc"]), _axes("rhc", message["rhc"])
    buttons = message["buttons"]
    if not isinstance(buttons, list):
        raise InputError(f"buttons must be a list of names, got {short(buttons)}")
    for i, name in enumerate(buttons):
        if name not in _BUTTONS:
            raise InputError(f"buttons[{i}] = {short(name)} is not a workstation button name")
    connected = message["connected"]
    if not isinstance(connected, bool):
        raise InputError(f"connected must be true or false, got {short(connected)}")
    for name, allowed in _ENUMS.items():
        if message[name] not in allowed:
            raise InputError(f"{name} = {short(message[name])} is not one of {sorted(allowed)}")
    return HandControllerState(
        thc=thc, rhc=rhc, buttons=frozenset(Button(b) for b in buttons), connected=connected
    )


# ------------------------------------------------------------------ /events


def event(payload: dict[str, Any], log_time_ns: int) -> dict[str, Any]:
    """An /events message as every reader sees it: ``time_s`` a number (the message's log
    time when it holds none), ``kind`` a string ("unknown" when it holds none), then the
    kind's own fields as recorded (``EVENT_KINDS`` in trainer/record/schemas.py; a kind
    of a newer trainer is kept: it is shown, never acted on)."""
    if not _number(payload.get("time_s")):
        payload["time_s"] = log_time_ns / NS_PER_S
    if not isinstance(payload.get("kind"), str):
        payload["kind"] = "unknown"
    return payload
