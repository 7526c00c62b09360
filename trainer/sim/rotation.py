"""The one rotation helper: the rotation matrix of a quaternion (x, y, z, w, pybullet's
order, docs/DESIGN.md §3). Pure: no pybullet.

The formula is Bullet's own (``btMatrix3x3::setRotation``, double precision), written out
in Python floats, so ``rows_from_quat(q)`` equals ``pybullet.getMatrixFromQuaternion(q)``
bit for bit (tests/sim/test_rotation.py): a world read through pybullet and the same
quaternion turned into a matrix here agree exactly. It does not need a unit quaternion
(the 2/|q|² factor normalises). Float arithmetic rather than numpy: it runs several times
per control tick, where numpy's per-call cost is ~10x the arithmetic (docs/DESIGN.md §9).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Vec = tuple[float, float, float]
Rows = tuple[Vec, Vec, Vec]
FloatArray = npt.NDArray[np.float64]


def rows_from_quat(quat_xyzw: Sequence[float]) -> Rows:
    """Rows of the rotation matrix (columns = the rotated frame's axes in the parent)."""
    x, y, z, w = (float(v) for v in quat_xyzw)
    d = x * x + y * y + z * z + w * w
    if d == 0.0 or not math.isfinite(d):
        raise ValueError(f"quaternion {tuple(quat_xyzw)} is not a rotation")
    s = 2.0 / d
    xs, ys, zs = x * s, y * s, z * s
    wx, wy, wz = w * xs, w * ys, w * zs
    xx, xy, xz = x * xs, x * ys, x * zs
    yy, yz, zz = y * ys, y * zs, z * zs
    return (
        (1.0 - (yy + zz), xy - wz, xz + wy),
        (xy + wz, 1.0 - (xx + zz), yz - wx),
        (xz - wy, yz + wx, 1.0 - (xx + yy)),
    )


def matrix_from_quat(quat_xyzw: Sequence[float] | FloatArray) -> FloatArray:
    """The same matrix as a 3x3 numpy array."""
    return np.array(rows_from_quat(quat_xyzw))  # type: ignore[arg-type]
