"""The optional ``lighting:`` section: omitted it is mid-morning daylight (every scenario
written before it loads unchanged); given, it is complete, and ``night`` must agree with
the orbit phase, so a file saying night is never flown in sunlight."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.resources import scenarios_dir
from trainer.scenario.loader import load_scenario, validate_file
from trainer.scenario.model import LightingSpec

NIGHT = (scenarios_dir() / "crs20-night.yaml").read_text(encoding="utf-8")
SECTION = "lighting:\n  orbit_phase_deg: 150.0"


def with_lighting(tmp_path: Path, new_section: str) -> Path:
    head, _, tail = NIGHT.partition(SECTION)
    assert tail, "crs20-night.yaml has no lighting section to replace"
    rest = tail.split("\n", 3)[3]  # drop the section's remaining two lines
    path = tmp_path / "crs20-night.yaml"
    path.write_text(head + new_section + "\n" + rest, encoding="utf-8")
    return path


def test_a_scenario_without_lighting_is_flown_in_mid_morning_daylight() -> None:
    nominal = load_scenario("crs20-capture")
    assert nominal.lighting == LightingSpec()
    assert not nominal.lighting.night
    assert nominal.raw["lighting"] == {"orbit_phase_deg": -45.0, "beta_deg": 20.0, "night": False}


def test_the_shipped_night_scenario_is_in_earths_shadow() -> None:
    night = load_scenario("crs20-night")
    assert night.lighting == LightingSpec(orbit_phase_deg=150.0, beta_deg=10.0, night=True)


@pytest.mark.parametrize(
    ("section", "path", "words"),
    [
        (
            "lighting:\n  orbit_phase_deg: 0.0\n  beta_deg: 10.0\n  night: true",
            "lighting.night",
            ["is true", "sunlight"],
        ),
        (
            "lighting:\n  orbit_phase_deg: 150.0\n  beta_deg: 80.0\n  night: true",
            "lighting.beta_deg",
            ["±75"],
        ),
        (
            "lighting:\n  orbit_phase_deg: 150.0\n  beta_deg: 10.0",
            "lighting.night",
            ["missing"],
        ),
        (
            "lighting:\n  orbit_phase_deg: dusk\n  beta_deg: 10.0\n  night: true",
            "lighting.orbit_phase_deg",
            ["number", "dusk"],
        ),
    ],
    ids=["night-in-sunlight", "beta-too-large", "incomplete", "not-a-number"],
)
def test_bad_lighting_is_one_line_naming_the_key(
    tmp_path: Path, section: str, path: str, words: list[str]
) -> None:
    problems = validate_file(with_lighting(tmp_path, section))
    lines = [line for line in problems if f"{path}:" in line]
    assert len(lines) == 1, problems
    assert "crs20-night.yaml" in lines[0]
    for word in words:
        assert word in lines[0], lines[0]
