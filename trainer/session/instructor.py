"""An instructor's action applied to the session (docs/DESIGN.md §12), at a tick boundary:
the action is checked (trainer/record/instructor.py) and recorded before it gets here.

Faults and calls go through the scenario timeline's own handlers (trainer/session/
timeline.py; a task's fault, a berthing's RTL fault or latch stall, to the task as its
timeline's event), at once or added to the timeline when the action names a time, so
that an injected fault is the same fault a scenario schedules. A freeze pauses the session as the
trainee's PAUSE does, but only the instructor's resume ends it; the end stops the attempt
as a quit does (outcome ``interrupted``).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Protocol

from trainer.record.instructor import END_REASON, InstructorAction
from trainer.scenario.model import TimelineEvent
from trainer.session.timeline import HANDLERS, Timeline, TimelineHost


class InstructedSession(TimelineHost, Protocol):
    """What an action may do to the session (trainer/session/core.py's ``Session``)."""

    timeline: Timeline
    frozen: bool
    paused: bool

    def stop(self, reason: str = ...) -> None: ...


def apply_instruction(session: InstructedSession, action: InstructorAction) -> None:
    """Do what ``action`` says (the table of trainer/record/instructor.py)."""
    if action.action in ("fault", "call"):
        kind, params = action.timeline_event()
        at_s = action.at_s
        if at_s is None:
            handler = HANDLERS.get(kind)
            if handler is None:  # a task's fault (a berthing's), as its timeline would
                session.task_event(kind, params)
            else:
                handler(session, params)
        else:  # at its time, or at the next tick when that time has passed
            session.timeline.add(TimelineEvent(at_s, kind, MappingProxyType(params)))
    elif action.action == "freeze":
        if not session.frozen:
            session.frozen = True
            if not session.paused:
                session.paused = True
                session.event("pause")
    elif action.action == "resume":
        if session.frozen:
            session.frozen = False
            if session.paused:
                session.paused = False
                session.event("resume")
    elif action.action == "end":
        session.stop(END_REASON)
