"""The controller's own kinematic model agrees with the world (pose and Jacobian), and
its analytic manipulability gradient with finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trainer.control.kinematics import (
    forward_kinematics,
    log_manipulability_gradient,
    normalised_jacobian,
)
from trainer.sim.world import World

from .support import make_world

POSES_DEG = [{}, {0: 30.0, 5: -40.0}, {3: -60.0, 6: 90.0, 1: 20.0}]


def _base_pose(world: World) -> tuple[np.ndarray, np.ndarray]:
    import pybullet as pb

    rot = np.array(pb.getMatrixFromQuaternion(world.spec.arm_base_orientation_xyzw)).reshape(3, 3)
    return np.array(world.spec.arm_base_position_m), rot


@pytest.mark.parametrize("offsets", POSES_DEG)
def test_model_matches_the_world_lee_pose_and_jacobian(offsets) -> None:
    with make_world(offsets) as world:
        base_pos, base_rot = _base_pose(world)
        tip, rot, jac = forward_kinematics(world.joint_angles_rad().tolist())
        lee = world.lee()
        np.testing.assert_allclose(base_pos + base_rot @ np.array(tip), lee.position_m, atol=1e-6)
        np.testing.assert_allclose(base_rot @ np.array(rot), lee.rotation(), atol=1e-6)
        world_jac = world.lee_jacobian()
        np.testing.assert_allclose(base_rot @ jac[:3], world_jac[:3], atol=1e-6)
        np.testing.assert_allclose(base_rot @ jac[3:], world_jac[3:], atol=1e-6)


def _log_w(q: np.ndarray) -> float:
    jn = normalised_jacobian(forward_kinematics(q.tolist())[2])
    return 0.5 * math.log(np.linalg.det(jn @ jn.T))


def test_manipulability_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(3)
    for _ in range(5):
        q = rng.uniform(-math.pi, math.pi, 7)
        jn = normalised_jacobian(forward_kinematics(q.tolist())[2])
        grad = log_manipulability_gradient(jn, np.linalg.inv(jn @ jn.T) @ jn)
        eps = 1e-6
        numeric = [
            (_log_w(q + eps * np.eye(7)[i]) - _log_w(q - eps * np.eye(7)[i])) / (2 * eps)
            for i in range(7)
        ]
        np.testing.assert_allclose(grad, numeric, atol=1e-6)
