"""M2's calls: the second crew member reads range and closing rate off the LEE camera and
the displays and calls them out (docs/REFERENCE.md §3: "M2 calls out range and closing
rate"). Derived from the telemetry alone, so a replay makes the same calls at the same
ticks.

Range calls are made when the range from the LEE to the grapple shaft's ball first drops
below each threshold; a threshold is re-armed once the range opens 20 % beyond it again
(E: keeps a hovering trainee from hearing the same call every tick). Closing rate is the
rate at which that range shrinks (positive = closing), in centimetres per second as crews
call it.

| call                         | when                                                      |
|------------------------------|-----------------------------------------------------------|
| range N, closing R           | range crosses a threshold of ``RANGE_CALLS_M``            |
| "slow down"                  | closing faster than ``FAST_CLOSING_M_S`` inside ``FAST_RANGE_M`` |
| "opening"                    | range growing faster than ``OPENING_M_S`` inside 3 m      |
| "in range for capture"       | the shaft is in the envelope's allowed depth window      |
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from trainer.scenario.model import Envelope
from trainer.telemetry import Telemetry

# E: the calls heard on CRS-20 audio start at about 10 m and tighten near the fixture.
RANGE_CALLS_M: tuple[float, ...] = (10.0, 8.0, 6.0, 5.0, 4.0, 3.0, 2.5, 2.0, 1.5, 1.0, 0.75, 0.5)
REARM_FACTOR = 1.2
# E: 8 cm/s is 80 % of the 0.1 m/s tip-speed limit near the vehicle (the scoring rule of
# trainer/scoring/accumulate.py) and well above the 0.03 m/s allowed at capture (docs/REFERENCE.md
# §4); 3 m is the start of the close approach.
FAST_CLOSING_M_S = 0.08
FAST_RANGE_M = 3.0
OPENING_M_S = 0.02
# E: repeat a rate call no more often than this (a person's pace).
RATE_CALL_GAP_S = 8.0


def in_depth_window(t: Telemetry, envelope: Envelope) -> bool:
    """True when the shaft's ball is in the envelope's allowed axial-depth window: the range
    is right to pull the trigger (what the overlay's "in range" cue tells)."""
    lo, hi = envelope.axial_depth_m.allowed
    return lo <= t.metrics.axial_depth_m <= hi


@dataclass(frozen=True, slots=True)
class Call:
    time_s: float
    text: str


class M2Caller:
    """Feed it each snapshot (``update``); it returns the calls due now."""

    def __init__(self, envelope: Envelope) -> None:
        self._envelope = envelope
        self._armed = {threshold: True for threshold in RANGE_CALLS_M}
        self._last_rate_call_s = -math.inf
        self._in_range = False
        self._started = False

    def update(self, t: Telemetry) -> list[Call]:
        if t.capture_state != "open" or t.paused:
            return []
        out: list[Call] = []
        rng = t.range_m
        closing = -t.range_rate_m_s  # M2 says closing N cm per second
        if not self._started:
            self._started = True
            for threshold in RANGE_CALLS_M:  # no call for thresholds already passed
                self._armed[threshold] = rng > threshold
            out.append(Call(t.time_s, f"M2: range {_range_text(rng)}, {_rate_text(closing)}."))
        crossed = [th for th in RANGE_CALLS_M if self._armed[th] and rng <= th]
        for threshold in RANGE_CALLS_M:
            if rng <= threshold:
                self._armed[threshold] = False
            elif rng > threshold * REARM_FACTOR:
                self._armed[threshold] = True
        if crossed:
            out.append(Call(t.time_s, f"M2: {_range_text(min(crossed))}, {_rate_text(closing)}."))
        if t.time_s - self._last_rate_call_s >= RATE_CALL_GAP_S:
            if rng < FAST_RANGE_M and closing > FAST_CLOSING_M_S:
                out.append(Call(t.time_s, f"M2: closing fast, {_rate_text(closing)}: slow down."))
                self._last_rate_call_s = t.time_s
            elif rng < FAST_RANGE_M and closing < -OPENING_M_S:
                out.append(Call(t.time_s, f"M2: opening, {_cm(-closing)} per second."))
                self._last_rate_call_s = t.time_s
        in_range = in_depth_window(t, self._envelope)
        if in_range and not self._in_range:
            out.append(Call(t.time_s, "M2: in range for capture."))
        self._in_range = in_range
        return out


def _range_text(range_m: float) -> str:
    if range_m >= 2.0:
        return f"{range_m:.0f} metres"
    return f"{range_m * 100:.0f} centimetres" if range_m < 1.0 else f"{range_m:.1f} metres"


def _cm(speed_m_s: float) -> str:
    return f"{abs(speed_m_s) * 100:.1f} centimetres"


def _rate_text(closing_m_s: float) -> str:
    if abs(closing_m_s) < 0.002:  # E: below what a crew member reads off the video
        return "no closing rate"
    word = "closing" if closing_m_s > 0 else "opening"
    return f"{word} {_cm(closing_m_s)} per second"
