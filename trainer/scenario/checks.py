"""The scenario's value readers: the shared validator of the trainer's YAML files
(``trainer.validate``), under the names the scenario schema has always used; and the
scenario's plausibility bounds (``BOUNDS``, ``check_bounds``: values that parse but make
no physical sense, each bound with its reason)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from trainer.scenario.defaults import SESSION_CAP_S
from trainer.validate import MAX_LINES as MAX_LINES
from trainer.validate import MISSING as MISSING
from trainer.validate import Problems as Problems
from trainer.validate import boolean as boolean
from trainer.validate import choice as choice
from trainer.validate import get as get
from trainer.validate import join as join
from trainer.validate import mapping as mapping
from trainer.validate import number as number
from trainer.validate import present as present
from trainer.validate import show as show
from trainer.validate import string as string
from trainer.validate import suggestion as suggestion
from trainer.validate import vector as vector
from trainer.validate import wrong as wrong
from trainer.validate import yaml_type as yaml_type

# --- plausibility at the boundary (check_bounds has the table of bounds and reasons) ---
LEE_MOUTH_RADIUS_M = 0.21  # robots/ssrms/README, E; equal to sim.capture.MOUTH_RADIUS_M
FRGF_SHAFT_LENGTH_M = 0.273  # docs/REFERENCE.md §1.2, S medium
# D: the largest tilt at which the whole shaft can still lie inside the mouth (37.6°).
MAX_SHAFT_TILT_DEG = math.degrees(math.atan(LEE_MOUTH_RADIUS_M / FRGF_SHAFT_LENGTH_M))


class Bound:
    """One plausibility bound: where (a key path, ``[*]`` for every list item), how
    (``norm`` of a vector, ``each`` element, a ``value``, or a ``window`` [lo, hi] that
    must lie inside [low, high]), the limits with their unit, and the reason (tagged)."""

    __slots__ = ("high", "how", "low", "path", "reason", "unit")

    def __init__(
        self, path: str, how: str, low: float | None, high: float, unit: str, reason: str
    ) -> None:
        self.path, self.how, self.low, self.high = path, how, low, high
        self.unit, self.reason = unit, reason


BOUNDS: tuple[Bound, ...] = (
    Bound("vehicle.position_m", "norm", None, 200.0, "m",
          "the 200 m keep-out sphere (docs/REFERENCE.md §3, S)"),
    Bound("vehicle.velocity_m_s", "norm", None, 0.2, "m/s",
          "10x the 0.02 m/s abort closing speed (docs/REFERENCE.md §4, E)"),
    Bound("vehicle.angular_velocity_deg_s", "norm", None, 3.0, "deg/s",
          "10x the 0.3 deg/s allowed capture rate (docs/REFERENCE.md §4, E)"),
    Bound("vehicle.attitude_rpy_deg", "each", -360.0, 360.0, "deg", "an angle within a turn"),
    Bound("vehicle.mass_kg", "value", 100.0, 116_000.0, "kg",
          "from a free flyer heavier than the LEE to the SSRMS payload capacity (docs/REFERENCE.md §1)"),
    Bound("vehicle.inertia_kg_m2", "each", 1.0, 1e8, "kg m^2",
          "beyond any payload the arm can move (E)"),
    Bound("vehicle.dispersions.position_m", "each", None, 2.0, "m",
          "3 sigma would reach half the 10-12 m capture-point distance (docs/REFERENCE.md §2, S)"),
    Bound("vehicle.dispersions.velocity_m_s", "each", None, 0.05, "m/s",
          "2.5x the abort closing speed (docs/REFERENCE.md §4, E)"),
    Bound("vehicle.dispersions.attitude_deg", "each", None, 30.0, "deg",
          "3x the 10 deg allowed misalignment (docs/REFERENCE.md §4, E)"),
    Bound("vehicle.dispersions.angular_velocity_deg_s", "each", None, 1.0, "deg/s",
          "3x the 0.3 deg/s allowed rate (docs/REFERENCE.md §4, E)"),
    Bound("envelope.lateral_offset_m.allowed", "value", None, LEE_MOUTH_RADIUS_M, "m",
          "the LEE mouth's inner radius: farther off the axis the shaft misses the snares"),
    Bound("envelope.axial_depth_m.allowed", "window", 0.0, FRGF_SHAFT_LENGTH_M, "m",
          "below 0 the shaft tip is outside the LEE mouth; past the 0.273 m shaft "
          "(docs/REFERENCE.md §1.2, S) the base plate is on the LEE face"),
    Bound("envelope.pitch_yaw_misalignment_deg.allowed", "value", None, MAX_SHAFT_TILT_DEG, "deg",
          "atan(0.21 m mouth radius / 0.273 m shaft), D: a shaft tilted more cannot lie "
          "inside the mouth"),
    Bound("envelope.relative_speed_m_s.allowed", "value", None, 0.09, "m/s",
          "the session counts a contact faster than this as an impact"),
    Bound("envelope.relative_rate_deg_s.allowed", "value", None, 3.0, "deg/s",
          "10x the 0.3 deg/s estimate (docs/REFERENCE.md §4, E)"),
    Bound("timeline[*].time_s", "value", None, SESSION_CAP_S, "s",
          "every session ends by then: a later event never happens"),
    Bound("time_limits.full_credit_s", "value", None, SESSION_CAP_S, "s",
          "every session ends by then"),
    Bound("time_limits.penalty_until_s", "value", None, SESSION_CAP_S, "s",
          "every session ends by then"),
    Bound("time_limits.hard_limit_s", "value", None, SESSION_CAP_S, "s",
          "every session ends by then"),
    Bound("time_limits.drift_sphere_radius_m", "value", None, 17.6, "m",
          "the arm's length (docs/REFERENCE.md §1, S): farther is out of reach anyway"),
    Bound("abort.closing_speed_limit_m_s", "value", None, 0.2, "m/s",
          "10x the 0.02 m/s estimate (docs/REFERENCE.md §4, E)"),
)  # fmt: skip


def _at(node: Any, parts: list[str], path: str) -> list[tuple[str, Any]]:
    """The values at a dotted path (``[*]``: every item of a list) with their own paths."""
    if not parts:
        return [(path, node)]
    head, rest = parts[0], parts[1:]
    star = head.endswith("[*]")
    key = head[:-3] if star else head
    if not isinstance(node, Mapping) or key not in node:
        return []
    child = node[key]
    here = join(path, key)
    if not star:
        return _at(child, rest, here)
    if not isinstance(child, list):
        return []
    out: list[tuple[str, Any]] = []
    for i, item in enumerate(child):
        out.extend(_at(item, rest, join(here, i)))
    return out


def _outside(bound: Bound, x: float) -> bool:
    return x > bound.high or (bound.low is not None and x < bound.low)


def _limits(bound: Bound) -> str:
    if bound.low is None:
        return f"at most {bound.high:g} {bound.unit}"
    return f"between {bound.low:g} and {bound.high:g} {bound.unit}"


def check_bounds(problems: Problems, resolved: Mapping[str, Any]) -> None:
    """Check a resolved scenario mapping (every value already type-checked) against
    ``BOUNDS``; one line per value outside, with its key path, the bound and the reason.

    A scenario that passes the type checks may still ask for a vehicle at 1e9 m/s, a sigma
    of 1000 m/s or an envelope that counts a shaft far outside the LEE as captured, and
    the session would grade it with exit status 0. Each bound marks where a number stops
    being a scenario and becomes a typo, never a training choice; tags S/D/E and sections
    as in docs/REFERENCE.md (E: an estimate, with its reason):

    | key path                                  | bound              | reason                                          |
    |-------------------------------------------|--------------------|-------------------------------------------------|
    | vehicle.position_m                        | norm ≤ 200 m       | the keep-out sphere the crew captures inside    |
    |                                           |                    | (docs/REFERENCE.md §3, S)                       |
    | vehicle.velocity_m_s                      | norm ≤ 0.2 m/s     | 10x the 0.02 m/s abort closing speed (§4, E):   |
    |                                           |                    | faster leaves the arm's reach within a minute   |
    | vehicle.angular_velocity_deg_s            | norm ≤ 3 deg/s     | 10x the 0.3 deg/s allowed capture rate (§4, E)  |
    | vehicle.attitude_rpy_deg[i]               | within ±360 deg    | an angle; more than a turn is a typo            |
    | vehicle.mass_kg                           | 100 to 116,000 kg  | the SSRMS payload capacity (§1, S); lighter     |
    |                                           |                    | than the 190 kg LEE (§1.2, S) is no free flyer  |
    | vehicle.inertia_kg_m2[i]                  | 1 to 1e8 kg m²     | Dragon is 1e4 to 2e4 (§2, E); 1e8 is beyond any |
    |                                           |                    | payload the arm can move (E)                    |
    | vehicle.dispersions.position_m[i]         | σ ≤ 2 m            | 3σ reaches half the 10–12 m capture-point       |
    |                                           |                    | distance (§2, S)                                |
    | vehicle.dispersions.velocity_m_s[i]       | σ ≤ 0.05 m/s       | 2.5x the abort closing speed (§4, E)            |
    | vehicle.dispersions.attitude_deg[i]       | σ ≤ 30 deg         | 3x the 10 deg allowed misalignment (§4, E)      |
    | vehicle.dispersions.angular_velocity_deg_s[i] | σ ≤ 1 deg/s    | 3x the 0.3 deg/s allowed rate (§4, E)           |
    | envelope.lateral_offset_m.allowed         | ≤ 0.21 m           | the LEE mouth's inner radius (robots/ssrms      |
    |                                           |                    | README, E; sim.capture.MOUTH_RADIUS_M): the     |
    |                                           |                    | shaft farther off the axis misses the snares    |
    | envelope.axial_depth_m.allowed            | within [0, 0.273] m| below 0 the shaft tip is outside the mouth;     |
    |                                           |                    | past the 0.273 m shaft (§1.2, S) the base plate |
    |                                           |                    | is on the LEE face                              |
    | envelope.pitch_yaw_misalignment_deg.allowed | ≤ 37.6 deg       | atan(0.21 / 0.273), D: a shaft tilted more      |
    |                                           |                    | cannot lie inside the mouth                     |
    | envelope.relative_speed_m_s.allowed       | ≤ 0.09 m/s         | the session counts a faster contact as an       |
    |                                           |                    | impact (session.COLLISION_SPEED_M_S, E)         |
    | envelope.relative_rate_deg_s.allowed      | ≤ 3 deg/s          | 10x the 0.3 deg/s estimate (§4, E)              |
    | timeline[i].time_s                        | ≤ 600 s            | every session ends by defaults.SESSION_CAP_S:   |
    |                                           |                    | a later event never happens                     |
    | time_limits.{full_credit,penalty_until,hard_limit}_s | ≤ 600 s | the same cap: a later limit is never reached |
    | time_limits.drift_sphere_radius_m         | ≤ 17.6 m           | the arm's length (§1, S): farther is out of     |
    |                                           |                    | reach anyway                                    |
    | abort.closing_speed_limit_m_s             | ≤ 0.2 m/s          | 10x the 0.02 m/s estimate (§4, E)               |

    The start pose's clearance from the station and the arm is geometry, not a number:
    ``trainer.scenario.clearance``.
    """
    for bound in BOUNDS:
        for path, value in _at(resolved, bound.path.split("."), ""):
            if value is None:
                continue
            if bound.how == "norm":
                size = math.sqrt(math.fsum(float(v) * float(v) for v in value))
                if _outside(bound, size):
                    problems.add(
                        path,
                        f"magnitude {size:g} {bound.unit} is implausible: must be "
                        f"{_limits(bound)} ({bound.reason}), got {show(value)}",
                    )
            elif bound.how == "each":
                for i, v in enumerate(value):
                    if _outside(bound, float(v)):
                        problems.add(
                            join(path, i),
                            f"must be {_limits(bound)} ({bound.reason}), got {show(v)}",
                        )
            elif bound.how == "window":
                lo, hi = float(value[0]), float(value[1])
                if _outside(bound, lo) or _outside(bound, hi):
                    problems.add(
                        path,
                        f"must lie within [{bound.low:g}, {bound.high:g}] {bound.unit} "
                        f"({bound.reason}), got {show(value)}",
                    )
            elif _outside(bound, float(value)):
                problems.add(path, f"must be {_limits(bound)} ({bound.reason}), got {show(value)}")
