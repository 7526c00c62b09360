"""The controller's own kinematic model of the SSRMS: forward kinematics, the LEE Jacobian
and the gradient of its manipulability, all in the arm's base frame.

Why its own model instead of ``World.lee_jacobian()``: the resolved-rate law also needs
the Jacobian's derivative with respect to every joint (the manipulability gradient for
null-space singularity avoidance); seven extra pybullet Jacobians per tick would blow the
control budget, while the closed forms below cost a few µs together. It is the geometry
the URDF encodes (docs/REFERENCE.md §1.1, Nguyen & Hughes 1994, S medium), and
``tests/control/test_control_kinematics.py`` checks it against the world's LEE pose. A
real arm controller carries its own kinematic model too.

The Jacobian is handed out as its seven columns of plain Python floats, already
normalised (``CHARACTERISTIC_LENGTH_M``): the control law uses it only in small products
(one column, a 6 x 7 times 7 product, its Gram matrix (trainer/control/linalg6.py), the O(n)
gradient), where numpy's per-call overhead costs more than the arithmetic. The loops are
plain floats for the same reason (measured: numpy FK 50 µs, this 6), and they are
fixed-order arithmetic: the same bits on every CPU (docs/DESIGN.md §10).

Base frame (docs/REFERENCE.md §1.1): the base LEE interface plane; at q = 0 the arm lies along +x
and every joint frame is parallel to the base frame.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
Vector3 = tuple[float, float, float]
Matrix3 = tuple[Vector3, Vector3, Vector3]
# One Jacobian column [v / L; ω]: the tip twist per unit rate of one joint, normalised.
Column6 = tuple[float, float, float, float, float, float]
Twist6 = tuple[float, float, float, float, float, float]

# docs/REFERENCE.md §1.1 (S, medium): joint origin in the parent frame (m) and joint axis index
# (0 = x, 1 = y, 2 = z), base to tip; then the fixed tip LEE interface offset.
JOINT_ORIGINS_M: tuple[Vector3, ...] = (
    (1.3589, 0.0, 0.0),  # shoulder_roll, x
    (0.0, 0.0, 0.7026),  # shoulder_yaw, z
    (0.0, -0.5692, 0.0),  # shoulder_pitch, y
    (7.11, -0.475, 0.0),  # elbow_pitch, y
    (7.11, 0.0, 0.0),  # wrist_pitch, y
    (0.0, -0.5692, 0.0),  # wrist_yaw, z
    (0.0, 0.0, -0.7026),  # wrist_roll, x
)
JOINT_AXES: tuple[int, ...] = (0, 2, 1, 1, 1, 2, 0)
TIP_OFFSET_M: Vector3 = (1.3589, 0.0, 0.0)

# Normalisation of the translational Jacobian rows so that linear and angular rows weigh
# alike in the manipulability and in the damped inverse (D: one boom length, the arm's
# characteristic lever arm, docs/REFERENCE.md §1.1).
CHARACTERISTIC_LENGTH_M = 7.11
_INV_LENGTH = 1.0 / CHARACTERISTIC_LENGTH_M


def forward_kinematics(q_rad: Sequence[float]) -> tuple[Vector3, Matrix3, tuple[Column6, ...]]:
    """LEE origin (m), LEE orientation (rows of the 3x3 rotation, columns = LEE axes) and
    the seven columns of the normalised Jacobian Jn = diag(1/L, 1/L, 1/L, 1, 1, 1) J,
    J = [linear (m/rad); angular], all in the base frame.

    Each joint rotates about one of its frame's axes, so the running rotation is updated
    by mixing two of its columns (c0, c1, c2) instead of a matrix product.
    """
    c0x, c0y, c0z = 1.0, 0.0, 0.0
    c1x, c1y, c1z = 0.0, 1.0, 0.0
    c2x, c2y, c2z = 0.0, 0.0, 1.0
    px = py = pz = 0.0
    joints: list[tuple[float, float, float, float, float, float]] = []  # axis, origin (base)
    for (ox, oy, oz), axis, angle in zip(JOINT_ORIGINS_M, JOINT_AXES, q_rad, strict=True):
        px += c0x * ox + c1x * oy + c2x * oz
        py += c0y * ox + c1y * oy + c2y * oz
        pz += c0z * ox + c1z * oy + c2z * oz
        c = math.cos(angle)
        s = math.sin(angle)
        if axis == 0:
            joints.append((c0x, c0y, c0z, px, py, pz))
            c1x, c1y, c1z, c2x, c2y, c2z = (
                c * c1x + s * c2x,
                c * c1y + s * c2y,
                c * c1z + s * c2z,
                c * c2x - s * c1x,
                c * c2y - s * c1y,
                c * c2z - s * c1z,
            )
        elif axis == 1:
            joints.append((c1x, c1y, c1z, px, py, pz))
            c0x, c0y, c0z, c2x, c2y, c2z = (
                c * c0x - s * c2x,
                c * c0y - s * c2y,
                c * c0z - s * c2z,
                s * c0x + c * c2x,
                s * c0y + c * c2y,
                s * c0z + c * c2z,
            )
        else:
            joints.append((c2x, c2y, c2z, px, py, pz))
            c0x, c0y, c0z, c1x, c1y, c1z = (
                c * c0x + s * c1x,
                c * c0y + s * c1y,
                c * c0z + s * c1z,
                c * c1x - s * c0x,
                c * c1y - s * c0y,
                c * c1z - s * c0z,
            )
    tx, ty, tz = TIP_OFFSET_M
    ex = px + c0x * tx + c1x * ty + c2x * tz
    ey = py + c0y * tx + c1y * ty + c2y * tz
    ez = pz + c0z * tx + c1z * ty + c2z * tz
    k = _INV_LENGTH
    columns: list[Column6] = []
    for zx, zy, zz, jx, jy, jz in joints:
        rx = ex - jx
        ry = ey - jy
        rz = ez - jz
        columns.append(
            ((zy * rz - zz * ry) * k, (zz * rx - zx * rz) * k, (zx * ry - zy * rx) * k, zx, zy, zz)
        )
    rotation = ((c0x, c1x, c2x), (c0y, c1y, c2y), (c0z, c1z, c2z))
    return (ex, ey, ez), rotation, tuple(columns)


def jacobian_matrix(columns: Sequence[Sequence[float]]) -> FloatArray:
    """The (6, 7) array of seven Jacobian columns (for tests and tools; the controller
    works on the columns)."""
    return np.array(columns).T


def tip_twist(jacobian_n: Sequence[Column6], rates: Sequence[float]) -> Twist6:
    """J q̇ = [v (m/s); ω (rad/s)], the tip twist the joint rates produce, from the
    normalised columns (the linear rows scaled back by L)."""
    vx = vy = vz = wx = wy = wz = 0.0
    for (jx, jy, jz, zx, zy, zz), rate in zip(jacobian_n, rates, strict=True):
        vx += jx * rate
        vy += jy * rate
        vz += jz * rate
        wx += zx * rate
        wy += zy * rate
        wz += zz * rate
    length = CHARACTERISTIC_LENGTH_M
    return (vx * length, vy * length, vz * length, wx, wy, wz)


def log_manipulability_gradient(
    jacobian_n: Sequence[Sequence[float]], pinv_t: Sequence[Sequence[float]]
) -> list[float]:
    """d log w / dq (7 values), w = sqrt(det(Jn Jn^T)), Jn the normalised Jacobian; both
    arguments as their seven columns.

    d log w / dq_k = trace(Jn^+ dJn/dq_k) = sum(P ⊙ dJn/dq_k), P = (Jn Jn^T)^-1 Jn =
    ``pinv_t`` (the caller damps it near a singularity). For revolute columns
    J_i = [z_i × r_i; z_i] the derivative is  k <= i: [z_k × Jv_i; z_k × z_i],
    k > i: [z_i × Jv_k; 0]; so with a_i = Jv_i × Pv_i + z_i × Pw_i and b_i = Pv_i × z_i,
    grad_k = z_k · sum_{i >= k} a_i + Jv_k · sum_{i < k} b_i: O(n), no finite differences.
    """
    grad = [0.0] * 7
    sx = sy = sz = 0.0
    for i in range(6, -1, -1):
        vx, vy, vz, wx, wy, wz = jacobian_n[i]
        px, py, pz, qx, qy, qz = pinv_t[i]
        sx += vy * pz - vz * py + wy * qz - wz * qy
        sy += vz * px - vx * pz + wz * qx - wx * qz
        sz += vx * py - vy * px + wx * qy - wy * qx
        grad[i] = wx * sx + wy * sy + wz * sz
    bx = by = bz = 0.0
    for i in range(7):
        vx, vy, vz, wx, wy, wz = jacobian_n[i]
        px, py, pz, _, _, _ = pinv_t[i]
        grad[i] += vx * bx + vy * by + vz * bz
        bx += py * wz - pz * wy
        by += pz * wx - px * wz
        bz += px * wy - py * wx
    return grad
