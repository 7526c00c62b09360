"""Typed readers for YAML values that collect problems instead of raising (STYLE §5).

Every reader takes the ``Problems`` of one file and a key path, returns the checked value
(plain Python types, ready to be stored in a recording) or ``None`` when the value is bad,
and records one line ``file: key.path: what is wrong, got VALUE`` per problem. The loader
keeps reading after a problem so that one run reports every mistake in a file. A reader
given ``MISSING`` (an absent key, already reported by ``mapping``) returns None silently,
so that each mistake is reported once.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from trainer.scenario.defaults import SESSION_CAP_S

MISSING: Any = object()  # "key absent", distinct from an explicit YAML null


MAX_LINES = 20
"""At most a screenful of error lines per file; the rest is counted ("and N more")."""


class Problems:
    """The error lines of one file, in the order they were found: the first ``MAX_LINES``
    are kept, the others only counted, so a file of 300,000 unknown keys costs 20 lines."""

    def __init__(self, file_label: str) -> None:
        self.file_label = file_label
        self._lines: list[str] = []
        self.count = 0

    def add(self, path: str, message: str) -> None:
        self.count += 1
        if len(self._lines) < MAX_LINES:
            self._lines.append(f"{self.file_label}: {path or '(top level)'}: {message}")

    @property
    def lines(self) -> list[str]:
        """The kept lines, then ``FILE: and N more problems`` when some were dropped."""
        more = self.count - len(self._lines)
        if more <= 0:
            return list(self._lines)
        plural = "s" if more > 1 else ""
        return [*self._lines, f"{self.file_label}: and {more:,} more problem{plural}"]

    @property
    def full(self) -> bool:
        """A screenful is kept: further problems are only counted (skip costly hints)."""
        return len(self._lines) >= MAX_LINES

    def __bool__(self) -> bool:
        return self.count > 0


def show(value: Any, limit: int = 60) -> str:
    """A value as the user wrote it in YAML (``.nan``, ``true``, ``null``), shortened."""
    if value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        if math.isnan(value):
            text = ".nan"
        elif math.isinf(value):
            text = ".inf" if value > 0 else "-.inf"
        else:
            text = repr(value)
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, str):
        text = repr(value)
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(show(v, limit) for v in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {show(v, limit)}" for k, v in value.items()) + "}"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def yaml_type(value: Any) -> str:
    """The YAML name of a value's type, for 'wrong type' messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__  # e.g. date: YAML reads 2020-03-09 as a date


def wrong(problems: Problems, path: str, expected: str, value: Any) -> None:
    problems.add(path, f"must be {expected}, got {show(value)} ({yaml_type(value)})")


def suggestion(word: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest known word, or an empty string."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def mapping(
    problems: Problems,
    node: Any,
    path: str,
    required: Sequence[str],
    optional: Sequence[str] = (),
) -> dict[str, Any] | None:
    """Check that ``node`` is a mapping with every required key and no unknown key.

    Returns the mapping (even when keys are missing or unknown, so that the known keys are
    still checked), or None when it is not a mapping at all."""
    if node is MISSING:
        return None
    if not isinstance(node, dict):
        wrong(problems, path, "a mapping", node)
        return None
    known = [*required, *optional]
    missing = [key for key in required if key not in node]
    for key in node:
        if not isinstance(key, str):
            problems.add(join(path, str(key)), f"keys must be strings, got {show(key)}")
        elif key not in known and problems.full:
            problems.add(join(path, key), "unknown key")  # only counted: no hint to compute
        elif key not in known:
            hint = suggestion(key, known)
            close = difflib.get_close_matches(key, missing, n=1, cutoff=0.6)
            if close:  # a misspelt required key: one line, not "unknown" plus "missing"
                missing.remove(close[0])
                hint = f" (did you mean {close[0]!r}? it is required)"
            problems.add(join(path, key), f"unknown key{hint}; known keys: {', '.join(known)}")
    for key in missing:
        problems.add(join(path, key), "required key is missing")
    return node


def number(
    problems: Problems,
    value: Any,
    path: str,
    *,
    sign: str = "any",
    nullable: bool = False,
) -> float | None:
    """A finite number (bool is not a number). ``sign``: any, positive or non-negative."""
    what = {
        "any": "a finite number",
        "positive": "a positive finite number",
        "non-negative": "a non-negative finite number",
    }[sign]
    if nullable:
        what += " or null"
    if value is MISSING:
        return None
    if value is None and nullable:
        return None
    if isinstance(value, str) and _looks_numeric(value):
        why = (
            "YAML reads an exponent without a decimal point and sign, such as 1e3, as text; "
            "write 1000.0 or 1.0e+3"
            if "e" in value.lower()
            else "quoted text; remove the quotes"
        )
        problems.add(path, f"must be {what}, got {show(value)} ({why})")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        wrong(problems, path, what, value)
        return None
    number_value = float(value)
    bad = (
        not math.isfinite(number_value)
        or (sign == "positive" and number_value <= 0.0)
        or (sign == "non-negative" and number_value < 0.0)
    )
    if bad:
        problems.add(path, f"must be {what}, got {show(value)}")
        return None
    return number_value


def vector(
    problems: Problems, value: Any, path: str, *, sign: str = "any", length: int = 3
) -> list[float] | None:
    """A list of ``length`` finite numbers; each bad element is reported on its own path."""
    if value is MISSING:
        return None
    if not isinstance(value, list) or len(value) != length:
        wrong(problems, path, f"a list of {length} numbers", value)
        return None
    out = [number(problems, v, join(path, i), sign=sign) for i, v in enumerate(value)]
    if any(v is None for v in out):
        return None
    return [v for v in out if v is not None]


def string(problems: Problems, value: Any, path: str, *, nonempty: bool = True) -> str | None:
    if value is MISSING:
        return None
    if not isinstance(value, str) or (nonempty and not value.strip()):
        wrong(problems, path, "a non-empty string" if nonempty else "a string", value)
        return None
    return value


def boolean(problems: Problems, value: Any, path: str) -> bool | None:
    if value is MISSING:
        return None
    if not isinstance(value, bool):
        wrong(problems, path, "true or false", value)
        return None
    return value


def choice(
    problems: Problems, value: Any, path: str, known: Sequence[str], what: str
) -> str | None:
    """A string from ``known``; an unknown one names the closest."""
    if value is MISSING:
        return None
    if not isinstance(value, str):
        wrong(problems, path, f"a {what} ({', '.join(known)})", value)
        return None
    if value not in known:
        problems.add(
            path,
            f"unknown {what} {value!r}{suggestion(value, known)}; known: {', '.join(known)}",
        )
        return None
    return value


def get(node: Mapping[str, Any] | None, key: str, default: Any = MISSING) -> Any:
    """``node[key]``; ``default`` when absent (or when the parent mapping was bad)."""
    if node is None:
        return MISSING
    return node.get(key, default)


def present(value: Any) -> bool:
    return value is not MISSING


def _looks_numeric(text: str) -> bool:
    """A decimal number written as text (not nan or inf, which YAML spells .nan, .inf)."""
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


# --- plausibility at the boundary (check_bounds has the table of bounds and reasons) ---
LEE_MOUTH_RADIUS_M = 0.21  # robots/ssrms/README, E; equal to sim.capture.MOUTH_RADIUS_M
FRGF_SHAFT_LENGTH_M = 0.273  # docs/REFERENCE.md §1.2, S medium


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
    Bound("envelope.pitch_yaw_misalignment_deg.allowed", "value", None, 37.6, "deg",
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
