"""The scenario schema: one parsed YAML mapping in, a frozen ``Scenario`` (or the complete
list of problems) out. File handling and ids live in ``loader``; this module sees only data.

Top-level keys (docs/DESIGN.md §8; units in the key names, degrees only where they say ``_deg``):

| key           | required | content                                                        |
|---------------|----------|----------------------------------------------------------------|
| id, version   | yes      | ``id`` equals the file name; ``version`` a positive integer    |
| title         | yes      | one line                                                       |
| description   | no       | free text                                                      |
| tags          | no       | list of strings                                                |
| orbit         | yes      | ``altitude_km`` (stored as ``Scenario.orbit_altitude_m``)      |
| vehicle       | yes      | model, fixed, mass/inertia overrides, initial state, dispersions |
| arm           | yes      | ``initial_pose``: a named pose of robots/ssrms/poses.yaml      |
| timeline      | yes      | list of events (``trainer.scenario.events``), may be empty     |
| task          | no       | what the session is for (trainer/tasks/): capture, approach or offset-grapple-drill; when omitted, the one the timeline implies (``events.default_task``) |
| envelope      | no       | docs/REFERENCE.md §4 when omitted; when given, all six quantities      |
| time_limits   | no       | docs/REFERENCE.md §4 when omitted; when given, all four (null = none)  |
| abort         | no       | closing speed limit 0.02 m/s, expected false when omitted      |
| scoring       | no       | ``weights``: the 13 components, summing to 100                 |
| lighting      | no       | ``orbit_phase_deg``, ``beta_deg``, ``night`` (mid-morning when omitted) |
| berthing      | no       | a berthing task's operator, delay, RTL envelope and time limits (trainer/scenario/berthing.py) |

A section, once present, must be complete: partial sections silently mixing the file's and
the default numbers would hide which numbers a scenario really flies with.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from trainer.scenario import checks, defaults
from trainer.scenario.berthing import build_berthing, parse_berthing
from trainer.scenario.checks import MISSING, Problems
from trainer.scenario.events import parse_task, parse_timeline
from trainer.scenario.model import (
    AbortSpec,
    ArmSpec,
    Dispersions,
    Envelope,
    LightingSpec,
    RangeTier,
    Scenario,
    Tier,
    TimeLimits,
    TimelineEvent,
    VehicleSpec,
)
from trainer.sim.metrics import CAPTURE_QUANTITIES

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOP_REQUIRED = ("id", "version", "title", "orbit", "vehicle", "arm", "timeline")
TOP_OPTIONAL = (
    "description",
    "tags",
    "task",
    "envelope",
    "time_limits",
    "abort",
    "scoring",
    "lighting",
    "berthing",
)
# |beta| of the ISS orbit stays within about 75° (S: the ISS beta angle range).
BETA_MAX_DEG = 75.0
VEHICLE_REQUIRED = ("model", "position_m", "attitude_rpy_deg")
VEHICLE_OPTIONAL = (
    "fixed",
    "mass_kg",
    "inertia_kg_m2",
    "velocity_m_s",
    "angular_velocity_deg_s",
    "dispersions",
)
# A low Earth orbit: catches an altitude typed in metres into the km field.
ALTITUDE_RANGE_KM = (150.0, 2000.0)
# Largest meaningful allowed bound: roll is folded to [0°, 60°] (three-fold cams, docs/DESIGN.md §4),
# pitch/yaw is an angle between two axes.
ENVELOPE_MAX = {"roll_misalignment_deg": 60.0, "pitch_yaw_misalignment_deg": 180.0}
_TIERS = tuple(q.name for q in CAPTURE_QUANTITIES if q.envelope == "upper")


class Context:
    """What the schema checks against outside the file: the file's stem (its id) and the
    names available in robots/ (None: that check is skipped)."""

    def __init__(
        self,
        stem: str | None,
        pose_names: Sequence[str] | str | None,
        vehicle_models: Sequence[str] | None,
    ) -> None:
        self.stem = stem
        self.pose_names = pose_names  # a string: why the poses could not be read
        self.vehicle_models = vehicle_models


def _identity(p: Problems, top: dict[str, Any], ctx: Context) -> dict[str, Any]:
    out: dict[str, Any] = {}
    scenario_id = checks.string(p, top.get("id", MISSING), "id")
    if scenario_id is not None:
        if not ID_PATTERN.match(scenario_id):
            p.add("id", f"must be lower-case words joined by '-', got {checks.show(scenario_id)}")
        elif ctx.stem is not None and scenario_id != ctx.stem:
            p.add("id", f"must equal the file name {ctx.stem!r}, got {checks.show(scenario_id)}")
        out["id"] = scenario_id
    version = top.get("version", MISSING)
    if version is not MISSING:
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            p.add("version", f"must be a positive integer, got {checks.show(version)}")
        else:
            out["version"] = version
    out["title"] = checks.string(p, top.get("title", MISSING), "title")
    out["description"] = checks.string(p, top.get("description", ""), "description", nonempty=False)
    tags = top.get("tags", [])
    if not isinstance(tags, list):
        checks.wrong(p, "tags", "a list of strings", tags)
        tags = []
    out["tags"] = [checks.string(p, t, checks.join("tags", i)) for i, t in enumerate(tags)]
    orbit = checks.mapping(p, top.get("orbit", MISSING), "orbit", ("altitude_km",))
    altitude_km = checks.number(
        p, checks.get(orbit, "altitude_km"), "orbit.altitude_km", sign="positive"
    )
    if altitude_km is not None and not (
        ALTITUDE_RANGE_KM[0] <= altitude_km <= ALTITUDE_RANGE_KM[1]
    ):
        p.add(
            "orbit.altitude_km",
            f"must be a low Earth orbit altitude between {ALTITUDE_RANGE_KM[0]:g} and "
            f"{ALTITUDE_RANGE_KM[1]:g} km, got {checks.show(altitude_km)}",
        )
        altitude_km = None
    out["orbit"] = {"altitude_km": altitude_km}
    return out


def _vehicle(p: Problems, node: Any, ctx: Context) -> dict[str, Any]:
    v = checks.mapping(p, node, "vehicle", VEHICLE_REQUIRED, VEHICLE_OPTIONAL)
    model = checks.string(p, checks.get(v, "model"), "vehicle.model")
    if model is not None and ctx.vehicle_models is not None and model not in ctx.vehicle_models:
        p.add(
            "vehicle.model",
            f"unknown vehicle model {model!r}{checks.suggestion(model, ctx.vehicle_models)}; "
            f"known: {', '.join(ctx.vehicle_models)}",
        )
    fixed = checks.boolean(p, checks.get(v, "fixed", False), "vehicle.fixed")
    mass_kg = checks.number(
        p, checks.get(v, "mass_kg", None), "vehicle.mass_kg", sign="positive", nullable=True
    )
    inertia_node = checks.get(v, "inertia_kg_m2", None)
    inertia = None
    if inertia_node is not None:
        inertia = checks.vector(p, inertia_node, "vehicle.inertia_kg_m2", sign="positive")
        if inertia is not None and any(2.0 * i > math.fsum(inertia) * (1 + 1e-9) for i in inertia):
            p.add(
                "vehicle.inertia_kg_m2",
                "principal moments must satisfy the triangle inequality (each at most the sum "
                f"of the other two), got {checks.show(inertia)}",
            )
    out: dict[str, Any] = {
        "model": model,
        "fixed": fixed,
        "mass_kg": mass_kg,
        "inertia_kg_m2": inertia,
        "position_m": checks.vector(p, checks.get(v, "position_m"), "vehicle.position_m"),
        "attitude_rpy_deg": checks.vector(
            p, checks.get(v, "attitude_rpy_deg"), "vehicle.attitude_rpy_deg"
        ),
    }
    for key in ("velocity_m_s", "angular_velocity_deg_s"):
        out[key] = checks.vector(p, checks.get(v, key, [0.0, 0.0, 0.0]), f"vehicle.{key}")
    dispersions = defaults.section("dispersions")
    node_d = checks.get(v, "dispersions", None)
    if node_d is not None:
        d = checks.mapping(p, node_d, "vehicle.dispersions", (), tuple(dispersions))
        for key in dispersions:
            sigma = checks.vector(
                p,
                checks.get(d, key, [0.0, 0.0, 0.0]),
                f"vehicle.dispersions.{key}",
                sign="non-negative",
            )
            dispersions[key] = sigma
    out["dispersions"] = dispersions
    if fixed:
        moving = [
            f"vehicle.{path}"
            for path, vec in (
                ("velocity_m_s", out["velocity_m_s"]),
                ("angular_velocity_deg_s", out["angular_velocity_deg_s"]),
                ("dispersions.velocity_m_s", dispersions["velocity_m_s"]),
                ("dispersions.angular_velocity_deg_s", dispersions["angular_velocity_deg_s"]),
            )
            if vec is not None and any(x != 0.0 for x in vec)
        ]
        for path in moving:
            p.add(path, "must be zero for a fixed vehicle (vehicle.fixed is true)")
    return out


def _arm(p: Problems, node: Any, ctx: Context) -> dict[str, Any]:
    a = checks.mapping(p, node, "arm", ("initial_pose",))
    pose = checks.string(p, checks.get(a, "initial_pose"), "arm.initial_pose")
    if pose is not None and isinstance(ctx.pose_names, str):
        p.add("arm.initial_pose", f"cannot check {pose!r}: {ctx.pose_names}")
    elif pose is not None and ctx.pose_names is not None and pose not in ctx.pose_names:
        p.add(
            "arm.initial_pose",
            f"unknown named pose {pose!r}{checks.suggestion(pose, ctx.pose_names)}; "
            f"known: {', '.join(ctx.pose_names)}",
        )
    return {"initial_pose": pose}


def _tier(p: Problems, node: Any, path: str) -> dict[str, Any]:
    t = checks.mapping(p, node, path, ("full", "allowed"))
    full = checks.number(p, checks.get(t, "full"), f"{path}.full", sign="non-negative")
    allowed = checks.number(p, checks.get(t, "allowed"), f"{path}.allowed", sign="non-negative")
    if full is not None and allowed is not None and full > allowed:
        p.add(path, f"full ({checks.show(full)}) must not exceed allowed ({checks.show(allowed)})")
    return {"full": full, "allowed": allowed}


def _range_tier(p: Problems, node: Any, path: str) -> dict[str, Any]:
    t = checks.mapping(p, node, path, ("full", "allowed"))
    out: dict[str, Any] = {}
    for key in ("full", "allowed"):
        window = checks.vector(p, checks.get(t, key), f"{path}.{key}", length=2)
        if window is not None and window[0] > window[1]:
            p.add(f"{path}.{key}", f"must be [lo, hi] with lo <= hi, got {checks.show(window)}")
            window = None
        out[key] = window
    full, allowed = out["full"], out["allowed"]
    if full is not None and allowed is not None and (full[0] < allowed[0] or full[1] > allowed[1]):
        p.add(
            path,
            f"full window {checks.show(full)} must lie inside allowed window {checks.show(allowed)}",
        )
    return out


def _envelope(p: Problems, node: Any) -> dict[str, Any]:
    if node is MISSING:
        return defaults.section("envelope")
    keys = tuple(defaults.ENVELOPE)
    e = checks.mapping(p, node, "envelope", keys)
    out: dict[str, Any] = {}
    for key in keys:
        path = f"envelope.{key}"
        value = checks.get(e, key)
        out[key] = _range_tier(p, value, path) if key == "axial_depth_m" else _tier(p, value, path)
        allowed = out[key].get("allowed")
        if key in ENVELOPE_MAX and allowed is not None and allowed > ENVELOPE_MAX[key]:
            p.add(
                f"{path}.allowed",
                f"must be at most {ENVELOPE_MAX[key]:g} deg, got {checks.show(allowed)}",
            )
    return out


def _time_limits(p: Problems, node: Any) -> dict[str, Any]:
    if node is MISSING:
        return defaults.section("time_limits")
    keys = tuple(defaults.TIME_LIMITS)
    t = checks.mapping(p, node, "time_limits", keys)
    out = {
        key: checks.number(
            p, checks.get(t, key), f"time_limits.{key}", sign="positive", nullable=True
        )
        for key in keys
    }
    ordered = [(k, out[k]) for k in ("full_credit_s", "penalty_until_s", "hard_limit_s")]
    given = [(k, v) for k, v in ordered if v is not None]
    for (k1, v1), (k2, v2) in itertools.pairwise(given):
        if v1 > v2:
            p.add(
                "time_limits", f"{k1} ({checks.show(v1)}) must not exceed {k2} ({checks.show(v2)})"
            )
    return out


def _abort(p: Problems, node: Any) -> dict[str, Any]:
    if node is MISSING:
        return defaults.section("abort")
    a = checks.mapping(p, node, "abort", tuple(defaults.ABORT))
    return {
        "closing_speed_limit_m_s": checks.number(
            p,
            checks.get(a, "closing_speed_limit_m_s"),
            "abort.closing_speed_limit_m_s",
            sign="positive",
        ),
        "expected": checks.boolean(p, checks.get(a, "expected"), "abort.expected"),
    }


def _scoring(p: Problems, node: Any) -> dict[str, Any]:
    if node is MISSING:
        return defaults.section("scoring")
    s = checks.mapping(p, node, "scoring", ("weights",))
    keys = tuple(defaults.SCORING_WEIGHTS)
    w = checks.mapping(p, checks.get(s, "weights"), "scoring.weights", keys)
    weights = {
        k: checks.number(p, checks.get(w, k), f"scoring.weights.{k}", sign="non-negative")
        for k in keys
    }
    good = [v for v in weights.values() if v is not None]
    if w is not None and len(good) == len(keys):
        total = math.fsum(good)
        if abs(total - defaults.SCORING_TOTAL) > 1e-6:
            p.add("scoring.weights", f"must sum to {defaults.SCORING_TOTAL:g}, got {total:g}")
    return {"weights": weights}


def _lighting(p: Problems, node: Any, altitude_km: float | None) -> dict[str, Any]:
    """The orbit phase, beta angle and the night flag, which must agree with the phase:
    a file saying ``night: true`` is flown in Earth's shadow, never silently in sunlight."""
    if node is MISSING:
        return defaults.section("lighting")
    keys = tuple(defaults.LIGHTING)
    lit = checks.mapping(p, node, "lighting", keys)
    phase = checks.number(p, checks.get(lit, "orbit_phase_deg"), "lighting.orbit_phase_deg")
    beta = checks.number(p, checks.get(lit, "beta_deg"), "lighting.beta_deg")
    night = checks.boolean(p, checks.get(lit, "night"), "lighting.night")
    if beta is not None and abs(beta) > BETA_MAX_DEG:
        p.add("lighting.beta_deg", f"must be within ±{BETA_MAX_DEG:g} deg, got {checks.show(beta)}")
        beta = None
    if phase is not None and beta is not None and night is not None and altitude_km is not None:
        from trainer.sim.orbit import in_earth_shadow

        shadow = in_earth_shadow(math.radians(phase), math.radians(beta), altitude_km * 1000.0)
        if shadow != night:
            where = "Earth's shadow" if shadow else "sunlight"
            p.add(
                "lighting.night",
                f"is {str(night).lower()}, but orbit_phase_deg {phase:g} with beta_deg "
                f"{beta:g} puts the station in {where}",
            )
    return {"orbit_phase_deg": phase, "beta_deg": beta, "night": night}


def _vec3(values: list[float]) -> tuple[float, float, float]:
    return (values[0], values[1], values[2])


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _build(raw: dict[str, Any], source_path: Path | None) -> Scenario:
    """The dataclasses from a resolved mapping that passed every check."""
    v = raw["vehicle"]
    d = v["dispersions"]
    e = raw["envelope"]
    return Scenario(
        id=raw["id"],
        version=raw["version"],
        title=raw["title"],
        description=raw["description"],
        tags=tuple(raw["tags"]),
        orbit_altitude_m=raw["orbit"]["altitude_km"] * 1000.0,
        vehicle=VehicleSpec(
            model=v["model"],
            fixed=v["fixed"],
            mass_kg=v["mass_kg"],
            inertia_kg_m2=None if v["inertia_kg_m2"] is None else _vec3(v["inertia_kg_m2"]),
            position_m=_vec3(v["position_m"]),
            attitude_rpy_deg=_vec3(v["attitude_rpy_deg"]),
            velocity_m_s=_vec3(v["velocity_m_s"]),
            angular_velocity_deg_s=_vec3(v["angular_velocity_deg_s"]),
            dispersions=Dispersions(**{k: _vec3(x) for k, x in d.items()}),
        ),
        arm=ArmSpec(initial_pose=raw["arm"]["initial_pose"]),
        task=raw["task"],
        timeline=tuple(
            TimelineEvent(
                time_s=event["time_s"],
                kind=event["event"],
                params=MappingProxyType(
                    {k: _freeze(x) for k, x in event.items() if k not in ("time_s", "event")}
                ),
            )
            for event in raw["timeline"]
        ),
        envelope=Envelope(
            axial_depth_m=RangeTier(
                full=tuple(e["axial_depth_m"]["full"]),
                allowed=tuple(e["axial_depth_m"]["allowed"]),
            ),
            **{k: Tier(full=e[k]["full"], allowed=e[k]["allowed"]) for k in _TIERS},
        ),
        time_limits=TimeLimits(**raw["time_limits"]),
        abort=AbortSpec(**raw["abort"]),
        scoring_weights=MappingProxyType(dict(raw["scoring"]["weights"])),
        lighting=LightingSpec(**raw["lighting"]),
        berthing=build_berthing(raw.get("berthing")),
        source_path=source_path,
        raw=MappingProxyType(raw),
    )


def parse(p: Problems, data: Any, ctx: Context, source_path: Path | None = None) -> Scenario | None:
    """Check a parsed YAML document; the Scenario, or None with every problem in ``p``."""
    top = checks.mapping(p, data, "", TOP_REQUIRED, TOP_OPTIONAL)
    if top is None:
        return None
    raw = _identity(p, top, ctx)
    raw["vehicle"] = _vehicle(p, top.get("vehicle", MISSING), ctx)
    raw["arm"] = _arm(p, top.get("arm", MISSING), ctx)
    raw["timeline"] = parse_timeline(p, top.get("timeline", MISSING))
    raw["task"] = parse_task(p, top.get("task", MISSING), raw["timeline"])
    raw["envelope"] = _envelope(p, top.get("envelope", MISSING))
    raw["time_limits"] = _time_limits(p, top.get("time_limits", MISSING))
    raw["abort"] = _abort(p, top.get("abort", MISSING))
    raw["scoring"] = _scoring(p, top.get("scoring", MISSING))
    raw["lighting"] = _lighting(p, top.get("lighting", MISSING), raw["orbit"]["altitude_km"])
    berthing = parse_berthing(p, top.get("berthing", MISSING), raw.get("task"))
    if berthing is not None:  # only a berthing task's: other scenarios resolve as before
        raw["berthing"] = berthing
    if p:
        return None
    checks.check_bounds(p, raw)  # only once every value has its type: plausibility
    if p:
        return None
    return _build(raw, source_path)
