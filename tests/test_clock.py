"""The one clock: 240 Hz physics, 60 Hz ticks of 4 steps, /state at 10 Hz, a checkpoint
every second; a clock whose rates do not divide each other is refused when built."""

from __future__ import annotations

import pytest

from trainer.clock import (
    CHECKPOINT_EVERY_TICKS,
    CLOCK,
    CONTROL_STEPS,
    CONTROL_TICK_S,
    PHYSICS_STEP_S,
    STATE_EVERY_TICKS,
    Clock,
)


def test_the_trainer_clock_is_the_designed_one() -> None:
    assert PHYSICS_STEP_S == 1.0 / 240.0
    assert CONTROL_STEPS == 4
    assert CONTROL_TICK_S == 1.0 / 60.0  # exactly: four steps of 1/240 s
    assert STATE_EVERY_TICKS == 6 and CHECKPOINT_EVERY_TICKS == 60
    assert CLOCK.state_hz >= 10  # docs/DESIGN.md §7


@pytest.mark.parametrize(
    ("rates", "message"),
    [
        ((240, 50, 10, 1), "control_hz 50 does not divide physics_hz 240"),
        ((240, 60, 7, 1), "state_hz 7 does not divide control_hz 60"),
        ((240, 60, 10, 3), "checkpoint_hz 3 does not divide state_hz 10"),
        ((240, 0, 10, 1), "control_hz must be a positive whole number"),
    ],
)
def test_a_clock_whose_rates_do_not_divide_is_refused(
    rates: tuple[int, int, int, int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Clock(*rates)
