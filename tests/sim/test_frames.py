"""The /tf frame tree's relative poses (trainer/sim/frames.py): the vectorised product gives
what pybullet's own transform algebra gives, one sign for each rotation."""

from __future__ import annotations

import numpy as np
import pybullet as pb

from trainer.sim.frames import relative_poses


def _random_poses(rng: np.random.Generator, n: int) -> np.ndarray:
    q = rng.normal(size=(n, 4))
    q /= np.linalg.norm(q, axis=1)[:, None]
    return np.hstack([rng.uniform(-20.0, 20.0, size=(n, 3)), q])


def test_relative_poses_match_pybullet_transform_algebra() -> None:
    rng = np.random.default_rng(7)
    parents, children = _random_poses(rng, 40), _random_poses(rng, 40)
    got = relative_poses(parents, children)
    for parent, child, rel in zip(parents, children, got, strict=True):
        inv_p, inv_q = pb.invertTransform(parent[:3].tolist(), parent[3:].tolist())
        p, q = pb.multiplyTransforms(inv_p, inv_q, child[:3].tolist(), child[3:].tolist())
        assert np.allclose(rel[:3], p, atol=1e-12)
        sign = 1.0 if q[3] >= 0.0 else -1.0  # q and -q are one rotation
        assert np.allclose(rel[3:], sign * np.array(q), atol=1e-12)
        assert rel[6] >= 0.0 and abs(np.linalg.norm(rel[3:]) - 1.0) < 1e-12


def test_a_frame_relative_to_itself_is_the_identity() -> None:
    poses = _random_poses(np.random.default_rng(3), 5)
    rel = relative_poses(poses, poses)
    assert np.allclose(rel, [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]] * 5, atol=1e-12)


def test_the_tree_from_joint_angles_is_the_tree_pybullet_reads() -> None:
    """/tf is built from the joint angles and the vehicle's pose on constants read once;
    after every joint and the vehicle have moved it still matches the links' own frames
    (float32 in pybullet: a few µm 17 m out, 1e-6 of a quaternion)."""
    from trainer.input.state import HandControllerState
    from trainer.scenario.loader import load_scenario
    from trainer.session import Session
    from trainer.sim.frames import FrameTree

    session = Session(load_scenario("crs20-capture"), 1)
    try:
        tree = FrameTree(session.world)
        before = [q for _p, _c, _t, q in tree.transforms()]
        for _ in range(240):
            session.tick(HandControllerState(thc=(0.5, 0.2, -0.3), rhc=(0.2, -0.4, 0.6)))
        built, read = tree.transforms(), tree.measured_transforms()
        assert [t[:2] for t in built] == [t[:2] for t in read]
        moved = 0
        for (_p, _c, p, q), (_p2, _c2, p_read, q_read), q0 in zip(built, read, before, strict=True):
            assert np.allclose(p, p_read, atol=5e-6)
            sign = 1.0 if np.dot(q, q_read) >= 0.0 else -1.0
            assert np.allclose(q, sign * np.array(q_read), atol=1e-6)
            moved += not np.allclose(q, q0, atol=1e-4)
        assert moved >= 6, "the arm's joints turned"
    finally:
        session.close()
