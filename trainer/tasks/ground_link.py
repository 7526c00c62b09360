"""The delay lines of a berthing flown from the ground (docs/REFERENCE.md §11): every
hand-controller state is delayed on its way up to the arm's controller, every telemetry
snapshot on its way down to the workstation, by half the scenario's round trip each
(trainer/prediction.py says why, and what the predictive display computes from them).
Counted in control ticks, never the wall clock (docs/DESIGN.md §3, §10).
"""

from __future__ import annotations

import dataclasses
from collections import deque

from trainer.input.state import HandControllerState
from trainer.prediction import GroundView, Rows, split_round_trip
from trainer.telemetry import Telemetry


class GroundLink:
    """The two delay lines of one session (module docstring)."""

    def __init__(self, round_trip_s: float, base_rows: Rows) -> None:
        self.round_trip_s = round_trip_s
        self.up_ticks, self.down_ticks = split_round_trip(round_trip_s)
        self._base_rows = base_rows
        neutral = HandControllerState()
        # Commands on their way up (the oldest lands next), and the operator's commands of
        # the last round trip (what the prediction integrates).
        self._up: deque[HandControllerState] = deque([neutral] * self.up_ticks)
        self._sent: deque[HandControllerState] = deque(
            [neutral] * (self.up_ticks + self.down_ticks), maxlen=self.up_ticks + self.down_ticks
        )
        self._down: deque[Telemetry] = deque()
        self._last_tick: int | None = None

    def uplink(self, hc: HandControllerState) -> HandControllerState:
        """The command that lands now; ``hc`` lands ``up_ticks`` ticks later."""
        self._sent.append(hc)
        if self.up_ticks == 0:
            return hc
        self._up.append(hc)
        return self._up.popleft()

    def downlink(self, telemetry: Telemetry) -> Telemetry:
        """The snapshot the ground sees now, ``down_ticks`` old (the first snapshot until
        then), carrying the ground's view (``Telemetry.ground``). A paused tick (the same
        tick again) advances nothing."""
        if telemetry.tick != self._last_tick:
            self._last_tick = telemetry.tick
            self._down.append(telemetry)
            while len(self._down) > self.down_ticks + 1:
                self._down.popleft()
        seen = self._down[0]
        # The commands after the seen snapshot's: those sent in the last round trip, less
        # the ones the snapshot already shows (the first snapshots show fewer ticks).
        shown = telemetry.tick - seen.tick
        commands = tuple(self._sent)[-(self.up_ticks + shown) :] if self.up_ticks + shown else ()
        view = GroundView(
            self.round_trip_s, self.up_ticks, self.down_ticks, self._base_rows, commands
        )
        return dataclasses.replace(seen, ground=view)
