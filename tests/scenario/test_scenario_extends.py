"""Scenario variants: a file with ``extends:`` states only what differs from its base; it
loads, validates and is recorded as the full scenario it stands for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.recorded import read_whole
from trainer.scenario.build import scenario_to_json
from trainer.scenario.loader import load_scenario, validate_file
from trainer.session import Session

BASE = """\
id: base
version: 1
title: Base
orbit: {altitude_km: 421.5}
vehicle:
  model: dragon
  position_m: [8.5, 0.0, -11.0]
  attitude_rpy_deg: [0.0, 0.0, 0.0]
  dispersions: {position_m: [0.1, 0.1, 0.1], velocity_m_s: [0.001, 0.001, 0.001]}
arm: {initial_pose: capture_ready}
timeline:
  - {time_s: 0.0, event: go_for_capture}
  - {time_s: 5.0, event: free_drift}
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_shipped_fault_variant_is_its_base_plus_one_event() -> None:
    base = scenario_to_json(load_scenario("crs20-capture"))
    variant = scenario_to_json(load_scenario("crs20-hc-bias"))
    assert "extends" not in variant
    for key in ("orbit", "vehicle", "arm", "envelope", "time_limits", "abort", "scoring"):
        assert variant[key] == base[key], key
    added = [e for e in variant["timeline"] if e not in base["timeline"]]
    assert added == [{"time_s": 0.0, "event": "hand_controller_bias", "thc": [0.08, 0.0, 0.0]}]
    assert [e["time_s"] for e in variant["timeline"]] == [0.0, 0.0, 5.0]


def test_mappings_merge_lists_replace_and_append_adds_in_time_order(tmp_path: Path) -> None:
    _write(tmp_path, "base", BASE)
    path = _write(
        tmp_path,
        "variant",
        "extends: base\nid: variant\ntitle: Variant\n"
        "vehicle:\n  position_m: [8.0, 0.5, -10.5]\n  dispersions: {position_m: [0.2, 0.2, 0.2]}\n"
        "timeline:\n  append:\n    - {time_s: 2.0, event: brake_stuck, joint: wrist_roll}\n",
    )
    s = load_scenario(path)
    assert s.id == "variant" and s.title == "Variant" and s.version == 1
    assert s.vehicle.position_m == (8.0, 0.5, -10.5)  # a list replaces
    assert s.vehicle.dispersions.position_m == (0.2, 0.2, 0.2)  # a mapping merges...
    assert s.vehicle.dispersions.velocity_m_s == (0.001, 0.001, 0.001)  # ...keeping the rest
    assert [(e.time_s, e.kind) for e in s.timeline] == [
        (0.0, "go_for_capture"),
        (2.0, "brake_stuck"),
        (5.0, "free_drift"),
    ]


def test_a_chain_of_variants_resolves(tmp_path: Path) -> None:
    _write(tmp_path, "base", BASE)
    _write(
        tmp_path,
        "middle",
        "extends: base\nid: middle\nabort: {closing_speed_limit_m_s: 0.03, expected: false}\n",
    )
    path = _write(tmp_path, "top", "extends: middle\nid: top\ntitle: Top\n")
    s = load_scenario(path)
    assert s.title == "Top" and s.abort.closing_speed_limit_m_s == 0.03


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "extends: bsae\nid: v\n",
            "v.yaml: extends: unknown base scenario 'bsae' (did you mean 'base'?)",
        ),
        ("extends: 3\nid: v\n", "v.yaml: extends: must be the id of a base scenario, got 3"),
        ("extends: v\nid: v\n", "v.yaml: extends: scenarios extend each other in a circle: v -> v"),
        (
            "extends: base\nid: v\norbit:\n  altitude_km: {append: [1]}\n",
            "v.yaml: orbit.altitude_km.append: appends a list to a list of the base scenario",
        ),
        (
            "extends: base\nid: v\nversion: 0\n",
            "v.yaml: version: must be a positive integer, got 0",
        ),
    ],
)
def test_a_bad_variant_is_one_line_naming_the_file_and_key(
    tmp_path: Path, text: str, expected: str
) -> None:
    _write(tmp_path, "base", BASE)
    problems = validate_file(_write(tmp_path, "v", text))
    assert problems and problems[0].startswith(str(tmp_path / "v.yaml") + ": ")
    assert any(expected in line for line in problems), problems


def test_validate_on_the_command_line_accepts_a_variant(tmp_path: Path) -> None:
    _write(tmp_path, "base", BASE)
    path = _write(tmp_path, "variant", "extends: base\nid: variant\n")
    result = subprocess.run(
        [sys.executable, "-m", "trainer.cli", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ok: {path}"


def test_a_recording_holds_the_resolved_variant_in_full(tmp_path: Path) -> None:
    scenario = load_scenario("crs20-lee-camera-loss")
    session = Session(scenario, 1, recording_path=tmp_path / "session.mcap")
    session.stop()
    session.close()
    recorded = read_whole(tmp_path / "session.mcap").metadata["scenario"]
    assert recorded == scenario_to_json(scenario)
    assert "extends" not in recorded and recorded["envelope"]["lateral_offset_m"]["full"] == 0.05
    assert [e["event"] for e in recorded["timeline"]][-2:] == ["camera_restore", "call"]
