"""Damped-least-squares resolved rate for the 7-joint arm, with the redundant degree of
freedom spent on keeping away from joint limits and singularities.

    q̇ = Jn^+λ xn  +  k a (n·g) n,     then scaled uniformly so that max |q̇_i| ≤ 4 °/s

* Jn, xn: the Jacobian and the tip twist with the translational rows divided by one boom
  length (kinematics.CHARACTERISTIC_LENGTH_M), so metres and radians weigh alike.
* Jn^+λ = V diag(σ/(σ² + λ²)) Uᵀ from one SVD, with adaptive damping λ² = λ_max² (1 −
  (σ_min/σ_ε)²) below σ_ε and 0 above it (Maciejewski & Klein 1988): exact tracking away
  from singularities, bounded joint rates near them (PYBULLET_NOTES: λ ≈ 0.02–0.05).
* n: the Jacobian's one-dimensional null space (last right singular vector): rates along
  it move no point of the tip to first order (the "arm angle" self-motion).
* g = w_s ∇log(w) − w_l ∇H: climb the manipulability w = sqrt(det(Jn Jnᵀ)) (analytic
  gradient, kinematics.log_manipulability_gradient) and descend the joint-limit potential
  H = ½ Σ ((m_act − m_i)/m_act)² over joints whose margin m_i to ±270° is below m_act.
  ``activity`` ∈ [0, 1] (the operator's stick deflection) scales it: with the sticks
  centred the arm stays still, it never wanders on its own.
* A joint already at its stop margin and driven toward the stop is taken out of the
  solution (its column zeroed, solved again): the tip keeps its direction with the six
  others instead of the drive cut in the world bending the path.
* Uniform scaling of the whole vector to the joint rate limit keeps the tip direction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from trainer.control.kinematics import (
    CHARACTERISTIC_LENGTH_M,
    FloatArray,
    log_manipulability_gradient,
)
from trainer.control.params import ControlParameters

_ROW_SCALE = np.array((1.0 / CHARACTERISTIC_LENGTH_M,) * 3 + (1.0,) * 3)
_ROW_SCALE_COLUMN = _ROW_SCALE[:, None]

try:  # The SVD gufunc without np.linalg.svd's wrapper: 7 µs instead of 11 µs per call.
    from numpy.linalg import _umath_linalg

    _SVD_GUFUNC: Any = _umath_linalg.svd_f
except (ImportError, AttributeError):  # pragma: no cover - other numpy layouts
    _SVD_GUFUNC = None


def _svd(a: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Full SVD (u 6x6, s 6, vt 7x7). The raw gufunc returns NaN instead of raising on
    non-convergence: then the public function runs and raises LinAlgError."""
    if _SVD_GUFUNC is not None:
        u, s, vt = _SVD_GUFUNC(a, signature="d->ddd")
        if math.isfinite(float(s[-1])):
            return u, s, vt
    u, s, vt = np.linalg.svd(a)
    return u, s, vt


@dataclass(frozen=True, slots=True)
class RateSolution:
    """Joint rates (rad/s, 7) and what the solver had to do to produce them."""

    joint_rates_rad_s: FloatArray
    manipulability: float
    # Factor (≤ 1) applied uniformly to fit the joint rate limit; 1.0 when not saturated.
    saturation_scale: float
    stopped_joints: tuple[int, ...]


class ResolvedRateSolver:
    """Stateless apart from cached constants; one instance per controller."""

    def __init__(self, params: ControlParameters) -> None:
        self._p = params
        self._damping_max_sq = params.damping_max**2
        self._sigma_eps = params.damping_singular_value
        self._rate_limit = params.joint_rate_limit_rad_s
        self._limit = params.joint_limit_rad
        self._act = params.joint_limit_activation_margin_rad
        self._stop = params.joint_stop_margin_rad

    def manipulability(self, jacobian: FloatArray) -> float:
        """Normalised manipulability sqrt(det(Jn Jnᵀ)) (for modes that do not solve)."""
        jn = jacobian * _ROW_SCALE_COLUMN
        det = float(np.linalg.det(jn @ jn.T))
        return math.sqrt(det) if det > 0.0 else 0.0

    def _damped_factors(self, s: FloatArray, sigma_min: float) -> FloatArray:
        if sigma_min < self._sigma_eps:
            ratio = sigma_min / self._sigma_eps
            lam_sq = self._damping_max_sq * (1.0 - ratio * ratio)
            return np.asarray(s / (s * s + lam_sq), dtype=np.float64)
        return np.asarray(1.0 / s, dtype=np.float64)

    def solve(
        self, q_rad: list[float], jacobian: FloatArray, twist: FloatArray, activity: float
    ) -> RateSolution:
        """Joint rates for the tip twist ``twist`` = [v (m/s); ω (rad/s)] in the Jacobian's
        frame; ``activity`` ∈ [0, 1] scales the null-space self-motion."""
        jn = jacobian * _ROW_SCALE_COLUMN
        xn = twist * _ROW_SCALE
        u, s, vt = _svd(jn)
        singular_values = s.tolist()
        manipulability = math.prod(singular_values)
        f = self._damped_factors(s, singular_values[-1])
        rows = vt[:6]
        qdot: FloatArray = rows.T @ (f * (u.T @ xn))
        if activity > 0.0:
            qdot += self._null_space_rates(q_rad, jn, u, f, rows, vt[6], activity)
        rates = qdot.tolist()
        stopped = self._toward_stop(q_rad, rates)
        if stopped:
            qdot = self._solve_without(jn, xn, stopped)
            rates = qdot.tolist()
        peak = max(map(abs, rates))
        scale = 1.0
        if peak > self._rate_limit:
            scale = self._rate_limit / peak
            qdot = qdot * scale
        return RateSolution(qdot, manipulability, scale, stopped)

    def _null_space_rates(
        self,
        q_rad: list[float],
        jn: FloatArray,
        u: FloatArray,
        f: FloatArray,
        rows: FloatArray,
        null: FloatArray,
        activity: float,
    ) -> FloatArray:
        p = self._p
        pinv_t = (u * f) @ rows  # ((Jn Jnᵀ + λ²)⁻¹ Jn), damped like the solution itself
        grad = log_manipulability_gradient(jn, pinv_t)
        limit, act = self._limit, self._act
        ws, wl = p.singularity_weight, p.joint_limit_weight
        g = [ws * gi for gi in grad]
        if max(map(abs, q_rad)) > limit - act:
            for i, qi in enumerate(q_rad):
                margin = limit - abs(qi)
                if margin < act:
                    # dH/dq_i = sign(q_i) (m_act − m_i)/m_act²; descend it.
                    g[i] -= wl * math.copysign((act - margin) / (act * act), qi)
        n = null.tolist()
        along = sum([gi * ni for gi, ni in zip(g, n, strict=True)])
        rate = p.null_space_gain_rad2_s * activity * along
        peak = abs(rate) * max(map(abs, n))
        if peak > p.null_space_rate_max_rad_s:
            rate *= p.null_space_rate_max_rad_s / peak
        return np.asarray(null * rate, dtype=np.float64)

    def _toward_stop(self, q_rad: list[float], rates: list[float]) -> tuple[int, ...]:
        edge = self._limit - self._stop
        if max(map(abs, q_rad)) < edge:
            return ()
        out: list[int] = []
        for i, rate in enumerate(rates):
            qi = q_rad[i]
            if (qi >= edge and rate > 0.0) or (qi <= -edge and rate < 0.0):
                out.append(i)
        return tuple(out)

    def _solve_without(self, jn: FloatArray, xn: FloatArray, joints: tuple[int, ...]) -> FloatArray:
        reduced = jn.copy()
        reduced[:, list(joints)] = 0.0
        u, s, vt = _svd(reduced)
        # More than one zeroed column leaves singular values at 0: leave those directions out.
        nonzero = s > 1e-9
        f = np.zeros_like(s)
        kept = s[nonzero]
        f[nonzero] = self._damped_factors(kept, float(kept[-1]))
        qdot = np.asarray(vt[:6].T @ (f * (u.T @ xn)), dtype=np.float64)
        qdot[list(joints)] = 0.0
        return qdot
