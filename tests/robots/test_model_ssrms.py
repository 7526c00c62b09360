"""Structural golden values and kinematics of robots/ssrms/ssrms.urdf (docs/REFERENCE.md §1.1)."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pybullet as p
import pytest

URDF = Path(__file__).resolve().parents[2] / "robots" / "ssrms" / "ssrms.urdf"
JOINTS = [
    "shoulder_roll",
    "shoulder_yaw",
    "shoulder_pitch",
    "elbow_pitch",
    "wrist_pitch",
    "wrist_yaw",
    "wrist_roll",
]
# docs/REFERENCE.md §1.1, typed in independently of the model generator.
TABLE = [
    ((1.3589, 0, 0), "x"),
    ((0, 0, 0.7026), "z"),
    ((0, -0.5692, 0), "y"),
    ((7.11, -0.475, 0), "y"),
    ((7.11, 0, 0), "y"),
    ((0, -0.5692, 0), "z"),
    ((0, 0, -0.7026), "x"),
]
TIP = (1.3589, 0, 0)
LIMIT_RAD = math.radians(270.0)


@pytest.fixture(scope="module")
def arm():
    cid = p.connect(p.DIRECT)
    body = p.loadURDF(
        str(URDF), useFixedBase=True, flags=p.URDF_USE_INERTIA_FROM_FILE, physicsClientId=cid
    )
    yield cid, body
    p.disconnect(cid)


def link_index(cid, body, name):
    for i in range(p.getNumJoints(body, physicsClientId=cid)):
        if p.getJointInfo(body, i, physicsClientId=cid)[12].decode() == name:
            return i
    raise KeyError(name)


def rot(axis, a):
    c, s = math.cos(a), math.sin(a)
    return {
        "x": np.array([[1, 0, 0], [0, c, -s], [0, s, c]]),
        "y": np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]]),
        "z": np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]]),
    }[axis]


def fk(q):
    t = np.eye(4)
    for (origin, axis), a in zip(TABLE, q, strict=True):
        step = np.eye(4)
        step[:3, 3] = origin
        step[:3, :3] = rot(axis, a)
        t = t @ step
    tip = np.eye(4)
    tip[:3, 3] = TIP
    return t @ tip


def test_joint_names_order_and_limits(arm):
    cid, body = arm
    revolute = [
        p.getJointInfo(body, i, physicsClientId=cid)
        for i in range(p.getNumJoints(body, physicsClientId=cid))
        if p.getJointInfo(body, i, physicsClientId=cid)[2] == p.JOINT_REVOLUTE
    ]
    assert [j[1].decode() for j in revolute] == JOINTS
    assert [j[0] for j in revolute] == list(range(7))
    for j in revolute:
        assert j[8] == pytest.approx(-LIMIT_RAD, abs=1e-8)
        assert j[9] == pytest.approx(LIMIT_RAD, abs=1e-8)
        assert j[10] == pytest.approx(2332.0)
        assert j[11] == pytest.approx(math.radians(4.0), abs=1e-6)


def test_total_mass_from_file_and_pybullet():
    root = ET.parse(URDF).getroot()
    masses = {
        link.get("name"): float(link.find("inertial/mass").get("value"))
        for link in root.findall("link")
    }
    assert masses["tip_lee"] <= 0.001
    assert sum(masses.values()) == pytest.approx(1505.32 + masses["tip_lee"], abs=1e-9)
    cid = p.connect(p.DIRECT)
    try:
        body = p.loadURDF(
            str(URDF), useFixedBase=False, flags=p.URDF_USE_INERTIA_FROM_FILE, physicsClientId=cid
        )
        total = sum(
            p.getDynamicsInfo(body, i, physicsClientId=cid)[0]
            for i in range(-1, p.getNumJoints(body, physicsClientId=cid))
        )
    finally:
        p.disconnect(cid)
    assert total == pytest.approx(1505.32, abs=0.01)


@pytest.mark.parametrize("name", ["tip_lee", "lee_camera", "elbow_camera"])
def test_fixed_frames_exist(arm, name):
    cid, body = arm
    info = p.getJointInfo(body, link_index(cid, body, name), physicsClientId=cid)
    assert info[2] == p.JOINT_FIXED


def tip_pose(cid, body, q):
    for i, a in enumerate(q):
        p.resetJointState(body, i, float(a), physicsClientId=cid)
    s = p.getLinkState(
        body, link_index(cid, body, "tip_lee"), computeForwardKinematics=True, physicsClientId=cid
    )
    return np.array(s[0]), np.array(p.getMatrixFromQuaternion(s[1])).reshape(3, 3)


def test_tip_at_zero(arm):
    cid, body = arm
    pos, r = tip_pose(cid, body, [0.0] * 7)
    np.testing.assert_allclose(pos, [16.9378, -1.6134, 0.0], atol=1e-6)
    np.testing.assert_allclose(r, np.eye(3), atol=1e-9)


def test_fk_matches_reference_table(arm):
    cid, body = arm
    rng = np.random.default_rng(12345)
    for _ in range(50):
        q = rng.uniform(-LIMIT_RAD, LIMIT_RAD, 7)
        pos, r = tip_pose(cid, body, q)
        expected = fk(q)
        assert np.linalg.norm(pos - expected[:3, 3]) < 1e-3
        cos = (np.trace(expected[:3, :3].T @ r) - 1) / 2
        assert math.degrees(math.acos(min(1.0, max(-1.0, cos)))) < 0.01


def test_lee_camera_looks_down_boresight(arm):
    cid, body = arm
    tip_pose(cid, body, [0.0] * 7)
    s = p.getLinkState(
        body,
        link_index(cid, body, "lee_camera"),
        computeForwardKinematics=True,
        physicsClientId=cid,
    )
    np.testing.assert_allclose(
        np.array(p.getMatrixFromQuaternion(s[1])).reshape(3, 3), np.eye(3), atol=1e-9
    )
    assert 0.25 <= s[0][2] <= 0.4  # offset to the +z side of the mouth
