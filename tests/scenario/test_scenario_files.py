"""Every shipped scenario loads, validates, lists, and carries provenance for its numbers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from trainer.resources import scenarios_dir
from trainer.scenario import events
from trainer.scenario.build import scenario_to_json
from trainer.scenario.commands import format_table, run_list, run_validate
from trainer.scenario.loader import list_scenarios, load_scenario, scenario_ids, validate_file
from trainer.sim.world import JOINT_NAMES

SHIPPED = sorted(scenarios_dir().glob("*.yaml"))
EXPECTED_IDS = {
    "basic-drill",
    "crs20-abort",
    "crs20-capture",
    "crs20-capture-easy",
    "crs20-capture-hard",
    "crs20-hc-bias",
    "crs20-lee-camera-loss",
    "crs20-stuck-brake",
}
TAG = re.compile(r"#.*\b[SDE]\b")
NUMBER = re.compile(r"[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?")


def test_the_expected_scenarios_ship() -> None:
    assert set(scenario_ids()) >= EXPECTED_IDS


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_scenario_is_valid(path: Path) -> None:
    assert validate_file(path) == []
    scenario = load_scenario(path.stem)
    assert scenario.id == path.stem
    assert scenario.version >= 1
    assert scenario.source_path == path
    json.dumps(scenario_to_json(scenario), allow_nan=False)  # recordings store it


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_physical_number_has_a_provenance_tag(path: Path) -> None:
    """Each line with a number in vehicle, envelope, time_limits, abort and orbit names
    its source (S, D or E) in a comment (docs/DESIGN.md §8). A loose check: any tag in the comment."""
    section = None
    untagged = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.match(r"^[a-z_]+:", line):
            section = line.split(":")[0]
        code = line.split("#")[0]
        physical = section in ("orbit", "vehicle", "envelope", "time_limits", "abort")
        if physical and NUMBER.search(code.split(":", 1)[-1]) and not TAG.search(line):
            untagged.append(f"{path.name}:{number}: {line.strip()}")
    assert untagged == []


def test_list_is_sorted_by_id_and_prints_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    scenarios = list_scenarios()
    assert [s.id for s in scenarios] == sorted(s.id for s in scenarios)
    assert run_list() == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["ID", "VERSION", "TITLE", "TAGS"]
    assert len(out) == len(scenarios) + 1
    title_column = out[0].index("TITLE")
    for line, scenario in zip(out[1:], scenarios, strict=True):
        assert line.startswith(scenario.id + " ")
        assert line[title_column:].startswith(scenario.title)


def test_format_table_aligns_columns() -> None:
    lines = format_table(list_scenarios())
    version_column = lines[0].index("VERSION")
    assert all(line[version_column - 2 : version_column] == "  " for line in lines)


def test_validate_ok_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_validate([str(p) for p in SHIPPED]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.splitlines() == [f"ok: {p}" for p in SHIPPED]


def test_scenario_validation_does_not_load_pybullet() -> None:
    """Joint names come from a pybullet-free module, so list/validate stay quiet and fast."""
    import subprocess
    import sys

    code = "import sys, trainer.scenario.loader as l; l.list_scenarios(); print('pybullet' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert events.JOINT_NAMES is JOINT_NAMES


def test_nominal_capture_matches_reference() -> None:
    s = load_scenario("crs20-capture")
    assert s.orbit_altitude_m == pytest.approx(421_500.0)
    assert s.free_drift_time_s == 5.0
    assert s.events("go_for_capture")[0].time_s == 0.0
    assert "GO for capture" in s.events("go_for_capture")[0].params["call"]
    assert (s.time_limits.full_credit_s, s.time_limits.hard_limit_s) == (99.0, 240.0)
    assert s.envelope.axial_depth_m.full == (0.05, 0.15)
    assert s.abort.expected is False
    assert sum(s.scoring_weights.values()) == pytest.approx(100.0)


def test_fault_scenarios_hold_their_fault() -> None:
    assert load_scenario("crs20-stuck-brake").events("brake_stuck")[0].params["joint"] in (
        JOINT_NAMES
    )
    camera = load_scenario("crs20-lee-camera-loss")
    assert [e.params["camera"] for e in camera.events("camera_loss")] == ["lee"]
    bias = load_scenario("crs20-hc-bias").events("hand_controller_bias")[0]
    assert bias.params["thc"] == (0.08, 0.0, 0.0)
    abort = load_scenario("crs20-abort")
    assert abort.abort.expected is True
    assert abort.vehicle.velocity_m_s[2] > abort.abort.closing_speed_limit_m_s
    easy = load_scenario("crs20-capture-easy").time_limits
    assert (easy.full_credit_s, easy.penalty_until_s, easy.hard_limit_s) == (None, None, None)
    assert load_scenario("crs20-capture-hard").time_limits.hard_limit_s == 120.0


def test_basic_drill_is_a_fixed_target_without_clock() -> None:
    s = load_scenario("basic-drill")
    assert s.vehicle.model == "frgf_target" and s.vehicle.fixed
    assert s.time_limits.hard_limit_s is None and s.free_drift_time_s is None
    assert s.vehicle.dispersions.position_m == (0.0, 0.0, 0.0)
