"""Scripted pilots as policies: a pilot that reads ``Telemetry`` (the autopilot,
trainer/pilots/) flies an environment through the same actions a learned policy gives,
so its episodes can be compared with ``grade --pilot`` (docs/ENVIRONMENT.md §6).
"""

from __future__ import annotations

from typing import Any

from trainer.envs.spaces import action_of
from trainer.input.state import HandControllerState
from trainer.pilots import Pilot, make_pilot
from trainer.scenario.model import Scenario
from trainer.telemetry import Telemetry


class PilotPolicy:
    """``act(telemetry) -> action``: the pilot's hand-controller state for the coming
    tick as an action (sticks in float64, so its deflections reach the session bit for
    bit). Read the snapshot from the environment: ``env.unwrapped.telemetry``."""

    def __init__(self, pilot: Pilot) -> None:
        self.pilot = pilot
        self._last: tuple[HandControllerState, dict[str, Any]] | None = None

    @classmethod
    def autopilot(cls, scenario: Scenario) -> PilotPolicy:
        """The autopilot of ``grade --pilot autopilot`` (trainer/pilots/autopilot.py)."""
        return cls(make_pilot("autopilot", scenario))

    def act(self, telemetry: Telemetry) -> dict[str, Any]:
        state = self.pilot.next_state(telemetry)
        last = self._last
        if last is None or last[0] is not state:  # the autopilot hands on an unchanged state
            last = self._last = (state, action_of(state))
        return last[1]
