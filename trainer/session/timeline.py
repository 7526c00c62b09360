"""The scenario's timeline: scheduled events fired when their time comes, one handler per
kind (the kinds a scenario may hold are checked when it is loaded, docs/DESIGN.md §8).

A handler acts on the session through the small ``TimelineHost`` surface: it starts free
drift, speaks a call, loses or restores a camera, sticks a brake, biases the hand
controllers, or hands an approach-procedure event (crew free drift, approach, retreat
cue: trainer/procedure.py) to the procedure; each is logged as an event.
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

    def start_free_drift(self) -> None: ...

    def stick_brake(self, joint: str) -> None: ...

    def bias_hand_controllers(self, thc: Vec3, rhc: Vec3) -> None: ...

    def procedure_event(self, kind: str, params: Mapping[str, Any]) -> None: ...


Handler = Callable[[TimelineHost, Mapping[str, Any]], None]


def _vec(values: Any) -> Vec3:
    return (float(values[0]), float(values[1]), float(values[2]))


def _free_drift(host: TimelineHost, params: Mapping[str, Any]) -> None:
    host.start_free_drift()
    host.event("free_drift_start")
    host.say(str(params.get("call", "Dragon is in free drift.")))


def _go_for_capture(host: TimelineHost, params: Mapping[str, Any]) -> None:
    host.event("go_for_capture")
    host.say(str(params.get("call", "Station, Houston: you are GO for capture.")))


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


def _procedure(kind: str) -> Handler:
    def handler(host: TimelineHost, params: Mapping[str, Any]) -> None:
        host.procedure_event(kind, params)

    return handler


def _offset_grapple(host: TimelineHost, params: Mapping[str, Any]) -> None:
    host.event("offset_grapple")
    host.say(str(params.get("call", "Offset grapple: align the LEE on the fixture and hold.")))


HANDLERS: dict[str, Handler] = {
    "free_drift": _free_drift,
    "go_for_capture": _go_for_capture,
    "call": _call,
    "camera_loss": _camera_loss,
    "camera_restore": _camera_restore,
    "brake_stuck": _brake_stuck,
    "hand_controller_bias": _hand_controller_bias,
    "crew_free_drift": _procedure("crew_free_drift"),
    "approach": _procedure("approach"),
    "retreat_cue": _procedure("retreat_cue"),
    "offset_grapple": _offset_grapple,
}
"""One handler per timeline event kind."""


class Timeline:
    """The scenario's events in time order, fired once each."""

    def __init__(self, events: tuple[TimelineEvent, ...]) -> None:
        self._events = sorted(events, key=lambda e: e.time_s)
        self._next = 0

    def fire(self, now_s: float, host: TimelineHost) -> None:
        """Run the handler of every event due by ``now_s`` (and not yet fired)."""
        now = now_s + 1e-9
        while self._next < len(self._events) and self._events[self._next].time_s <= now:
            event = self._events[self._next]
            self._next += 1
            HANDLERS[event.kind](host, event.params)
