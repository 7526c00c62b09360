"""An instructor's actions are inputs of the session (docs/DESIGN.md §12): applied at a
tick boundary through the scenario timeline's own handlers, recorded on /instructor, and
fed back at the same ticks when the recording is flown again, so that ``replay --verify``
reproduces the session bit for bit and ``grade --pilot`` grades the same session."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from trainer.errors import RecordingError
from trainer.input.state import Button, HandControllerState
from trainer.pilots import make_pilot
from trainer.record.inputs import Instructed, checked_input_stream, recorded_inputs
from trainer.record.instructor import END_REASON, parse_action
from trainer.record.seek import open_recording
from trainer.refly.loop import fly_again
from trainer.refly.verify import verify_recording
from trainer.scenario.loader import load_scenario
from trainer.session import Session

# tick -> the actions sent before it (a console's client number 4)
SCRIPT: dict[int, list[tuple[str, dict[str, Any]]]] = {
    30: [("fault", {"fault": "camera_loss", "camera": "lee"})],
    60: [("call", {"voice": "houston", "text": "we see loss of LEE video."})],
    90: [("freeze", {})],
    100: [("fault", {"fault": "brake_stuck", "joint": "wrist_yaw", "at_s": 2.5})],
    130: [("resume", {}), ("fault", {"fault": "camera_restore", "camera": "lee"})],
    200: [("fault", {"fault": "hand_controller_bias", "thc": [0.1, 0.0, 0.0]})],
    320: [("end", {})],
}
PAUSE = HandControllerState(buttons=frozenset({Button.PAUSE}))


def _fly(path: Path | None) -> Session:
    scenario = load_scenario("crs20-capture")
    session = Session(scenario, 3, pilot="autopilot", recording_path=path)
    pilot = make_pilot("autopilot", scenario)
    calls = 0
    while not session.finished:
        for name, body in SCRIPT.get(calls, []):
            session.instruct(parse_action(name, body, client=4))
        if session.finished:
            break
        hc = pilot.next_state(session.last_telemetry)
        if calls == 110:  # the trainee's PAUSE cannot end an instructor's freeze
            hc = PAUSE
        session.tick(hc)
        calls += 1
    return session


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("instructed") / "session.mcap"
    session = _fly(path)
    session.close({"outcome": session.outcome})
    return path


def test_the_actions_act_through_the_timeline_and_are_recorded(recording: Path) -> None:
    with open_recording(recording) as rec:
        events = rec.events()
        actions = [m.payload for m in rec.messages(["/instructor"])]
    kinds = [(e["kind"], e.get("fault"), e.get("camera") or e.get("joint")) for e in events]
    assert ("fault", "camera_loss", "lee") in kinds
    assert ("fault_cleared", "camera_loss", "lee") in kinds
    calls = [e["text"] for e in events if e["kind"] == "call"]
    assert "Station, Houston: we see loss of LEE video." in calls
    # the freeze: one pause, the trainee's PAUSE during it changes nothing, one resume
    assert [e["kind"] for e in events if e["kind"] in ("pause", "resume")] == ["pause", "resume"]
    pause = next(e for e in events if e["kind"] == "pause")
    resume = next(e for e in events if e["kind"] == "resume")
    assert resume["time_s"] == pause["time_s"] == pytest.approx(90 / 60)
    # scheduled at 2.5 s: fired by the timeline when simulated time got there
    stuck = next(e for e in events if e.get("fault") == "brake_stuck")
    assert stuck["joint"] == "wrist_yaw" and stuck["time_s"] == pytest.approx(2.5, abs=1 / 60)
    end = events[-1]
    assert end["kind"] == "end" and end["outcome"] == "interrupted"
    assert end["reason"] == END_REASON
    assert [a["action"] for a in actions] == [a for t in sorted(SCRIPT) for a, _ in SCRIPT[t]]
    assert all(a["client"] == 4 for a in actions)
    # the frozen ticks do not advance: tick 100's action was sent at the freeze's tick
    assert actions[3]["tick"] == actions[2]["tick"] == 90


def test_the_reader_hands_each_action_over_with_the_tick_it_preceded(recording: Path) -> None:
    with open_recording(recording) as rec:
        feed = list(recorded_inputs(rec))
        check = checked_input_stream(rec)
    instructed = [(i, item) for i, item in enumerate(feed) if isinstance(item, Instructed)]
    assert [i for i, _ in instructed] == sorted(SCRIPT)
    assert instructed[-1][1].state is None  # the end: no input of that tick was recorded
    assert check.count == len(feed) - 1


def test_verify_reproduces_the_instructed_session_bit_for_bit(recording: Path) -> None:
    result = verify_recording(recording)
    assert result.reproduced, result.divergence
    assert result.messages > 0 and result.checkpoints >= 4


def test_flying_it_again_grades_the_same_session(recording: Path) -> None:
    with open_recording(recording) as rec:
        report = fly_again(rec)
    assert report["outcome"] == "interrupted"
    assert report["outcome_reason"] == END_REASON


def test_without_the_actions_the_session_is_another(recording: Path) -> None:
    """What proves the feed matters: the same inputs without the instructor's actions fly
    another session (no fault, no end; the trainee's PAUSE, which the freeze had held, now
    pauses it)."""
    with open_recording(recording) as rec:
        states = [i.state if isinstance(i, Instructed) else i for i in recorded_inputs(rec)]
        info_seed = rec.metadata["seed"]
    session = Session(load_scenario("crs20-capture"), info_seed, pilot="autopilot")
    try:
        for state in states:
            if state is not None:
                session.tick(state)
        assert not session.finished and session.paused
        assert not any(e.kind in ("fault", "call", "end") and e.time_s > 0 for e in session.events)
    finally:
        session.close()


def test_a_recorded_action_out_of_its_schema_is_refused(tmp_path: Path) -> None:
    from trainer.record.writer import RecordingWriter

    path = tmp_path / "bad.mcap"
    with RecordingWriter(path, {"seed": 1}) as writer:
        payload = {"action": "fault", "fault": "camera_loss", "camera": "lens", "at_s": None}
        writer.write_instructor(0, 0.0, {**payload, "client": 1})
        writer.write_input(0, 0.0, {**HandControllerState().to_dict(), **_MODES})
    with open_recording(path) as rec, pytest.raises(RecordingError, match="unknown camera"):
        list(recorded_inputs(rec))


_MODES = {"mode": "", "frame": "", "rate_scale": ""}


def test_the_debrief_lists_the_instructors_actions(
    recording: Path, tmp_path: Path, report_schema: Callable[[Mapping[str, Any]], None]
) -> None:
    from trainer.debrief.command import run_report_command

    assert run_report_command(recording, tmp_path) == 0
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    report_schema(report)
    actions = report["debrief"]["instructor_actions"]
    assert [a["action"] for a in actions] == [a for t in sorted(SCRIPT) for a, _ in SCRIPT[t]]
    assert actions[0]["detail"] == "INSTRUCTOR: camera_loss lee"
    page = (tmp_path / "debrief.html").read_text(encoding="utf-8")
    assert "INSTRUCTOR: brake_stuck wrist_yaw at 2.5 s" in page
    assert "INSTRUCTOR: houston call: we see loss of LEE video." in page


def test_the_replay_viewer_marks_the_actions_on_its_timeline(recording: Path) -> None:
    from trainer.record.decode import recording_info
    from trainer.ui.replay.model import open_model

    with open_recording(recording) as rec:
        model = open_model(rec, recording_info(rec.path, rec.metadata).scenario)
        marked = [m for m in model.markers if m.category == "instructor"]
    assert len(marked) == sum(len(v) for v in SCRIPT.values())
    assert marked[-1].label == "INSTRUCTOR: end"


def test_a_campaign_of_recordings_feeds_the_actions_back_too(
    recording: Path, tmp_path: Path
) -> None:
    """``grade --pilot DIR`` (a campaign, on the local pool: the actions cross a process
    boundary as part of the job) grades an instructed session as ``grade --pilot FILE``."""
    import subprocess
    import sys

    for trainee in ("ann", "bea"):  # two: the pool's two workers each take one
        folder = tmp_path / "class" / trainee
        folder.mkdir(parents=True)
        (folder / "session.mcap").write_bytes(recording.read_bytes())
    run = [sys.executable, "-m", "trainer.cli", "grade", "--no-history"]
    one = subprocess.run(
        [*run, "--pilot", str(folder / "session.mcap"), "--out", str(tmp_path / "one")],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert one.returncode == 0, one.stderr
    many = subprocess.run(
        [*run, "--pilot", str(tmp_path / "class"), "--jobs", "2", "--out", str(tmp_path / "many")],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert many.returncode == 0, many.stderr
    assert "on 2 worker processes" in many.stderr or "processes" in many.stderr, many.stderr
    single = json.loads((tmp_path / "one" / "report.json").read_text("utf-8"))
    reports = sorted((tmp_path / "many").glob("*/report.json"))
    assert len(reports) == 2
    for path in reports:
        assert json.loads(path.read_text("utf-8")) == single, path
    assert single["outcome"] == "interrupted"  # the instructor's end at tick 320
