"""Pilots: whatever flies a session hands it ``HandControllerState`` values, exactly as a
person's gamepad does (docs/DESIGN.md §2), after seeing only the telemetry a crew member sees.

| pilot       | what it does                                                        |
|-------------|---------------------------------------------------------------------|
| `none`      | hands off: centred controllers, no buttons (the vehicle just drifts)|
| `autopilot` | closed-loop capture through the hand controllers (autopilot.py); a berthing's (berthing_autopilot.py), crew or ground; a capture then berthing, one then the other |
| RECORDING   | replays the /input stream of a recorded session, tick for tick      |
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from trainer.input.state import HandControllerState
from trainer.scenario.model import Scenario
from trainer.telemetry import Telemetry


class Pilot(Protocol):
    name: str

    def next_state(self, telemetry: Telemetry) -> HandControllerState:
        """The hand-controller state for the coming tick, given the latest snapshot."""
        ...


class NonePilot:
    """No input at all: what happens if nobody flies."""

    name = "none"

    def next_state(self, telemetry: Telemetry) -> HandControllerState:
        return HandControllerState()


class RecordedPilot:
    """Replays the hand-controller states of a recording, tick for tick."""

    def __init__(self, path: Path, states: list[HandControllerState]) -> None:
        self.name = str(path)
        self._states = states
        self._index = 0

    @classmethod
    def from_recording(cls, path: Path) -> tuple[RecordedPilot, dict[str, object]]:
        """The pilot of a checked recording (``trainer.pilots.replay``: RecordingError
        names the tick and field of the first bad /input message)."""
        from trainer.pilots.replay import load_replay

        replay = load_replay(path)
        return cls(path, replay.states), dict(replay.metadata)

    @property
    def exhausted(self) -> bool:
        return self._index >= len(self._states)

    def next_state(self, telemetry: Telemetry) -> HandControllerState:
        if self._index >= len(self._states):
            return HandControllerState()
        state = self._states[self._index]
        self._index += 1
        return state


def make_pilot(name: str, scenario: Scenario) -> Pilot:
    """``none`` or ``autopilot``; recordings go through ``RecordedPilot.from_recording``."""
    if name == "none":
        return NonePilot()
    if name == "autopilot":
        from trainer.pilots.autopilot import Autopilot
        from trainer.pilots.berthing_autopilot import BerthingAutopilot, CaptureThenBerth

        if scenario.task == "berthing":
            return BerthingAutopilot()
        if scenario.task == "capture-and-berth":
            return CaptureThenBerth(Autopilot(scenario), BerthingAutopilot())
        return Autopilot(scenario)
    raise ValueError(f"unknown pilot {name!r}")
