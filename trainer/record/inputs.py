"""The one check of a recording's /input stream (docs/DESIGN.md §7): what ``grade --pilot``,
``replay --verify``, ``report`` and the replay viewer all accept, so that a recording gets
one verdict whichever command reads it.

A recording may come from a crash, a newer trainer, another tool or a hand edit: nothing in
it is trusted. Every /input message must be exactly what the writer writes, a JSON object
matching ``INPUT_SCHEMA`` (trainer/record/schemas.py) with no other key:

| field                    | must be                                                    |
|--------------------------|------------------------------------------------------------|
| tick                     | an integer: 0 first, then the previous one or the next (it |
|                          | repeats while paused; a gap means inputs are missing)      |
| time_s                   | a finite number >= 0                                       |
| thc, rhc                 | 3 finite numbers in [-1, 1] (a deflection)                 |
| buttons                  | a list of workstation button names                         |
| connected                | true or false (JSON booleans, not the text "false")        |
| mode, frame, rate_scale  | one of the schema's names, or "" (before the first tick)  |

The fields are decoded by the one decoder of /input (trainer/record/decode.py
`input_state`); the order of the ticks and the digest are this module's. The first message that is not refuses the whole recording with a RecordingError naming the
message and the field: replaying a corrected guess of it would grade a session that never
happened. ``InputCheck.digest`` is a hash of the stream's bytes as stored, which ``grade``
keeps in the recording's summary so that ``report`` can tell when the inputs were changed
after the report was written (trainer/debrief/grading.py). `recorded_inputs` streams an
opened recording's states through the check, `checked_input_stream` checks them all.

A held input (the same hand-controller state tick after tick, how the writer stores most
ticks) differs from the message before only in its leading ``tick`` and ``time_s``; only
those two are checked again then, read from the message's well-formed prefix.

An instructor's actions (/instructor, trainer/record/instructor.py: a live session's) are
inputs too: each is checked by the one check of an action, its tick must be that of the
/input message that follows it in the file, and it is handed over with that tick's state
(`Instructed`; after the last /input when an action ended the session). They join the
digest in the file's order.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from trainer.errors import RecordingError
from trainer.input.state import HandControllerState
from trainer.record.decode import InputError, input_state
from trainer.record.instructor import ActionError, InstructorAction, parse_recorded
from trainer.record.schemas import INPUT_TOPIC, INSTRUCTOR_TOPIC

if TYPE_CHECKING:
    from trainer.record.seek import IndexedRecording

# Where an /input message's held part begins: after "tick" and "time_s" (the writer's
# order), and the form those two must have for the rest to be reused without decoding.
_AFTER_TIME = b',"thc":'
_PREFIX = re.compile(rb'\{"tick":(0|[1-9][0-9]{0,17}),"time_s":([0-9][0-9.eE+-]{0,30})')


@dataclass(frozen=True, slots=True)
class Instructed:
    """The instructor's actions applied before a tick, and that tick's hand controllers
    (None: the recording ends after the actions, one of which ended the session)."""

    actions: tuple[InstructorAction, ...]
    state: HandControllerState | None


TickFeed = HandControllerState | Instructed
"""What a session is flown with, one a control tick (trainer/refly/loop.py)."""


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class InputCheck:
    """Checks one recording's /input messages in order; ``check`` returns each one's
    hand-controller state (the same object again for a held input)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self.previous_tick = -1
        self.last_time_s = 0.0
        self._held: bytes | None = None
        self._state = HandControllerState()
        self._hash = hashlib.blake2b(digest_size=16)

    @property
    def digest(self) -> str:
        """Hash of every message checked so far, as stored (hex)."""
        return self._hash.hexdigest()

    def _fail(self, where: str, what: str) -> RecordingError:
        return RecordingError(f"recording {self.path}: /input {where}: {what}")

    def check(self, data: bytes, log_time_ns: int) -> HandControllerState:
        """The state of the next /input message (``data``, its bytes as stored)."""
        index = self.count
        self.count += 1
        self._hash.update(len(data).to_bytes(8, "little"))
        self._hash.update(data)
        cut = data.find(_AFTER_TIME)
        prefix = _PREFIX.fullmatch(data, 0, cut) if cut > 0 else None
        if prefix is not None and self._held is not None and data[cut:] == self._held:
            time_s = float(prefix.group(2)) if _float(prefix.group(2)) else math.nan
            self._sequence(index, int(prefix.group(1)), time_s)
            return self._state
        try:
            message = orjson.loads(data)
        except orjson.JSONDecodeError:
            message = None
        if not isinstance(message, dict):
            raise self._fail(
                f"message {index} (t = {log_time_ns / 1e9:.3f} s)", "is not a JSON object"
            )
        self._state = self._message(index, message)
        self._held = data[cut:] if prefix is not None else None
        return self._state

    def _sequence(self, index: int, tick: object, time_s: object) -> None:
        if not _number(tick) or not isinstance(tick, int) or tick < 0:
            raise self._fail(f"message {index}", f"tick must be an integer >= 0, got {tick!r}")
        where = f"at tick {tick}"
        previous = self.previous_tick
        if previous < 0 and tick != 0:
            raise self._fail(where, "the first /input message must be tick 0 (inputs missing)")
        if previous >= 0 and tick not in (previous, previous + 1):
            raise self._fail(where, f"follows tick {previous}: inputs are missing or out of order")
        if not _number(time_s) or not 0 <= time_s < math.inf:  # type: ignore[operator]
            raise self._fail(where, f"time_s must be a finite number >= 0, got {time_s!r}")
        self.previous_tick = tick
        self.last_time_s = float(time_s)  # type: ignore[arg-type]

    def instruction(self, data: bytes, log_time_ns: int) -> tuple[int, InstructorAction]:
        """The tick and action of an /instructor message (``data``, its bytes as stored)."""
        self._hash.update(len(data).to_bytes(8, "little"))
        self._hash.update(data)
        where = f"/instructor at t = {log_time_ns / 1e9:.3f} s"
        try:
            message = orjson.loads(data)
        except orjson.JSONDecodeError:
            message = None
        if not isinstance(message, dict):
            raise RecordingError(f"recording {self.path}: {where}: is not a JSON object")
        try:
            tick, action = parse_recorded(message)
        except ActionError as exc:
            raise RecordingError(f"recording {self.path}: {where}: {exc}") from None
        previous = self.previous_tick
        if tick not in ((0,) if previous < 0 else (previous, previous + 1)):
            raise RecordingError(
                f"recording {self.path}: {where}: tick {tick} follows /input tick {previous}"
            )
        return tick, action

    def _message(self, index: int, message: dict[str, Any]) -> HandControllerState:
        self._sequence(index, message.get("tick"), message.get("time_s"))
        try:
            return input_state(message)  # the one decoder of an /input message
        except InputError as exc:
            raise self._fail(f"at tick {message['tick']}", str(exc)) from None


def _float(text: bytes) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def recorded_inputs(
    recording: IndexedRecording, check: InputCheck | None = None
) -> Iterator[TickFeed]:
    """The hand-controller state of every recorded control tick, in order, streamed chunk
    by chunk (a verifier reading the same chunks for its comparison finds them in the
    reader's cache), each message checked by ``check``; a held input yields the same
    state object again. A tick an instructor acted before comes as `Instructed`."""
    check = check if check is not None else InputCheck(recording.path)
    pending: list[tuple[int, InstructorAction]] = []
    for topic, log_time, data in recording.raw_messages([INPUT_TOPIC, INSTRUCTOR_TOPIC]):
        if topic == INSTRUCTOR_TOPIC:
            pending.append(check.instruction(data, log_time))
            continue
        state = check.check(data, log_time)
        if not pending:
            yield state
            continue
        wrong = [tick for tick, _ in pending if tick != check.previous_tick]
        if wrong:
            raise RecordingError(
                f"recording {recording.path}: /instructor at tick {wrong[0]} precedes "
                f"/input tick {check.previous_tick}"
            )
        yield Instructed(tuple(action for _, action in pending), state)
        pending = []
    if pending:
        yield Instructed(tuple(action for _, action in pending), None)


def checked_input_stream(recording: IndexedRecording) -> InputCheck:
    """Every /input message of a recording checked (RecordingError at the first bad one);
    the check holds their count, last time and digest (instructor's actions included). What ``report`` and the viewer run
    before they use a recording, as ``grade --pilot`` and ``--verify`` do as they fly it."""
    check = InputCheck(recording.path)
    for _state in recorded_inputs(recording, check):
        pass
    return check
