"""The controlled stop: how the arm comes to rest when the hand controller is lost.

On safing (the device unplugged or silent, the window losing focus, the session paused),
the hand controllers' demand is ignored from that very tick; the arm must then stop
*along its path* and only then brake. Applying the brakes at once is what a real joint
brake does, but each joint then stops on its own time: a pure rotation about the LEE,
whose joint rates cancel at the tip, turns into a tip lunge (measured: 0.24 → 72 mm/s
on the first tick, three times the 0.03 m/s allowed capture speed, docs/REFERENCE.md §4), and a
full-rate translation coasts 76 mm with its speed rising again mid-way.

So the joint-rate *vector* the controller last commanded is scaled down as a whole,

    q̇(k) = s(k) · (q̇₀ + K (q_ref(k) − q(k))),   s(k) = 1 − k / N,   k = 1 … N,

(constant deceleration; q_ref is where the scaled motion has the joints now, so a joint
that lags is pulled back onto the path), which keeps the tip twist J q̇ pointing the same way (J changes little over a stop) while
its size falls monotonically to zero; then the drives hold zero rate until the joints are
at rest, and the brakes go on. The ramp never advances while the session is paused (the
world does not step). Measured in the world (basic-drill, capture_ready, unloaded): a
constant deceleration tracks better than a cosine ramp of the same length, whose peak
deceleration is π/2 higher, and re-solving the Cartesian twist during the stop moves the
null-space share of the rates in one tick (a 4 mm/s jolt on a pure pitch rotation).

| parameter          | value  | why                                                        |
|--------------------|--------|------------------------------------------------------------|
| STOP_RAMP_S        | 0.8 s  | E: 4 °/s → 0 is 0.087 rad/s²; the drives' 2,332 N·m on the |
|                    |        | unloaded arm give 0.05–0.5 rad/s² by joint (params.py):    |
|                    |        | shorter ramps let the shoulder lag and the tip speed rise  |
|                    |        | (measured); longer ones miss the 1 s rest                  |
| REST_RATE_RAD_S    | 0.002 °/s | E: every joint; ≤ 0.6 mm/s at the LEE 17 m out: below   |
|                    |        | any motion a crew member could see on a camera             |
| STOP_LIMIT_S       | 1.0 s  | docs/DESIGN.md §7: at rest within 1 s; brakes on by then  |
|                    |        | whatever the joints still do (as the real brakes would)   |
| PATH_FEEDBACK_PER_S| 2 /s   | E: a joint lagging the scaled path is pulled back onto it  |
|                    |        | (the Cartesian mode's pose gain, params.py), the pull      |
|                    |        | scaled by s(k) too so that it fades out with the ramp      |

Measured (basic-drill, capture_ready, unloaded; tests/control/test_controlled_stop.py):
after full THC the LEE speed falls from 370 mm/s with no tick-to-tick rise above
0.01 mm/s, and the brakes go on at ≈ 0.85 s with the LEE at 0.05 mm/s; after a pure RHC
rotation (0.06–0.24 mm/s at the LEE) the LEE drifts at up to 2.3 mm/s while the joints
lag the deceleration (it rises over the first 0.05 s, then holds near 2 mm/s with
±0.2 mm/s jitter until the ramp ends): a tenth of the 0.03 m/s allowed capture speed,
where braking each joint on its own threw it at 72 mm/s. Brakes by 0.95 s.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

STOP_RAMP_S = 0.8
REST_RATE_RAD_S = math.radians(0.002)
STOP_LIMIT_S = 1.0
PATH_FEEDBACK_PER_S = 2.0


class ControlledStop:
    """One stop in progress. Per control tick: ``advance(q)`` (not while paused), then
    ``joint_rates()``; ``done`` once the joints are at rest (or the time limit is reached):
    the brakes go on then."""

    def __init__(self, start_rates_rad_s: Sequence[float], tick_s: float) -> None:
        self._start = tuple(float(r) for r in start_rates_rad_s)
        self._tick_s = tick_s
        self._ramp_ticks = max(1, round(STOP_RAMP_S / tick_s))
        self._limit_ticks = max(self._ramp_ticks, round(STOP_LIMIT_S / tick_s))
        self._k = 0
        self._scale = 1.0
        self._q_ref: list[float] = []  # where the scaled path has the joints now
        self._q_now: list[float] = []
        self.done = not any(self._start)  # an arm at rest brakes at once
        self.elapsed_s = 0.0

    def advance(self, q_rad: Sequence[float]) -> None:
        """One control tick of the stop; ``q_rad`` are the joint angles now."""
        if self.done:
            return
        q = [float(v) for v in q_rad]
        if not self._q_ref:
            self._q_ref = list(q)
        else:  # the reference moved on by last tick's scaled rates
            step = self._scale * self._tick_s
            self._q_ref = [r + v * step for r, v in zip(self._q_ref, self._start, strict=True)]
            if self._k >= self._ramp_ticks:
                moving = max(abs(a - b) for a, b in zip(q, self._q_now, strict=True))
                if moving / self._tick_s < REST_RATE_RAD_S or self._k >= self._limit_ticks:
                    self.done = True
        self._q_now = q
        self._k += 1
        self.elapsed_s = self._k * self._tick_s
        self._scale = self.scale()

    def scale(self) -> float:
        """s(k): 1 at the start, falling linearly to 0 over the ramp."""
        if self.done or self._k >= self._ramp_ticks:
            return 0.0
        return 1.0 - self._k / self._ramp_ticks

    def joint_rates(self) -> tuple[float, ...]:
        """The starting joint-rate vector scaled as a whole, plus the pull back onto the
        scaled path of any joint that lags it (rad/s)."""
        s = self._scale
        if self.done or s == 0.0:  # ramp over: the drives hold zero rate until rest
            return (0.0,) * len(self._start)
        k = PATH_FEEDBACK_PER_S
        return tuple(
            s * (v + k * (ref - q))
            for v, ref, q in zip(self._start, self._q_ref, self._q_now, strict=True)
        )
