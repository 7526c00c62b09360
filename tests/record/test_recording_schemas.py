"""Every channel's declared JSON schema describes its messages exactly (docs/DESIGN.md §7):
each message of real session recordings validates against the schema stored in the file
for its channel, no schema allows unknown properties, and every field the writer always
writes is required."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jsonschema
import pytest
from mcap.reader import make_reader

from trainer.graded import run_graded
from trainer.input.state import Button, HandControllerState
from trainer.pilots import make_pilot
from trainer.record.instructor import parse_action
from trainer.record.schemas import CHANNELS, EVENT_KINDS, STATE_OPTIONAL_FIELDS, STATE_SCHEMA
from trainer.scenario.loader import load_scenario
from trainer.scenario.model import TimelineEvent
from trainer.session import Session


def _declared_messages(path: Path) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(topic, schema as declared in the file, message) for every message."""
    with path.open("rb") as f:
        for schema, channel, message in make_reader(f).iter_messages():
            assert schema is not None and schema.encoding == "jsonschema"
            yield channel.topic, json.loads(schema.data), json.loads(message.data)


def _scripted_session(path: Path) -> None:
    """A short crs20-hc-bias session (its THC bias fault, plus the LEE camera lost for a
    second) that presses what a trainee might: a trigger far out (a miss), pause and
    resume, HOLD, an unplugged pad, then ABORT to the end; an instructor acts in it with
    every kind of action (/instructor, docs/DESIGN.md §12)."""
    base = load_scenario("crs20-hc-bias")
    lee = MappingProxyType({"camera": "lee"})
    scenario = replace(
        base,
        timeline=(
            *base.timeline,
            TimelineEvent(1.0, "camera_loss", lee),
            TimelineEvent(2.0, "camera_restore", lee),
        ),
    )
    session = Session(scenario, 1, pilot="scripted", recording_path=path)
    script: dict[int, HandControllerState] = {
        10: HandControllerState(buttons=frozenset({Button.CAPTURE})),
        20: HandControllerState(buttons=frozenset({Button.PAUSE})),
        30: HandControllerState(buttons=frozenset({Button.PAUSE})),
        40: HandControllerState(buttons=frozenset({Button.HOLD})),
        50: HandControllerState(connected=False),
        60: HandControllerState(buttons=frozenset({Button.RESUME})),
        400: HandControllerState(thc=(0.5, -0.2, 0.1), buttons=frozenset({Button.ABORT})),
    }
    instructor = {
        70: [("call", {"voice": "m2", "text": "Check the roll."})],
        80: [("fault", {"fault": "camera_loss", "camera": "elbow", "at_s": 2.0})],
        90: [("freeze", {}), ("fault", {"fault": "camera_restore", "camera": "elbow"})],
        95: [("resume", {})],
        100: [
            ("fault", {"fault": "brake_stuck", "joint": "wrist_roll"}),
            ("fault", {"fault": "hand_controller_bias", "rhc": [0.0, 0.05, 0.0]}),
        ],
    }
    try:
        for tick in range(2000):
            if session.finished:
                break
            for name, body in instructor.get(tick, []):
                session.instruct(parse_action(name, body, client=2))
            session.tick(script.get(tick, HandControllerState()))
        assert session.outcome == "aborted"
    finally:
        session.close({"outcome": session.outcome})


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A full autopilot capture, the retreat drill (the procedure's events), and the
    scripted session."""
    root = tmp_path_factory.mktemp("recordings")
    scenario = load_scenario("crs20-capture-hard")
    run_graded(scenario, 1, make_pilot("autopilot", scenario), "autopilot", root / "capture")
    drill = load_scenario("crs20-retreat-drill")
    run_graded(drill, 1, make_pilot("autopilot", drill), "autopilot", root / "drill")
    _scripted_session(root / "scripted.mcap")
    return [
        root / "capture" / "session.mcap",
        root / "drill" / "session.mcap",
        root / "scripted.mcap",
    ]


def test_every_recorded_message_validates_against_its_declared_schema(
    recordings: list[Path],
) -> None:
    counts: dict[str, int] = {}
    kinds: set[str] = set()
    for path in recordings:
        validators: dict[str, jsonschema.Draft202012Validator] = {}
        inputs_seen: set[str] = set()
        for topic, schema, message in _declared_messages(path):
            if topic == "/input":
                # Sticks are held for many ticks: check each distinct input once (with
                # the tick and time it was first sent), which keeps the test fast.
                held = json.dumps({k: v for k, v in message.items() if k not in ("tick", "time_s")})
                if held in inputs_seen:
                    continue
                inputs_seen.add(held)
            if topic not in validators:
                jsonschema.Draft202012Validator.check_schema(schema)
                validators[topic] = jsonschema.Draft202012Validator(schema)
            error = jsonschema.exceptions.best_match(validators[topic].iter_errors(message))
            assert error is None, f"{path.name} {topic} {message}: {error.message}"
            counts[topic] = counts.get(topic, 0) + 1
            if topic == "/events":
                kinds.add(message["kind"])
    assert set(counts) == {topic for topic, _ in CHANNELS}
    # The recordings above exercise most of the event kinds the schema declares.
    expected = {
        "free_drift_start",
        "go_for_capture",
        "call",
        "fault",
        "fault_cleared",
        "trigger",
        "miss",
        "snares_open",
        "snare_closed",
        "rigidize_start",
        "rigid",
        "pause",
        "resume",
        "vehicle_command",
        "device_unplugged",
        "device_plugged",
        "abort",
        "end",
    }
    assert expected <= kinds, expected - kinds
    assert kinds <= {kind for kind, _, _ in EVENT_KINDS}


def _object_schemas(schema: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(schema, dict):
        if "properties" in schema:
            yield where, schema
        for key, value in schema.items():
            yield from _object_schemas(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            yield from _object_schemas(value, f"{where}/{i}")


@pytest.mark.parametrize(("topic", "schema"), CHANNELS)
def test_no_channel_schema_allows_unknown_or_missing_fields(
    topic: str, schema: dict[str, Any]
) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    objects = list(_object_schemas(schema))
    assert objects
    for where, obj in objects:
        if obj is schema and "oneOf" in obj:
            continue  # /events: closed per kind, in its oneOf variants
        assert obj.get("additionalProperties") is False, f"{topic}{where}"
        # Every field is required but the /state's declared optional ones (a berthing's).
        optional = STATE_OPTIONAL_FIELDS if obj is STATE_SCHEMA else frozenset()
        assert sorted(obj["required"]) == sorted(set(obj["properties"]) - optional), (
            f"{topic}{where}"
        )


def test_a_state_message_with_an_unknown_key_is_refused(recordings: list[Path]) -> None:
    validator = jsonschema.Draft202012Validator(STATE_SCHEMA)
    state = next(m for t, _, m in _declared_messages(recordings[0]) if t == "/state")
    assert validator.is_valid(state)
    assert not validator.is_valid({**state, "lee_pos_world_m": [0.0, 0.0, 0.0]})
    assert not validator.is_valid({**state, "lee": {**state["lee"], "extra": 1.0}})
    missing = dict(state)
    del missing["metrics"]
    assert not validator.is_valid(missing)


def _string_constants(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _string_constants(node.body) + _string_constants(node.orelse)
    return []


def test_every_event_kind_the_code_emits_is_declared_in_the_events_schema() -> None:
    """A new event kind must be added to EVENT_KINDS (its fields declared) with the code
    that emits it: found by parsing every ``….event("kind", ...)``, ``note(...)`` and
    ``CaptureEvent("kind", ...)`` call in trainer/."""
    trainer = Path(__file__).resolve().parents[2] / "trainer"
    emitted: dict[str, str] = {}
    for path in trainer.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("event", "_event", "note", "CaptureEvent"):
                for kind in _string_constants(node.args[0]):
                    emitted.setdefault(kind, f"{path.relative_to(trainer.parent)}:{node.lineno}")
    assert {"free_drift_start", "trigger", "contact", "end", "pause"} <= set(emitted)
    declared = {kind for kind, _, _ in EVENT_KINDS}
    undeclared = {k: where for k, where in emitted.items() if k not in declared}
    assert not undeclared, f"event kinds missing from record/schemas.py EVENT_KINDS: {undeclared}"
