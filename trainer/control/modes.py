"""The arm's control modes as interchangeable strategies behind one small protocol
(docs/STYLE.md §8, docs/REFERENCE.md §3): Cartesian rate, single joint, position hold.

Each mode turns one tick of hand-controller input and the arm's kinematic state
(``TickContext``, base frame) into joint rates. Limits come in through the context (the
current rate scale and payload already applied); gains from ``ControlParameters``.
Safing, brakes, button edges and warnings common to all modes live in the controller.

| mode          | THC x/y/z                    | RHC x/y/z (roll/pitch/yaw)     | sticks centred    |
|---------------|------------------------------|--------------------------------|-------------------|
| cartesian     | LEE tip velocity along the frame's x/y/z | LEE angular rate about the frame's x/y/z | rates zero, drives hold |
| single_joint  | ignored                      | RHC x (roll) drives the selected joint; y, z ignored | rates zero |
| position_hold | ignored                      | ignored                        | rates zero        |

Each axis is a fraction of the current scale's maximum: tip speed/rate for Cartesian,
joint rate for single joint. Single-joint mode uses the RHC roll axis because a rotation
controller commanding a rotation is the natural mapping and it leaves the THC untouched.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Protocol

from trainer.control.kinematics import (
    CHARACTERISTIC_LENGTH_M,
    Column6,
    Matrix3,
    Twist6,
    Vector3,
    tip_twist,
)
from trainer.control.params import ControlParameters
from trainer.control.resolved_rate import ResolvedRateSolver
from trainer.control.telemetry import ControlWarning, Frame, ModeName, WarningKind
from trainer.fixedmath import norm3, rows3_mul, rows3_times
from trainer.input.state import HandControllerState
from trainer.sim.world import JOINT_NAMES

_ZERO7: tuple[float, ...] = (0.0,) * 7
_ZERO6: Twist6 = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
_CAP_TOLERANCE = 1.0 + 1e-9


@dataclass(slots=True)
class TickContext:
    """What a mode may read this tick (base frame, SI). Rebuilt in place every tick."""

    q_rad: list[float]
    tip_pos_m: Vector3
    tip_rot: Matrix3  # rows of the LEE orientation in the base frame
    jacobian_n: tuple[Column6, ...]  # 7 normalised columns [linear / L; angular], base frame
    frame: Frame
    tip_speed_limit_m_s: float  # current scale and payload applied
    tip_rate_limit_rad_s: float
    joint_rate_max_rad_s: float  # current scale applied (single-joint full deflection)
    tip_acceleration_limit_m_s2: float  # payload applied
    tip_angular_acceleration_limit_rad_s2: float
    selected_joint: int


@dataclass(frozen=True, slots=True)
class ModeCommand:
    """A mode's answer: joint rates (rad/s, 7) and the tip twist [v; ω] they command in
    the base frame, with the mode's own warnings."""

    joint_rates_rad_s: tuple[float, ...]
    tip_twist_base: Twist6
    manipulability: float
    warnings: tuple[ControlWarning, ...] = field(default=())


class ControlMode(Protocol):
    """The strategy protocol: a name, a reset (on any mode, frame or brake change, and on
    safing) and one command per tick."""

    @property
    def name(self) -> ModeName: ...

    def reset(self) -> None: ...

    def command(self, hc: HandControllerState, ctx: TickContext) -> ModeCommand: ...


def _tip_cap(linear_m_s: float, angular_rad_s: float, ctx: TickContext) -> float:
    """Uniform factor (≤ 1) that brings a twist within the tip speed and rate caps."""
    scale = 1.0
    # A full single-axis deflection is exactly at the cap: no warning for rounding.
    if linear_m_s > ctx.tip_speed_limit_m_s * _CAP_TOLERANCE:
        scale = ctx.tip_speed_limit_m_s / linear_m_s
    if angular_rad_s > ctx.tip_rate_limit_rad_s * _CAP_TOLERANCE:
        scale = min(scale, ctx.tip_rate_limit_rad_s / angular_rad_s)
    return scale


def _capped_warning(scale: float) -> ControlWarning:
    return ControlWarning(
        WarningKind.TIP_SPEED_CAPPED,
        f"tip speed capped: demand scaled by {scale:.2f}",
        value=scale,
    )


_norm = norm3  # trainer/fixedmath.py: the same fixed-order arithmetic


def _scaled(v: Vector3, k: float) -> Vector3:
    return (v[0] * k, v[1] * k, v[2] * k)


_mat_vec = rows3_times


def _slew(target: Vector3, previous: Vector3, max_step: float) -> Vector3:
    dx, dy, dz = target[0] - previous[0], target[1] - previous[1], target[2] - previous[2]
    size = math.sqrt(dx * dx + dy * dy + dz * dz)
    if size <= max_step:
        return target
    k = max_step / size
    return (previous[0] + dx * k, previous[1] + dy * k, previous[2] + dz * k)


def _rotate_by(rotation_vector: Vector3, m: Matrix3) -> Matrix3:
    """exp([φ]×) · m (Rodrigues), rows in and out."""
    theta = _norm(rotation_vector)
    if theta < 1e-15:
        return m
    kx, ky, kz = _scaled(rotation_vector, 1.0 / theta)
    s = math.sin(theta)
    c1 = 1.0 - math.cos(theta)
    # r = exp([φ]×), entry by entry
    r00 = 1.0 - c1 * (ky * ky + kz * kz)
    r01 = -s * kz + c1 * kx * ky
    r02 = s * ky + c1 * kx * kz
    r10 = s * kz + c1 * kx * ky
    r11 = 1.0 - c1 * (kx * kx + kz * kz)
    r12 = -s * kx + c1 * ky * kz
    r20 = -s * ky + c1 * kx * kz
    r21 = s * kx + c1 * ky * kz
    r22 = 1.0 - c1 * (kx * kx + ky * ky)
    return rows3_mul(((r00, r01, r02), (r10, r11, r12), (r20, r21, r22)), m)


def _attitude_error(reference: Matrix3, actual: Matrix3) -> Vector3:
    """Small rotation φ (base frame) taking ``actual`` to ``reference``: the skew part of
    reference · actualᵀ (entry [i][j] = row i of reference · row j of actual)."""
    (r00, r01, r02), (r10, r11, r12), (r20, r21, r22) = reference
    (a00, a01, a02), (a10, a11, a12), (a20, a21, a22) = actual
    return (
        0.5 * ((r20 * a10 + r21 * a11 + r22 * a12) - (r10 * a20 + r11 * a21 + r12 * a22)),
        0.5 * ((r00 * a20 + r01 * a21 + r02 * a22) - (r20 * a00 + r21 * a01 + r22 * a02)),
        0.5 * ((r10 * a00 + r11 * a01 + r12 * a02) - (r00 * a10 + r01 * a11 + r02 * a12)),
    )


_ORIGIN: Vector3 = (0.0, 0.0, 0.0)


class CartesianRateMode:
    """Resolved-rate control of the LEE tip in the base or LEE frame.

    The point of resolution is the LEE frame origin. Per tick: the demand (each axis a
    fraction of the scale's maximum) is mapped to the base frame, capped in tip speed and
    rate, slewed at the tip acceleration limit; the commanded tip pose is integrated and
    the drift of the real tip from it is fed back (pose_feedback_gain_per_s), so a pure
    rotation turns about the tip and a pure translation follows a straight line despite
    servo lag and the finite tick. 3-vectors are plain floats: faster than numpy here.
    """

    def __init__(self, params: ControlParameters, solver: ResolvedRateSolver) -> None:
        self._p = params
        self._solver = solver
        self._dt = params.control_tick_s
        self._gain = params.pose_feedback_gain_per_s
        self._reset_m_sq = params.pose_error_reset_m**2
        self._reset_rad_sq = params.pose_error_reset_rad**2
        self._ref_pos: Vector3 | None = None
        self._ref_rot: Matrix3 = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
        self._v_ff: Vector3 = _ORIGIN
        self._w_ff: Vector3 = _ORIGIN

    @property
    def name(self) -> ModeName:
        return ModeName.CARTESIAN

    def reset(self) -> None:
        self._ref_pos = None
        self._v_ff = _ORIGIN
        self._w_ff = _ORIGIN

    def command(self, hc: HandControllerState, ctx: TickContext) -> ModeCommand:
        thc, rhc = hc.thc, hc.rhc
        activity = max(abs(thc[0]), abs(thc[1]), abs(thc[2]), abs(rhc[0]), abs(rhc[1]), abs(rhc[2]))
        if activity == 0.0 and self._v_ff == _ORIGIN and self._w_ff == _ORIGIN:
            self.reset()
            return ModeCommand(_ZERO7, _ZERO6, self._solver.manipulability(ctx.jacobian_n))
        # Sticks centred while the tip still moves: the zero demand goes through the same
        # slew, so the arm decelerates at the acceleration limit instead of stopping in
        # one tick (measured: the drives then hit their 2,332 N·m limit for ~0.2 s; at
        # the trigger that load went into the fresh capture).
        pos, rot = ctx.tip_pos_m, ctx.tip_rot
        if self._ref_pos is None:
            self._ref_pos = pos
            self._ref_rot = rot
        v = _scaled(thc, ctx.tip_speed_limit_m_s)
        w = _scaled(rhc, ctx.tip_rate_limit_rad_s)
        if ctx.frame is Frame.LEE:
            # The commanded LEE attitude, not the lagging real one: a pure translation
            # stays on the boresight it started on. (rows of R applied to columns: R · v)
            v = _mat_vec(self._ref_rot, v)
            w = _mat_vec(self._ref_rot, w)
        warnings: list[ControlWarning] = []
        # The demand itself (a diagonal stick reaches √3 of an axis maximum).
        cap = _tip_cap(_norm(v), _norm(w), ctx)
        if cap < 1.0:
            v = _scaled(v, cap)
            w = _scaled(w, cap)
            warnings.append(_capped_warning(cap))
        # Slew the demand at the tip acceleration limit, so the commanded path stays one
        # the drives can follow (servo lag would otherwise bend it at the start).
        v = _slew(v, self._v_ff, ctx.tip_acceleration_limit_m_s2 * self._dt)
        w = _slew(w, self._w_ff, ctx.tip_angular_acceleration_limit_rad_s2 * self._dt)

        ref = self._ref_pos
        e_p = (ref[0] - pos[0], ref[1] - pos[1], ref[2] - pos[2])
        e_r = _attitude_error(self._ref_rot, rot)
        if (
            e_p[0] * e_p[0] + e_p[1] * e_p[1] + e_p[2] * e_p[2] > self._reset_m_sq
            or e_r[0] * e_r[0] + e_r[1] * e_r[1] + e_r[2] * e_r[2] > self._reset_rad_sq
        ):
            # Not drift but a disturbance (contact, load): re-seat, do not chase it.
            self._ref_pos = ref = pos
            self._ref_rot = rot
            e_p = e_r = _ORIGIN
        k = self._gain
        v_total = (v[0] + k * e_p[0], v[1] + k * e_p[1], v[2] + k * e_p[2])
        w_total = (w[0] + k * e_r[0], w[1] + k * e_r[1], w[2] + k * e_r[2])
        # The feedback must not push the tip past its caps either (silently: it is small).
        total_cap = _tip_cap(_norm(v_total), _norm(w_total), ctx)
        if total_cap < 1.0:
            v_total = _scaled(v_total, total_cap)
            w_total = _scaled(w_total, total_cap)

        if activity == 0.0:
            # Coasting down: the null-space self-motion fades with the tip speed, or its
            # stop would jolt the drives just as the tip's would.
            activity = max(_norm(v) / ctx.tip_speed_limit_m_s, _norm(w) / ctx.tip_rate_limit_rad_s)
        solution = self._solver.solve(ctx.q_rad, ctx.jacobian_n, v_total + w_total, activity)
        achieved = total_cap * solution.saturation_scale
        advance = achieved * self._dt
        self._ref_pos = (ref[0] + v[0] * advance, ref[1] + v[1] * advance, ref[2] + v[2] * advance)
        self._ref_rot = _rotate_by(_scaled(w, advance), self._ref_rot)
        self._v_ff = _scaled(v, achieved)
        self._w_ff = _scaled(w, achieved)

        if solution.saturation_scale < 1.0:
            warnings.append(
                ControlWarning(
                    WarningKind.RATE_SATURATION,
                    f"joint rate saturated: demand scaled by {solution.saturation_scale:.2f}",
                    value=solution.saturation_scale,
                )
            )
        for joint in solution.stopped_joints:
            warnings.append(
                ControlWarning(
                    WarningKind.JOINT_STOPPED,
                    f"{JOINT_NAMES[joint]} at its stop: solved without it",
                    joint=JOINT_NAMES[joint],
                )
            )
        qdot = solution.joint_rates_rad_s
        twist = tip_twist(ctx.jacobian_n, qdot)
        return ModeCommand(qdot, twist, solution.manipulability, tuple(warnings))


class SingleJointMode:
    """Drive the selected joint with the RHC roll axis; every other joint at zero rate.

    Full deflection is the current scale's joint rate (4 °/s coarse), reduced when the
    resulting tip speed or rate would exceed its cap; a joint at its stop margin is not
    driven further toward the stop.
    """

    def __init__(self, params: ControlParameters, solver: ResolvedRateSolver) -> None:
        self._solver = solver
        self._edge = params.joint_limit_rad - params.joint_stop_margin_rad

    @property
    def name(self) -> ModeName:
        return ModeName.SINGLE_JOINT

    def reset(self) -> None:
        pass

    def command(self, hc: HandControllerState, ctx: TickContext) -> ModeCommand:
        manipulability = self._solver.manipulability(ctx.jacobian_n)
        demand = hc.rhc[0]
        if demand == 0.0:
            return ModeCommand(_ZERO7, _ZERO6, manipulability)
        i = ctx.selected_joint
        rate = demand * ctx.joint_rate_max_rad_s
        jx, jy, jz, zx, zy, zz = ctx.jacobian_n[i]
        length = CHARACTERISTIC_LENGTH_M
        linear = (jx * length, jy * length, jz * length)  # m/rad
        lever = _norm(linear)
        warnings: list[ControlWarning] = []
        cap = _tip_cap(lever * abs(rate), abs(rate), ctx)
        if cap < 1.0:
            rate *= cap
            warnings.append(_capped_warning(cap))
        qi = ctx.q_rad[i]
        if (qi >= self._edge and rate > 0.0) or (qi <= -self._edge and rate < 0.0):
            rate = 0.0
            warnings.append(
                ControlWarning(
                    WarningKind.JOINT_STOPPED,
                    f"{JOINT_NAMES[i]} at its stop: not driven further",
                    joint=JOINT_NAMES[i],
                )
            )
        qdot = tuple(rate if j == i else 0.0 for j in range(7))
        twist = (*_scaled(linear, rate), zx * rate, zy * rate, zz * rate)
        return ModeCommand(qdot, twist, manipulability, tuple(warnings))


class PositionHoldMode:
    """All joint rates zero with the drives holding (brakes stay as the operator set them)."""

    def __init__(self, params: ControlParameters, solver: ResolvedRateSolver) -> None:
        self._solver = solver

    @property
    def name(self) -> ModeName:
        return ModeName.POSITION_HOLD

    def reset(self) -> None:
        pass

    def command(self, hc: HandControllerState, ctx: TickContext) -> ModeCommand:
        return ModeCommand(_ZERO7, _ZERO6, self._solver.manipulability(ctx.jacobian_n))
