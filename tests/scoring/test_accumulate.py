"""The running score metrics, one telemetry snapshot at a time (no world): reversals,
tip speed near the vehicle, the lowest manipulability and the loads while holding."""

from __future__ import annotations

import dataclasses
import math

import pytest
from scoring_support import CONTROL, scenario, telemetry

from trainer.input.state import HandControllerState
from trainer.scoring.accumulate import ScoreAccumulator
from trainer.sim.capture_state import CaptureState


def test_only_full_swings_of_an_axis_count_as_reversals() -> None:
    acc = ScoreAccumulator(scenario())
    for x in (0.5, 0.1, -0.2, -0.6, 0.0, 0.3, 0.9, -0.3):
        acc.add(telemetry(hand_controller=HandControllerState(thc=(x, 0.0, 0.0))))
    # +0.5 -> -0.6 -> +0.3 -> -0.3: three swings past ±0.25; -0.2 and 0.1 are corrections.
    assert acc.reversals == 3


def test_lee_speed_near_the_fixture_is_timed_above_the_limit_only_with_open_snares() -> None:
    acc = ScoreAccumulator(scenario())
    for tick in range(61):  # one second at 0.15 m/s, 1 m from the shaft tip
        acc.add(telemetry(tick=tick, time_s=tick / 60, range_m=1.0, lee_speed_m_s=0.15))
    for tick in range(61, 121):  # then far away, or holding: not counted
        far = tick < 91
        acc.add(
            telemetry(
                tick=tick,
                time_s=tick / 60,
                range_m=3.0 if far else 0.2,
                lee_speed_m_s=0.5,
                capture_state=CaptureState.OPEN if far else CaptureState.RIGID,
            )
        )
    assert acc.near_vehicle_exceedance_s == pytest.approx(1.0)
    assert acc.peak_tip_speed_near_vehicle_m_s == 0.15


def test_the_lowest_known_manipulability_is_kept() -> None:
    acc = ScoreAccumulator(scenario())
    for value in (1.2, 0.4, math.nan, 0.9):
        acc.add(telemetry(control=dataclasses.replace(CONTROL, manipulability=value)))
    acc.add(telemetry(control=None))
    assert acc.min_manipulability == 0.4


def test_loads_count_as_post_capture_only_while_holding() -> None:
    acc = ScoreAccumulator(scenario())
    acc.add(telemetry(joint_torques_nm=(900.0,) + (0.0,) * 6, constraint_force_n=50.0))
    acc.add(
        telemetry(
            joint_torques_nm=(0.0,) * 6 + (-400.0,),
            capture_state=CaptureState.RIGIDIZING,
            constraint_force_n=300.0,
            constraint_torque_nm=120.0,
        )
    )
    assert acc.peak_joint_torque_nm == 900.0
    assert acc.post_capture_peak_joint_torque_nm == 400.0
    assert acc.post_capture_peak_force_n == 300.0 and acc.post_capture_peak_torque_nm == 120.0
