"""initial_world_spec: one generator, a fixed draw order, degrees to radians."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from trainer.scenario.build import dispersed_state, initial_world_spec, scenario_to_json
from trainer.scenario.loader import load_scenario
from trainer.scenario.model import Dispersions
from trainer.sim.layout import arm_base_mount, named_pose_rad, rpy_deg_to_quat
from trainer.sim.world import WorldSpec


def spec_for(scenario_id: str, seed: int) -> WorldSpec:
    return initial_world_spec(load_scenario(scenario_id), np.random.default_rng(seed))


def test_same_seed_same_world() -> None:
    assert spec_for("crs20-capture", 7) == spec_for("crs20-capture", 7)


def test_different_seeds_differ() -> None:
    a, b = spec_for("crs20-capture", 7), spec_for("crs20-capture", 8)
    assert a.vehicle_position_m != b.vehicle_position_m
    assert a.vehicle_velocity_m_s != b.vehicle_velocity_m_s
    assert a.vehicle_orientation_xyzw != b.vehicle_orientation_xyzw
    assert a.vehicle_angular_velocity_rad_s != b.vehicle_angular_velocity_rad_s


def test_zero_sigma_gives_the_nominal_state_and_still_draws_twelve_numbers() -> None:
    s = load_scenario("crs20-capture")
    quiet = dataclasses.replace(
        s, vehicle=dataclasses.replace(s.vehicle, dispersions=Dispersions())
    )
    rng = np.random.default_rng(3)
    spec = initial_world_spec(quiet, rng)
    v = s.vehicle
    assert spec.vehicle_position_m == v.position_m
    assert spec.vehicle_velocity_m_s == v.velocity_m_s
    assert spec.vehicle_orientation_xyzw == rpy_deg_to_quat(v.attitude_rpy_deg)
    assert spec.vehicle_angular_velocity_rad_s == (0.0, 0.0, 0.0)
    reference = np.random.default_rng(3)
    reference.normal(0.0, 1.0, size=12)
    assert rng.normal() == reference.normal()  # exactly 12 draws consumed


def test_draw_order_is_position_velocity_attitude_rate() -> None:
    s = load_scenario("crs20-capture")
    d = s.vehicle.dispersions
    z = np.random.default_rng(11).normal(0.0, 1.0, size=12)
    position, velocity, attitude, rate = dispersed_state(s, np.random.default_rng(11))
    v = s.vehicle
    for got, nominal, sigma, draws in (
        (position, v.position_m, d.position_m, z[0:3]),
        (velocity, v.velocity_m_s, d.velocity_m_s, z[3:6]),
        (attitude, v.attitude_rpy_deg, d.attitude_deg, z[6:9]),
        (rate, v.angular_velocity_deg_s, d.angular_velocity_deg_s, z[9:12]),
    ):
        expected = [n + s_ * w for n, s_, w in zip(nominal, sigma, draws, strict=True)]
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_units_and_layout() -> None:
    s = load_scenario("crs20-abort")
    spec = initial_world_spec(s, np.random.default_rng(1))
    base = arm_base_mount()
    assert spec.arm_base_position_m == base.position_m
    assert spec.initial_joint_angles_rad == named_pose_rad("capture_ready")
    assert spec.vehicle_model == "dragon" and not spec.vehicle_fixed
    assert spec.orbit_altitude_m == s.orbit_altitude_m
    # 0.4 deg/s nominal pitch rate, with a 0.02 deg/s sigma: radians now
    assert spec.vehicle_angular_velocity_rad_s[1] == pytest.approx(math.radians(0.4), abs=1e-3)


def test_scenario_to_json_is_a_copy_of_the_resolved_mapping() -> None:
    s = load_scenario("crs20-capture")
    data = scenario_to_json(s)
    assert data["id"] == "crs20-capture"
    assert data["scoring"]["weights"]["time"] == 15.0  # defaults filled in
    data["vehicle"]["position_m"][0] = 99.0
    assert s.raw["vehicle"]["position_m"][0] == 8.5
