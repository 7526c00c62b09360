"""Post-capture loads in the grade: a clean capture costs no load points, one at the 3 cm/s
edge of the allowed envelope does (the snares' grip, trainer/sim/grip.py, makes the loads
follow the closing speed instead of saturating the drives on every capture)."""

from __future__ import annotations

import pybullet as pb

from trainer.input.state import Button, HandControllerState
from trainer.scenario.loader import load_scenario
from trainer.scoring.report import build_report
from trainer.session import Session
from trainer.session.reports import session_facts
from trainer.sim.joints import JOINT_TORQUE_LIMIT_NM

SEATED_Q = (0.0, 0.0, 1.0, 0.0)  # FRGF in the LEE frame when seated (sim/capture.py)


def _put_fixture_in_the_mouth(session: Session, closing_speed_m_s: float) -> None:
    """Dragon moved so that the shaft tip is 10 cm deep in the LEE mouth, aligned, the
    vehicle closing along the boresight at ``closing_speed_m_s``."""
    world = session.world
    c = world.client
    base_p, base_q = pb.getBasePositionAndOrientation(world.vehicle, physicsClientId=c)
    fix = world.fixture()
    inv_p, inv_q = pb.invertTransform(fix.position_m.tolist(), fix.orientation_xyzw.tolist())
    base_in_frgf = pb.multiplyTransforms(inv_p, inv_q, base_p, base_q)
    lee = world.lee()
    shaft_m = float((world.shaft_tip().position_m - fix.position_m) @ fix.rotation()[:, 0])
    frgf = pb.multiplyTransforms(
        lee.position_m.tolist(), lee.orientation_xyzw.tolist(), (shaft_m - 0.10, 0, 0), SEATED_Q
    )
    new_p, new_q = pb.multiplyTransforms(*frgf, *base_in_frgf)
    pb.resetBasePositionAndOrientation(world.vehicle, new_p, new_q, physicsClientId=c)
    v = (-closing_speed_m_s * lee.rotation()[:, 0]).tolist()
    pb.resetBaseVelocity(world.vehicle, v, [0, 0, 0], physicsClientId=c)


def _graded_capture(closing_speed_m_s: float) -> dict[str, object]:
    scenario = load_scenario("crs20-capture-easy")
    session = Session(scenario, 1, pilot="test")
    try:
        idle = HandControllerState()
        while session.free_drift_start_s is None:
            session.tick(idle)
        _put_fixture_in_the_mouth(session, closing_speed_m_s)
        for _ in range(3):
            session.tick(HandControllerState(buttons=frozenset({Button.CAPTURE})))
        while not session.finished:
            session.tick(idle)
        return build_report(session_facts(session, None))
    finally:
        session.close()


def test_a_clean_capture_loses_no_load_points_and_one_at_the_edge_does() -> None:
    clean = _graded_capture(0.008)
    assert clean["outcome"] == "captured"
    assert clean["trigger"]["tier"] == "full"  # type: ignore[index]
    assert clean["metrics"]["post_capture_peak_joint_torque_nm"] < 0.5 * JOINT_TORQUE_LIMIT_NM  # type: ignore[index]
    assert clean["score"]["components"]["post_capture_loads"] == 0.0  # type: ignore[index]

    edge = _graded_capture(0.029)
    assert edge["outcome"] == "captured"
    assert edge["trigger"]["tier"] == "allowed"  # type: ignore[index]
    assert edge["metrics"]["post_capture_peak_joint_torque_nm"] > 0.5 * JOINT_TORQUE_LIMIT_NM  # type: ignore[index]
    assert edge["score"]["components"]["post_capture_loads"] < 0.0  # type: ignore[index]
