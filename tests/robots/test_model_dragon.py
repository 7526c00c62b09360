"""Mass properties and FRGF frame of robots/dragon/dragon.urdf (docs/REFERENCE.md §2, docs/DESIGN.md §3)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pybullet as p
import pytest

URDF = Path(__file__).resolve().parents[2] / "robots" / "dragon" / "dragon.urdf"


@pytest.fixture(scope="module")
def dragon():
    cid = p.connect(p.DIRECT)
    body = p.loadURDF(str(URDF), flags=p.URDF_USE_INERTIA_FROM_FILE, physicsClientId=cid)
    yield cid, body
    p.disconnect(cid)


def link_state(cid, body, name):
    for i in range(p.getNumJoints(body, physicsClientId=cid)):
        if p.getJointInfo(body, i, physicsClientId=cid)[12].decode() == name:
            s = p.getLinkState(body, i, computeForwardKinematics=True, physicsClientId=cid)
            return np.array(s[0]), np.array(p.getMatrixFromQuaternion(s[1])).reshape(3, 3)
    raise KeyError(name)


def test_mass_and_inertia(dragon):
    cid, body = dragon
    info = p.getDynamicsInfo(body, -1, physicsClientId=cid)
    assert info[0] == pytest.approx(7200.0)
    assert info[2] == pytest.approx((10000.0, 20000.0, 20000.0))
    pos, orn = p.getBasePositionAndOrientation(body, physicsClientId=cid)
    np.testing.assert_allclose(pos, [0, 0, 0], atol=1e-12)  # inertial frame = body frame
    np.testing.assert_allclose(orn, [0, 0, 0, 1], atol=1e-12)


def test_frgf_frame(dragon):
    cid, body = dragon
    pos, r = link_state(cid, body, "frgf")
    np.testing.assert_allclose(pos, [0.0, 0.0, 1.85], atol=1e-6)
    np.testing.assert_allclose(r[:, 0], [0, 0, 1], atol=1e-6)  # FRGF +x = body +z
    np.testing.assert_allclose(r[:, 2], [1, 0, 0], atol=1e-6)  # FRGF +z = body +x (nose)


def test_ball_centre_on_shaft(dragon):
    cid, body = dragon
    frgf, r = link_state(cid, body, "frgf")
    tip, r_tip = link_state(cid, body, "frgf_tip")
    np.testing.assert_allclose(r.T @ (tip - frgf), [0.273, 0, 0], atol=1e-6)
    np.testing.assert_allclose(r_tip, r, atol=1e-9)


def test_free_body_keeps_velocity(dragon):
    cid, body = dragon
    p.changeDynamics(body, -1, linearDamping=0, angularDamping=0, physicsClientId=cid)
    p.resetBaseVelocity(body, [0.1, 0, 0], [0, 0, 0.01], physicsClientId=cid)
    for _ in range(240):
        p.stepSimulation(physicsClientId=cid)
    lin, ang = p.getBaseVelocity(body, physicsClientId=cid)
    np.testing.assert_allclose(lin, [0.1, 0, 0], atol=1e-6)
    np.testing.assert_allclose(ang, [0, 0, 0.01], atol=1e-6)
