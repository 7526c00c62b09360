"""trainer/fixedmath.py and trainer/control/linalg6.py: the fixed-order algebra agrees
with numpy's LAPACK to rounding, and the unrolled 6 x 6 code with the loops bit for bit
(docs/DESIGN.md §10)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trainer import fixedmath
from trainer.control.kinematics import forward_kinematics, jacobian_matrix
from trainer.control.linalg6 import cholesky6, inverse6, jacobian_gram, times_columns6

RNG = np.random.default_rng(20261207)
POSES = [RNG.uniform(-math.pi, math.pi, 7).tolist() for _ in range(25)]


def _spd(n: int) -> np.ndarray:
    a = RNG.normal(size=(n, n))
    return a @ a.T + n * np.eye(n)


def test_vectors_and_rotations() -> None:
    a, b = (0.3, -1.2, 2.5), (1.1, 0.4, -0.7)
    assert fixedmath.dot(a, b) == pytest.approx(float(np.dot(a, b)), rel=1e-15)
    assert fixedmath.cross3(a, b) == pytest.approx(tuple(np.cross(a, b)), rel=1e-15)
    assert fixedmath.norm3(a) == pytest.approx(float(np.linalg.norm(a)), rel=1e-15)
    m = tuple(tuple(r) for r in RNG.normal(size=(3, 3)).tolist())
    n = tuple(tuple(r) for r in RNG.normal(size=(3, 3)).tolist())
    assert fixedmath.rows3_times(m, a) == pytest.approx(tuple(np.array(m) @ a), rel=1e-14)
    assert fixedmath.rows3_transpose_times(m, a) == pytest.approx(
        tuple(np.array(m).T @ a), rel=1e-14
    )
    product = np.array(fixedmath.rows3_mul(m, n))
    assert np.allclose(product, np.array(m) @ np.array(n), rtol=1e-14, atol=1e-15)
    rows = RNG.normal(size=(4, 7))
    v = RNG.normal(size=7)
    assert np.allclose(fixedmath.rows_times(rows.tolist(), v.tolist()), rows @ v, rtol=1e-13)
    w = RNG.normal(size=4)
    assert np.allclose(fixedmath.columns_times(rows.tolist(), w.tolist()), rows.T @ w)


def test_matmul_is_the_product_and_does_not_depend_on_blas() -> None:
    a, b = RNG.normal(size=(6, 7)), RNG.normal(size=(7, 5))
    assert np.allclose(fixedmath.matmul(a, b), a @ b, rtol=1e-13, atol=1e-14)
    # fixed order: the same as summing the rank-one terms by hand, bit for bit
    by_hand = a[:, 0:1] * b[0:1, :]
    for k in range(1, 7):
        by_hand = by_hand + a[:, k : k + 1] * b[k : k + 1, :]
    assert np.array_equal(fixedmath.matmul(a, b), by_hand)


@pytest.mark.parametrize("n", [1, 3, 6, 7])
def test_cholesky_inverse_and_solve(n: int) -> None:
    a = _spd(n)
    lower = fixedmath.cholesky(a.tolist())
    assert lower is not None
    dense = np.zeros((n, n))
    for i, row in enumerate(lower):
        dense[i, : i + 1] = row
    assert np.allclose(dense, np.linalg.cholesky(a), rtol=1e-12, atol=1e-13)
    inverse, trace = fixedmath.inverse_from_cholesky(lower)
    assert np.allclose(inverse, np.linalg.inv(a), rtol=1e-11, atol=1e-13)
    assert trace == pytest.approx(float(np.trace(np.linalg.inv(a))), rel=1e-12)
    b = RNG.normal(size=n)
    assert np.allclose(fixedmath.cholesky_solve(lower, b.tolist()), np.linalg.solve(a, b))


def test_cholesky_refuses_what_is_not_positive_definite() -> None:
    assert fixedmath.cholesky([[1.0, 2.0], [2.0, 1.0]]) is None
    assert fixedmath.cholesky([[0.0]]) is None
    assert fixedmath.cholesky([[math.nan]]) is None
    assert cholesky6([[1.0], [0.0, 1.0], [0.0, 0.0, 1.0], [0, 0, 0, 1.0], [0] * 5, [0] * 6]) is None


@pytest.mark.parametrize("n", [2, 6, 7])
def test_symmetric_eigenvalues(n: int) -> None:
    a = RNG.normal(size=(n, n))
    a = a + a.T
    assert np.allclose(
        fixedmath.symmetric_eigenvalues(a.tolist()), np.linalg.eigvalsh(a), atol=1e-12
    )
    # a diagonal matrix: no rotation at all
    assert fixedmath.symmetric_eigenvalues([[3.0, 0.0], [0.0, -1.0]]) == [-1.0, 3.0]


@pytest.mark.parametrize("q", POSES)
def test_the_unrolled_gram_algebra_is_the_loops_bit_for_bit(q: list[float]) -> None:
    columns = forward_kinematics(q)[2]
    jn = jacobian_matrix(columns)
    gram = jacobian_gram(columns)
    assert np.allclose([row + [0.0] * (5 - i) for i, row in enumerate(gram)], np.tril(jn @ jn.T))
    lower6 = cholesky6(gram)
    lower = fixedmath.cholesky(gram)
    assert lower6 is not None and lower is not None
    assert [list(r) for r in lower6] == lower  # the same operations in the same order
    inverse, trace = inverse6(lower6)
    generic, generic_trace = fixedmath.inverse_from_cholesky(lower)
    assert [list(r) for r in inverse] == generic and trace == generic_trace
    p = times_columns6(inverse, columns)
    assert p == [list(fixedmath.rows_times(generic, c)) for c in columns]
    reference = np.linalg.solve(jn @ jn.T, jn)
    bound = 1e-14 * np.linalg.cond(jn @ jn.T) * np.abs(reference).max()  # rounding x condition
    assert np.abs(np.array(p).T - reference).max() <= bound
