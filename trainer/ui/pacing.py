"""Real-time pacing of the interactive window (docs/DESIGN.md §3, §9).

Simulated time advances only in whole 1/60 s control ticks. Each frame the pacer says how
many ticks are due for the wall time elapsed; a late frame is caught up by running the
missed ticks, every one of them with the input of that frame, never by skipping ticks or
stretching one. The catch-up is bounded (``max_ticks_per_frame``): when the machine cannot
keep up, the ticks beyond the bound are not owed any more: the simulation runs slower than
wall time from then on instead of falling ever further behind, and ``slowed_s`` says by
how much (the window records it as an event).

Pure arithmetic on the times handed in, so tests drive it with a fake clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.clock import CONTROL_TICK_S

# Frames are presented at most 60 times a second (docs/DESIGN.md §3).
FRAME_S = 1.0 / 60.0
# Frames of delay made up by the next frames before the frame schedule restarts.
CATCH_UP_FRAMES = 3
# E: six ticks (100 ms) are caught up at once; a longer stall (a swap, a slow disk) makes
# the simulation slow down instead of lurching ahead by seconds of arm motion.
MAX_TICKS_PER_FRAME = 6


@dataclass(frozen=True, slots=True)
class Due:
    ticks: int  # control ticks to run this frame
    dropped_s: float  # wall time not owed any more (the simulation slowed by this much)


class Pacer:
    def __init__(
        self, tick_s: float = CONTROL_TICK_S, max_ticks_per_frame: int = MAX_TICKS_PER_FRAME
    ) -> None:
        if max_ticks_per_frame < 1:
            raise ValueError("max_ticks_per_frame must be at least 1")
        self.tick_s = tick_s
        self.max_ticks = max_ticks_per_frame
        self._origin: float | None = None
        self._ticks = 0
        self.slowed_s = 0.0  # total wall time by which the simulation fell behind

    def start(self, now_s: float) -> None:
        """Start (or restart after a pause of the window) at wall time ``now_s``."""
        self._origin = now_s
        self._ticks = 0

    def due(self, now_s: float) -> Due:
        """Ticks to run at wall time ``now_s``; counts them as run."""
        if self._origin is None:
            self.start(now_s)
        assert self._origin is not None
        owed = int((now_s - self._origin) / self.tick_s + 1e-9) - self._ticks
        dropped = 0.0
        if owed > self.max_ticks:
            dropped = (owed - self.max_ticks) * self.tick_s
            self._origin += dropped
            self.slowed_s += dropped
            owed = self.max_ticks
        owed = max(owed, 0)
        self._ticks += owed
        return Due(owed, dropped)

    def lag_s(self, now_s: float) -> float:
        """How far simulated time is behind wall time now (less than one tick when on time)."""
        if self._origin is None:
            return 0.0
        return max(0.0, now_s - self._origin - self._ticks * self.tick_s)


class FrameSchedule:
    """Frames start on a fixed schedule of ``FRAME_S``. A frame that ran past its slot
    starts the next at once, so the odd slow frame is made up by the next ones; more than
    ``CATCH_UP_FRAMES`` behind, the schedule restarts from now. (Sleeping a whole frame
    after a late one had held the window near 34 frames/s, bench/bench_window.py.)"""

    def __init__(self) -> None:
        self._next_s: float | None = None

    def sleep_s(self, now_s: float) -> float:
        """How long to sleep at ``now_s``, at the end of a frame, before the next one."""
        target = (now_s if self._next_s is None else self._next_s) + FRAME_S
        if now_s - target > CATCH_UP_FRAMES * FRAME_S:
            target = now_s
        self._next_s = target
        return max(0.0, target - now_s)

    def restart(self) -> None:
        """Forget the schedule (the window idles, and frames are no longer due)."""
        self._next_s = None
