"""The controller's own kinematic model agrees with the world (pose and Jacobian), and
its analytic manipulability gradient with finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trainer.control.kinematics import (
    CHARACTERISTIC_LENGTH_M,
    forward_kinematics,
    jacobian_matrix,
    log_manipulability_gradient,
    tip_twist,
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
        tip, rot, columns = forward_kinematics(world.joint_angles_rad().tolist())
        jac = jacobian_matrix(columns)
        jac[:3] *= CHARACTERISTIC_LENGTH_M  # the model hands out the normalised Jacobian
        lee = world.lee()
        np.testing.assert_allclose(base_pos + base_rot @ np.array(tip), lee.position_m, atol=1e-6)
        np.testing.assert_allclose(base_rot @ np.array(rot), lee.rotation(), atol=1e-6)
        world_jac = world.lee_jacobian()
        np.testing.assert_allclose(base_rot @ jac[:3], world_jac[:3], atol=1e-6)
        np.testing.assert_allclose(base_rot @ jac[3:], world_jac[3:], atol=1e-6)


def _log_w(q: np.ndarray) -> float:
    jn = jacobian_matrix(forward_kinematics(q.tolist())[2])
    return 0.5 * math.log(np.linalg.det(jn @ jn.T))


def test_manipulability_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(3)
    for _ in range(5):
        q = rng.uniform(-math.pi, math.pi, 7)
        columns = forward_kinematics(q.tolist())[2]
        jn = jacobian_matrix(columns)
        pinv_t = np.linalg.inv(jn @ jn.T) @ jn
        grad = log_manipulability_gradient(columns, pinv_t.T.tolist())
        eps = 1e-6
        numeric = [
            (_log_w(q + eps * np.eye(7)[i]) - _log_w(q - eps * np.eye(7)[i])) / (2 * eps)
            for i in range(7)
        ]
        np.testing.assert_allclose(grad, numeric, atol=1e-6)


def test_tip_twist_is_the_jacobian_times_the_rates() -> None:
    rng = np.random.default_rng(5)
    q = rng.uniform(-math.pi, math.pi, 7)
    rates = rng.uniform(-0.1, 0.1, 7)
    columns = forward_kinematics(q.tolist())[2]
    jac = jacobian_matrix(columns)
    jac[:3] *= CHARACTERISTIC_LENGTH_M
    np.testing.assert_allclose(tip_twist(columns, rates.tolist()), jac @ rates, atol=1e-15)
