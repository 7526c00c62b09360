"""Real-time pacing: sim time follows wall time in whole ticks, late frames are caught up
tick by tick, and beyond the bound the simulation slows (and says by how much)."""

from __future__ import annotations

import pytest

from trainer.ui.pacing import CONTROL_TICK_S, Pacer


def test_on_time_frames_run_one_tick_each() -> None:
    pacer = Pacer()
    pacer.start(100.0)
    ticks = [pacer.due(100.0 + (i + 1) * CONTROL_TICK_S).ticks for i in range(600)]
    assert ticks == [1] * 600
    assert pacer.slowed_s == 0.0


def test_a_late_frame_is_caught_up_without_skipping_ticks() -> None:
    pacer = Pacer(max_ticks_per_frame=6)
    pacer.start(0.0)
    assert pacer.due(CONTROL_TICK_S).ticks == 1
    late = pacer.due(5 * CONTROL_TICK_S)  # a frame 4 ticks late
    assert late.ticks == 4 and late.dropped_s == 0.0
    assert pacer.due(6 * CONTROL_TICK_S).ticks == 1
    assert pacer.lag_s(6 * CONTROL_TICK_S) == pytest.approx(0.0, abs=1e-12)


def test_a_long_stall_slows_the_simulation_instead_of_lurching() -> None:
    pacer = Pacer(max_ticks_per_frame=6)
    pacer.start(0.0)
    due = pacer.due(1.0)  # a one-second stall: 60 ticks owed
    assert due.ticks == 6
    assert due.dropped_s == pytest.approx(54 * CONTROL_TICK_S)
    assert pacer.slowed_s == pytest.approx(54 * CONTROL_TICK_S)
    # Afterwards the clock runs on from the new origin: one tick per frame again.
    assert pacer.due(1.0 + CONTROL_TICK_S).ticks == 1


def test_frames_faster_than_the_tick_run_no_tick() -> None:
    pacer = Pacer()
    pacer.start(0.0)
    assert [pacer.due(i * CONTROL_TICK_S / 2).ticks for i in range(1, 7)] == [0, 1, 0, 1, 0, 1]
