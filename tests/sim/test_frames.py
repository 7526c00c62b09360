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
