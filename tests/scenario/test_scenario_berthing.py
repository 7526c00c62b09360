"""The scenario's ``berthing`` section (trainer/scenario/berthing.py, docs/DESIGN.md §8):
its defaults, what it refuses, each error one line naming the key, and the berthing
timeline's events (docs/REFERENCE.md §10, §11)."""

from __future__ import annotations

from pathlib import Path

from trainer.resources import scenarios_dir
from trainer.scenario.berthing import GROUND_ROUND_TRIP_S
from trainer.scenario.loader import load_scenario, validate_file


def _write(tmp_path: Path, text: str, name: str = "crs20-berthing") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _berthing(tmp_path: Path, old: str, new: str) -> Path:
    text = (scenarios_dir() / "crs20-berthing.yaml").read_text(encoding="utf-8")
    assert old in text, old
    return _write(tmp_path, text.replace(old, new))


def test_the_shipped_berthings_resolve() -> None:
    crew = load_scenario("crs20-berthing")
    ground = load_scenario("crs20-berthing-ground")
    assert crew.task == "berthing" and crew.berthing is not None
    assert crew.berthing.flown_from == "crew" and crew.berthing.round_trip_s == 0.0
    assert ground.berthing is not None and ground.berthing.round_trip_s == GROUND_ROUND_TRIP_S
    assert ground.berthing.envelope == crew.berthing.envelope  # extends keeps the envelope
    both = load_scenario("crs20-capture-and-berth")
    assert both.task == "capture-and-berth" and both.vehicle.model == "dragon_cbm"
    assert both.berthing is not None and both.berthing.envelope.tilt_deg.allowed == 1.75


def test_other_tasks_resolve_as_before() -> None:
    capture = load_scenario("crs20-capture")
    assert capture.berthing is None and "berthing" not in capture.raw


def test_a_ground_round_trip_defaults_to_the_sources(tmp_path: Path) -> None:
    path = _berthing(tmp_path, "flown_from: crew", "flown_from: ground")
    assert validate_file(path) == []
    scenario = load_scenario(str(path))
    assert scenario.berthing is not None and scenario.berthing.round_trip_s == 7.0


def test_the_crew_flies_without_a_delay(tmp_path: Path) -> None:
    path = _berthing(tmp_path, "flown_from: crew", "flown_from: crew\n  round_trip_s: 7.0")
    assert validate_file(path) == [
        f"{path}: berthing.round_trip_s: the crew flies with no delay: only ground has one"
    ]


def test_bad_values_are_one_line_each(tmp_path: Path) -> None:
    path = _berthing(tmp_path, "flown_from: crew", "flown_from: houston\n  round_trip_s: 90")
    lines = validate_file(path)
    assert len(lines) == 2
    assert "berthing.flown_from: unknown operator 'houston'" in lines[0]
    assert "berthing.round_trip_s: must be a finite number in [0, 30], got 90" in lines[1]
    path = _berthing(tmp_path, "{full: 0.015, allowed: 0.035}", "{full: 0.05, allowed: 0.035}")
    assert validate_file(path) == [
        f"{path}: berthing.envelope.lateral_offset_m: full (0.05) must not exceed allowed (0.035)"
    ]


def test_only_a_berthing_has_the_section(tmp_path: Path) -> None:
    text = (scenarios_dir() / "crs20-capture.yaml").read_text(encoding="utf-8")
    path = _write(tmp_path, text + "\nberthing: {flown_from: crew}\n", "crs20-capture")
    assert validate_file(path) == [
        f"{path}: berthing: only a berthing task has a berthing section (task is 'capture')"
    ]


def test_berthing_faults_belong_to_the_berthing(tmp_path: Path) -> None:
    text = (scenarios_dir() / "crs20-capture.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "timeline:  # times in seconds from the session start\n",
        "timeline:  # times in seconds from the session start\n"
        "  - {time_s: 0.0, event: rtl_fault, switch: 2}\n",
    )
    path = _write(tmp_path, text, "crs20-capture")
    assert validate_file(path) == [
        f"{path}: timeline[0].event: rtl_fault belongs to the berthing task, not to this "
        "scenario's task 'capture'"
    ]
    path = _berthing(
        tmp_path, "timeline: []", "timeline: [{time_s: 0, event: latch_stall, latch: 5}]"
    )
    assert validate_file(path) == [
        f"{path}: timeline[0].latch: must be an integer 1 to 4, got 5 (number)"
    ]
