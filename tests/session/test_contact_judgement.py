"""The session judges a contact by the speed the bodies came together at: a 0.1 m/s impact
ends the attempt as a collision and the report's contact list gives about 0.1 m/s; a
0.02 m/s brush is logged at about 0.02 m/s and the attempt goes on."""

from __future__ import annotations

import numpy as np
import pybullet as pb
import pytest

from trainer.grade import session_facts
from trainer.input.state import HandControllerState
from trainer.scenario.loader import load_scenario
from trainer.scoring.report import build_report
from trainer.session import Session


def _throw_dragon_at_the_arm(session: Session, speed_m_s: float) -> None:
    """Dragon 2 cm short of the arm's nearest point, moving straight at it."""
    world = session.world
    c = world.client
    nearest = min(
        pb.getClosestPoints(world.vehicle, world.arm, 20.0, physicsClientId=c),
        key=lambda pt: pt[8],
    )
    on_vehicle, on_arm = np.asarray(nearest[5]), np.asarray(nearest[6])
    direction = (on_arm - on_vehicle) / np.linalg.norm(on_arm - on_vehicle)
    pos, orn = pb.getBasePositionAndOrientation(world.vehicle, physicsClientId=c)
    start = np.asarray(pos) + direction * (float(nearest[8]) - 0.02)
    pb.resetBasePositionAndOrientation(world.vehicle, start.tolist(), orn, physicsClientId=c)
    v = (direction * speed_m_s).tolist()
    pb.resetBaseVelocity(world.vehicle, v, [0, 0, 0], physicsClientId=c)


@pytest.mark.parametrize("speed_m_s", [0.1, 0.02])
def test_an_impact_is_a_collision_and_a_brush_is_not(speed_m_s: float) -> None:
    session = Session(load_scenario("crs20-capture-easy"), 1, pilot="test")
    try:
        idle = HandControllerState()
        while session.free_drift_start_s is None:
            session.tick(idle)
        _throw_dragon_at_the_arm(session, speed_m_s)
        for _ in range(120):  # 2 s: the contact comes within 0.2 s at 0.1 m/s, 1 s at 0.02
            session.tick(idle)
            if session.finished:
                break
        session.stop()
        report = build_report(session_facts(session, None))
    finally:
        session.close()
    contacts = report["contacts"]
    assert contacts, "Dragon never touched the arm"
    assert contacts[0]["speed_m_s"] == pytest.approx(speed_m_s, rel=0.1)
    if speed_m_s == 0.1:
        assert report["outcome"] == "collision"
        assert "collision" in report["outcome_reason"]
    else:
        assert report["outcome"] != "collision"
