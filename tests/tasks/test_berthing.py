"""The berthing task (docs/DESIGN.md §11; docs/REFERENCE.md §10): flown end to end by the
autopilot it berths and passes; nobody at the sticks never berths; a pilot that rams the
guides ends in a collision the session's impact rule names; each fault has its answer;
the arm goes limp at first stage and the latches draw Dragon in physically."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from berthing_support import fly, fly_session, kinds, with_hard_limit

from trainer.pilots.berthing_autopilot import BerthingAutopilot
from trainer.scenario.loader import load_scenario
from trainer.session import Session
from trainer.sim import cbm_geometry as geo
from trainer.sim.cbm_metrics import berthing_metrics
from trainer.tasks.berthing import BerthingTask

Check = Callable[[Mapping[str, Any]], None]


def test_the_autopilot_berths_dragon_and_passes(report_schema: Check) -> None:
    flight = fly("crs20-berthing")
    report = flight.report
    report_schema(report)
    assert flight.outcome == "berthed", flight.reason
    assert report["passed"], report["reasons"]
    b = report["berthing"]
    assert b["phase_reached"] == "berthed"
    assert b["rtl"]["tier"] == "full" and not b["rtl"]["on_three_rtls"]
    assert b["rtl"]["indicators"] == [True, True, True, True]
    # The procedure in its order, each step after the one before.
    times = [
        b["pre_install_setup_s"],
        b["pre_install_s"],
        b["go_for_final_approach_s"],
        b["first_stage_s"],
        b["first_stage_complete_s"],
        b["second_stage_complete_s"],
        b["brakes_on_s"],
        b["go_for_release_s"],
        b["released_s"],
    ]
    assert all(t is not None for t in times) and times == sorted(times)
    assert b["pre_install_to_first_stage_s"] <= 240.0  # inside full credit
    assert b["guide_contacts"] == 0 and not b["violations"] and b["abort"] is None
    assert kinds(flight).count("bolt_driven") == geo.BOLT_COUNT
    assert report["score"]["total"] > 90.0
    assert set(report["score"]["components"]) == {
        "time", "lateral", "tilt", "roll", "axial_speed", "rate", "contacts",
        "guide_loads", "rtl_rejections", "reversals", "procedure", "abort_decision",
    }  # fmt: skip


def test_berthed_dragon_sits_on_the_port() -> None:
    last = fly("crs20-berthing").telemetry[-1]
    m = berthing_metrics(
        last.vehicle_position_world_m,
        last.vehicle_orientation_world_xyzw,
        last.vehicle_velocity_world_m_s,
        last.vehicle_angular_velocity_world_rad_s,
    )
    assert abs(m.separation_m) < 0.002 and m.lateral_offset_m < 0.002
    assert m.tilt_deg < 0.1 and abs(m.roll_deg) < 0.1


def test_the_arm_goes_limp_at_first_stage_and_the_latches_draw_dragon_in() -> None:
    flight = fly("crs20-berthing")
    b = flight.report["berthing"]
    first = round(b["first_stage_s"] * 60)
    assert flight.limp_ticks and min(flight.limp_ticks) == first  # from that tick on
    # (after the autopilot's next 10 Hz decision centred its sticks)
    stage = [t for t in flight.telemetry if b["first_stage_s"] + 0.2 <= t.time_s <= b["released_s"]]
    # The sticks are centred, yet the joints turn: the latches pull Dragon and the arm
    # yields (docs/REFERENCE.md §10.2); never a jump (a teleport would).
    assert all(t.hand_controller.is_neutral for t in stage)
    moved = max(
        abs(a - b0)
        for a, b0 in zip(stage[-1].joint_angles_rad, stage[0].joint_angles_rad, strict=True)
    )
    assert moved > math.radians(0.05)
    steps = [
        math.dist(t1.vehicle_position_world_m, t0.vehicle_position_world_m)
        for t0, t1 in itertools.pairwise(stage)
    ]
    assert max(steps) < 0.002  # ≤ 2 cm/s over any 0.1 s
    assert all(abs(x) < 120.0 for t in stage for x in t.joint_torques_nm)  # the limp drives


def test_nobody_at_the_sticks_never_berths() -> None:
    flight = fly_session(with_hard_limit("crs20-berthing", 60.0), "none")
    assert flight.outcome == "timeout"
    assert "hard limit of 60 s" in str(flight.reason) and "to setup" in str(flight.reason)
    assert not flight.report["passed"]


def test_ramming_the_guides_is_a_collision() -> None:
    flight = fly("crs20-berthing", "ram")
    assert flight.outcome == "collision"
    assert "station/cbm_guide_" in str(flight.reason)
    assert not flight.report["passed"]
    b = flight.report["berthing"]
    assert b["guide_contacts"] >= 1 and b["peak_guide_force_n"] > 2_200.0
    assert flight.report["score"]["components"]["contacts"] == -10.0


def test_a_failed_rtl_is_answered_by_holding_still_on_three() -> None:
    flight = fly("crs20-berthing-rtl-fault")
    assert flight.outcome == "berthed", flight.reason
    b = flight.report["berthing"]
    assert b["rtl"]["on_three_rtls"] and b["rtl"]["indicators"] == [True, False, True, True]
    assert b["faults"] == ["RTL indicator 2 failed (never makes)"]
    assert flight.report["passed"]


def test_a_stalled_latch_is_answered_by_backing_out() -> None:
    flight = fly("crs20-berthing-latch-stall")
    assert flight.outcome == "aborted", flight.reason
    assert "capture latch 3 stalled" in str(flight.reason)
    b = flight.report["berthing"]
    assert b["abort"]["correct"] and b["first_stage_complete_s"] is None
    assert flight.report["passed"], flight.report["reasons"]
    last = flight.telemetry[-1]
    assert last.berthing is not None and not last.berthing.arm_limp
    assert last.berthing.latches == (0.0, 0.0, 0.0, 0.0)


def test_the_cbcs_video_lost_is_answered_by_holding_outside_the_guides() -> None:
    flight = fly("crs20-berthing-cbcs-loss")
    assert flight.outcome == "berthed" and flight.report["passed"]
    lost = [t for t in flight.telemetry if "cbcs" in t.cameras_lost]
    assert lost
    for t in lost:
        m = berthing_metrics(
            t.vehicle_position_world_m,
            t.vehicle_orientation_world_xyzw,
            t.vehicle_velocity_world_m_s,
            t.vehicle_angular_velocity_world_rad_s,
        )
        assert m.separation_m > geo.GUIDE_HEIGHT_M


def test_driving_into_the_guides_blind_fails_the_attempt() -> None:
    """A pilot that drives on with the video lost: the violation is named among the reasons."""
    scenario = load_scenario("crs20-berthing-cbcs-loss")
    flight = fly_session(scenario, "blind", pilot=BerthingAutopilot(heed_cbcs=False))
    assert flight.outcome == "berthed"  # the berthing itself went well
    reasons = " ".join(flight.report["reasons"])
    assert "with the CBCS lost" in reasons
    assert [v["rule"] for v in flight.report["berthing"]["violations"]] == ["guides_without_cbcs"]


def test_the_capture_then_the_berthing_in_one_session(report_schema: Check) -> None:
    flight = fly("crs20-capture-and-berth")
    report_schema(flight.report)
    assert flight.outcome == "berthed", flight.reason
    assert flight.report["passed"], flight.report["reasons"]
    assert flight.report["trigger"]["tier"] == "full"
    assert flight.report["berthing"]["capture_outcome"] == "captured"
    components = flight.report["score"]["components"]
    assert "capture_time" in components and "berthing_time" in components
    order = kinds(flight)
    assert order.index("rigid") < order.index("berthing_handover") < order.index("rtl")


def test_a_berthing_needs_its_scenario_section() -> None:
    scenario = load_scenario("crs20-capture")
    session = Session(scenario, 1)
    try:
        with pytest.raises(ValueError, match="berthing section"):
            BerthingTask(session)
    finally:
        session.close()
