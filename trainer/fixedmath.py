"""Small linear algebra in fixed-order arithmetic: the same inputs give the same bits on
every CPU (docs/DESIGN.md §10, the determinism domain).

Why not numpy's: its matrix products, ``dot``, ``linalg.norm``, ``solve``, ``det`` and
``svd`` go to BLAS/LAPACK, whose kernels are chosen for the CPU at run time (OpenBLAS's
Sandybridge, Haswell and SkylakeX kernels sum in different orders and differ in the last
bits: measured, the golden digests moved with ``OPENBLAS_CORETYPE``), and its reductions
and transcendental ufuncs are CPU-dispatched SIMD loops. Every function here uses only
IEEE-754 operations that are correctly rounded one at a time (``+ - * /`` and ``sqrt``),
in an order written in the code, on Python floats or as element-wise numpy operations
(one rounding per element, whatever the vector width). Nothing is fused: CPython rounds
every operation, and an element-wise numpy ufunc stores each result.

The transcendental functions (``math.sin`` …) come from the C library's libm, the same one
pybullet's own steps call; it is part of the domain with the pybullet build
(docs/DESIGN.md §10 says which CPUs share its code path).

Sizes are the arm's: 3-vectors, the 6 x 7 Jacobian, 6 x 6 and 7 x 7 symmetric matrices.
Plain Python floats beat numpy there (a numpy call costs more than the arithmetic).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
Vec3 = tuple[float, float, float]
Rows3 = tuple[Vec3, Vec3, Vec3]

# Off-diagonal mass, relative to the diagonal's, below which Jacobi sweeps stop (a few
# units in the last place of the eigenvalues: they are known to ~1e-16 relative).
_JACOBI_TOLERANCE = 1e-30
_JACOBI_MAX_SWEEPS = 50


def dot(a: Sequence[float], b: Sequence[float]) -> float:
    """Σ aᵢ bᵢ, summed from the first element to the last."""
    total = 0.0
    for x, y in zip(a, b, strict=True):
        total += x * y
    return total


def norm3(v: Sequence[float]) -> float:
    """Euclidean length of a 3-vector."""
    x, y, z = v[0], v[1], v[2]
    return math.sqrt(x * x + y * y + z * z)


def cross3(a: Sequence[float], b: Sequence[float]) -> Vec3:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def rows_times(rows: Sequence[Sequence[float]], v: Sequence[float]) -> tuple[float, ...]:
    """M v, M given by its rows."""
    return tuple(dot(row, v) for row in rows)


def columns_times(rows: Sequence[Sequence[float]], v: Sequence[float]) -> tuple[float, ...]:
    """Mᵀ v, M given by its rows: Σᵢ vᵢ rowᵢ, row by row in order."""
    out = [0.0] * len(rows[0])
    for vi, row in zip(v, rows, strict=True):
        for j, r in enumerate(row):
            out[j] += vi * r
    return tuple(out)


def rows3_times(m: Rows3, v: Sequence[float]) -> Vec3:
    """A 3x3 rotation (rows) times a 3-vector."""
    x, y, z = v[0], v[1], v[2]
    a, b, c = m
    return (
        a[0] * x + a[1] * y + a[2] * z,
        b[0] * x + b[1] * y + b[2] * z,
        c[0] * x + c[1] * y + c[2] * z,
    )


def rows3_transpose_times(m: Rows3, v: Sequence[float]) -> Vec3:
    """The transpose of a 3x3 rotation (rows) times a 3-vector: into the rotated frame."""
    x, y, z = v[0], v[1], v[2]
    a, b, c = m
    return (
        a[0] * x + b[0] * y + c[0] * z,
        a[1] * x + b[1] * y + c[1] * z,
        a[2] * x + b[2] * y + c[2] * z,
    )


def rows_from_rpy(roll_rad: float, pitch_rad: float, yaw_rad: float) -> Rows3:
    """The rotation (rows) of URDF roll-pitch-yaw, fixed axes x, y, z: R = Rz(yaw) Ry(pitch)
    Rx(roll), as URDF and pybullet read an ``rpy`` (their own arithmetic, written out)."""
    cr, sr = math.cos(roll_rad), math.sin(roll_rad)
    cp, sp = math.cos(pitch_rad), math.sin(pitch_rad)
    cy, sy = math.cos(yaw_rad), math.sin(yaw_rad)
    return (
        (cy * cp, cy * sp * sr - sy * cr, cy * sp * cr + sy * sr),
        (sy * cp, sy * sp * sr + cy * cr, sy * sp * cr - cy * sr),
        (-sp, cp * sr, cp * cr),
    )


def rows3_mul(a: Sequence[Sequence[float]], b: Sequence[Sequence[float]]) -> Rows3:
    """The product of two 3x3 matrices given by their rows."""
    (a00, a01, a02), (a10, a11, a12), (a20, a21, a22) = a
    (b00, b01, b02), (b10, b11, b12), (b20, b21, b22) = b
    return (
        (
            a00 * b00 + a01 * b10 + a02 * b20,
            a00 * b01 + a01 * b11 + a02 * b21,
            a00 * b02 + a01 * b12 + a02 * b22,
        ),
        (
            a10 * b00 + a11 * b10 + a12 * b20,
            a10 * b01 + a11 * b11 + a12 * b21,
            a10 * b02 + a11 * b12 + a12 * b22,
        ),
        (
            a20 * b00 + a21 * b10 + a22 * b20,
            a20 * b01 + a21 * b11 + a22 * b21,
            a20 * b02 + a21 * b12 + a22 * b22,
        ),
    )


def matmul(a: FloatArray, b: FloatArray) -> FloatArray:
    """A B for 2-D arrays, as Σₖ A[:, k] ⊗ B[k, :] accumulated k = 0, 1, … in order:
    element-wise multiplies and adds only (module docstring), never BLAS."""
    out: FloatArray = a[:, 0:1] * b[0:1, :]
    for k in range(1, a.shape[1]):
        out += a[:, k : k + 1] * b[k : k + 1, :]
    return out


def cholesky(a: Sequence[Sequence[float]]) -> list[list[float]] | None:
    """Lower-triangular L with L Lᵀ = A for a symmetric matrix (only its lower triangle
    is read), row by row; ``None`` when A is not positive definite (a pivot ≤ 0)."""
    n = len(a)
    lower: list[list[float]] = []
    for i in range(n):
        ai = a[i]
        row: list[float] = []
        for j in range(i):
            lj = lower[j]
            s = ai[j]
            for k in range(j):
                s -= row[k] * lj[k]
            row.append(s / lj[j])
        d = ai[i]
        for k in range(i):
            d -= row[k] * row[k]
        if not d > 0.0:  # also NaN
            return None
        row.append(math.sqrt(d))
        lower.append(row)
    return lower


def lower_inverse(lower: Sequence[Sequence[float]]) -> list[list[float]]:
    """The inverse of a lower-triangular matrix (itself lower triangular, rows padded with
    zeros to the full width), by forward substitution column by column."""
    n = len(lower)
    inv = [[0.0] * n for _ in range(n)]
    for j in range(n):
        inv[j][j] = 1.0 / lower[j][j]
        for i in range(j + 1, n):
            li = lower[i]
            s = 0.0
            for k in range(j, i):
                s -= li[k] * inv[k][j]
            inv[i][j] = s / li[i]
    return inv


def inverse_from_cholesky(lower: Sequence[Sequence[float]]) -> tuple[list[list[float]], float]:
    """A⁻¹ = L⁻ᵀ L⁻¹ (full rows) and its trace, from the Cholesky factor of a symmetric
    positive definite A; each entry summed over k in index order."""
    inv = lower_inverse(lower)
    n = len(inv)
    out = [[0.0] * n for _ in range(n)]
    trace = 0.0
    for i in range(n):
        for j in range(i + 1):
            s = 0.0
            for k in range(i, n):  # L⁻¹ is lower triangular: rows k ≥ i hold column i
                s += inv[k][i] * inv[k][j]
            out[i][j] = out[j][i] = s
        trace += out[i][i]
    return out, trace


def cholesky_solve(lower: Sequence[Sequence[float]], b: Sequence[float]) -> list[float]:
    """x with L Lᵀ x = b: forward, then backward substitution."""
    n = len(lower)
    y = [0.0] * n
    for i in range(n):
        li = lower[i]
        s = b[i]
        for k in range(i):
            s -= li[k] * y[k]
        y[i] = s / li[i]
    x = [0.0] * n
    for i in range(n - 1, -1, -1):
        s = y[i]
        for k in range(i + 1, n):
            s -= lower[k][i] * x[k]
        x[i] = s / lower[i][i]
    return x


def symmetric_eigenvalues(a: Sequence[Sequence[float]]) -> list[float]:
    """Eigenvalues of a small symmetric matrix, ascending, by cyclic Jacobi rotations
    (pairs visited in a fixed order; every sweep until the off-diagonal part is gone).
    Accurate to a few units in the last place; meant for the rare singular cases."""
    n = len(a)
    m = [[float(a[i][j]) if j <= i else float(a[j][i]) for j in range(n)] for i in range(n)]
    scale = 0.0
    for i in range(n):
        scale += m[i][i] * m[i][i]
    for _ in range(_JACOBI_MAX_SWEEPS):
        off = 0.0
        for i in range(n):
            for j in range(i):
                off += m[i][j] * m[i][j]
        if off <= _JACOBI_TOLERANCE * scale or off == 0.0:
            break
        for p in range(n - 1):
            for q in range(p + 1, n):
                apq = m[p][q]
                if apq == 0.0:
                    continue
                theta = (m[q][q] - m[p][p]) / (2.0 * apq)
                if abs(theta) > 1e150:
                    t = 0.5 / theta
                else:
                    t = math.copysign(1.0, theta) / (abs(theta) + math.sqrt(theta * theta + 1.0))
                c = 1.0 / math.sqrt(t * t + 1.0)
                s = t * c
                for k in range(n):  # columns p and q
                    mkp, mkq = m[k][p], m[k][q]
                    m[k][p] = c * mkp - s * mkq
                    m[k][q] = s * mkp + c * mkq
                for k in range(n):  # rows p and q
                    mpk, mqk = m[p][k], m[q][k]
                    m[p][k] = c * mpk - s * mqk
                    m[q][k] = s * mpk + c * mqk
    return sorted(m[i][i] for i in range(n))
