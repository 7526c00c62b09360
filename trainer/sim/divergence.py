"""Is the simulation still physical? The check the world runs after every control tick,
so a blow-up ends the session with one sentence naming the quantity (the session turns
``SimulationDivergedError`` into a "fault" outcome and keeps the recording) instead of
NaNs spreading into the telemetry, the score and the replay.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from trainer.errors import SimulationDivergedError
from trainer.sim.joints import JOINT_NAMES

# Thresholds: far beyond anything physical in a capture (tip speed ≤ 0.37 m/s, joint rates
# ≤ 4 °/s, vehicle drift a few cm/s) yet far below a numeric blow-up.
MAX_SANE_VEHICLE_SPEED_M_S = 5.0
MAX_SANE_VEHICLE_RATE_RAD_S = 2.0
MAX_SANE_JOINT_RATE_RAD_S = 2.0
MAX_SANE_DISTANCE_M = 2_000.0


def finite_vector(values: Sequence[float], name: str) -> None:
    for v in values:
        if not math.isfinite(v):
            raise SimulationDivergedError(
                f"physics diverged: {name} is not finite ({list(values)})"
            )


def check_state(
    pos: Sequence[float],
    orn: Sequence[float],
    vel: Sequence[float],
    ang: Sequence[float],
    states: Sequence[Sequence[float]],
) -> None:
    """Raise SimulationDivergedError naming the quantity if the vehicle state (world frame)
    or a joint state (pybullet's getJointStates rows: angle, rate, ...) is non-finite or
    runaway.

    The common case is one pass of arithmetic: a sum is finite only if every term is, and
    the quantity is named only on failure."""
    speed_sq = vel[0] * vel[0] + vel[1] * vel[1] + vel[2] * vel[2]
    rate_sq = ang[0] * ang[0] + ang[1] * ang[1] + ang[2] * ang[2]
    far = max(abs(pos[0]), abs(pos[1]), abs(pos[2]))
    joint_rate = max(abs(s[1]) for s in states)
    if (
        math.isfinite(sum(pos) + sum(orn) + sum(vel) + sum(ang) + sum(s[0] + s[1] for s in states))
        and speed_sq <= MAX_SANE_VEHICLE_SPEED_M_S**2
        and rate_sq <= MAX_SANE_VEHICLE_RATE_RAD_S**2
        and far <= MAX_SANE_DISTANCE_M
        and joint_rate <= MAX_SANE_JOINT_RATE_RAD_S
    ):
        return
    finite_vector(pos, "vehicle position")
    finite_vector(orn, "vehicle attitude")
    finite_vector(vel, "vehicle velocity")
    finite_vector(ang, "vehicle angular velocity")
    for name, s in zip(JOINT_NAMES, states, strict=True):
        if not (math.isfinite(s[0]) and math.isfinite(s[1])):
            raise SimulationDivergedError(f"physics diverged: joint {name} state is not finite")
    speed = math.sqrt(speed_sq)
    if speed > MAX_SANE_VEHICLE_SPEED_M_S:
        raise SimulationDivergedError(
            f"physics diverged: vehicle speed {speed:.3g} m/s exceeds {MAX_SANE_VEHICLE_SPEED_M_S} m/s"
        )
    rate = math.sqrt(rate_sq)
    if rate > MAX_SANE_VEHICLE_RATE_RAD_S:
        raise SimulationDivergedError(
            f"physics diverged: vehicle angular rate {math.degrees(rate):.3g} deg/s exceeds "
            f"{math.degrees(MAX_SANE_VEHICLE_RATE_RAD_S):.0f} deg/s"
        )
    if far > MAX_SANE_DISTANCE_M:
        raise SimulationDivergedError(f"physics diverged: vehicle is {far:.0f} m from the station")
    for name, s in zip(JOINT_NAMES, states, strict=True):
        if abs(s[1]) > MAX_SANE_JOINT_RATE_RAD_S:
            raise SimulationDivergedError(
                f"physics diverged: joint {name} rate {math.degrees(s[1]):.3g} deg/s exceeds "
                f"{math.degrees(MAX_SANE_JOINT_RATE_RAD_S):.0f} deg/s"
            )
