"""Stick shaping: radial deadzone with rescaling, trigger deadzone, expo curve.

Pure functions of floats, so they are tested without pygame.

| function          | input                        | output                          |
|-------------------|------------------------------|---------------------------------|
| radial_deadzone   | stick (x, y), each in [-1, 1] | (x, y); exactly (0, 0) inside    |
|                   | deadzone d in [0, 1)          | the circle of radius d; outside, |
|                   |                               | the radius maps d..1 -> 0..1     |
| axis_deadzone     | one axis v in [-1, 1]         | 0 for abs(v) <= d; else rescaled |
| expo              | v in [-1, 1], e in [0, 1]     | (1 - e) v + e v^3 (RC-model expo)|
| calibrate_rest    | raw v, rest r in [-1, 1)      | 0 at rest, 1 at the far end      |

A radial (not per-axis) deadzone keeps a diagonal deflection diagonal and does not snap
small off-axis motion to zero; rescaling keeps full deflection at exactly 1 so the full
rate scale is reachable. The magnitude is clipped to 1 because pad sticks read up to
about 1.41 at the corners of their square gate.
"""

from __future__ import annotations

import math


def _finite(v: float) -> float:
    f = float(v)
    return f if math.isfinite(f) else 0.0


def radial_deadzone(x: float, y: float, deadzone: float) -> tuple[float, float]:
    """Apply a radial deadzone of radius ``deadzone`` to a stick and rescale the rest."""
    x, y = _finite(x), _finite(y)
    radius = math.hypot(x, y)
    if radius <= deadzone or radius == 0.0:
        return 0.0, 0.0
    scaled = min(1.0, (radius - deadzone) / (1.0 - deadzone))
    return x / radius * scaled, y / radius * scaled


def axis_deadzone(value: float, deadzone: float) -> float:
    """Deadzone for a single axis (triggers, flight-stick twist): rescaled like the stick."""
    v = _finite(value)
    magnitude = abs(v)
    if magnitude <= deadzone:
        return 0.0
    return math.copysign(min(1.0, (magnitude - deadzone) / (1.0 - deadzone)), v)


def expo(value: float, amount: float) -> float:
    """Expo curve: ``(1 - amount) v + amount v^3``; odd, monotonic, fixes 0 and ±1."""
    v = max(-1.0, min(1.0, _finite(value)))
    return (1.0 - amount) * v + amount * v * v * v


def calibrate_rest(value: float, rest: float) -> float:
    """Map a raw axis so that ``rest`` reads 0 and the ends read ±1.

    Raw triggers rest at −1 (docs/PYBULLET_NOTES.md): with ``rest=-1`` a trigger reads 0 released
    and 1 fully pulled. With ``rest=0`` the value is unchanged.
    """
    v = max(-1.0, min(1.0, _finite(value)))
    if v >= rest:
        return (v - rest) / (1.0 - rest)
    return (v - rest) / (rest + 1.0) if rest > -1.0 else 0.0


def shape_stick(x: float, y: float, deadzone: float, amount: float) -> tuple[float, float]:
    """Radial deadzone, then expo on the stick's magnitude (its direction is kept)."""
    sx, sy = radial_deadzone(x, y, deadzone)
    radius = math.hypot(sx, sy)
    if radius == 0.0 or amount == 0.0:
        return sx, sy
    factor = expo(radius, amount) / radius
    return sx * factor, sy * factor


def shape_axis(value: float, deadzone: float, amount: float) -> float:
    """Deadzone then expo for a single axis."""
    return expo(axis_deadzone(value, deadzone), amount)
