"""An instructor's berthing faults (docs/DESIGN.md §12): the RTL fault, the latch stall and
the CBCS's video loss, which a berthing scenario's timeline knows, are injected live
through the same check and handlers, recorded and fed back bit for bit; a fault of the
berthing task is refused for a session of another task, live and from a recording."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.errors import RecordingError
from trainer.input.state import HandControllerState
from trainer.live.requests import RefusedError, check_request
from trainer.pilots import make_pilot
from trainer.record.instructor import ActionError, parse_action
from trainer.record.seek import open_recording
from trainer.record.writer import RecordingWriter
from trainer.refly.loop import fly_again
from trainer.refly.verify import verify_recording
from trainer.scenario.build import scenario_to_json
from trainer.scenario.loader import load_scenario
from trainer.session import Session

TOKEN = "ABCD-EFGH-JKMN"
SCRIPT = {
    20: ("fault", {"fault": "rtl_fault", "switch": 2}),
    40: ("fault", {"fault": "latch_stall", "latch": 3, "fraction": 0.4, "at_s": 1.5}),
    60: ("fault", {"fault": "camera_loss", "camera": "cbcs"}),
    120: ("fault", {"fault": "camera_restore", "camera": "cbcs"}),
}
TICKS = 240


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("berthing-instructed") / "session.mcap"
    scenario = load_scenario("crs20-berthing")
    session = Session(scenario, 1, pilot="autopilot", recording_path=path)
    pilot = make_pilot("autopilot", scenario)
    try:
        for tick in range(TICKS):
            if tick in SCRIPT:
                name, body = SCRIPT[tick]
                session.instruct(parse_action(name, body, client=2))
            session.tick(pilot.next_state(session.seen_telemetry))
            if tick == 100:
                assert session.last_telemetry.cameras_lost == ("cbcs",)
        session.stop("the test's end")
        berthing = session.facts(None).berthing
        assert berthing is not None
        assert berthing["faults"] == [
            "RTL indicator 2 failed (never makes)",
            "capture latch 3 stalls at 40% of its travel",
        ]
    finally:
        session.close({"outcome": session.outcome})
    return path


def test_the_faults_act_as_the_scenarios_timeline_would(recording: Path) -> None:
    with open_recording(recording) as rec:
        faults = [e for e in rec.events() if e["kind"] in ("fault", "fault_cleared")]
        actions = [m.payload for m in rec.messages(["/instructor"])]
    got = [
        (e["kind"], e["fault"], e.get("switch") or e.get("latch") or e.get("camera"))
        for e in faults
    ]
    assert got == [  # in time: the stall was scheduled for t = 1.5 s
        ("fault", "rtl_fault", 2),
        ("fault", "camera_loss", "cbcs"),
        ("fault", "latch_stall", 3),
        ("fault_cleared", "camera_loss", "cbcs"),
    ]
    stall = next(e for e in faults if e["fault"] == "latch_stall")
    assert stall["time_s"] == pytest.approx(1.5, abs=1 / 60) and stall["fraction"] == 0.4
    assert [a["fault"] for a in actions] == [b["fault"] for _, b in SCRIPT.values()]


def test_verify_reproduces_the_instructed_berthing(recording: Path) -> None:
    result = verify_recording(recording)
    assert result.reproduced, result.divergence


def test_a_berthing_fault_is_refused_in_another_tasks_session() -> None:
    session = Session(load_scenario("crs20-capture"), 1)
    try:
        with pytest.raises(ActionError, match="rtl_fault is a fault of the berthing"):
            session.instruct(parse_action("fault", {"fault": "rtl_fault", "switch": 1}))
        session.tick(HandControllerState())
        assert not any(e.kind == "fault" for e in session.events)
    finally:
        session.close()


def test_the_live_check_refuses_it_for_the_attempts_task() -> None:
    payload = b'{"token": "%s", "fault": "latch_stall", "latch": 2}' % TOKEN.encode()
    ok = check_request("/instructor/fault", payload, "json", TOKEN, 3, task="berthing")
    assert ok.record()["fault"] == "latch_stall"  # type: ignore[union-attr]
    with pytest.raises(RefusedError, match="not of 'capture'"):
        check_request("/instructor/fault", payload, "json", TOKEN, 3, task="capture")


def test_a_recording_with_another_tasks_fault_is_refused(tmp_path: Path) -> None:
    scenario = load_scenario("crs20-capture")
    path = tmp_path / "odd.mcap"
    metadata = {
        "scenario_id": scenario.id,
        "scenario_version": scenario.version,
        "scenario": scenario_to_json(scenario),
        "seed": 1,
        "pilot": "x",
    }
    action = parse_action("fault", {"fault": "rtl_fault", "switch": 1}, client=1)
    modes = {"mode": "", "frame": "", "rate_scale": ""}
    with RecordingWriter(path, metadata) as writer:
        writer.write_instructor(0, 0.0, action.record())
        writer.write_input(0, 0.0, {**HandControllerState().to_dict(), **modes})
    with open_recording(path) as rec, pytest.raises(RecordingError, match="rtl_fault"):
        fly_again(rec)
