from __future__ import annotations

import math

import pytest

from trainer.input.shaping import (
    axis_deadzone,
    calibrate_rest,
    expo,
    radial_deadzone,
    shape_axis,
    shape_stick,
)


@pytest.mark.parametrize("x, y", [(0.0, 0.0), (0.1, 0.0), (0.1, -0.1), (0.0, 0.15)])
def test_inside_the_radial_deadzone_is_exactly_zero(x: float, y: float) -> None:
    assert radial_deadzone(x, y, 0.15) == (0.0, 0.0)


@pytest.mark.parametrize("angle_deg", [0, 30, 90, 135, 200, 315])
def test_full_deflection_stays_one_in_every_direction(angle_deg: int) -> None:
    a = math.radians(angle_deg)
    sx, sy = radial_deadzone(math.cos(a), math.sin(a), 0.2)
    assert math.hypot(sx, sy) == pytest.approx(1.0)
    assert math.atan2(sy, sx) == pytest.approx(math.atan2(math.sin(a), math.cos(a)))


def test_rescaling_is_linear_from_the_deadzone_edge() -> None:
    assert radial_deadzone(0.6, 0.0, 0.2) == pytest.approx((0.5, 0.0))
    assert radial_deadzone(0.0, -0.6, 0.2) == pytest.approx((0.0, -0.5))


def test_square_gate_corner_is_clipped_to_one() -> None:
    sx, sy = radial_deadzone(1.0, 1.0, 0.1)
    assert math.hypot(sx, sy) == pytest.approx(1.0)


def test_diagonal_is_not_snapped_to_an_axis() -> None:
    _sx, sy = radial_deadzone(0.5, 0.1, 0.15)  # per-axis deadzone would zero y
    assert sy > 0.0


def test_axis_deadzone() -> None:
    assert axis_deadzone(0.05, 0.05) == 0.0
    assert axis_deadzone(-1.0, 0.05) == -1.0
    assert axis_deadzone(0.525, 0.05) == pytest.approx(0.5)
    assert axis_deadzone(math.nan, 0.05) == 0.0


@pytest.mark.parametrize("amount", [0.0, 0.3, 1.0])
def test_expo_fixes_zero_and_the_ends(amount: float) -> None:
    assert expo(0.0, amount) == 0.0
    assert expo(1.0, amount) == pytest.approx(1.0)
    assert expo(-1.0, amount) == pytest.approx(-1.0)


def test_expo_softens_the_centre_and_is_monotonic() -> None:
    assert expo(0.5, 0.0) == 0.5
    assert expo(0.5, 1.0) == pytest.approx(0.125)
    assert expo(0.5, 0.2) == pytest.approx(0.8 * 0.5 + 0.2 * 0.125)
    values = [expo(v / 50 - 1, 0.7) for v in range(101)]
    assert values == sorted(values)


def test_shape_stick_applies_expo_to_the_magnitude() -> None:
    sx, sy = shape_stick(0.0, 0.6, 0.2, 1.0)
    assert (sx, sy) == pytest.approx((0.0, 0.125))
    assert shape_axis(0.1, 0.15, 0.5) == 0.0


def test_calibrate_rest_maps_a_raw_trigger() -> None:
    assert calibrate_rest(-1.0, -1.0) == 0.0
    assert calibrate_rest(1.0, -1.0) == 1.0
    assert calibrate_rest(0.0, -1.0) == 0.5
    assert calibrate_rest(0.3, 0.0) == 0.3
