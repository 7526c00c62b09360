"""The 6 x 6 algebra of the damped least-squares solve, unrolled: the Gram matrix
A = Jn Jnᵀ of the seven Jacobian columns, its Cholesky factor, its inverse and the inverse
times the columns (trainer/control/resolved_rate.py).

Written out entry by entry because the solver runs every control tick: the same
fixed-order arithmetic as trainer/fixedmath.py's loops (every sum in index order, each
operation rounded on its own, so the same bits on every CPU: docs/DESIGN.md §10), at a
third of their cost in CPython (measured per call: Gram 2.1 µs, Cholesky 1.5, inverse 2.4,
inverse times the seven columns 3.3; the loops 10, 3.3, 8.4 and 18).
"""

from __future__ import annotations

from collections.abc import Sequence
from math import sqrt

from trainer.control.kinematics import Column6

Lower6 = tuple[tuple[float, ...], ...]  # rows of a lower triangle: row i holds i + 1 values
Row6 = tuple[float, float, float, float, float, float]
Rows6 = tuple[Row6, Row6, Row6, Row6, Row6, Row6]


def jacobian_gram(columns: Sequence[Column6]) -> list[list[float]]:
    """The lower triangle of Jn Jnᵀ (6 x 6, row i holds columns 0..i) from the seven
    columns: Σₖ cₖ cₖᵀ, added joint by joint in order (2 µs; a loop over index pairs
    takes 10)."""
    a00 = a10 = a11 = a20 = a21 = a22 = a30 = a31 = a32 = a33 = a40 = 0.0
    a41 = a42 = a43 = a44 = a50 = a51 = a52 = a53 = a54 = a55 = 0.0
    for c0, c1, c2, c3, c4, c5 in columns:
        a00 += c0 * c0
        a10 += c1 * c0
        a11 += c1 * c1
        a20 += c2 * c0
        a21 += c2 * c1
        a22 += c2 * c2
        a30 += c3 * c0
        a31 += c3 * c1
        a32 += c3 * c2
        a33 += c3 * c3
        a40 += c4 * c0
        a41 += c4 * c1
        a42 += c4 * c2
        a43 += c4 * c3
        a44 += c4 * c4
        a50 += c5 * c0
        a51 += c5 * c1
        a52 += c5 * c2
        a53 += c5 * c3
        a54 += c5 * c4
        a55 += c5 * c5
    return [
        [a00],
        [a10, a11],
        [a20, a21, a22],
        [a30, a31, a32, a33],
        [a40, a41, a42, a43, a44],
        [a50, a51, a52, a53, a54, a55],
    ]


def cholesky6(a: Sequence[Sequence[float]]) -> Lower6 | None:
    """L (rows of the lower triangle) with L Lᵀ = A for the 6 x 6 symmetric A given by
    its lower triangle; ``None`` unless A is positive definite. Row by row, each sum
    taken in index order (as fixedmath.cholesky, unrolled: 1.5 µs instead of 3.3)."""
    r0, r1, r2, r3, r4, r5 = a
    d = r0[0]
    if not d > 0.0:
        return None
    l00 = sqrt(d)
    l10 = (r1[0]) / l00
    d = r1[1] - l10 * l10
    if not d > 0.0:
        return None
    l11 = sqrt(d)
    l20 = (r2[0]) / l00
    l21 = (r2[1] - l20 * l10) / l11
    d = r2[2] - l20 * l20 - l21 * l21
    if not d > 0.0:
        return None
    l22 = sqrt(d)
    l30 = (r3[0]) / l00
    l31 = (r3[1] - l30 * l10) / l11
    l32 = (r3[2] - l30 * l20 - l31 * l21) / l22
    d = r3[3] - l30 * l30 - l31 * l31 - l32 * l32
    if not d > 0.0:
        return None
    l33 = sqrt(d)
    l40 = (r4[0]) / l00
    l41 = (r4[1] - l40 * l10) / l11
    l42 = (r4[2] - l40 * l20 - l41 * l21) / l22
    l43 = (r4[3] - l40 * l30 - l41 * l31 - l42 * l32) / l33
    d = r4[4] - l40 * l40 - l41 * l41 - l42 * l42 - l43 * l43
    if not d > 0.0:
        return None
    l44 = sqrt(d)
    l50 = (r5[0]) / l00
    l51 = (r5[1] - l50 * l10) / l11
    l52 = (r5[2] - l50 * l20 - l51 * l21) / l22
    l53 = (r5[3] - l50 * l30 - l51 * l31 - l52 * l32) / l33
    l54 = (r5[4] - l50 * l40 - l51 * l41 - l52 * l42 - l53 * l43) / l44
    d = r5[5] - l50 * l50 - l51 * l51 - l52 * l52 - l53 * l53 - l54 * l54
    if not d > 0.0:
        return None
    l55 = sqrt(d)
    return (
        (l00,),
        (l10, l11),
        (l20, l21, l22),
        (l30, l31, l32, l33),
        (l40, l41, l42, l43, l44),
        (l50, l51, l52, l53, l54, l55),
    )


def inverse6(lower: Lower6) -> tuple[Rows6, float]:
    """A⁻¹ = L⁻ᵀ L⁻¹ (all six rows) and its trace, from A's Cholesky factor: L⁻¹ by
    forward substitution, then each entry summed over k in index order."""
    r0, r1, r2, r3, r4, r5 = lower
    l00 = r0[0]
    l10, l11 = r1
    l20, l21, l22 = r2
    l30, l31, l32, l33 = r3
    l40, l41, l42, l43, l44 = r4
    l50, l51, l52, l53, l54, l55 = r5
    m00 = 1.0 / l00
    m10 = -(l10 * m00) / l11
    m20 = -(l20 * m00 + l21 * m10) / l22
    m30 = -(l30 * m00 + l31 * m10 + l32 * m20) / l33
    m40 = -(l40 * m00 + l41 * m10 + l42 * m20 + l43 * m30) / l44
    m50 = -(l50 * m00 + l51 * m10 + l52 * m20 + l53 * m30 + l54 * m40) / l55
    m11 = 1.0 / l11
    m21 = -(l21 * m11) / l22
    m31 = -(l31 * m11 + l32 * m21) / l33
    m41 = -(l41 * m11 + l42 * m21 + l43 * m31) / l44
    m51 = -(l51 * m11 + l52 * m21 + l53 * m31 + l54 * m41) / l55
    m22 = 1.0 / l22
    m32 = -(l32 * m22) / l33
    m42 = -(l42 * m22 + l43 * m32) / l44
    m52 = -(l52 * m22 + l53 * m32 + l54 * m42) / l55
    m33 = 1.0 / l33
    m43 = -(l43 * m33) / l44
    m53 = -(l53 * m33 + l54 * m43) / l55
    m44 = 1.0 / l44
    m54 = -(l54 * m44) / l55
    m55 = 1.0 / l55
    b00 = m00 * m00 + m10 * m10 + m20 * m20 + m30 * m30 + m40 * m40 + m50 * m50
    b10 = m11 * m10 + m21 * m20 + m31 * m30 + m41 * m40 + m51 * m50
    b11 = m11 * m11 + m21 * m21 + m31 * m31 + m41 * m41 + m51 * m51
    b20 = m22 * m20 + m32 * m30 + m42 * m40 + m52 * m50
    b21 = m22 * m21 + m32 * m31 + m42 * m41 + m52 * m51
    b22 = m22 * m22 + m32 * m32 + m42 * m42 + m52 * m52
    b30 = m33 * m30 + m43 * m40 + m53 * m50
    b31 = m33 * m31 + m43 * m41 + m53 * m51
    b32 = m33 * m32 + m43 * m42 + m53 * m52
    b33 = m33 * m33 + m43 * m43 + m53 * m53
    b40 = m44 * m40 + m54 * m50
    b41 = m44 * m41 + m54 * m51
    b42 = m44 * m42 + m54 * m52
    b43 = m44 * m43 + m54 * m53
    b44 = m44 * m44 + m54 * m54
    b50 = m55 * m50
    b51 = m55 * m51
    b52 = m55 * m52
    b53 = m55 * m53
    b54 = m55 * m54
    b55 = m55 * m55
    return (
        (b00, b10, b20, b30, b40, b50),
        (b10, b11, b21, b31, b41, b51),
        (b20, b21, b22, b32, b42, b52),
        (b30, b31, b32, b33, b43, b53),
        (b40, b41, b42, b43, b44, b54),
        (b50, b51, b52, b53, b54, b55),
    ), b00 + b11 + b22 + b33 + b44 + b55


def times_columns6(m: Rows6, columns: Sequence[Column6]) -> list[list[float]]:
    """M cₖ for each 6-vector cₖ (M by its six rows), each entry summed in index order."""
    (
        (m00, m01, m02, m03, m04, m05),
        (m10, m11, m12, m13, m14, m15),
        (m20, m21, m22, m23, m24, m25),
        (m30, m31, m32, m33, m34, m35),
        (m40, m41, m42, m43, m44, m45),
        (m50, m51, m52, m53, m54, m55),
    ) = m
    return [
        [
            m00 * c0 + m01 * c1 + m02 * c2 + m03 * c3 + m04 * c4 + m05 * c5,
            m10 * c0 + m11 * c1 + m12 * c2 + m13 * c3 + m14 * c4 + m15 * c5,
            m20 * c0 + m21 * c1 + m22 * c2 + m23 * c3 + m24 * c4 + m25 * c5,
            m30 * c0 + m31 * c1 + m32 * c2 + m33 * c3 + m34 * c4 + m35 * c5,
            m40 * c0 + m41 * c1 + m42 * c2 + m43 * c3 + m44 * c4 + m45 * c5,
            m50 * c0 + m51 * c1 + m52 * c2 + m53 * c3 + m54 * c4 + m55 * c5,
        ]
        for c0, c1, c2, c3, c4, c5 in columns
    ]
