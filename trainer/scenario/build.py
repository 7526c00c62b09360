"""From a validated Scenario to the physics world's ``WorldSpec`` (and to a recording).

The dispersions are the only randomness in a session's initial state. They are drawn from
the one generator the session owns (docs/STYLE.md §6), always the same 12 numbers in the same
order, whatever the sigmas, so that a seed names one initial state and adding a dispersion
to a scenario does not shift the draws of the others:

| order  | quantity (one-sigma from ``vehicle.dispersions``) | added to                   |
|--------|---------------------------------------------------|----------------------------|
| 1–3    | ``position_m`` x, y, z                            | COM position, world (m)    |
| 4–6    | ``velocity_m_s`` x, y, z                          | COM velocity, world (m/s)  |
| 7–9    | ``attitude_deg`` roll, pitch, yaw                 | ``attitude_rpy_deg``       |
| 10–12  | ``angular_velocity_deg_s`` x, y, z                | angular velocity, world    |

Each number is ``rng.normal(0.0, sigma)`` (a sigma of 0 still consumes its draw and adds
exactly 0). Angles become radians and the roll-pitch-yaw a quaternion (x, y, z, w) here.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np

from trainer.scenario.model import Scenario, Vec3
from trainer.sim.layout import arm_base_mount, named_pose_rad, rpy_deg_to_quat
from trainer.sim.world import WorldSpec


def _draw(rng: np.random.Generator, nominal: Vec3, sigma: Vec3) -> Vec3:
    """``nominal + N(0, sigma)`` per axis: three draws, x then y then z."""
    out = [n + float(rng.normal(0.0, s)) for n, s in zip(nominal, sigma, strict=True)]
    return (out[0], out[1], out[2])


def dispersed_state(scenario: Scenario, rng: np.random.Generator) -> tuple[Vec3, Vec3, Vec3, Vec3]:
    """The vehicle's initial (position_m, velocity_m_s, attitude_rpy_deg,
    angular_velocity_deg_s) with the dispersions applied, in the documented draw order."""
    v = scenario.vehicle
    d = v.dispersions
    position_m = _draw(rng, v.position_m, d.position_m)
    velocity_m_s = _draw(rng, v.velocity_m_s, d.velocity_m_s)
    attitude_rpy_deg = _draw(rng, v.attitude_rpy_deg, d.attitude_deg)
    angular_velocity_deg_s = _draw(rng, v.angular_velocity_deg_s, d.angular_velocity_deg_s)
    return position_m, velocity_m_s, attitude_rpy_deg, angular_velocity_deg_s


def initial_world_spec(scenario: Scenario, rng: np.random.Generator) -> WorldSpec:
    """The world at the start of a session of ``scenario``, dispersions drawn from ``rng``.

    The arm sits on ``robots/station/mounts.yaml``'s base mount in the scenario's named
    pose; the vehicle model, its mass-property overrides and whether it is fixed come from
    the scenario, as does the orbit altitude (for the CW mean motion)."""
    position_m, velocity_m_s, attitude_rpy_deg, rate_deg_s = dispersed_state(scenario, rng)
    base = arm_base_mount()
    v = scenario.vehicle
    rate_rad_s = (
        math.radians(rate_deg_s[0]),
        math.radians(rate_deg_s[1]),
        math.radians(rate_deg_s[2]),
    )
    return WorldSpec(
        arm_base_position_m=base.position_m,
        arm_base_orientation_xyzw=base.orientation_xyzw,
        initial_joint_angles_rad=named_pose_rad(scenario.arm.initial_pose),
        vehicle_position_m=position_m,
        vehicle_orientation_xyzw=rpy_deg_to_quat(attitude_rpy_deg),
        vehicle_velocity_m_s=velocity_m_s,
        vehicle_angular_velocity_rad_s=rate_rad_s,
        vehicle_model=v.model,
        vehicle_mass_kg=v.mass_kg,
        vehicle_inertia_kg_m2=v.inertia_kg_m2,
        vehicle_fixed=v.fixed,
        orbit_altitude_m=scenario.orbit_altitude_m,
    )


def scenario_to_json(scenario: Scenario) -> dict[str, Any]:
    """The resolved scenario (defaults filled in) as plain JSON types, for recordings
    (docs/DESIGN.md §7: the header holds the full resolved scenario). A deep copy: the caller may
    change it freely."""
    return copy.deepcopy(dict(scenario.raw))
