"""Envelope tiers: each quantity just inside and just outside its limit lands on the right
side, with a sentence naming the quantity, its value and its limit."""

from __future__ import annotations

from dataclasses import replace

import pytest

from trainer.scenario.loader import load_scenario
from trainer.scoring.envelope import judge
from trainer.sim.metrics import CaptureMetrics

NOMINAL = CaptureMetrics(0.0, 0.10, 0.0, 0.0, 0.0, 0.0)
ENVELOPE = load_scenario("crs20-capture").envelope
EPS = 1e-6


@pytest.mark.parametrize(
    ("field", "full", "allowed"),
    [
        ("lateral_offset_m", 0.05, 0.10),
        ("pitch_yaw_misalignment_deg", 5.0, 10.0),
        ("roll_misalignment_deg", 5.0, 15.0),
        ("relative_speed_m_s", 0.01, 0.03),
        ("relative_rate_deg_s", 0.1, 0.3),
    ],
)
def test_upper_bounded_quantities(field: str, full: float, allowed: float) -> None:
    assert judge(replace(NOMINAL, **{field: full - EPS}), ENVELOPE).tier == "full"
    assert judge(replace(NOMINAL, **{field: full + EPS}), ENVELOPE).tier == "allowed"
    assert judge(replace(NOMINAL, **{field: allowed - EPS}), ENVELOPE).tier == "allowed"
    outside = judge(replace(NOMINAL, **{field: allowed + EPS}), ENVELOPE)
    assert outside.tier == "outside"
    (reason,) = outside.reasons()
    assert "exceeds the allowed" in reason and f"{allowed:g}" in reason.replace("0.100", "0.1")


@pytest.mark.parametrize(
    ("depth", "tier"),
    [
        (0.05 + EPS, "full"),
        (0.05 - EPS, "allowed"),
        (0.0 + EPS, "allowed"),
        (-EPS, "outside"),
        (0.15 - EPS, "full"),
        (0.15 + EPS, "allowed"),
        (0.20 - EPS, "allowed"),
        (0.20 + EPS, "outside"),
    ],
)
def test_axial_depth_window(depth: float, tier: str) -> None:
    assert judge(replace(NOMINAL, axial_depth_m=depth), ENVELOPE).tier == tier


def test_too_shallow_names_the_mouth() -> None:
    (reason,) = judge(replace(NOMINAL, axial_depth_m=-0.4), ENVELOPE).reasons()
    assert "axial depth -0.400 m is shallower than the allowed 0.000 m" in reason
    assert "outside the LEE mouth" in reason


def test_worst_quantity_decides() -> None:
    m = replace(NOMINAL, lateral_offset_m=0.07, relative_speed_m_s=0.05)
    j = judge(m, ENVELOPE)
    assert j.tier == "outside"
    assert len(j.reasons()) == 1 and "relative speed" in j.reasons()[0]
    assert len(j.reasons("full")) == 2
