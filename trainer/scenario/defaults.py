"""Defaults for the optional scenario sections, in the YAML schema's own shape.

Envelope, time limits and abort rule are docs/REFERENCE.md §4 (E: engineering estimates, because the
real capture envelope is in ISS document SSP 42004, which is not public; the time limits are
anchored on the 99 s HTV-1 window, S). The scoring weights are a design choice (E): time and
the five envelope quantities carry 60 of the 100 points, handling quality the other 40.

These are the values a scenario gets when it omits a section; the loader copies them into
the resolved ``Scenario.raw`` so that a recording holds the numbers that were actually used.
"""

from __future__ import annotations

import copy
from typing import Any

ENVELOPE: dict[str, Any] = {
    "lateral_offset_m": {"full": 0.05, "allowed": 0.10},
    "axial_depth_m": {"full": [0.05, 0.15], "allowed": [0.0, 0.20]},
    "pitch_yaw_misalignment_deg": {"full": 5.0, "allowed": 10.0},
    "roll_misalignment_deg": {"full": 5.0, "allowed": 15.0},
    "relative_speed_m_s": {"full": 0.01, "allowed": 0.03},
    "relative_rate_deg_s": {"full": 0.1, "allowed": 0.3},
}

TIME_LIMITS: dict[str, Any] = {
    "full_credit_s": 99.0,
    "penalty_until_s": 180.0,
    "hard_limit_s": 240.0,
    "drift_sphere_radius_m": 1.0,
}

ABORT: dict[str, Any] = {"closing_speed_limit_m_s": 0.02, "expected": False}

SCORING_WEIGHTS: dict[str, Any] = {
    "time": 15.0,
    "lateral": 10.0,
    "axial": 10.0,
    "pitch_yaw": 10.0,
    "roll": 5.0,
    "speed": 10.0,
    "rate": 5.0,
    "contacts": 10.0,
    "misses": 5.0,
    "rate_exceedances": 5.0,
    "reversals": 5.0,
    "post_capture_loads": 5.0,
    "abort_decision": 5.0,
}
SCORING_TOTAL = 100.0

# The light of a scenario without a ``lighting:`` section (model.LightingSpec's defaults):
# mid-morning of the orbit, in sunlight.
LIGHTING: dict[str, Any] = {"orbit_phase_deg": -45.0, "beta_deg": 20.0, "night": False}

DISPERSIONS: dict[str, Any] = {
    "position_m": [0.0, 0.0, 0.0],
    "velocity_m_s": [0.0, 0.0, 0.0],
    "attitude_deg": [0.0, 0.0, 0.0],
    "angular_velocity_deg_s": [0.0, 0.0, 0.0],
}


# A session with no hard time limit (the easy and drill scenarios) still ends (E: ten
# minutes is longer than any capture flown; the trainee can always start again): the
# judge's SESSION_CAP_S (trainer.scoring.judge, kept equal by a test). Timeline events
# and time limits beyond it could never happen, so validation refuses them.
SESSION_CAP_S = 600.0

# Seeds are stored in recordings and reports as JSON integers and seed numpy's generator,
# which refuses negative numbers; 2**32 values are more than any instructor will grade.
SEED_MAX = 2**32 - 1


def section(name: str) -> dict[str, Any]:
    """A fresh deep copy of the default ``name`` section (never share the module's dicts)."""
    table: dict[str, dict[str, Any]] = {
        "envelope": ENVELOPE,
        "time_limits": TIME_LIMITS,
        "abort": ABORT,
        "scoring": {"weights": SCORING_WEIGHTS},
        "dispersions": DISPERSIONS,
        "lighting": LIGHTING,
    }
    return copy.deepcopy(table[name])
