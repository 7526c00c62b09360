"""The trainer's one clock (docs/DESIGN.md §3): the physics step, the control tick, the
rates of the recording's /state messages and checkpoints, as whole ratios of each other.

Simulation time is the only clock in the core: every room that counts time (the world's
physics step, the session's tick, the controller's integration step, the input guards, the
autopilot's decision period, the recorder) reads it here. ``Clock`` checks when it is
built that each rate divides the one above it, so a tick is always a whole number of
physics steps and a /state message always falls on a tick; a bad clock raises
``ValueError`` (a check that ``python -O`` cannot remove). Pure: no pybullet.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Clock:
    """Rates in hertz; see the module docstring. Steps and ticks are derived."""

    physics_hz: int  # docs/PYBULLET_NOTES.md: 240 Hz keeps a held payload's give < 1 mm
    control_hz: int  # input, control, capture and telemetry: one tick
    state_hz: int  # the recording's /state channel (docs/DESIGN.md §7: at least 10 Hz)
    checkpoint_hz: int  # physics-state digests a replay verifies against

    def __post_init__(self) -> None:
        rates = (
            ("physics_hz", self.physics_hz),
            ("control_hz", self.control_hz),
            ("state_hz", self.state_hz),
            ("checkpoint_hz", self.checkpoint_hz),
        )
        for name, value in rates:
            if value <= 0:
                raise ValueError(f"clock: {name} must be a positive whole number, got {value}")
        for (fast_name, fast), (slow_name, slow) in itertools.pairwise(rates):
            if fast % slow != 0:
                raise ValueError(f"clock: {slow_name} {slow} does not divide {fast_name} {fast}")

    @property
    def physics_step_s(self) -> float:
        return 1.0 / self.physics_hz

    @property
    def control_steps(self) -> int:
        """Physics steps per control tick."""
        return self.physics_hz // self.control_hz

    @property
    def control_tick_s(self) -> float:
        return self.control_steps * self.physics_step_s

    @property
    def state_every_ticks(self) -> int:
        return self.control_hz // self.state_hz

    @property
    def checkpoint_every_ticks(self) -> int:
        return self.control_hz // self.checkpoint_hz


CLOCK = Clock(physics_hz=240, control_hz=60, state_hz=10, checkpoint_hz=1)  # docs/DESIGN.md §3, §7

PHYSICS_STEP_S = CLOCK.physics_step_s
CONTROL_HZ = CLOCK.control_hz
CONTROL_STEPS = CLOCK.control_steps
CONTROL_TICK_S = CLOCK.control_tick_s
STATE_EVERY_TICKS = CLOCK.state_every_ticks
CHECKPOINT_EVERY_TICKS = CLOCK.checkpoint_every_ticks
