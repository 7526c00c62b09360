"""The resolved-rate solver's fixed-order algebra (Cholesky of Jn Jnᵀ) computes the law
its docstring states, the one the SVD form V diag(σ/(σ² + λ²)) Uᵀ writes (docs/DESIGN.md
§10): checked against numpy's SVD on poses far from and near singularities, with and
without the null-space self-motion, and with a joint at its stop."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trainer.control.kinematics import (
    CHARACTERISTIC_LENGTH_M,
    forward_kinematics,
    jacobian_matrix,
    log_manipulability_gradient,
)
from trainer.control.params import DEFAULT_PARAMETERS as P
from trainer.control.resolved_rate import ResolvedRateSolver

RNG = np.random.default_rng(7)
SOLVER = ResolvedRateSolver(P)


def _damping_sq(s: np.ndarray) -> float:
    sigma_min = float(s[-1])
    if sigma_min >= P.damping_singular_value:
        return 0.0
    return P.damping_max**2 * (1.0 - (sigma_min / P.damping_singular_value) ** 2)


def reference(q: list[float], twist: np.ndarray, activity: float) -> np.ndarray:
    """The law by the SVD, as numpy computes it (before the rate-limit scaling)."""
    columns = forward_kinematics(q)[2]
    jn = jacobian_matrix(columns)
    u, s, vt = np.linalg.svd(jn)
    lam_sq = _damping_sq(s)
    f = s / (s * s + lam_sq)
    xn = twist.copy()
    xn[:3] /= CHARACTERISTIC_LENGTH_M
    rates = vt[:6].T @ (f * (u.T @ xn))
    if activity > 0.0:
        pinv_t = (u * f) @ vt[:6]  # (Jn Jnᵀ + λ²)⁻¹ Jn, 6 x 7
        g = P.singularity_weight * np.array(log_manipulability_gradient(columns, pinv_t.T.tolist()))
        for i, qi in enumerate(q):
            margin = P.joint_limit_rad - abs(qi)
            act = P.joint_limit_activation_margin_rad
            if margin < act:
                g[i] -= P.joint_limit_weight * math.copysign((act - margin) / act**2, qi)
        n = vt[6]
        null = P.null_space_gain_rad2_s * activity * (n @ g) * n
        peak = np.abs(null).max()
        if peak > P.null_space_rate_max_rad_s:
            null *= P.null_space_rate_max_rad_s / peak
        rates = rates + null
    return rates


def _unscaled(q: list[float], twist: np.ndarray, activity: float) -> np.ndarray:
    solution = SOLVER.solve(q, forward_kinematics(q)[2], tuple(twist.tolist()), activity)
    return np.array(solution.joint_rates_rad_s) / solution.saturation_scale


def _poses(near_singular: bool) -> list[list[float]]:
    out = []
    for _ in range(12):
        q = RNG.uniform(-2.5, 2.5, 7)
        if near_singular:
            q[3] = RNG.uniform(-0.02, 0.02)  # the elbow almost straight
        out.append(q.tolist())
    return out


@pytest.mark.parametrize("activity", [0.0, 0.7])
@pytest.mark.parametrize("near_singular", [False, True])
def test_the_solver_is_the_damped_least_squares_law(near_singular: bool, activity: float) -> None:
    damped = 0
    for q in _poses(near_singular):
        twist = RNG.normal(size=6) * np.array([0.05, 0.05, 0.05, 0.01, 0.01, 0.01])
        ours = _unscaled(q, twist, activity)
        theirs = reference(q, twist, activity)
        s = np.linalg.svd(jacobian_matrix(forward_kinematics(q)[2]), compute_uv=False)
        damped += _damping_sq(s) > 0.0
        assert np.allclose(ours, theirs, rtol=1e-8, atol=1e-12), (q, ours, theirs)
    if near_singular:
        assert damped >= 6, "the near-singular poses must exercise the damping"


def test_manipulability_is_the_product_of_the_singular_values() -> None:
    for q in _poses(False) + _poses(True):
        columns = forward_kinematics(q)[2]
        s = np.linalg.svd(jacobian_matrix(columns), compute_uv=False)
        assert SOLVER.manipulability(columns) == pytest.approx(float(np.prod(s)), rel=1e-10)


def test_the_null_space_motion_moves_no_point_of_the_tip() -> None:
    q = RNG.uniform(-2.0, 2.0, 7).tolist()
    columns = forward_kinematics(q)[2]
    zero = np.zeros(6)
    self_motion = _unscaled(q, zero, 1.0)
    assert np.abs(self_motion).max() > 1e-4  # it does move the joints
    assert np.allclose(jacobian_matrix(columns) @ self_motion, 0.0, atol=1e-14)


def test_a_joint_at_its_stop_is_solved_without_it() -> None:
    """The others' damped least-squares rates, as numpy's SVD of the Jacobian without
    that joint's column gives them."""
    q = RNG.uniform(-1.0, 1.0, 7)
    q[2] = P.joint_limit_rad - P.joint_stop_margin_rad / 2  # inside the stop margin
    columns = forward_kinematics(q.tolist())[2]
    jn = jacobian_matrix(columns)
    for _ in range(20):
        twist = RNG.normal(size=6) * 0.02
        xn = twist.copy()
        xn[:3] /= CHARACTERISTIC_LENGTH_M
        solution = SOLVER.solve(q.tolist(), columns, tuple(twist.tolist()), 0.0)
        if 2 not in solution.stopped_joints:
            continue  # this twist drives joint 2 away from its stop
        reduced = jn.copy()
        reduced[:, 2] = 0.0
        u, s, vt = np.linalg.svd(reduced)
        kept = s > 1e-9  # the zeroed column leaves one singular value at 0
        f = np.zeros_like(s)
        f[kept] = s[kept] / (s[kept] ** 2 + _damping_sq(s[kept]))
        expected = vt[:6].T @ (f * (u.T @ xn))
        rates = np.array(solution.joint_rates_rad_s) / solution.saturation_scale
        assert rates[2] == 0.0
        assert np.allclose(rates, expected, rtol=1e-9, atol=1e-12)
        return
    pytest.fail("no twist drove joint 2 into its stop")
