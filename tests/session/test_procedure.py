"""The approach procedure end to end (trainer/tasks/procedure.py, trainer/tasks/drill.py): the three
procedure scenarios are passed by the autopilot and failed by nobody flying; the retreat
drill is failed by a pilot that ignores its cue; Dragon's responses are recorded with their
response time; coming within 1.5 m of the fixture before free drift is a named violation."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.graded import run_graded
from trainer.input.state import HandControllerState
from trainer.pilots import make_pilot
from trainer.pilots.autopilot import Autopilot
from trainer.scenario.loader import load_scenario
from trainer.scoring.report import build_report
from trainer.session import Session
from trainer.session.reports import session_facts
from trainer.sim.dragon_gnc import RESPONSE_TIME_S

PROCEDURE_SCENARIOS = {
    "crs20-approach": "captured",
    "crs20-retreat-drill": "retreated",
    "offset-grapple-drill": "aligned",
}


@pytest.mark.parametrize("scenario_id", sorted(PROCEDURE_SCENARIOS))
def test_autopilot_passes_and_nobody_flying_fails(scenario_id: str, tmp_path: Path) -> None:
    scenario = load_scenario(scenario_id)
    flown = run_graded(scenario, 1, make_pilot("autopilot", scenario), "autopilot", tmp_path / "a")
    report = flown.report
    assert report["outcome"] == PROCEDURE_SCENARIOS[scenario_id], report["reasons"]
    assert report["passed"] and report["reasons"] == []
    assert report["procedure"]["free_drift_gate_violation"] is None
    idle = run_graded(scenario, 1, make_pilot("none", scenario), "none", tmp_path / "n").report
    assert not idle["passed"] and idle["outcome"] == "timeout"
    assert idle["reasons"]


def test_the_approach_is_flown_and_free_drift_sent_by_m2(tmp_path: Path) -> None:
    scenario = load_scenario("crs20-approach")
    report = run_graded(scenario, 2, make_pilot("autopilot", scenario), "autopilot", tmp_path)
    procedure = report.report["procedure"]
    assert procedure["free_drift_by"] == "crew"
    requested, confirmed = procedure["free_drift_requested_s"], procedure["free_drift_confirmed_s"]
    assert confirmed - requested == pytest.approx(RESPONSE_TIME_S, abs=0.02)
    assert report.report["free_drift_start_s"] == confirmed
    text = (tmp_path / "report.md").read_text()
    assert "vehicle_arrived" in text and "go_no_go" in text


def test_the_retreat_drill_is_failed_by_a_pilot_that_ignores_the_cue(tmp_path: Path) -> None:
    scenario = load_scenario("crs20-retreat-drill")
    deaf = Autopilot(scenario, answer_cues=False)
    report = run_graded(scenario, 1, deaf, "autopilot-ignoring-cues", tmp_path).report
    assert report["outcome"] == "timeout" and not report["passed"]
    assert "response window" in report["outcome_reason"]
    assert report["procedure"]["cues"][0]["answer"] is None
    # The autopilot answers with RETREAT, which Dragon flies after its response time.
    answered = run_graded(
        scenario, 1, make_pilot("autopilot", scenario), "autopilot", tmp_path / "a"
    ).report
    cue = answered["procedure"]["cues"][0]
    assert cue["answer"] == "retreat" and cue["response_time_s"] <= cue["window_s"]
    assert answered["procedure"]["vehicle_commands"][0]["command"] == "retreat"
    events = (tmp_path / "a" / "report.md").read_text()
    assert "vehicle_response | command=retreat, response_time_s=2" in events


def test_coming_within_1_5_m_before_free_drift_is_a_named_violation() -> None:
    """In the retreat drill Dragon holds before free drift; the LEE pushed 0.6 m towards
    the fixture (2 m away) breaks the free-drift gate: the report fails it and says so."""
    scenario = load_scenario("crs20-retreat-drill")
    session = Session(scenario, 1, pilot="test")
    try:
        push = HandControllerState(thc=(0.5, 0.0, 0.0))
        while session.time_s < 4.0:
            session.tick(push)
        while not session.finished:
            session.tick(HandControllerState())
        report = build_report(session_facts(session, None))
    finally:
        session.close()
    violation = report["procedure"]["free_drift_gate_violation"]
    assert violation is not None and violation["range_m"] < 1.5
    assert not report["passed"]
    assert any("before free drift was confirmed" in r for r in report["reasons"])
