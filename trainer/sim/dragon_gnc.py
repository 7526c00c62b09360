"""Dragon's own guidance and control near the station: station-keeping with a dead-band and
thruster pulses, the crew's HOLD, RETREAT and ABORT, the approach between holds, and free
drift (docs/REFERENCE.md §2, §3).

Until free drift is commanded, Dragon holds its position itself: it does not follow the
Clohessy–Wiltshire motion from t = 0. Its thrusters fire in short pulses whenever it
leaves a dead-band box around its hold point, so the crew sees it wander and get nudged
back by a few centimetres. The crew's commands (docs/REFERENCE.md §3: HOLD, RETREAT, ABORT can be
sent to the vehicle inside the keep-out sphere) take effect after Dragon's response time.

Everything is in the world frame (LVLH, docs/DESIGN.md §3: x V-bar, y H-bar, z zenith).
Dragon approaches along the R-bar from below, so "away from the station" is −z.

Numbers (E unless marked; no public numbers for Dragon's proximity GNC):

| quantity                | value      | why                                                    |
|-------------------------|------------|--------------------------------------------------------|
| Draco thrust            | 400 N      | S (docs/REFERENCE.md §2); pulses use two at most               |
| decision period         | 1 s        | a slow proximity loop; pulses last whole control ticks |
| position dead-band      | ±0.10 m    | per axis; inside the 0.15 m station-keeping scatter    |
| return drift            | 2 mm/s     | the pulse sets this drift back toward the hold point   |
| rate dead-band          | 3 mm/s     | inside the box, a faster drift is nulled               |
| response time           | 2.0 s      | the command reaches Dragon and it starts executing     |
| approach / retreat speed| 0.06 / 0.10 m/s | slow inside 30 m; backing away faster than coming in |
| braking acceleration    | 0.005 m/s² | ~36 N on 7.2 t: gentle, well inside two Dracos         |
| abort departure speed   | 0.30 m/s   | reached with two Dracos (0.11 m/s²) in under 3 s       |
| retreat distance        | 5 m        | a safe hold point further down the approach axis       |
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

Vec3 = tuple[float, float, float]
_ZERO: Vec3 = (0.0, 0.0, 0.0)

DRACO_THRUST_N = 400.0  # S (docs/REFERENCE.md §2)
MAX_PULSE_THRUSTERS = 2
DECISION_PERIOD_S = 1.0
DEADBAND_M = 0.10
RETURN_DRIFT_M_S = 0.002
RATE_DEADBAND_M_S = 0.003
RESPONSE_TIME_S = 2.0
APPROACH_SPEED_M_S = 0.06
RETREAT_SPEED_M_S = 0.10
BRAKING_M_S2 = 0.005
ABORT_SPEED_M_S = 0.30
RETREAT_DISTANCE_M = 5.0
# A translation has arrived when it is this close to its target (E: the dead-band's
# half-width); station-keeping then holds it there.
ARRIVED_M = DEADBAND_M
AWAY: Vec3 = (0.0, 0.0, -1.0)  # down the R-bar, away from the station


class GncMode(StrEnum):
    HOLD = "hold"  # station-keeping at the hold point
    TRANSLATE = "translate"  # flying to a hold point (approach, retreat), then HOLD
    ABORT = "abort"  # departing
    FREE_DRIFT = "free_drift"  # thrusters inhibited


@dataclass(frozen=True, slots=True)
class GncEvent:
    """What Dragon did: ``kind`` is response (a command takes effect, ``detail`` names it
    and its response time) or arrived (a translation reached its hold point)."""

    time_s: float
    kind: str
    detail: dict[str, object] = field(default_factory=dict)


@dataclass
class _Pending:
    command: str
    commanded_s: float
    target: Vec3 | None
    speed_m_s: float | None


def _sub(a: Vec3, b: Vec3) -> Vec3:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _norm(a: Vec3) -> float:
    return math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2])


class DragonGnc:
    """Dragon's proximity GNC for one session. Call ``update`` once per control tick with
    the vehicle's state; apply the force it returns until the next tick."""

    def __init__(
        self, mass_kg: float, position_m: Vec3, tick_s: float, mode: GncMode = GncMode.HOLD
    ) -> None:
        self.mass_kg = mass_kg
        self.tick_s = tick_s
        self.mode = mode
        self.hold_point: Vec3 = position_m
        self._target: Vec3 = position_m
        self._speed_m_s = 0.0
        self._pending: list[_Pending] = []
        self._next_decision_s = 0.0
        self._pulse_force: Vec3 = _ZERO
        self._pulse_ticks = 0
        self.pulses = 0

    @property
    def thrusting(self) -> bool:
        return self.mode is not GncMode.FREE_DRIFT

    def command(
        self,
        now_s: float,
        command: str,
        target: Vec3 | None = None,
        speed_m_s: float | None = None,
    ) -> None:
        """The crew (or MCC) commands ``command``: hold, retreat, abort, free_drift, or
        approach (to ``target``, at ``speed_m_s`` or the default approach speed). It takes
        effect after the response time."""
        if command not in ("hold", "retreat", "abort", "free_drift", "approach"):
            raise ValueError(f"unknown Dragon command {command!r}")
        self._pending.append(_Pending(command, now_s, target, speed_m_s))

    def _respond(self, now_s: float, p: _Pending, position: Vec3) -> GncEvent:
        self._pulse_ticks = 0
        self._next_decision_s = now_s  # decide at once
        if p.command == "free_drift":
            self.mode = GncMode.FREE_DRIFT
        elif p.command == "hold":
            self.mode = GncMode.HOLD
            self.hold_point = position
        elif p.command == "abort":
            self.mode = GncMode.ABORT
        else:
            if p.command == "retreat":
                base = self.hold_point if self.mode is GncMode.HOLD else position
                d = RETREAT_DISTANCE_M
                target = (base[0] + d * AWAY[0], base[1] + d * AWAY[1], base[2] + d * AWAY[2])
                speed = RETREAT_SPEED_M_S
            else:
                target = p.target if p.target is not None else position
                speed = APPROACH_SPEED_M_S if p.speed_m_s is None else p.speed_m_s
            self.mode = GncMode.TRANSLATE
            self._target = target
            self._speed_m_s = speed
        return GncEvent(
            now_s,
            "response",
            {"command": p.command, "response_time_s": now_s - p.commanded_s},
        )

    def update(self, now_s: float, position: Vec3, velocity: Vec3) -> tuple[Vec3, list[GncEvent]]:
        """The thrust force (N, world frame) for the next tick, and what happened."""
        events: list[GncEvent] = []
        while self._pending and now_s - self._pending[0].commanded_s >= RESPONSE_TIME_S - 1e-9:
            events.append(self._respond(now_s, self._pending.pop(0), position))
        if self.mode is GncMode.FREE_DRIFT:
            return _ZERO, events
        if self._pulse_ticks > 0:
            self._pulse_ticks -= 1
            return self._pulse_force, events
        if now_s + 1e-9 < self._next_decision_s:
            return _ZERO, events
        self._next_decision_s = now_s + DECISION_PERIOD_S
        if self.mode is GncMode.ABORT:
            dv = _sub(
                (ABORT_SPEED_M_S * AWAY[0], ABORT_SPEED_M_S * AWAY[1], ABORT_SPEED_M_S * AWAY[2]),
                velocity,
            )
            if _norm(dv) > RATE_DEADBAND_M_S:
                self._fire(dv)
        elif self.mode is GncMode.TRANSLATE:
            to_go = _sub(self._target, position)
            distance = _norm(to_go)
            if distance <= ARRIVED_M:  # station-keeping takes the rest of the speed out
                self.mode = GncMode.HOLD
                self.hold_point = self._target
                events.append(GncEvent(now_s, "arrived", {"position_m": list(self._target)}))
            else:
                # Cruise at the set speed; brake in time to stop at the target, never faster
                # than covers half the distance before the next decision (no overshoot).
                speed = min(
                    self._speed_m_s,
                    math.sqrt(2.0 * BRAKING_M_S2 * distance),
                    0.5 * distance / DECISION_PERIOD_S,
                )
                scale = speed / distance if distance > 1e-9 else 0.0
                desired = (to_go[0] * scale, to_go[1] * scale, to_go[2] * scale)
                dv = _sub(desired, velocity)
                if _norm(dv) > RATE_DEADBAND_M_S:
                    self._fire(dv)
        if self.mode is GncMode.HOLD:
            self._keep_station(position, velocity)
        if self._pulse_ticks > 0:
            self._pulse_ticks -= 1
            return self._pulse_force, events
        return _ZERO, events

    def _keep_station(self, position: Vec3, velocity: Vec3) -> None:
        """Per axis: outside the dead-band and not already returning, set a slow drift
        back; inside it, null a drift faster than the rate dead-band."""
        dv = [0.0, 0.0, 0.0]
        for i in range(3):
            error = position[i] - self.hold_point[i]
            v = velocity[i]
            if abs(error) > DEADBAND_M:
                want = -math.copysign(RETURN_DRIFT_M_S, error)
                if v * want <= 0.0 or abs(v) > 2.0 * RETURN_DRIFT_M_S:
                    dv[i] = want - v
            elif abs(v) > RATE_DEADBAND_M_S:
                dv[i] = -v
        if dv != [0.0, 0.0, 0.0]:
            self._fire((dv[0], dv[1], dv[2]))

    def _fire(self, dv: Vec3) -> None:
        """A pulse giving ``dv``: whole control ticks, at most two Dracos."""
        impulse = self.mass_kg * _norm(dv)
        peak = MAX_PULSE_THRUSTERS * DRACO_THRUST_N
        ticks = max(1, math.ceil(impulse / (peak * self.tick_s) - 1e-9))
        k = self.mass_kg / (ticks * self.tick_s)
        self._pulse_force = (dv[0] * k, dv[1] * k, dv[2] * k)
        self._pulse_ticks = ticks
        self.pulses += 1
