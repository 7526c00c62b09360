"""Damped-least-squares resolved rate for the 7-joint arm, with the redundant degree of
freedom spent on keeping away from joint limits and singularities.

    q̇ = Jn^+λ xn  +  k a (n·g) n,     then scaled uniformly so that max |q̇_i| ≤ 4 °/s

* Jn, xn: the Jacobian and the tip twist with the translational rows divided by one boom
  length (kinematics.CHARACTERISTIC_LENGTH_M), so metres and radians weigh alike.
* Jn^+λ = V diag(σ/(σ² + λ²)) Uᵀ from one SVD, with adaptive damping λ² = λ_max² (1 −
  (σ_min/σ_ε)²) below σ_ε and 0 above it (Maciejewski & Klein 1988): exact tracking away
  from singularities, bounded joint rates near them (docs/PYBULLET_NOTES.md: λ ≈ 0.02–0.05).
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

Cost: the tick runs right after the physics steps, with cold caches, where every numpy
call costs several µs (the SVD about 13 µs, twice its warm cost). So: one SVD; the damped
inverse P = (Jn^+λ)ᵀ = U diag(f) V₆ᵀ formed once, as it serves both the particular
solution (Pᵀ xn) and the gradient; everything on 6- and 7-vectors after it in plain
Python floats.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from trainer.control.kinematics import (
    CHARACTERISTIC_LENGTH_M,
    Column6,
    FloatArray,
    Twist6,
    jacobian_matrix,
    log_manipulability_gradient,
)
from trainer.control.params import ControlParameters

_INV_LENGTH = 1.0 / CHARACTERISTIC_LENGTH_M

# The gufuncs without np.linalg's wrappers (argument checks, error state): SVD 7 µs
# instead of 11 µs per call.
try:
    from numpy.linalg import _umath_linalg

    _SVD_GUFUNC: Any = _umath_linalg.svd_f
    _DET_GUFUNC: Any = _umath_linalg.det
except (ImportError, AttributeError):  # pragma: no cover - other numpy layouts
    _SVD_GUFUNC = _DET_GUFUNC = None


def _svd(a: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Full SVD (u 6x6, s 6, vt 7x7). The raw gufunc returns NaN instead of raising on
    non-convergence: then the public function runs and raises LinAlgError."""
    if _SVD_GUFUNC is not None:
        u, s, vt = _SVD_GUFUNC(a, signature="d->ddd")
        if math.isfinite(float(s[-1])):
            return u, s, vt
    u, s, vt = np.linalg.svd(a)
    return u, s, vt


def _det(a: FloatArray) -> float:
    if _DET_GUFUNC is not None:
        return float(_DET_GUFUNC(a, signature="d->d"))
    return float(np.linalg.det(a))  # pragma: no cover - other numpy layouts


@dataclass(frozen=True, slots=True)
class RateSolution:
    """Joint rates (rad/s, 7) and what the solver had to do to produce them."""

    joint_rates_rad_s: tuple[float, ...]
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

    def manipulability(self, jacobian_n: Sequence[Column6]) -> float:
        """Normalised manipulability sqrt(det(Jn Jnᵀ)) (for modes that do not solve)."""
        jn = jacobian_matrix(jacobian_n)
        det = _det(jn @ jn.T)
        return math.sqrt(det) if det > 0.0 else 0.0

    def _damped_factors(self, s: list[float]) -> list[float]:
        """σ/(σ² + λ²) per singular value (1/σ undamped), smallest σ last."""
        sigma_min = s[-1]
        if sigma_min < self._sigma_eps:
            ratio = sigma_min / self._sigma_eps
            lam_sq = self._damping_max_sq * (1.0 - ratio * ratio)
            return [si / (si * si + lam_sq) for si in s]
        return [1.0 / si for si in s]

    def solve(
        self, q_rad: list[float], jacobian_n: Sequence[Column6], twist: Twist6, activity: float
    ) -> RateSolution:
        """Joint rates for the tip twist ``twist`` = [v (m/s); ω (rad/s)] in the Jacobian's
        frame (``jacobian_n``: the normalised columns, kinematics.forward_kinematics);
        ``activity`` ∈ [0, 1] scales the null-space self-motion."""
        u, s, vt = _svd(jacobian_matrix(jacobian_n))
        singular_values = s.tolist()
        manipulability = math.prod(singular_values)
        f = self._damped_factors(singular_values)
        # P = U diag(f) V₆ᵀ = (Jn Jnᵀ + λ²)⁻¹ Jn, as its seven columns: Jn^+λ xn = Pᵀ xn.
        pinv_t: list[list[float]] = ((u * f) @ vt[:6]).T.tolist()
        k = _INV_LENGTH
        x0, x1, x2 = twist[0] * k, twist[1] * k, twist[2] * k
        x3, x4, x5 = twist[3], twist[4], twist[5]
        rates = [
            p0 * x0 + p1 * x1 + p2 * x2 + p3 * x3 + p4 * x4 + p5 * x5
            for p0, p1, p2, p3, p4, p5 in pinv_t
        ]
        if activity > 0.0:
            null = vt[6].tolist()
            rate = self._null_space_rate(q_rad, jacobian_n, pinv_t, null, activity)
            rates = [r + n * rate for r, n in zip(rates, null, strict=True)]
        stopped = self._toward_stop(q_rad, rates)
        if stopped:
            rates = self._solve_without(jacobian_n, (x0, x1, x2, x3, x4, x5), stopped)
        peak = max(map(abs, rates))
        scale = 1.0
        if peak > self._rate_limit:
            scale = self._rate_limit / peak
            rates = [r * scale for r in rates]
        return RateSolution(tuple(rates), manipulability, scale, stopped)

    def _null_space_rate(
        self,
        q_rad: list[float],
        jacobian_n: Sequence[Column6],
        pinv_t: list[list[float]],
        null: list[float],
        activity: float,
    ) -> float:
        """Rate along the null vector ``null`` (its multiple to add to the joint rates);
        ``pinv_t`` damped like the solution itself."""
        p = self._p
        grad = log_manipulability_gradient(jacobian_n, pinv_t)
        limit, act = self._limit, self._act
        ws, wl = p.singularity_weight, p.joint_limit_weight
        g = [ws * gi for gi in grad]
        if max(map(abs, q_rad)) > limit - act:
            for i, qi in enumerate(q_rad):
                margin = limit - abs(qi)
                if margin < act:
                    # dH/dq_i = sign(q_i) (m_act − m_i)/m_act²; descend it.
                    g[i] -= wl * math.copysign((act - margin) / (act * act), qi)
        along: float = sum(map(operator.mul, g, null))
        rate = p.null_space_gain_rad2_s * activity * along
        peak = abs(rate) * max(map(abs, null))
        if peak > p.null_space_rate_max_rad_s:
            rate *= p.null_space_rate_max_rad_s / peak
        return rate

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

    def _solve_without(
        self, jacobian_n: Sequence[Column6], xn: Twist6, joints: tuple[int, ...]
    ) -> list[float]:
        reduced = np.array(jacobian_n).T  # a copy: its columns are zeroed below
        reduced[:, list(joints)] = 0.0
        u, s, vt = _svd(reduced)
        # More than one zeroed column leaves singular values at 0: leave those directions out.
        nonzero = s > 1e-9
        f = np.zeros_like(s)
        f[nonzero] = self._damped_factors(s[nonzero].tolist())
        qdot = np.asarray(vt[:6].T @ (f * (u.T @ np.array(xn))), dtype=np.float64)
        qdot[list(joints)] = 0.0
        rates: list[float] = qdot.tolist()
        return rates
