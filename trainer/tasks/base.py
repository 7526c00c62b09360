"""The task interface: what a session is for (docs/DESIGN.md §11).

As in dm_control, the physics and the loop are one thing and the job another. The
session (trainer/session/) owns the world, the arm's controller, the LEE's snares as
hardware, contacts and the impact rule, the scenario's calls and faults, pause and the
hand controllers' loss, the recording and the tick. A task owns the job: it sets up its
episode from the scenario, handles its own timeline events and workstation commands, sees
each tick before and after the physics, raises its own events, decides when the episode
ends and with what outcome, and hands the report its own facts. The session calls these
hooks and knows no task by name (trainer/tasks/__init__.py picks the scenario's):

| hook                      | when the session calls it                              |
|---------------------------|--------------------------------------------------------|
| ``__init__(host)``        | once the world, controller and recorder are built      |
| ``start()``               | right after, before the timeline's events at t = 0     |
| ``on_timeline(kind, params)`` | a timeline event of one of its ``EVENT_KINDS`` is due |
| ``on_buttons(pressed)``   | each tick not paused, before the physics: the buttons that went down this tick |
| ``judge_trigger(metrics)``| the LEE's trigger is pulled: the envelope tier         |
| ``on_capture_event(ev)``  | the LEE's snares report a phase, before it is logged   |
| ``on_contact(bodies, speed)`` | a new contact between two bodies                   |
| ``on_contact_force(bodies, force)`` | every tick a pair touches: its force (new: the impact's) |
| ``uplink(tick_input)``    | each tick not paused, before the buttons and the controller: the ``TickInput`` (state and button edges) that reaches the arm now (a ground link delays the state and finds the edges of the delayed stream) |
| ``downlink(telemetry)``   | every tick: the snapshot the workstation and the pilot see (a ground link's is older) |
| ``berthing_status()``     | each snapshot: a berthing's mechanism state for the displays, else None |
| ``after_step(telemetry)`` | each tick not paused and not ended, after the physics  |
| ``on_tick(telemetry)``    | every tick, paused too (running scores)                |
| ``check_end(telemetry)``  | each tick until it ends: (outcome, reason) or None     |
| ``finish(outcome, reason)`` | the session ends it (the task's rule, a collision, a fault, an interruption) |
| ``facts(...)``            | once ended: what the report is built from              |

It acts on the session only through ``TaskHost``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Protocol

from trainer.input.state import Button, TickInput
from trainer.scenario.model import Scenario
from trainer.scoring.report import SessionFacts
from trainer.sim.capture import CaptureEvent, LeeCapture
from trainer.sim.cbm_state import BerthingStatus
from trainer.sim.metrics import CaptureMetrics
from trainer.sim.world import World
from trainer.telemetry import Telemetry


class TaskHost(Protocol):
    """What a task may use of the session that runs it."""

    scenario: Scenario
    world: World
    capture: LeeCapture

    @property
    def time_s(self) -> float: ...

    def event(self, kind: str, **detail: Any) -> None:
        """Log an event now (the recording and every listener see it)."""

    def say(self, text: str) -> None:
        """A call the crew hears (the call log)."""

    def capture_events(self, events: Sequence[CaptureEvent]) -> None:
        """Hand the snares' phases to the task and log them (after ``capture.trigger``)."""


class Task:
    """The interface (module docstring); every hook does nothing until a task says so."""

    name: ClassVar[str]
    EVENT_KINDS: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, host: TaskHost) -> None:
        self.host = host

    def start(self) -> None:
        pass

    def on_timeline(self, kind: str, params: Mapping[str, Any]) -> None:
        raise ValueError(f"the {self.name} task has no timeline event {kind!r}")

    def on_buttons(self, pressed: frozenset[Button]) -> None:
        pass

    def judge_trigger(self, metrics: CaptureMetrics) -> str:
        return "outside"  # a task without a capture envelope catches nothing

    def on_capture_event(self, event: CaptureEvent) -> None:
        pass

    def on_contact(self, bodies: str, speed_m_s: float) -> None:
        pass

    def on_contact_force(self, bodies: str, force_n: float) -> None:
        pass

    def uplink(self, tick_input: TickInput) -> TickInput:
        return tick_input

    def downlink(self, telemetry: Telemetry) -> Telemetry:
        return telemetry

    def berthing_status(self) -> BerthingStatus | None:
        return None

    def after_step(self, telemetry: Telemetry) -> None:
        pass

    def on_tick(self, telemetry: Telemetry) -> None:
        pass

    def check_end(self, telemetry: Telemetry) -> tuple[str, str] | None:
        return None

    # The end's bookkeeping; a task whose judge keeps it (the capture's) delegates.
    _outcome: str | None = None
    _outcome_reason: str | None = None

    @property
    def outcome(self) -> str | None:
        return self._outcome

    @property
    def outcome_reason(self) -> str | None:
        return self._outcome_reason

    def finish(self, outcome: str, reason: str) -> bool:
        """Set the outcome; False (and nothing changes) if it was already decided."""
        if self._outcome is not None:
            return False
        self._outcome, self._outcome_reason = outcome, reason
        return True

    # What the telemetry shows of the task's clock (None when it has none).
    @property
    def free_drift_start_s(self) -> float | None:
        return None

    @property
    def drift_origin_m(self) -> tuple[float, ...] | None:
        return None

    def facts(
        self,
        *,
        seed: int,
        pilot: str,
        end_time_s: float,
        recording: str | None,
        events: Sequence[dict[str, Any]],
    ) -> SessionFacts:
        raise NotImplementedError
