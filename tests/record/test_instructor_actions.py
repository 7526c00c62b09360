"""The one check of an instructor's action (trainer/record/instructor.py, docs/DESIGN.md
§12): exactly the faults and parameters the scenario language knows, in the form the
writer records; the channel schema's names are the scenario language's."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import jsonschema
import pytest

from trainer.record.instructor import (
    VOICES,
    ActionError,
    check_for_task,
    parse_action,
    parse_recorded,
)
from trainer.record.instructor_schema import (
    CAMERAS,
    CBM_UNITS,
    FAULTS,
    INSTRUCTOR_SCHEMA,
    VOICE_NAMES,
)
from trainer.scenario import events
from trainer.session.timeline import HANDLERS


def test_the_schema_names_what_the_scenario_language_knows() -> None:
    assert CAMERAS == events.CAMERAS
    assert set(events.SESSION_EVENT_KINDS) == set(HANDLERS)
    # the session's faults, and a berthing's (its task's timeline events)
    berthing = set(events.TASK_EVENT_KINDS["berthing"])
    assert set(FAULTS) | {"call"} == set(events.SESSION_EVENT_KINDS) | berthing
    assert CBM_UNITS == events.CBM_UNITS
    assert tuple(VOICES) == VOICE_NAMES


@pytest.mark.parametrize(
    ("action", "body", "record"),
    [
        ("fault", {"fault": "camera_loss", "camera": "elbow"}, {"camera": "elbow", "at_s": None}),
        (
            "fault",
            {"fault": "brake_stuck", "joint": "elbow_pitch", "at_s": 4},
            {"joint": "elbow_pitch", "at_s": 4.0},
        ),
        (
            "fault",
            {"fault": "hand_controller_bias", "rhc": [0, 0.5, 0]},
            {"thc": [0.0, 0.0, 0.0], "rhc": [0.0, 0.5, 0.0], "at_s": None},
        ),
        ("fault", {"fault": "camera_loss", "camera": "cbcs"}, {"camera": "cbcs", "at_s": None}),
        ("fault", {"fault": "rtl_fault", "switch": 2}, {"switch": 2, "at_s": None}),
        (
            "fault",
            {"fault": "latch_stall", "latch": 3, "fraction": 0.5, "at_s": 40},
            {"latch": 3, "fraction": 0.5, "at_s": 40.0},
        ),
        (
            "fault",
            {"fault": "latch_stall", "latch": 1},
            {"latch": 1, "fraction": None, "at_s": None},
        ),
        (
            "call",
            {"voice": "m2", "text": "Roll is settling."},
            {"voice": "m2", "text": "Roll is settling.", "at_s": None},
        ),
        ("freeze", {}, {}),
    ],
)
def test_an_action_is_recorded_in_one_form_that_reads_back(
    action: str, body: dict[str, Any], record: dict[str, Any]
) -> None:
    checked = parse_action(action, body, client=9)
    message = {"tick": 12, "time_s": 0.2, **checked.record()}
    expected = {
        "action": action,
        **({"fault": body["fault"]} if "fault" in body else {}),
        **record,
        "client": 9,
    }
    assert checked.record() == expected
    jsonschema.Draft202012Validator(INSTRUCTOR_SCHEMA).validate(message)
    assert parse_recorded(message) == (12, checked)
    assert list(checked.record()) == list(expected)  # the order the bytes are written in


def test_a_recorded_action_not_in_the_writers_form_is_refused() -> None:
    good = {"tick": 1, "time_s": 0.0, **parse_action("freeze", {}).record()}
    for bad, why in (
        ({**good, "client": -1}, "client"),
        ({**good, "tick": True}, "tick"),
        ({**good, "time_s": "0"}, "time_s"),
        ({**good, "action": "explode"}, "action"),
        ({**good, "extra": 1}, "takes no fields"),
        (
            {
                "tick": 1,
                "time_s": 0.0,
                "action": "fault",
                "fault": "camera_loss",
                "camera": "lee",
                "client": 0,
            },
            "not written as the writer",
        ),
    ):
        with pytest.raises(ActionError, match=why):
            parse_recorded(bad)


def test_a_fault_becomes_the_timeline_event_a_scenario_would_hold() -> None:
    fault = parse_action("fault", {"fault": "brake_stuck", "joint": "wrist_pitch"})
    assert fault.timeline_event() == ("brake_stuck", {"joint": "wrist_pitch"})
    call = parse_action("call", {"voice": "houston", "text": "GO for capture."})
    assert call.timeline_event() == ("call", {"text": "Station, Houston: GO for capture."})
    assert isinstance(call.fields, MappingProxyType)


def test_a_berthing_fault_becomes_its_tasks_timeline_event() -> None:
    stall = parse_action("fault", {"fault": "latch_stall", "latch": 2})
    assert stall.timeline_event() == ("latch_stall", {"latch": 2})  # the task's default
    rtl = parse_action("fault", {"fault": "rtl_fault", "switch": 4, "at_s": 12.0})
    assert rtl.timeline_event() == ("rtl_fault", {"switch": 4})


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ({"fault": "rtl_fault", "switch": 5}, "switch"),
        ({"fault": "rtl_fault", "switch": True}, "switch"),
        ({"fault": "rtl_fault"}, "switch"),
        ({"fault": "latch_stall", "latch": 1, "fraction": 1.0}, "fraction"),
        ({"fault": "latch_stall", "latch": 1, "call": "latch 1 stalled"}, "call"),
    ],
)
def test_a_berthing_fault_is_checked_as_its_timeline_event_is(
    body: dict[str, Any], why: str
) -> None:
    with pytest.raises(ActionError, match=why):
        parse_action("fault", body)


def test_a_tasks_fault_suits_only_that_task() -> None:
    rtl = parse_action("fault", {"fault": "rtl_fault", "switch": 1})
    for task in ("berthing", "capture-and-berth"):
        check_for_task(rtl, task)
    with pytest.raises(ActionError, match="rtl_fault is a fault of the berthing or "):
        check_for_task(rtl, "capture")
    for task in events.TASKS:  # the session's own faults and the other actions: any task
        check_for_task(parse_action("fault", {"fault": "camera_loss", "camera": "lee"}), task)
        check_for_task(parse_action("freeze", {}), task)
