"""Find the named poses of poses.yaml with pybullet and check them (print, or --write).

capture_ready: the LEE mouth 2.0 m straight above the FRGF ball of a Dragon held at the
capture point of robots/station/mounts.yaml, boresight nadir, LEE +z = FRGF +z.
captured: the LEE seated on that fixture (the pose the capture ends in, where a berthing
starts): solved from capture_ready by the same damped least squares, so the arm arrives
there the way a capture brings it, and written to 1e-4° (0.03 mm at the LEE).
berth_pre_install: the LEE seated on the FRGF of the berthing Dragon (robots/dragon_cbm)
held at pre-install, 1.5 m below Harmony's nadir port, nose up: solved by continuation
from captured along the straight path in pose the berthing autopilot flies (every step
checked clear of the station and Dragon), written to 1e-4°. Solved by
damped least squares on pybullet's Jacobian from seeded random starts (numpy Generator,
seed 20200309), keeping the solution with every joint ≥ 30° from ±270°, then the best
conditioned one (elbow and wrist pitch well bent, large manipulability) that keeps ≥ 2 m
between the booms and Dragon. stowed: hand-picked (see poses.yaml), checked here.

``python robots/ssrms/find_poses.py [--write]``
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pybullet as p
import yaml

ROBOTS = Path(__file__).resolve().parent.parent
JOINTS = [
    "shoulder_roll",
    "shoulder_yaw",
    "shoulder_pitch",
    "elbow_pitch",
    "wrist_pitch",
    "wrist_yaw",
    "wrist_roll",
]
LIMIT_DEG = 270.0
MARGIN_DEG = 30.0
MOUTH_ABOVE_BALL_M = 2.0
STOWED_DEG = {  # hand-picked, then verified by check(): booms folded under Destiny/Harmony
    "shoulder_roll": 0.0,
    "shoulder_yaw": 0.0,
    "shoulder_pitch": -90.0,
    "elbow_pitch": 180.0,
    "wrist_pitch": -90.0,
    "wrist_yaw": 0.0,
    "wrist_roll": 0.0,
}


def quat_rpy_deg(rpy):
    return p.getQuaternionFromEuler([math.radians(a) for a in rpy])


def load_world(cid: int):
    mounts = yaml.safe_load((ROBOTS / "station/mounts.yaml").read_text())
    station = p.loadURDF(
        str(ROBOTS / "station/station.urdf"), useFixedBase=True, physicsClientId=cid
    )
    base = mounts["ssrms_base"]
    arm = p.loadURDF(
        str(ROBOTS / "ssrms/ssrms.urdf"),
        base["position_m"],
        quat_rpy_deg(base["rpy_deg"]),
        useFixedBase=True,
        flags=p.URDF_USE_INERTIA_FROM_FILE,
        physicsClientId=cid,
    )
    cap = mounts["capture_point"]
    dragon = p.loadURDF(
        str(ROBOTS / "dragon/dragon.urdf"),
        cap["dragon_com_m"],
        quat_rpy_deg(cap["dragon_rpy_deg"]),
        flags=p.URDF_USE_INERTIA_FROM_FILE,
        physicsClientId=cid,
    )
    return station, arm, dragon


def link_index(body: int, name: str, cid: int) -> int:
    for i in range(p.getNumJoints(body, physicsClientId=cid)):
        if p.getJointInfo(body, i, physicsClientId=cid)[12].decode() == name:
            return i
    raise KeyError(name)


def target_pose(dragon: int, cid: int):
    """LEE mouth position and rotation matrix for capture_ready."""
    tip = link_index(dragon, "frgf_tip", cid)
    frgf = link_index(dragon, "frgf", cid)
    ball = np.array(
        p.getLinkState(dragon, tip, computeForwardKinematics=True, physicsClientId=cid)[0]
    )
    r_frgf = np.array(
        p.getMatrixFromQuaternion(
            p.getLinkState(dragon, frgf, computeForwardKinematics=True, physicsClientId=cid)[1]
        )
    ).reshape(3, 3)
    x_lee = -r_frgf[:, 0]  # boresight against the shaft (nadir)
    z_lee = r_frgf[:, 2]  # roll aligned
    r_t = np.column_stack([x_lee, np.cross(z_lee, x_lee), z_lee])
    return ball + MOUTH_ABOVE_BALL_M * r_frgf[:, 0], r_t


def set_q(arm, q, cid):
    for i, a in enumerate(q):
        p.resetJointState(arm, i, float(a), physicsClientId=cid)


def lee_pose(arm, tip, cid):
    s = p.getLinkState(arm, tip, computeForwardKinematics=True, physicsClientId=cid)
    return np.array(s[0]), np.array(p.getMatrixFromQuaternion(s[1])).reshape(3, 3)


def rot_error(r_t, r):
    e = r_t @ r.T
    angle = math.acos(max(-1.0, min(1.0, (np.trace(e) - 1) / 2)))
    if angle < 1e-12:
        return np.zeros(3)
    axis = np.array([e[2, 1] - e[1, 2], e[0, 2] - e[2, 0], e[1, 0] - e[0, 1]])
    return axis / (2 * math.sin(angle)) * angle


def jacobian_world(arm, tip, q, cid):
    """6x7 Jacobian of the tip_lee origin in the world frame.

    pybullet 3.2.7 returns calculateJacobian in the BASE frame of a fixed-base body (checked
    against finite differences), so rotate it by the base orientation.
    """
    zero = [0.0] * 7
    jl, ja = p.calculateJacobian(
        arm, tip, [0.0, 0.0, 0.0], [float(a) for a in q], zero, zero, physicsClientId=cid
    )
    r_base = np.array(
        p.getMatrixFromQuaternion(p.getBasePositionAndOrientation(arm, physicsClientId=cid)[1])
    ).reshape(3, 3)
    return np.vstack([r_base @ np.array(jl), r_base @ np.array(ja)])


def solve(arm, tip, q0, p_t, r_t, cid, iters=400, lam=0.05):
    q = np.array(q0, dtype=float)
    for _ in range(iters):
        set_q(arm, q, cid)
        pos, rot = lee_pose(arm, tip, cid)
        err = np.concatenate([p_t - pos, rot_error(r_t, rot)])
        if np.linalg.norm(err) < 1e-9:
            break
        jac = jacobian_world(arm, tip, q, cid)
        step = jac.T @ np.linalg.solve(jac @ jac.T + lam**2 * np.eye(6), err)
        q += np.clip(step, -0.2, 0.2)
    set_q(arm, q, cid)
    pos, rot = lee_pose(arm, tip, cid)
    return q, np.linalg.norm(p_t - pos), np.linalg.norm(rot_error(r_t, rot))


def manipulability(arm, tip, q, cid):
    jac = jacobian_world(arm, tip, q, cid)
    return math.sqrt(max(0.0, np.linalg.det(jac @ jac.T)))


def min_distance(a, b, cid, links_a=None, max_d=5.0):
    pts = p.getClosestPoints(a, b, max_d, physicsClientId=cid)
    pts = [c for c in pts if links_a is None or c[3] in links_a]
    return min((c[8] for c in pts), default=max_d)


def check(arm, station, dragon, q, cid):
    set_q(arm, q, cid)
    booms = [link_index(arm, n, cid) for n in ("boom_a", "boom_b")]
    return {
        "margin_deg": LIMIT_DEG - max(abs(math.degrees(a)) for a in q),
        "station_m": min_distance(arm, station, cid),
        # beyond the shoulder: the base LEE sits on the PDGF by design (1 cm modelling gap)
        "station_beyond_shoulder_m": min_distance(arm, station, cid, set(range(1, 7))),
        "dragon_m": min_distance(arm, dragon, cid),
        "dragon_booms_m": min_distance(arm, dragon, cid, booms),
        "station_dragon_m": min_distance(station, dragon, cid, max_d=10.0),
        "self_contacts": self_contacts(arm, cid),
    }


def self_contacts(arm, cid):
    n = p.getNumJoints(arm, physicsClientId=cid)
    parent = {i: p.getJointInfo(arm, i, physicsClientId=cid)[16] for i in range(n)}
    hits = []
    for i in range(-1, n):
        for j in range(i + 1, n):
            if parent.get(j) == i or parent.get(i) == j:
                continue
            if p.getClosestPoints(arm, arm, 0.0, i, j, physicsClientId=cid):
                hits.append((i, j))
    return hits


def seated_pose(dragon: int, cid: int):
    """LEE mouth position and rotation for the LEE seated on the FRGF (docs/DESIGN.md §3)."""
    frgf = link_index(dragon, "frgf", cid)
    s = p.getLinkState(dragon, frgf, computeForwardKinematics=True, physicsClientId=cid)
    r_frgf = np.array(p.getMatrixFromQuaternion(s[1])).reshape(3, 3)
    x_lee = -r_frgf[:, 0]
    z_lee = r_frgf[:, 2]
    return np.array(s[0]), np.column_stack([x_lee, np.cross(z_lee, x_lee), z_lee])


def find_captured(cid, station, arm, dragon, capture_ready_q):
    tip = link_index(arm, "tip_lee", cid)
    p_t, r_t = seated_pose(dragon, cid)
    q, ep, er = solve(arm, tip, capture_ready_q, p_t, r_t, cid)
    if ep > 1e-6 or er > 1e-6:
        sys.exit("no captured solution")
    return q, check(arm, station, dragon, q, cid)


PRE_INSTALL_COM = (8.6, 0.0, -5.9)  # the port at z = -2.4 (mounts.yaml), 1.5 m + 2.0 m
BERTHED_RPY = (0.0, -90.0, 0.0)  # nose (body +x) up, FRGF (body +z) aft


def find_pre_install(cid, station, arm, captured_q):
    """Continuation from captured: Dragon moved in 40 steps from the capture point to
    pre-install (position and attitude together), the arm solved at each."""
    mounts = yaml.safe_load((ROBOTS / "station/mounts.yaml").read_text())
    start = mounts["capture_point"]
    berthing = p.loadURDF(
        str(ROBOTS / "dragon_cbm/dragon_cbm.urdf"),
        start["dragon_com_m"],
        quat_rpy_deg(start["dragon_rpy_deg"]),
        flags=p.URDF_USE_INERTIA_FROM_FILE,
        physicsClientId=cid,
    )
    tip = link_index(arm, "tip_lee", cid)
    q = np.array(captured_q, dtype=float)
    worst: dict[str, float] = {}
    steps = 40
    for k in range(1, steps + 1):
        s = k / steps
        pos = [a + (b - a) * s for a, b in zip(start["dragon_com_m"], PRE_INSTALL_COM, strict=True)]
        rpy = [a + (b - a) * s for a, b in zip(start["dragon_rpy_deg"], BERTHED_RPY, strict=True)]
        p.resetBasePositionAndOrientation(berthing, pos, quat_rpy_deg(rpy), physicsClientId=cid)
        p_t, r_t = seated_pose(berthing, cid)
        q, ep, er = solve(arm, tip, q, p_t, r_t, cid)
        if ep > 1e-6 or er > 1e-6:
            sys.exit(f"no berth_pre_install solution at step {k}")
        c = check(arm, station, berthing, q, cid)
        for key in ("margin_deg", "station_beyond_shoulder_m", "dragon_booms_m"):
            worst[key] = min(worst.get(key, math.inf), c[key])
    p.removeBody(berthing, physicsClientId=cid)
    return q, worst


def find_capture_ready(cid, station, arm, dragon, starts=300):
    tip = link_index(arm, "tip_lee", cid)
    p_t, r_t = target_pose(dragon, cid)
    rng = np.random.default_rng(20200309)
    best = None
    for _ in range(starts):
        q0 = rng.uniform(-math.pi, math.pi, 7)
        q, ep, er = solve(arm, tip, q0, p_t, r_t, cid)
        if ep > 1e-6 or er > 1e-6:
            continue
        q = (q + math.pi) % (2 * math.pi) - math.pi  # prefer the representation nearest 0
        c = check(arm, station, dragon, q, cid)
        if (
            c["margin_deg"] < MARGIN_DEG
            or c["station_m"] <= 0
            or c["station_beyond_shoulder_m"] < 0.3
            or c["dragon_booms_m"] < 2.5
        ):
            continue
        if c["self_contacts"]:
            continue
        bend = min(abs(math.sin(q[3])), abs(math.sin(q[4])))
        score = bend * manipulability(arm, tip, q, cid)
        if best is None or score > best[0]:
            best = (score, q, c)
    return best


def main() -> None:
    cid = p.connect(p.DIRECT)
    station, arm, dragon = load_world(cid)
    best = find_capture_ready(cid, station, arm, dragon)
    if best is None:
        sys.exit("no capture_ready solution")
    score, q, c = best
    q_deg = [round(math.degrees(a), 2) for a in q]
    print("capture_ready", dict(zip(JOINTS, q_deg, strict=True)), f"score {score:.3f}", c)
    tip = link_index(arm, "tip_lee", cid)
    q_round = np.radians(q_deg)
    p_t, r_t = target_pose(dragon, cid)
    set_q(arm, q_round, cid)
    pos, rot = lee_pose(arm, tip, cid)
    print(
        "rounded: position error m",
        np.linalg.norm(pos - p_t),
        "angle error deg",
        math.degrees(np.linalg.norm(rot_error(r_t, rot))),
    )
    stowed = np.radians([STOWED_DEG[j] for j in JOINTS])
    print("stowed", check(arm, station, dragon, stowed, cid))
    q_cap, c_cap = find_captured(cid, station, arm, dragon, q_round)
    cap_deg = [round(math.degrees(a), 4) for a in q_cap]
    set_q(arm, np.radians(cap_deg), cid)
    pos, rot = lee_pose(arm, tip, cid)
    p_s, r_s = seated_pose(dragon, cid)
    print("captured", dict(zip(JOINTS, cap_deg, strict=True)), c_cap)
    print(
        "rounded: position error m",
        np.linalg.norm(pos - p_s),
        "angle error deg",
        math.degrees(np.linalg.norm(rot_error(r_s, rot))),
    )
    q_pre, worst = find_pre_install(cid, station, arm, np.radians(cap_deg))
    pre_deg = [round(math.degrees(a), 4) for a in q_pre]
    print("berth_pre_install", dict(zip(JOINTS, pre_deg, strict=True)), "worst on the way", worst)
    if "--write" in sys.argv:
        write_poses(
            dict(zip(JOINTS, q_deg, strict=True)),
            dict(zip(JOINTS, cap_deg, strict=True)),
            dict(zip(JOINTS, pre_deg, strict=True)),
        )


def write_poses(capture_ready, captured, berth_pre_install):
    def block(d):
        return "\n".join(f"  {k}: {v}" for k, v in d.items())

    text = f"""# Named SSRMS poses: joint angles in degrees (docs/STYLE.md §3). Written by find_poses.py --write.
# Joint order: {", ".join(JOINTS)}.

# stowed: hand-picked compact fold (boom A forward along V-bar under Destiny, elbow folded
# 180° so boom B lies alongside it, LEE hanging nadir near the shoulder); verified by
# find_poses.py: no contact with the station or the arm itself, every joint >= 30° from
# the ±270° limits, clear of Dragon at the capture point.
stowed:
{block(STOWED_DEG)}

# capture_ready: solved by find_poses.py (damped least squares on the pybullet Jacobian,
# seeded random starts, seed 20200309) for the LEE mouth 2.0 m straight above the FRGF ball
# of Dragon at mounts.yaml capture_point, boresight nadir, LEE +z = FRGF +z (zero roll
# misalignment); best-conditioned solution with every joint >= 30° from the limits and
# >= 2.5 m between the booms and Dragon (found: elbow 98°, wrist pitch -109°, booms 2.68 m
# from Dragon, links beyond the shoulder 0.71 m from the station, every joint >= 100° from
# the limits). Verified by FK (tests/robots/test_model_station.py):
# rounding to 0.01° moves the mouth by < 1 cm.
capture_ready:
{block(capture_ready)}

# captured: the LEE seated on Dragon's FRGF at the capture point, solved by find_poses.py
# from capture_ready (the way a capture brings the arm there); where a berthing session
# starts, Dragon rigidized (docs/REFERENCE.md §10). Written to 1e-4 deg: the LEE within
# 0.03 mm of the seated pose.
captured:
{block(captured)}

# berth_pre_install: the LEE seated on the FRGF of the berthing Dragon (robots/dragon_cbm)
# held at pre-install, 1.5 m below Harmony's nadir port, nose up (docs/REFERENCE.md §10.2):
# solved by find_poses.py by continuation from captured along the straight path in pose
# the berthing autopilot flies; on the way every joint >= 82 deg from its stops, the booms
# >= 0.73 m from Dragon, the links beyond the shoulder >= 0.81 m from the station.
berth_pre_install:
{block(berth_pre_install)}
"""
    (ROBOTS / "ssrms/poses.yaml").write_text(text, encoding="utf-8")
    print("wrote poses.yaml")


if __name__ == "__main__":
    main()
