"""Real-time pacing: sim time follows wall time in whole ticks, late frames are caught up
tick by tick, and beyond the bound the simulation slows (and says by how much)."""

from __future__ import annotations

import pytest

from trainer.ui.pacing import CONTROL_TICK_S, FRAME_S, FrameSchedule, Pacer


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


def test_a_slow_frame_is_made_up_by_the_next_ones_not_paid_for_with_a_sleep() -> None:
    schedule = FrameSchedule()
    now = 0.0
    presented = []
    for work_s in [0.005] * 10 + [0.030] + [0.005] * 49:  # one frame of 30 ms in 60
        now += work_s
        now += schedule.sleep_s(now)
        presented.append(now)
    # 60 frames in one second, as if the slow frame had not happened
    assert presented[-1] == pytest.approx(60 * FRAME_S + 0.005, abs=1e-9)
    # right after the slow frame the next one starts at once
    slow = presented[10] - presented[9]
    assert slow == pytest.approx(0.030)
    assert presented[11] - presented[10] == pytest.approx(0.005)


def test_more_than_a_few_frames_behind_the_schedule_restarts() -> None:
    schedule = FrameSchedule()
    assert schedule.sleep_s(0.0) == pytest.approx(FRAME_S)
    # a 200 ms stall: not made up by a burst of frames, the schedule starts again
    assert schedule.sleep_s(FRAME_S + 0.2) == 0.0
    assert schedule.sleep_s(FRAME_S + 0.2 + 0.001) == pytest.approx(FRAME_S - 0.001)
