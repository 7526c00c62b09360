"""The one decoder of a recording (trainer/record/decode.py): what every command reads of
its metadata, /input and /events, with one default for the aid level."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from trainer.input.state import Button, HandControllerState
from trainer.record.decode import (
    NOT_RECORDED,
    InputError,
    aid_level,
    event,
    input_state,
    metadata_values,
    recording_info,
)
from trainer.record.seek import open_recording

MESSAGE: dict[str, Any] = {
    "tick": 3, "time_s": 0.05, "thc": [0.5, 0.0, -1.0], "rhc": [0.0, 0.25, 0.0],
    "buttons": ["capture"], "connected": True, "mode": "cartesian", "frame": "base",
    "rate_scale": "coarse",
}  # fmt: skip


def test_an_input_message_is_a_hand_controller_state() -> None:
    assert input_state(MESSAGE) == HandControllerState(
        thc=(0.5, 0.0, -1.0), rhc=(0.0, 0.25, 0.0), buttons=frozenset({Button.CAPTURE})
    )


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"extra": 1}, "unknown field 'extra'"),
        ({"thc": [1.5, 0, 0]}, "thc[0] = 1.5 is outside [-1, 1]"),
        ({"rhc": [0, "x", 0]}, "rhc[1] must be a finite number"),
        ({"buttons": ["warp"]}, "buttons[0] = 'warp' is not a workstation button name"),
        ({"connected": "false"}, "connected must be true or false, got 'false'"),
        ({"mode": "turbo"}, "mode = 'turbo' is not one of"),
    ],
)
def test_an_input_message_that_is_not_the_schemas_names_its_field(
    change: dict[str, Any], words: str
) -> None:
    with pytest.raises(InputError, match=words.replace("[", r"\[").replace("]", r"\]")):
        input_state({**MESSAGE, **change})


def test_a_missing_input_field_is_named() -> None:
    message = {k: v for k, v in MESSAGE.items() if k != "frame"}
    with pytest.raises(InputError, match="frame is missing"):
        input_state(message)


def test_the_aid_level_has_one_default() -> None:
    assert aid_level({"aids": "crew"}) == "crew"
    for metadata in ({}, {"aids": ""}, {"aids": 3}, {"aids": None}):
        assert aid_level(metadata) == NOT_RECORDED == "not recorded"


def test_an_event_always_has_its_time_and_kind() -> None:
    assert event({"time_s": 1.5, "kind": "call", "text": "hi"}, 9) == {
        "time_s": 1.5,
        "kind": "call",
        "text": "hi",
    }
    filled = event({"text": "from another tool"}, 2_500_000_000)
    assert filled["time_s"] == 2.5 and filled["kind"] == "unknown"
    assert event({"time_s": True, "kind": 4}, 1_000_000_000)["time_s"] == 1.0


def test_metadata_values_are_json_or_kept_as_text() -> None:
    assert metadata_values({"seed": "7", "note": "not json {"}) == {
        "seed": 7,
        "note": "not json {",
    }


def test_a_graded_recordings_setup(graded_recording: Path) -> None:
    with open_recording(graded_recording) as recording:
        info = recording_info(recording.path, recording.metadata)
    assert info.scenario.id == "crs20-capture" and info.seed == 7
    assert info.pilot == "autopilot"
    assert info.aids == NOT_RECORDED, "grade has no window and no aids"
