"""The task interface (docs/DESIGN.md §11): the session runs whatever task the scenario
names, each shipped scenario names the task it always flew, a timeline holds only its
task's events, and a stopped attempt is ``interrupted`` whatever the task."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import pytest

from trainer.errors import ValidationError
from trainer.input.state import Button, HandControllerState
from trainer.scenario.build import scenario_to_json
from trainer.scenario.loader import load_scenario, scenario_from_json
from trainer.scoring.report import build_report
from trainer.session import Session
from trainer.tasks import TASKS, make_task
from trainer.tasks.approach import ApproachTask
from trainer.tasks.capture import CaptureTask
from trainer.tasks.drill import OffsetGrappleDrillTask

SHIPPED = {
    "crs20-capture": CaptureTask,
    "crs20-night": CaptureTask,
    "basic-drill": CaptureTask,
    "crs20-approach": ApproachTask,
    "crs20-retreat-drill": ApproachTask,
    "offset-grapple-drill": OffsetGrappleDrillTask,
}


@pytest.mark.parametrize(("scenario_id", "task"), SHIPPED.items())
def test_each_shipped_scenario_runs_its_task(scenario_id: str, task: type) -> None:
    session = Session(load_scenario(scenario_id), 1)
    try:
        assert type(session.task) is task
    finally:
        session.close()


def test_the_task_names_are_the_scenario_contract() -> None:
    from trainer.scenario.events import TASK_EVENT_KINDS

    assert set(TASKS) == set(TASK_EVENT_KINDS)
    for name, task in TASKS.items():
        assert task.name == name
        assert frozenset(TASK_EVENT_KINDS[name]) == task.EVENT_KINDS


def _variant(base: str, **changes: Any) -> dict[str, Any]:
    raw = scenario_to_json(load_scenario(base))
    raw.update(changes)
    return raw


def test_a_scenario_without_a_task_gets_the_one_its_timeline_implies() -> None:
    """As recordings made before tasks were named hold their scenarios."""
    for scenario_id, task in SHIPPED.items():
        raw = scenario_to_json(load_scenario(scenario_id))
        del raw["task"]
        assert scenario_from_json(raw, "old").task == task.name


def test_an_event_of_another_task_is_refused_naming_its_task() -> None:
    raw = _variant("offset-grapple-drill", task="capture")
    with pytest.raises(ValidationError) as caught:
        scenario_from_json(raw, "x.yaml")
    assert (
        "x.yaml: timeline[0].event: offset_grapple belongs to the offset-grapple-drill task"
        in str(caught.value.one_line())
    )
    with pytest.raises(ValidationError):
        scenario_from_json(_variant("crs20-capture", task="warp"), "x.yaml")


class _Countdown(CaptureTask):
    """A task the session was not written for: it ends the attempt after ten ticks."""

    name: ClassVar[str] = "capture"  # reuses the capture scenario's timeline kinds
    ticks = 0

    def after_step(self, telemetry: Any) -> None:
        super().after_step(telemetry)
        self.ticks += 1

    def check_end(self, telemetry: Any) -> tuple[str, str] | None:
        return ("aligned", "ten ticks flown") if self.ticks >= 10 else None


def test_the_session_runs_a_task_it_does_not_know(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(TASKS, "capture", _Countdown)
    session = Session(load_scenario("crs20-capture"), 1)
    try:
        assert isinstance(session.task, _Countdown)
        while not session.finished:
            session.tick(HandControllerState())
        assert session.tick_count == 10
        assert (session.outcome, session.outcome_reason) == ("aligned", "ten ticks flown")
        assert session.events[-1].kind == "end"
    finally:
        session.close()


@pytest.mark.parametrize("scenario_id", ["crs20-capture", "crs20-approach", "offset-grapple-drill"])
def test_a_stopped_attempt_is_interrupted_whatever_its_task(scenario_id: str) -> None:
    session = Session(load_scenario(scenario_id), 1)
    try:
        for _ in range(30):
            session.tick(HandControllerState())
        session.stop("ended by signal SIGTERM")
        report = build_report(session.facts(None))
    finally:
        session.close()
    assert report["outcome"] == "interrupted" and not report["passed"]
    assert "ended by signal SIGTERM" in report["reasons"]


def test_the_drill_disables_the_snares_and_logs_it() -> None:
    session = Session(load_scenario("offset-grapple-drill"), 1)
    try:
        session.tick(HandControllerState(buttons=frozenset({Button.CAPTURE})))
        commands = [e for e in session.events if e.kind == "vehicle_command"]
        assert commands and commands[-1].detail["effect"] == "none: snares disabled"
        assert session.capture.state.value == "open"
    finally:
        session.close()


def test_make_task_builds_from_the_host_scenario() -> None:
    class Host:
        def __init__(self, session: Session) -> None:
            self.scenario = session.scenario
            self.world = session.world
            self.capture = session.capture
            self.time_s = 0.0

        def event(self, kind: str, **detail: Any) -> None: ...
        def say(self, text: str) -> None: ...
        def capture_events(self, events: Mapping[str, Any]) -> None: ...

    session = Session(load_scenario("crs20-approach"), 1)
    try:
        assert isinstance(make_task(Host(session)), ApproachTask)  # type: ignore[arg-type]
    finally:
        session.close()
