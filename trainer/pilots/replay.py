"""A recording as a pilot: its /input stream checked message by message before replay.

A recording is handed to ``grade --pilot`` by instructors, and may come from a crash, a
newer trainer or another tool: nothing in it is trusted. Every /input message must be a
hand-controller state the trainee's own device could have produced; the first one that is
not refuses the whole recording, naming the tick and the field, because replaying a
corrected guess of it would grade a session that never happened.

| field       | must be                                               |
|-------------|-------------------------------------------------------|
| tick        | an integer: 0 first, then the previous one or the next|
|             | (it repeats while the session was paused; a gap means |
|             | inputs are missing and the replay would drift)        |
| time_s      | a finite number >= 0                                  |
| thc, rhc    | 3 finite numbers in [-1, 1] (a deflection)            |
| buttons     | a list of workstation button names (input.state)      |
| connected   | true or false (JSON booleans, not the text "false")   |

A recording with no /input message at all has nothing to replay and is refused too. A
recording cut off by a crash (``Recording.notice``) is replayed up to the cut; the notice
travels with the replay so that the report can say so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.errors import RecordingError
from trainer.input.state import AXIS_LIMIT, Button, HandControllerState

_BUTTONS = frozenset(b.value for b in Button)


@dataclass(frozen=True)
class Replay:
    """What a checked recording offers a replay."""

    path: Path
    states: list[HandControllerState]
    metadata: dict[str, Any]
    notice: str | None  # why the recording ends early, None when it is whole
    complete: bool
    last_input_time_s: float
    events: list[dict[str, Any]] = field(default_factory=list)


def _fail(path: Path, where: str, what: str) -> RecordingError:
    return RecordingError(f"recording {path}: /input {where}: {what}")


def _number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float)


def check_input(path: Path, index: int, message: dict[str, Any], previous_tick: int) -> int:
    """Raise RecordingError naming the tick and field of the first bad value; returns the
    message's tick (``previous_tick`` is -1 before the first message)."""
    tick = message.get("tick")
    if not _number(tick) or not isinstance(tick, int) or tick < 0:
        raise _fail(path, f"message {index}", f"tick must be an integer >= 0, got {tick!r}")
    where = f"at tick {tick}"
    if previous_tick < 0 and tick != 0:
        raise _fail(path, where, "the first /input message must be tick 0 (inputs missing)")
    if previous_tick >= 0 and tick not in (previous_tick, previous_tick + 1):
        raise _fail(
            path, where, f"follows tick {previous_tick}: inputs are missing or out of order"
        )
    time_s = message.get("time_s")
    if not isinstance(time_s, int | float) or not _number(time_s) or not 0 <= time_s < math.inf:
        raise _fail(path, where, f"time_s must be a finite number >= 0, got {time_s!r}")
    for name in ("thc", "rhc"):
        axes = message.get(name)
        if not isinstance(axes, list) or len(axes) != 3:
            raise _fail(path, where, f"{name} must be a list of 3 numbers, got {axes!r}")
        for i, value in enumerate(axes):
            if not _number(value) or not math.isfinite(value):
                raise _fail(path, where, f"{name}[{i}] must be a finite number, got {value!r}")
            if abs(value) > AXIS_LIMIT:
                raise _fail(
                    path,
                    where,
                    f"{name}[{i}] = {value!r} is outside [-{AXIS_LIMIT:g}, {AXIS_LIMIT:g}] "
                    "(a hand-controller deflection)",
                )
    buttons = message.get("buttons")
    if not isinstance(buttons, list):
        raise _fail(path, where, f"buttons must be a list of names, got {buttons!r}")
    for i, name in enumerate(buttons):
        if name not in _BUTTONS:
            raise _fail(path, where, f"buttons[{i}] = {name!r} is not a workstation button name")
    connected = message.get("connected")
    if not isinstance(connected, bool):
        raise _fail(path, where, f"connected must be true or false, got {connected!r}")
    return tick


def load_replay(path: Path) -> Replay:
    """Read and check a recording for replay (RecordingError names what is wrong)."""
    from trainer.record.reader import read_recording

    rec = read_recording(path)
    if not rec.inputs:
        where = f"; {rec.notice}" if rec.notice else ""
        raise RecordingError(f"recording {path} has no /input messages: nothing to replay{where}")
    states: list[HandControllerState] = []
    previous = -1
    last_time = 0.0
    for index, message in enumerate(rec.inputs):
        previous = check_input(path, index, message, previous)
        last_time = float(message["time_s"])
        states.append(
            HandControllerState(
                thc=tuple(float(v) for v in message["thc"]),  # type: ignore[arg-type]
                rhc=tuple(float(v) for v in message["rhc"]),  # type: ignore[arg-type]
                buttons=frozenset(Button(b) for b in message["buttons"]),
                connected=message["connected"],
            )
        )
    return Replay(
        path=Path(path),
        states=states,
        metadata=dict(rec.metadata),
        notice=rec.notice,
        complete=rec.complete,
        last_input_time_s=last_time,
        events=list(rec.events),
    )
