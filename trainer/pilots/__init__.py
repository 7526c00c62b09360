"""Pilots: whatever flies a session hands it ``HandControllerState`` values, exactly as a
person's gamepad does (docs/DESIGN.md §2), after seeing only the telemetry a crew member sees.

| pilot       | what it does                                                        |
|-------------|---------------------------------------------------------------------|
| `none`      | hands off: centred controllers, no buttons (the vehicle just drifts)|
| `autopilot` | closed-loop capture through the hand controllers (autopilot.py); a berthing's (berthing_autopilot.py), crew or ground; a capture then berthing, one then the other |

A recording's /input stream (``grade --pilot RECORDING``) is the same stream of states,
but read, not decided: it is flown by the loop that flies a recording again
(trainer/refly/loop.py, trainer/refly/plan.py), not by a pilot.
"""

from __future__ import annotations

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


def make_pilot(name: str, scenario: Scenario) -> Pilot:
    """``none`` or ``autopilot`` (a recording: trainer/refly/plan.py)."""
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
