"""Plausibility at the boundary (docs/REFERENCE.md §8): a value that parses but makes no physical
sense is refused with its key path, the bound and the reason; every shipped scenario lies
inside every bound; the bounds' geometry matches the physics modules it mirrors."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from trainer.resources import scenarios_dir
from trainer.scenario import checks, defaults, schema
from trainer.scenario.checks import BOUNDS, Bound, Problems
from trainer.scenario.loader import _pose_names, _vehicle_models, scenario_ids, validate_file

GOOD: dict[str, Any] = yaml.safe_load(
    (scenarios_dir() / "crs20-capture.yaml").read_text(encoding="utf-8")
)


def _parse(data: Any) -> list[str]:
    problems = Problems("x.yaml")
    schema.parse(problems, data, schema.Context(None, _pose_names(), _vehicle_models()))
    return problems.lines


def _set(data: dict[str, Any], path: str, value: Any) -> str:
    """Set ``path`` (``[*]`` is item 1) in the raw YAML mapping; returns the concrete path."""
    node: Any = data
    parts = path.replace("[*]", ".1").split(".")
    for key in parts[:-1]:
        node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
    last = parts[-1]
    node[last] = value
    return path.replace("[*]", "[1]")


def _beyond(bound: Bound) -> Any:
    """A value just outside ``bound`` (twice the high end)."""
    far = 2.0 * bound.high
    if bound.how == "norm":
        return [far, 0.0, 0.0]
    if bound.how == "each":
        return [far, far, far]
    if bound.how == "window":
        return [-0.05, 0.2]
    return far


def _with_sections(data: dict[str, Any]) -> dict[str, Any]:
    data.setdefault("scoring", copy.deepcopy({"weights": defaults.SCORING_WEIGHTS}))
    return data


@pytest.mark.parametrize("bound", BOUNDS, ids=[b.path for b in BOUNDS])
def test_a_value_beyond_each_bound_is_refused_with_path_bound_and_reason(bound: Bound) -> None:
    data = _with_sections(copy.deepcopy(GOOD))
    if bound.path == "vehicle.mass_kg":
        data["vehicle"]["mass_kg"] = 50.0  # lighter than the LEE: below the low end
    elif bound.path.startswith("time_limits."):
        data["time_limits"] = {k: 1.0e6 for k in defaults.TIME_LIMITS}
    else:
        _set(data, bound.path, _beyond(bound))
    text = "\n".join(_parse(data))
    where = bound.path.replace("[*]", "[1]")
    assert where in text, text
    assert bound.reason in text, text
    assert f"{bound.high:g}" in text, text


def test_the_issue_cases_are_refused(tmp_path: Path) -> None:
    cases = {
        "vehicle.velocity_m_s": ("vehicle", "velocity_m_s", [1.0e9, 0.0, 0.0]),
        "vehicle.dispersions.velocity_m_s[0]": (
            "vehicle.dispersions", "velocity_m_s", [1000.0, 0.0, 0.0]
        ),
        "envelope.axial_depth_m.allowed": (
            "envelope.axial_depth_m", "allowed", [-1.0e9, 0.2]
        ),
        "timeline[1].time_s": ("timeline.1", "time_s", 1.0e12),
    }  # fmt: skip
    for where, (parent, key, value) in cases.items():
        data = copy.deepcopy(GOOD)
        node: Any = data
        for part in parent.split("."):
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[key] = value
        path = tmp_path / "crs20-capture.yaml"
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        problems = validate_file(path)
        assert any(f": {where}: " in line for line in problems), (where, problems)


@pytest.mark.parametrize("scenario_id", scenario_ids())
def test_every_shipped_scenario_is_inside_every_bound(scenario_id: str) -> None:
    assert validate_file(scenarios_dir() / f"{scenario_id}.yaml") == []


def test_the_bounds_mirror_the_physics() -> None:
    from trainer.session.contacts import COLLISION_SPEED_M_S
    from trainer.sim.capture import MOUTH_RADIUS_M

    assert checks.LEE_MOUTH_RADIUS_M == MOUTH_RADIUS_M
    by_path = {b.path: b for b in BOUNDS}
    assert by_path["envelope.relative_speed_m_s.allowed"].high == COLLISION_SPEED_M_S
    assert by_path["timeline[*].time_s"].high == defaults.SESSION_CAP_S
    from trainer.scoring import judge

    assert judge.SESSION_CAP_S == defaults.SESSION_CAP_S, "the cap the judge ends sessions at"
    assert by_path["envelope.axial_depth_m.allowed"].high == checks.FRGF_SHAFT_LENGTH_M
    # the reasons are documented, each one
    assert all(b.reason and b.unit for b in BOUNDS)


# ------------------------------------------------------------------ start-pose clearance
@pytest.mark.parametrize(
    ("position", "words"),
    [
        ([0.0, 0.0, 0.0], ["overlapping the station", "inside"]),
        ([8.5, 0.0, -7.0], ["overlapping the arm", "capture_ready", "elbow_pitch"]),
        ([2.4, 4.5, -7.4], ["overlapping the arm", "shoulder_pitch"]),
    ],
    ids=["in-destiny", "under-the-lee", "on-the-boom"],
)
def test_a_vehicle_starting_inside_the_station_or_the_arm_is_refused(
    tmp_path: Path, position: list[float], words: list[str]
) -> None:
    data = copy.deepcopy(GOOD)
    data["vehicle"]["position_m"] = position
    path = tmp_path / "crs20-capture.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    problems = validate_file(path)
    assert len(problems) == 1 and ": vehicle.position_m: " in problems[0], problems
    for word in words:
        assert word in problems[0], (word, problems[0])
    assert "1.83 m" in problems[0], "the bound and its reason"


def test_the_clearance_geometry_is_the_physics_geometry() -> None:
    from trainer.resources import data_dir
    from trainer.scenario.clearance import arm_points, station_primitives

    robots = data_dir("robots")
    name, tip = arm_points(robots, "capture_ready")[-1]
    # robots/ssrms/poses.yaml: the LEE mouth at (8.5, 0.0, -6.877) in capture_ready
    assert name == "tip LEE" and np.allclose(tip, (8.5, 0.0, -6.877), atol=0.01)
    urdf = (robots / "station" / "station.urdf").read_text(encoding="utf-8")
    assert len(station_primitives(robots / "station" / "station.urdf")) == urdf.count("<collision")
