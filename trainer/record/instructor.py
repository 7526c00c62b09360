"""The instructor's actions (docs/DESIGN.md §7, §12): what one is, its JSON schema on the
recording's /instructor channel, and the one check of an action, whether it arrives as a
live request (trainer/live/) or is read back from a recording flown again (trainer/refly/).

An action is an input of the session, like a tick's hand controllers: the session applies
it at a tick boundary, before that tick's /input (``Session.instruct``), and the recorder
writes it on /instructor then, so that flying the recording again applies it at the same
place (the file's order: every /instructor message belongs before the /input that follows
it) and ``replay --verify`` reproduces a live session bit for bit.

| action   | its fields (besides ``tick``, ``time_s``, ``action``, ``client``)    | the session  |
|----------|----------------------------------------------------------------------|--------------|
| `fault`  | ``fault``: a fault of the scenario language (camera_loss,             | that kind's  |
|          | camera_restore, brake_stuck, hand_controller_bias; a berthing's       | timeline     |
|          | rtl_fault and latch_stall) and its parameters (``camera``; ``joint``; | handler (the |
|          | ``thc`` and ``rhc``; ``switch``; ``latch`` and ``fraction``, null for | task's for a |
|          | the task's default), ``at_s``: null (now) or a simulation time        | berthing's), |
|          |                                                                       | now or at_s  |
| `call`   | ``voice``: houston or m2, ``text``, ``at_s``                          | a call       |
| `freeze` | –                                                                     | pauses; the trainee cannot resume |
| `resume` | –                                                                     | ends a freeze |
| `end`    | –                                                                     | ends the attempt (interrupted) |

``client`` is the number the live server gave the WebSocket client that sent it. The
parameters are checked by the scenario language's own checks (trainer/scenario/events.py
``check_event``): an instructor can inject exactly what a scenario's timeline can hold. A
failed check raises `ActionError`, one line naming the field. A berthing's faults belong to
its task (docs/DESIGN.md §11): ``check_for_task`` refuses them for a session of another
task (the live server before it queues one, the session before it records one).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from trainer.record.schemas import ACTIONS, FAULTS, MAX_CLIENT
from trainer.text import checked_name

# The scenario package (and yaml) is imported where an action is checked, not at the top:
# the reader's /input check imports this module, and a reader that only reads inputs needs
# neither (tests/record/test_seek.py, docs/DESIGN.md §9: the reader's memory).

VOICES: dict[str, str] = {"houston": "Station, Houston: ", "m2": "M2: "}
"""The voice of a call and how the call log writes it (the scenarios' own convention)."""
END_REASON = "ended by the instructor"
_ZERO = [0.0, 0.0, 0.0]


class ActionError(ValueError):
    """An action that is not one the instructor may send (one line: the field and why)."""


@dataclass(frozen=True, slots=True)
class InstructorAction:
    """One checked action. ``fields`` hold the action's own fields in the order they are
    recorded (so that the bytes written again by a replay are the recorded ones)."""

    action: str
    fields: Mapping[str, Any]
    client: int = 0

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled with its fields as a plain dict (a mapping proxy cannot be): a
        campaign's job carries a recording's actions to its worker (docs/DESIGN.md §12)."""
        return (_rebuilt, (self.action, dict(self.fields), self.client))

    def record(self) -> dict[str, Any]:
        """The /instructor message without ``tick`` and ``time_s``."""
        return {"action": self.action, **self.fields, "client": self.client}

    @property
    def at_s(self) -> float | None:
        at = self.fields.get("at_s")
        return float(at) if at is not None else None

    def timeline_event(self) -> tuple[str, dict[str, Any]]:
        """A fault or a call as the scenario timeline's kind and parameters."""
        if self.action == "call":
            return "call", {"text": VOICES[str(self.fields["voice"])] + str(self.fields["text"])}
        params = {
            k: v for k, v in self.fields.items() if k not in ("fault", "at_s") and v is not None
        }  # (a latch stall's null fraction: the task's default)
        return str(self.fields["fault"]), params


def _rebuilt(action: str, fields: dict[str, Any], client: int) -> InstructorAction:
    return InstructorAction(action, MappingProxyType(fields), client)


def _at_s(body: Mapping[str, Any]) -> float | None:
    from trainer.scenario.defaults import SESSION_CAP_S

    at = body.get("at_s")
    if at is None:
        return None
    if isinstance(at, bool) or not isinstance(at, int | float) or not math.isfinite(at):
        raise ActionError(f"at_s: a simulation time in seconds or null, got {_show(at)}")
    if not 0.0 <= at <= SESSION_CAP_S:
        raise ActionError(f"at_s: must lie in [0, {SESSION_CAP_S:g}] s, got {at!r}")
    return float(at)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fault(body: Mapping[str, Any]) -> dict[str, Any]:
    from trainer.scenario.events import check_event
    from trainer.validate import Problems

    fault = body.get("fault")
    if fault not in FAULTS:
        raise ActionError(f"fault: one of {', '.join(FAULTS)}, got {_show(fault)}")
    problems = Problems(f"fault {fault}", raise_as=ActionError)
    node = {k: v for k, v in body.items() if k not in ("fault", "at_s")}
    if fault == "latch_stall" and "fraction" in node and node["fraction"] is None:
        del node["fraction"]  # null: the task's default, as a timeline without one
    if "call" in node:  # (a berthing fault's call in a timeline; an instructor calls apart)
        raise ActionError("call: an instructor's call is an action of its own")
    params = check_event(problems, str(fault), node, "")
    fields: dict[str, Any] = {"fault": fault}
    if fault in ("camera_loss", "camera_restore"):
        fields["camera"] = params["camera"]
    elif fault == "brake_stuck":
        fields["joint"] = params["joint"]
    elif fault == "rtl_fault":
        fields["switch"] = params["switch"]
    elif fault == "latch_stall":
        fields["latch"] = params["latch"]
        fraction = params.get("fraction")
        fields["fraction"] = None if fraction is None else float(fraction)
    else:
        fields["thc"] = [float(v) for v in params.get("thc", _ZERO)]
        fields["rhc"] = [float(v) for v in params.get("rhc", _ZERO)]
    fields["at_s"] = _at_s(body)
    return fields


def _call(body: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(body) - {"voice", "text", "at_s"})
    if unknown:
        raise ActionError(f"call: unknown field {_show(unknown[0])}")
    voice = body.get("voice")
    if voice not in VOICES:
        raise ActionError(f"voice: houston or m2, got {_show(voice)}")
    text = body.get("text")
    if not isinstance(text, str):
        raise ActionError(f"text: the call's words, got {_show(text)}")
    try:
        checked_name(text, "text")
    except ValueError as exc:
        raise ActionError(str(exc).replace("a name", "a call")) from None
    return {"voice": voice, "text": text, "at_s": _at_s(body)}


def parse_action(action: object, body: Mapping[str, Any], client: int = 0) -> InstructorAction:
    """Check one action (its name and its fields in ``body``); ActionError if it is not
    exactly what the table of the module docstring allows."""
    if action not in ACTIONS:
        raise ActionError(f"action: one of {', '.join(ACTIONS)}, got {_show(action)}")
    if action == "fault":
        fields = _fault(body)
    elif action == "call":
        fields = _call(body)
    else:
        if body:
            raise ActionError(f"{action}: takes no fields, got {_show(sorted(body)[0])}")
        fields = {}
    return InstructorAction(str(action), MappingProxyType(fields), client)


def check_for_task(action: InstructorAction, task: str) -> None:
    """ActionError when ``action`` is a fault of a task other than ``task`` (an RTL fault
    in a capture): the session's own faults and every other action suit any task."""
    if action.action != "fault":
        return
    from trainer.scenario.events import SESSION_EVENT_KINDS, TASK_EVENT_KINDS

    fault = str(action.fields.get("fault"))
    if fault in SESSION_EVENT_KINDS or fault in TASK_EVENT_KINDS.get(task, ()):
        return
    owners = " or ".join(t for t, kinds in TASK_EVENT_KINDS.items() if fault in kinds)
    raise ActionError(f"fault: {fault} is a fault of the {owners} task, not of {task!r}")


def parse_recorded(payload: Mapping[str, Any]) -> tuple[int, InstructorAction]:
    """A recorded /instructor message: its tick and its action (ActionError if it is not
    exactly what the writer writes)."""
    tick = payload.get("tick")
    if isinstance(tick, bool) or not isinstance(tick, int) or tick < 0:
        raise ActionError(f"tick: an integer >= 0, got {_show(tick)}")
    time_s = payload.get("time_s")
    if isinstance(time_s, bool) or not isinstance(time_s, int | float) or not time_s >= 0:
        raise ActionError(f"time_s: a number >= 0, got {_show(time_s)}")
    client = payload.get("client")
    if isinstance(client, bool) or not isinstance(client, int) or not 0 <= client <= MAX_CLIENT:
        raise ActionError(f"client: an integer from 0 to {MAX_CLIENT}, got {_show(client)}")
    body = {k: v for k, v in payload.items() if k not in ("tick", "time_s", "action", "client")}
    action = parse_action(payload.get("action"), body, client)
    if action.record() != {k: v for k, v in payload.items() if k not in ("tick", "time_s")}:
        raise ActionError(
            "not written as the writer writes it (a field is missing or in another form)"
        )
    return tick, action


def describe(message: Mapping[str, Any]) -> str:
    """One line of an /instructor message (as recorded, not trusted: shown only): the
    replay viewer's timeline, the console's log and the debrief write it."""
    name = str(message.get("action", "?"))
    at = message.get("at_s")
    when = f" at {float(at):.1f} s" if isinstance(at, int | float) else ""
    if name == "fault":
        what = next((str(message[k]) for k in ("camera", "joint") if k in message), "")
        for unit in ("switch", "latch"):  # a berthing's RTL indicator or capture latch
            if unit in message:
                what = f"{unit} {message[unit]}"
        if message.get("fault") == "hand_controller_bias":
            what = f"THC {message.get('thc')} RHC {message.get('rhc')}"
        return f"INSTRUCTOR: {message.get('fault', '?')} {what}{when}".strip()
    if name == "call":
        return f"INSTRUCTOR: {message.get('voice', '?')} call{when}: {message.get('text', '')}"
    return f"INSTRUCTOR: {name}"
