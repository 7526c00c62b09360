"""The basic-drill target model: loads fixed in the world, carries Dragon's FRGF."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from trainer.clock import PHYSICS_STEP_S
from trainer.resources import robot_file
from trainer.scenario.build import initial_world_spec
from trainer.scenario.loader import load_scenario
from trainer.sim.contacts import detect_contacts
from trainer.sim.world import World


def _frgf_geometry(robot: str) -> list[str]:
    root = ET.parse(robot_file(robot, f"{robot}.urdf")).getroot()
    link = root.find("link[@name='frgf']")
    assert link is not None
    return [ET.tostring(e).decode() for e in link if e.tag in ("visual", "collision")]


def test_target_fixture_is_dragons_fixture() -> None:
    """Same plate, shaft, ball, cams and visual target (README: a verbatim copy)."""
    assert _frgf_geometry("frgf_target") == _frgf_geometry("dragon")


def test_basic_drill_world_builds_and_the_target_stays_put() -> None:
    scenario = load_scenario("basic-drill")
    spec = initial_world_spec(scenario, np.random.default_rng(0))
    assert spec.vehicle_fixed and spec.vehicle_model == "frgf_target"
    with World(spec) as world:
        metrics = world.capture_metrics()
        # capture_ready looks straight down the shaft, 2.5 m from the ball (scenario comment)
        assert metrics.axial_depth_m == pytest.approx(-2.5, abs=0.01)
        assert metrics.lateral_offset_m < 0.01
        assert metrics.pitch_yaw_misalignment_deg < 0.1
        assert metrics.roll_misalignment_deg < 0.1
        tip_before = world.shaft_tip().position_m.copy()
        frgf = world.fixture().rotation()
        assert frgf[:, 0] == pytest.approx([0.0, 0.0, 1.0], abs=1e-9)  # FRGF +x = zenith
        world.step(round(5.0 / PHYSICS_STEP_S))
        assert np.array_equal(world.shaft_tip().position_m, tip_before)
        assert detect_contacts(world) == []
