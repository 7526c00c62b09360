"""Builders of scoring inputs without a world: a session's facts and telemetry snapshots."""

from __future__ import annotations

import dataclasses
from typing import Any

from trainer.control.telemetry import ControlTelemetry, Frame, ModeName, RateScale
from trainer.input.state import HandControllerState
from trainer.scenario.loader import load_scenario
from trainer.scenario.model import Scenario
from trainer.scoring.accumulate import ScoreAccumulator
from trainer.scoring.envelope import judge
from trainer.scoring.report import SessionFacts, TriggerFacts
from trainer.sim.capture_state import CaptureState
from trainer.sim.metrics import CaptureMetrics
from trainer.telemetry import Telemetry

# Every quantity inside its full-credit tier (crs20-capture's envelope).
GOOD_METRICS = CaptureMetrics(0.01, 0.10, 1.0, 1.0, 0.005, 0.05)


def scenario(scenario_id: str = "crs20-capture") -> Scenario:
    return load_scenario(scenario_id)


def facts(sc: Scenario | None = None, **changes: Any) -> SessionFacts:
    """A clean capture 60 s into free drift (free drift at 5 s); ``changes`` replace
    fields, and ``metrics=`` replaces the trigger's metrics (judged on sc's envelope)."""
    sc = sc or scenario()
    metrics = changes.pop("metrics", GOOD_METRICS)
    trigger_time = changes.pop("trigger_time_s", 65.0)
    base = SessionFacts(
        scenario=sc,
        seed=1,
        pilot="test",
        outcome="captured",
        outcome_reason="rigidized",
        free_drift_start_s=5.0,
        trigger=TriggerFacts(trigger_time, metrics, judge(metrics, sc.envelope)),
        misses=0,
        captured_at_s=trigger_time + 2.0,
        aborted_at_s=None,
        abort_correct=None,
        closing_speed_at_abort_m_s=None,
        peak_closing_speed_m_s=0.005,
        end_time_s=trigger_time + 20.0,
        accumulator=ScoreAccumulator(sc),
        recording=None,
    )
    return dataclasses.replace(base, **changes)


CONTROL = ControlTelemetry(
    mode=ModeName.CARTESIAN,
    frame=Frame.LEE,
    rate_scale=RateScale.COARSE,
    selected_joint="shoulder_roll",
    brakes_on=False,
    safed=False,
    safed_reason=None,
    warnings=(),
    manipulability=1.0,
    lee_velocity_command_world_m_s=(0.0, 0.0, 0.0),
    lee_angular_velocity_command_world_rad_s=(0.0, 0.0, 0.0),
    lee_speed_limit_m_s=0.37,
    lee_rate_limit_rad_s=0.07,
    payload_mass_kg=0.0,
)


def telemetry(**changes: Any) -> Telemetry:
    """A snapshot of a still arm 5 m from the fixture at t = 0; ``changes`` replace fields."""
    zero = (0.0, 0.0, 0.0)
    unit = (0.0, 0.0, 0.0, 1.0)
    fields: dict[str, Any] = {
        "tick": 0,
        "time_s": 0.0,
        "free_drift_elapsed_s": None,
        "range_m": 5.0,
        "lee_position_world_m": zero,
        "lee_orientation_world_xyzw": unit,
        "lee_velocity_world_m_s": zero,
        "lee_angular_velocity_world_rad_s": zero,
        "lee_speed_m_s": 0.0,
        "vehicle_position_world_m": (0.0, 0.0, -10.0),
        "vehicle_velocity_world_m_s": zero,
        "vehicle_orientation_world_xyzw": unit,
        "vehicle_angular_velocity_world_rad_s": zero,
        "closing_speed_m_s": 0.0,
        "frgf_position_world_m": (5.0, 0.0, 0.0),
        "frgf_orientation_world_xyzw": unit,
        "shaft_tip_position_world_m": (5.0, 0.0, 0.0),
        "shaft_tip_velocity_world_m_s": zero,
        "drift_from_start_m": 0.0,
        "joint_angles_rad": (0.0,) * 7,
        "joint_rates_rad_s": (0.0,) * 7,
        "joint_torques_nm": (0.0,) * 7,
        "joint_brakes_engaged": (False,) * 7,
        "hand_controller": HandControllerState(),
        "control": CONTROL,
        "capture_state": CaptureState.OPEN,
        "payload_mass_kg": 0.0,
        "constraint_force_n": 0.0,
        "constraint_torque_nm": 0.0,
    }
    fields.update(changes)
    return Telemetry(**fields)
