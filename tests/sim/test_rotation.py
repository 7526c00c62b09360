"""The one rotation helper equals pybullet's own matrix bit for bit, for unit and
non-unit quaternions, and refuses a quaternion that is no rotation."""

from __future__ import annotations

import math

import numpy as np
import pybullet as pb
import pytest

from trainer.sim.rotation import matrix_from_quat, rows_from_quat


def test_rows_equal_pybullets_matrix_bit_for_bit() -> None:
    rng = np.random.default_rng(7)
    for scale in (1.0, 0.5, 3.0):
        for _ in range(500):
            q = rng.normal(size=4)
            q = tuple(float(v) for v in scale * q / np.linalg.norm(q))
            expected = np.array(pb.getMatrixFromQuaternion(q)).reshape(3, 3)
            assert np.array_equal(matrix_from_quat(q), expected)


def test_a_quarter_turn_about_z_turns_x_into_y() -> None:
    half = math.sqrt(0.5)
    rows = rows_from_quat((0.0, 0.0, half, half))
    np.testing.assert_allclose(np.array(rows) @ [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], atol=1e-15)


@pytest.mark.parametrize("q", [(0.0, 0.0, 0.0, 0.0), (math.nan, 0.0, 0.0, 1.0)])
def test_a_quaternion_that_is_no_rotation_is_refused(q: tuple[float, ...]) -> None:
    with pytest.raises(ValueError, match="is not a rotation"):
        rows_from_quat(q)
