"""What a session tells the world around it: timestamped events and the tick listeners.

An event is one line of the session's log (and of the recording's /events channel, whose
schema lists every kind and its fields: ``trainer.record.schemas.EVENT_KINDS``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from trainer.control.telemetry import ControlTelemetry
from trainer.input.state import HandControllerState
from trainer.record.instructor import InstructorAction
from trainer.telemetry import Telemetry


@dataclass(frozen=True, slots=True)
class SessionEvent:
    """Something that happened at ``time_s`` (simulation seconds)."""

    time_s: float
    kind: str
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The event as one JSON-ready record (the report's timeline)."""
        return {"time_s": self.time_s, "kind": self.kind, **self.detail}


class SessionListener(Protocol):
    """Follows every tick of a session (the recorder is one). Called in this order within
    a tick: ``on_instruction`` for each instructor's action applied before it
    (docs/DESIGN.md §12), ``on_input`` before anything moves, ``on_event`` for each event
    as it happens, ``on_tick`` with the tick's snapshot."""

    def on_input(
        self, tick: int, time_s: float, hc: HandControllerState, control: ControlTelemetry | None
    ) -> None: ...

    def on_instruction(self, tick: int, time_s: float, action: InstructorAction) -> None: ...

    def on_event(self, event: SessionEvent) -> None: ...

    def on_tick(self, telemetry: Telemetry) -> None: ...
