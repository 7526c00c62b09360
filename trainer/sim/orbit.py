"""Clohessy–Wiltshire relative motion about the ISS (docs/REFERENCE.md §5), pure numpy.

World frame (docs/DESIGN.md §3): LVLH at the ISS reference point, x = V-bar (along-track),
y = H-bar (orbit normal), z = zenith. The CW equations there read

    x'' = -2n z'              + a_x
    y'' = -n² y               + a_y
    z'' =  2n x' + 3n² z      + a_z

so the orbital "gravity" acting on a body in this rotating frame is the acceleration
``cw_acceleration`` below; the world applies ``mass * cw_acceleration`` before every
physics step (pybullet clears external forces after each step, docs/PYBULLET_NOTES.md).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

# Earth's gravitational parameter and mean radius (docs/REFERENCE.md §5, S).
MU_EARTH_M3_S2 = 398_600.4418e9
EARTH_RADIUS_M = 6_371_000.0
# ISS altitude in March 2020, 421–422 km (docs/REFERENCE.md §5, S).
ISS_ALTITUDE_M = 421_500.0


def mean_motion_rad_s(altitude_m: float = ISS_ALTITUDE_M) -> float:
    """Mean motion n of a circular orbit at ``altitude_m`` (docs/REFERENCE.md §5: 1.128e-3 rad/s)."""
    if not math.isfinite(altitude_m) or altitude_m <= 0.0:
        raise ValueError(
            f"orbit altitude must be a positive finite number of metres, got {altitude_m}"
        )
    radius_m = EARTH_RADIUS_M + altitude_m
    return math.sqrt(MU_EARTH_M3_S2 / radius_m**3)


def cw_acceleration(
    position_m: FloatArray | tuple[float, float, float],
    velocity_m_s: FloatArray | tuple[float, float, float],
    n: float,
) -> tuple[float, float, float]:
    """Acceleration (m/s²) of a free body at ``position_m`` moving at ``velocity_m_s``
    relative to the LVLH frame; returned as plain floats for the hot path."""
    y, z = position_m[1], position_m[2]
    vx, vz = velocity_m_s[0], velocity_m_s[2]
    n2 = n * n
    return (-2.0 * n * vz, -n2 * y, 2.0 * n * vx + 3.0 * n2 * z)


def cw_state_at(
    position_m: FloatArray | tuple[float, float, float],
    velocity_m_s: FloatArray | tuple[float, float, float],
    n: float,
    t_s: float,
) -> tuple[FloatArray, FloatArray]:
    """Closed-form CW solution: position and velocity at time ``t_s`` of a free body.

    Standard Hill solution with radial r = z and along-track s = x (e.g. Vallado,
    *Fundamentals of Astrodynamics*, §6.8), written in this frame's axes.
    """
    x0, y0, z0 = (float(v) for v in position_m)
    vx0, vy0, vz0 = (float(v) for v in velocity_m_s)
    nt = n * t_s
    s, c = math.sin(nt), math.cos(nt)
    z = (4.0 - 3.0 * c) * z0 + (s / n) * vz0 + (2.0 / n) * (1.0 - c) * vx0
    x = 6.0 * (s - nt) * z0 + x0 - (2.0 / n) * (1.0 - c) * vz0 + ((4.0 * s - 3.0 * nt) / n) * vx0
    y = y0 * c + (vy0 / n) * s
    vz = 3.0 * n * s * z0 + c * vz0 + 2.0 * s * vx0
    vx = 6.0 * n * (c - 1.0) * z0 - 2.0 * s * vz0 + (4.0 * c - 3.0) * vx0
    vy = -y0 * n * s + vy0 * c
    return np.array([x, y, z]), np.array([vx, vy, vz])


def sun_direction_lvlh(phase_rad: float, beta_rad: float) -> tuple[float, float, float]:
    """Unit vector toward the sun in this frame at orbit phase ``phase_rad`` from orbital
    noon (sun at zenith) with beta angle ``beta_rad`` (the sun's elevation above the orbit
    plane). The station moves toward +x, so after noon the sun falls behind it (−x)."""
    cb = math.cos(beta_rad)
    return (-math.sin(phase_rad) * cb, math.sin(beta_rad), math.cos(phase_rad) * cb)


def earth_disc_half_angle_rad(altitude_m: float = ISS_ALTITUDE_M) -> float:
    """Angular radius of the Earth seen from ``altitude_m``: the station is in Earth's
    shadow while the sun lies within it (D: 69.7° at 421.5 km, a 36-minute eclipse of
    the 92.85-minute orbit (docs/REFERENCE.md §5) at beta 0, as the ISS has)."""
    return math.asin(EARTH_RADIUS_M / (EARTH_RADIUS_M + altitude_m))


def in_earth_shadow(phase_rad: float, beta_rad: float, altitude_m: float = ISS_ALTITUDE_M) -> bool:
    """True when the sun at this phase and beta angle is behind the Earth."""
    sun_z = sun_direction_lvlh(phase_rad, beta_rad)[2]
    return math.acos(max(-1.0, min(1.0, -sun_z))) < earth_disc_half_angle_rad(altitude_m)
