"""The payload speed law and the rate scales (docs/REFERENCE.md §1, §3)."""

from __future__ import annotations

import math

import pytest

from trainer.control.params import DEFAULT_PARAMETERS, ControlParameters


def test_payload_law_passes_through_the_sourced_points() -> None:
    p = DEFAULT_PARAMETERS
    assert p.tip_speed_limit_m_s(0.0) == pytest.approx(0.37)
    assert p.tip_speed_limit_m_s(116_000.0) == pytest.approx(0.02)
    masses = [0.0, 100.0, 1_000.0, 7_200.0, 20_000.0, 116_000.0]
    speeds = [p.tip_speed_limit_m_s(m) for m in masses]
    assert speeds == sorted(speeds, reverse=True)
    assert p.tip_rate_limit_rad_s(0.0) == pytest.approx(math.radians(4.0))
    assert p.tip_rate_limit_rad_s(7_200.0) < p.tip_rate_limit_rad_s(0.0)


def test_task_limit_and_vernier() -> None:
    p = ControlParameters(task_tip_speed_limit_m_s=0.012)  # orbiter berthing, docs/REFERENCE.md §1
    assert p.tip_speed_limit_m_s(0.0) == pytest.approx(0.012)
    assert DEFAULT_PARAMETERS.vernier_factor == pytest.approx(0.1)


@pytest.mark.parametrize("mass", [-1.0, math.nan, math.inf])
def test_a_bad_payload_mass_is_refused(mass: float) -> None:
    with pytest.raises(ValueError, match="payload mass"):
        DEFAULT_PARAMETERS.payload_speed_factor(mass)
