"""Damped-least-squares resolved rate for the 7-joint arm, with the redundant degree of
freedom spent on keeping away from joint limits and singularities.

    q̇ = Jn^+λ xn  +  k a N g,     then scaled uniformly so that max |q̇_i| ≤ 4 °/s

* Jn, xn: the Jacobian and the tip twist with the translational rows divided by one boom
  length (kinematics.CHARACTERISTIC_LENGTH_M), so metres and radians weigh alike.
* Jn^+λ = Jnᵀ (Jn Jnᵀ + λ² I)⁻¹, solved through the Cholesky factor of the 6 x 6 matrix
  A = Jn Jnᵀ (fixed-order arithmetic, trainer/fixedmath.py: no LAPACK, so the same bits on
  every CPU, docs/DESIGN.md §10). With the SVD Jn = U Σ Vᵀ it is V diag(σ/(σ² + λ²)) Uᵀ,
  the same damped inverse. Adaptive damping λ² = λ_max² (1 − (σ_min/σ_ε)²) below σ_ε and
  0 above it (Maciejewski & Klein 1988): exact tracking away from singularities, bounded
  joint rates near them (docs/PYBULLET_NOTES.md: λ ≈ 0.02–0.05). σ_min² is the smallest
  eigenvalue of A; a cheap bound decides first (σ_min² ≥ 1 / trace(A⁻¹), and trace(A⁻¹)
  comes with the inverse), and only when it cannot are A's eigenvalues computed
  (fixedmath.symmetric_eigenvalues), near singularities only.
* N = I − Jn⁺ Jn (undamped): the projector on the Jacobian's one-dimensional null space,
  N g = n (n·g) for its unit vector n: rates along it move no point of the tip to first
  order (the "arm angle" self-motion). Computed as g − Pᵀ (Jn g), P = A⁻¹ Jn.
* g = w_s ∇log(w) − w_l ∇H: climb the manipulability w = sqrt(det(Jn Jnᵀ)) (analytic
  gradient, kinematics.log_manipulability_gradient) and descend the joint-limit potential
  H = ½ Σ ((m_act − m_i)/m_act)² over joints whose margin m_i to ±270° is below m_act.
  ``activity`` ∈ [0, 1] (the operator's stick deflection) scales it: with the sticks
  centred the arm stays still, it never wanders on its own.
* A joint already at its stop margin and driven toward the stop is taken out of the
  solution (solved again in the other joints' space, (Jrᵀ Jr + λ² I)⁻¹ Jrᵀ xn): the tip
  keeps its direction with the six others instead of the drive cut in the world bending
  the path.
* Uniform scaling of the whole vector to the joint rate limit keeps the tip direction.

Manipulability w = sqrt(det A) is the product of the Cholesky factor's diagonal.

Cost: plain Python floats on the 6- and 7-vectors and the 6 x 6 factor, element-wise
numpy only for the two 6 x 6 x 7 products (fixedmath.matmul), where a numpy call is
cheaper than the loops it replaces.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from trainer.control.kinematics import (
    CHARACTERISTIC_LENGTH_M,
    Column6,
    Twist6,
    log_manipulability_gradient,
)
from trainer.control.linalg6 import Rows6, cholesky6, inverse6, jacobian_gram, times_columns6
from trainer.control.params import ControlParameters
from trainer.fixedmath import cholesky, dot, inverse_from_cholesky, symmetric_eigenvalues

_INV_LENGTH = 1.0 / CHARACTERISTIC_LENGTH_M
Matrix = Sequence[Sequence[float]]


@dataclass(frozen=True, slots=True)
class RateSolution:
    """Joint rates (rad/s, 7) and what the solver had to do to produce them."""

    joint_rates_rad_s: tuple[float, ...]
    manipulability: float
    # Factor (≤ 1) applied uniformly to fit the joint rate limit; 1.0 when not saturated.
    saturation_scale: float
    stopped_joints: tuple[int, ...]


def _root_det(lower: Matrix) -> float:
    """sqrt(det A) from A's Cholesky factor: the product of its diagonal."""
    return math.prod(row[i] for i, row in enumerate(lower))


def _shifted(gram: Matrix, lam_sq: float) -> list[list[float]]:
    """A + λ² I (lower triangle rows)."""
    return [[v + lam_sq if i == j else v for j, v in enumerate(row)] for i, row in enumerate(gram)]


class ResolvedRateSolver:
    """Stateless apart from cached constants; one instance per controller."""

    def __init__(self, params: ControlParameters) -> None:
        self._p = params
        self._damping_max_sq = params.damping_max**2
        self._sigma_eps = params.damping_singular_value
        self._sigma_eps_sq = params.damping_singular_value**2
        self._rate_limit = params.joint_rate_limit_rad_s
        self._limit = params.joint_limit_rad
        self._act = params.joint_limit_activation_margin_rad
        self._stop = params.joint_stop_margin_rad

    def manipulability(self, jacobian_n: Sequence[Column6]) -> float:
        """Normalised manipulability sqrt(det(Jn Jnᵀ)) (for modes that do not solve)."""
        lower = cholesky6(jacobian_gram(jacobian_n))
        return 0.0 if lower is None else _root_det(lower)

    def _damping_sq(self, gram: Matrix, trace_of_inverse: float) -> float:
        """λ² for the symmetric ``gram`` (Jn Jnᵀ, or Jrᵀ Jr: its eigenvalues are the σ²)
        given the trace of its inverse (inf when singular), by the adaptive rule of the
        module docstring."""
        if trace_of_inverse * self._sigma_eps_sq <= 1.0:  # σ_min² ≥ 1/trace ≥ σ_ε²
            return 0.0
        if math.isinf(trace_of_inverse):
            sigma_min_sq = 0.0
        else:
            sigma_min_sq = max(0.0, symmetric_eigenvalues(gram)[0])
        if sigma_min_sq >= self._sigma_eps_sq:
            return 0.0
        return self._damping_max_sq * (1.0 - sigma_min_sq / self._sigma_eps_sq)

    def _damped_inverse6(self, gram: Matrix) -> tuple[Rows6, Rows6 | None, float]:
        """(A + λ² I)⁻¹, A⁻¹ (None when A is singular) and sqrt(det A) for the 6 x 6
        Gram matrix of the Jacobian (unrolled, trainer/control/linalg6.py)."""
        lower = cholesky6(gram)
        if lower is None:
            inverse, trace, root_det = None, math.inf, 0.0
        else:
            (inverse, trace), root_det = inverse6(lower), _root_det(lower)
        lam_sq = self._damping_sq(gram, trace)
        if lam_sq == 0.0 and inverse is not None:
            return inverse, inverse, root_det
        damped_lower = cholesky6(_shifted(gram, lam_sq))
        assert damped_lower is not None  # A + λ²I with λ > 0 is positive definite
        return inverse6(damped_lower)[0], inverse, root_det

    def solve(
        self, q_rad: list[float], jacobian_n: Sequence[Column6], twist: Twist6, activity: float
    ) -> RateSolution:
        """Joint rates for the tip twist ``twist`` = [v (m/s); ω (rad/s)] in the Jacobian's
        frame (``jacobian_n``: the normalised columns, kinematics.forward_kinematics);
        ``activity`` ∈ [0, 1] scales the null-space self-motion."""
        gram = jacobian_gram(jacobian_n)
        damped, inverse, manipulability = self._damped_inverse6(gram)
        # P = (Jn Jnᵀ + λ²)⁻¹ Jn, as its seven columns: Jn^+λ xn = Pᵀ xn.
        pinv_t = times_columns6(damped, jacobian_n)
        k = _INV_LENGTH
        x0, x1, x2 = twist[0] * k, twist[1] * k, twist[2] * k
        x3, x4, x5 = twist[3], twist[4], twist[5]
        rates = [
            p0 * x0 + p1 * x1 + p2 * x2 + p3 * x3 + p4 * x4 + p5 * x5
            for p0, p1, p2, p3, p4, p5 in pinv_t
        ]
        if activity > 0.0 and inverse is not None:
            exact = pinv_t if damped is inverse else times_columns6(inverse, jacobian_n)
            null_rates = self._null_space_rates(q_rad, jacobian_n, pinv_t, exact, activity)
            rates = [r + n for r, n in zip(rates, null_rates, strict=True)]
        stopped = self._toward_stop(q_rad, rates)
        if stopped:
            rates = self._solve_without(jacobian_n, (x0, x1, x2, x3, x4, x5), stopped)
        peak = max(map(abs, rates))
        scale = 1.0
        if peak > self._rate_limit:
            scale = self._rate_limit / peak
            rates = [r * scale for r in rates]
        return RateSolution(tuple(rates), manipulability, scale, stopped)

    def _null_space_rates(
        self,
        q_rad: list[float],
        jacobian_n: Sequence[Column6],
        pinv_t: list[list[float]],
        exact_pinv_t: list[list[float]],
        activity: float,
    ) -> list[float]:
        """k a N g: the gradient ``g`` (module docstring; ``pinv_t`` damped like the
        solution itself) projected on the null space with the undamped ``exact_pinv_t``,
        capped at the self-motion rate limit."""
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
        # Jn g, then N g = g − Pᵀ (Jn g).
        t0 = t1 = t2 = t3 = t4 = t5 = 0.0
        for (c0, c1, c2, c3, c4, c5), gi in zip(jacobian_n, g, strict=True):
            t0 += c0 * gi
            t1 += c1 * gi
            t2 += c2 * gi
            t3 += c3 * gi
            t4 += c4 * gi
            t5 += c5 * gi
        gain = p.null_space_gain_rad2_s * activity
        out = [
            gain * (gi - (p0 * t0 + p1 * t1 + p2 * t2 + p3 * t3 + p4 * t4 + p5 * t5))
            for gi, (p0, p1, p2, p3, p4, p5) in zip(g, exact_pinv_t, strict=True)
        ]
        peak = max(map(abs, out))
        if peak > p.null_space_rate_max_rad_s:
            cap = p.null_space_rate_max_rad_s / peak
            out = [v * cap for v in out]
        return out

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
        """The damped least-squares rates of the other joints, ``joints`` held at zero:
        (Jrᵀ Jr + λ² I)⁻¹ Jrᵀ xn over the free columns Jr (the same damped inverse as
        Jrᵀ (Jr Jrᵀ + λ² I)⁻¹, λ from Jrᵀ Jr's eigenvalues, the nonzero σ²)."""
        free = [i for i in range(len(jacobian_n)) if i not in joints]
        columns = [jacobian_n[i] for i in free]
        gram = [[dot(columns[i], columns[j]) for j in range(i + 1)] for i in range(len(free))]
        lower = cholesky(gram)
        inverse, trace = (None, math.inf) if lower is None else inverse_from_cholesky(lower)
        lam_sq = self._damping_sq(gram, trace)
        if lam_sq > 0.0 or inverse is None:
            damped_lower = cholesky(_shifted(gram, lam_sq))
            assert damped_lower is not None  # positive definite once damped
            inverse = inverse_from_cholesky(damped_lower)[0]
        rhs = [dot(c, xn) for c in columns]
        rates = [0.0] * len(jacobian_n)
        for i, row in zip(free, inverse, strict=True):
            rates[i] = dot(row, rhs)
        return rates
