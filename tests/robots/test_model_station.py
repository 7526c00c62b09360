"""Station, mounts and the named SSRMS poses around the CRS-20 capture point."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pybullet as p
import pytest
import yaml

ROBOTS = Path(__file__).resolve().parents[2] / "robots"
JOINTS = [
    "shoulder_roll",
    "shoulder_yaw",
    "shoulder_pitch",
    "elbow_pitch",
    "wrist_pitch",
    "wrist_yaw",
    "wrist_roll",
]


def quat(rpy_deg):
    return p.getQuaternionFromEuler([math.radians(a) for a in rpy_deg])


@pytest.fixture(scope="module")
def world():
    mounts = yaml.safe_load((ROBOTS / "station" / "mounts.yaml").read_text(encoding="utf-8"))
    poses = yaml.safe_load((ROBOTS / "ssrms" / "poses.yaml").read_text(encoding="utf-8"))
    cid = p.connect(p.DIRECT)
    station = p.loadURDF(
        str(ROBOTS / "station" / "station.urdf"), useFixedBase=True, physicsClientId=cid
    )
    base = mounts["ssrms_base"]
    arm = p.loadURDF(
        str(ROBOTS / "ssrms" / "ssrms.urdf"),
        base["position_m"],
        quat(base["rpy_deg"]),
        useFixedBase=True,
        flags=p.URDF_USE_INERTIA_FROM_FILE,
        physicsClientId=cid,
    )
    cap = mounts["capture_point"]
    dragon = p.loadURDF(
        str(ROBOTS / "dragon" / "dragon.urdf"),
        cap["dragon_com_m"],
        quat(cap["dragon_rpy_deg"]),
        flags=p.URDF_USE_INERTIA_FROM_FILE,
        physicsClientId=cid,
    )
    yield {
        "cid": cid,
        "station": station,
        "arm": arm,
        "dragon": dragon,
        "mounts": mounts,
        "poses": poses,
    }
    p.disconnect(cid)


def index(cid, body, name):
    for i in range(p.getNumJoints(body, physicsClientId=cid)):
        if p.getJointInfo(body, i, physicsClientId=cid)[12].decode() == name:
            return i
    raise KeyError(name)


def pose(cid, body, name):
    s = p.getLinkState(
        body, index(cid, body, name), computeForwardKinematics=True, physicsClientId=cid
    )
    return np.array(s[0]), np.array(p.getMatrixFromQuaternion(s[1])).reshape(3, 3)


def set_pose(w, name):
    for i, joint in enumerate(JOINTS):
        p.resetJointState(
            w["arm"], i, math.radians(w["poses"][name][joint]), physicsClientId=w["cid"]
        )


def test_mounts_shape(world):
    m = world["mounts"]
    assert len(m["ssrms_base"]["position_m"]) == 3
    assert len(m["ssrms_base"]["rpy_deg"]) == 3
    assert len(m["capture_point"]["dragon_com_m"]) == 3
    assert len(m["capture_point"]["dragon_rpy_deg"]) == 3
    assert -12.0 <= m["capture_point"]["dragon_com_m"][2] <= -10.0


def test_base_boresight_points_nadir(world):
    cid, arm = world["cid"], world["arm"]
    _, r = p.getBasePositionAndOrientation(arm, physicsClientId=cid)
    r = np.array(p.getMatrixFromQuaternion(r)).reshape(3, 3)
    np.testing.assert_allclose(r[:, 0], [0, 0, -1], atol=1e-9)


def test_frgf_faces_zenith(world):
    _, r = pose(world["cid"], world["dragon"], "frgf")
    np.testing.assert_allclose(r[:, 0], [0, 0, 1], atol=1e-6)


def test_capture_ready_fk(world):
    cid = world["cid"]
    set_pose(world, "capture_ready")
    mouth, r_lee = pose(cid, world["arm"], "tip_lee")
    ball, _ = pose(cid, world["dragon"], "frgf_tip")
    _, r_frgf = pose(cid, world["dragon"], "frgf")
    assert np.linalg.norm(mouth - ball - np.array([0.0, 0.0, 2.0])) < 0.01
    assert math.degrees(math.acos(min(1.0, -r_lee[2, 0]))) < 0.5  # boresight nadir
    assert math.degrees(math.acos(min(1.0, r_lee[:, 2] @ r_frgf[:, 2]))) < 0.5  # roll


@pytest.mark.parametrize("name", ["capture_ready", "stowed"])
def test_pose_joint_margins(world, name):
    q = world["poses"][name]
    assert list(q) == JOINTS
    for joint in JOINTS:
        assert abs(q[joint]) <= 270.0 - 30.0, joint


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("capture_ready", "station"),
        ("capture_ready", "dragon"),
        ("stowed", "station"),
        ("stowed", "dragon"),
    ],
)
def test_no_contact(world, name, other):
    set_pose(world, name)
    contacts = p.getClosestPoints(world["arm"], world[other], 0.0, physicsClientId=world["cid"])
    assert contacts == () or not contacts


def test_dragon_clear_of_station_and_booms(world):
    cid = world["cid"]
    set_pose(world, "capture_ready")
    assert not p.getClosestPoints(world["dragon"], world["station"], 2.0, physicsClientId=cid)
    for boom in ("boom_a", "boom_b"):
        assert not p.getClosestPoints(
            world["arm"],
            world["dragon"],
            2.0,
            linkIndexA=index(cid, world["arm"], boom),
            physicsClientId=cid,
        )
