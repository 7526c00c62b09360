"""The scenario's timeline: scheduled events fired when their time comes (the kinds a
scenario may hold are checked when it is loaded, docs/DESIGN.md §8).

The session's own kinds, the calls and faults, have one handler each here, acting through
the small ``TimelineHost`` surface: a call, a camera lost or restored, a brake stuck, the
hand controllers biased; each is logged as an event. Every other kind belongs to the
scenario's task and goes to it (``task_event``, docs/DESIGN.md §11). An instructor's
fault or call runs the same handler, at once or added to the timeline for later
(trainer/session/instructor.py, docs/DESIGN.md §12).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from trainer.scenario.model import TimelineEvent

Vec3 = tuple[float, float, float]
ZERO: Vec3 = (0.0, 0.0, 0.0)


class TimelineHost(Protocol):
    """What the timeline's handlers may do to a session."""

    cameras_lost: set[str]

    def event(self, kind: str, **detail: Any) -> None: ...

    def say(self, text: str) -> None: ...

    def stick_brake(self, joint: str) -> None: ...

    def bias_hand_controllers(self, thc: Vec3, rhc: Vec3) -> None: ...

    def task_event(self, kind: str, params: Mapping[str, Any]) -> None: ...


Handler = Callable[[TimelineHost, Mapping[str, Any]], None]


def _vec(values: Any) -> Vec3:
    return (float(values[0]), float(values[1]), float(values[2]))


def _call(host: TimelineHost, params: Mapping[str, Any]) -> None:
    host.say(str(params.get("text", "")))


def _camera_loss(host: TimelineHost, params: Mapping[str, Any]) -> None:
    camera = str(params["camera"])
    host.cameras_lost.add(camera)
    host.event("fault", fault="camera_loss", camera=camera)


def _camera_restore(host: TimelineHost, params: Mapping[str, Any]) -> None:
    camera = str(params["camera"])
    host.cameras_lost.discard(camera)
    host.event("fault_cleared", fault="camera_loss", camera=camera)


def _brake_stuck(host: TimelineHost, params: Mapping[str, Any]) -> None:
    joint = str(params["joint"])
    host.stick_brake(joint)
    host.event("fault", fault="brake_stuck", joint=joint)


def _hand_controller_bias(host: TimelineHost, params: Mapping[str, Any]) -> None:
    thc = _vec(params.get("thc", ZERO))
    rhc = _vec(params.get("rhc", ZERO))
    host.bias_hand_controllers(thc, rhc)
    host.event("fault", fault="hand_controller_bias", thc=thc, rhc=rhc)


HANDLERS: dict[str, Handler] = {
    "call": _call,
    "camera_loss": _camera_loss,
    "camera_restore": _camera_restore,
    "brake_stuck": _brake_stuck,
    "hand_controller_bias": _hand_controller_bias,
}
"""One handler per kind of the session's own (scenario.events.SESSION_EVENT_KINDS)."""


class Timeline:
    """The scenario's events in time order, fired once each."""

    def __init__(self, events: tuple[TimelineEvent, ...]) -> None:
        self._events = sorted(events, key=lambda e: e.time_s)
        self._next = 0

    def add(self, event: TimelineEvent) -> None:
        """Schedule one more event (an instructor's, docs/DESIGN.md §12): after the events
        not yet fired that are due no later than it, so equal times keep their order."""
        index = self._next
        while index < len(self._events) and self._events[index].time_s <= event.time_s:
            index += 1
        self._events.insert(index, event)

    def fire(self, now_s: float, host: TimelineHost) -> None:
        """Run the handler of every event due by ``now_s`` (and not yet fired)."""
        now = now_s + 1e-9
        while self._next < len(self._events) and self._events[self._next].time_s <= now:
            event = self._events[self._next]
            self._next += 1
            handler = HANDLERS.get(event.kind)
            if handler is None:
                host.task_event(event.kind, event.params)
            else:
                handler(host, event.params)
