"""Contact detection: a vehicle that bumps the arm is reported once per touching point,
with the bodies named in a fixed order (arm first), the links named, and the speed it
came in at: the relative normal speed before the contact began, not what the solver has
left of it after the step."""

from __future__ import annotations

import math

import pytest
from vehicle_support import aim_vehicle_at_the_arm

from trainer.sim.contacts import detect_contacts
from trainer.sim.layout import default_world_spec
from trainer.sim.world import World

BUMP_SPEED_M_S = 0.05


def _drift_into_the_arm(world: World, speed_m_s: float = BUMP_SPEED_M_S) -> list:
    """Send the vehicle straight at the nearest point of the arm and step until it touches
    (2 cm short of it at the start, so the bump happens within a few hundred steps)."""
    aim_vehicle_at_the_arm(world, speed_m_s)
    for _ in range(300):
        world.step(4)  # one control tick at a time, as the session steps
        contacts = detect_contacts(world)
        if contacts:
            return contacts
    raise AssertionError("the vehicle never touched the arm")


def test_a_bump_is_reported_with_named_bodies_links_and_speed() -> None:
    spec = default_world_spec("capture_ready", include_station=False, vehicle_fixed=False)
    with World(spec) as world:
        assert detect_contacts(world) == []
        contacts = _drift_into_the_arm(world)
        for contact in contacts:
            assert (contact.body_a, contact.body_b) == ("ssrms", world.body_names[world.vehicle])
            assert contact.link_a in world.arm_links
            assert not contact.link_a.isdigit() and not contact.link_b.isdigit()
            # The first touch happens at (about) the approach speed: the arm is still.
            assert math.isclose(contact.relative_speed_m_s, BUMP_SPEED_M_S, rel_tol=0.25)
            assert contact.normal_force_n >= 0.0


@pytest.mark.parametrize("speed_m_s", [0.1, 0.02])
def test_an_impact_is_reported_at_the_speed_it_came_in_at(speed_m_s: float) -> None:
    """0.1 m/s (a collision by the session's rule) and 0.02 m/s (a brush): each is reported
    at its approach speed, whatever the solver did to the bodies within the step."""
    spec = default_world_spec("capture_ready", include_station=False, vehicle_fixed=False)
    with World(spec) as world:
        contacts = _drift_into_the_arm(world, speed_m_s)
        fastest = max(c.approach_speed_m_s for c in contacts)
        assert fastest == pytest.approx(speed_m_s, rel=0.1)
        if speed_m_s == 0.1:
            # After the step the solver has stopped most of it: judging by that was wrong.
            assert max(c.relative_speed_m_s for c in contacts) < 0.5 * speed_m_s
