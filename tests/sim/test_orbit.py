"""CW relative motion: the closed form reproduces docs/REFERENCE.md §5's derived numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trainer.sim.orbit import cw_acceleration, cw_state_at, mean_motion_rad_s


def test_mean_motion_matches_reference() -> None:
    assert mean_motion_rad_s() == pytest.approx(1.128e-3, rel=1e-3)
    period_min = 2 * math.pi / mean_motion_rad_s() / 60
    assert period_min == pytest.approx(92.85, abs=0.1)


@pytest.mark.parametrize(("t_s", "fall_m"), [(30, 0.017), (60, 0.069), (99, 0.187), (180, 0.616)])
def test_release_at_rest_below_station_falls_away(t_s: float, fall_m: float) -> None:
    pos, _ = cw_state_at((0, 0, -10), (0, 0, 0), mean_motion_rad_s(), t_s)
    assert -10 - pos[2] == pytest.approx(fall_m, abs=0.001)


def test_drifts_ahead_and_along_track_residual_moves_a_metre() -> None:
    n = mean_motion_rad_s()
    pos, _ = cw_state_at((0, 0, -10), (0, 0, 0), n, 99)
    assert pos[0] == pytest.approx(0.014, abs=0.001)
    pos, _ = cw_state_at((0, 0, 0), (0.01, 0, 0), n, 99)
    assert np.linalg.norm(pos) == pytest.approx(1.0, abs=0.05)


def test_closed_form_satisfies_the_equations() -> None:
    n = mean_motion_rad_s()
    p0, v0, h = np.array([1.0, 2.0, -10.0]), np.array([0.01, -0.003, 0.002]), 1e-3
    _, v_plus = cw_state_at(p0, v0, n, 50 + h)
    _, v_minus = cw_state_at(p0, v0, n, 50 - h)
    p, v = cw_state_at(p0, v0, n, 50)
    np.testing.assert_allclose((v_plus - v_minus) / (2 * h), cw_acceleration(p, v, n), atol=1e-12)


def test_bad_altitude_refused() -> None:
    with pytest.raises(ValueError, match="altitude"):
        mean_motion_rad_s(float("nan"))
