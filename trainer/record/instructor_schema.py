"""The /instructor channel's JSON schema (docs/DESIGN.md §7, §12): one variant per action,
each closed (every field always written, no other allowed), as the other channels'
(trainer/record/schemas.py). The action's meaning and its one check:
trainer/record/instructor.py. No scenario code here: the reader imports this module."""

from __future__ import annotations

from typing import Any

from trainer.record.foxglove import JSON_SCHEMA_DRAFT
from trainer.record.schema_parts import TICK, TIME_S
from trainer.sim.joints import JOINT_NAMES

INSTRUCTOR_TOPIC = "/instructor"
ACTIONS: tuple[str, ...] = ("fault", "call", "freeze", "resume", "end")
FAULTS: tuple[str, ...] = (
    "camera_loss",
    "camera_restore",
    "brake_stuck",
    "hand_controller_bias",
    "rtl_fault",  # a berthing's (its task's timeline events, trainer/tasks/berthing.py)
    "latch_stall",
)
CAMERAS: tuple[str, ...] = ("lee", "elbow", "external", "cbcs")
"""trainer/scenario/events.py's (kept equal by a test: the reader imports no scenario code)"""
CBM_UNITS = 4
"""The CBM's RTL switches and capture latches, numbered 1 to 4 (trainer/scenario/events.py's)"""
VOICE_NAMES: tuple[str, ...] = ("houston", "m2")
MAX_CLIENT = 2**32 - 1


_AT = {
    "type": ["number", "null"],
    "minimum": 0,
    "description": "when it happens (simulation s); null: at once",
}
_CLIENT = {
    "type": "integer",
    "minimum": 0,
    "maximum": MAX_CLIENT,
    "description": "the live server's number of the WebSocket client that sent it",
}
_AXES = {
    "type": "array",
    "items": {"type": "number", "minimum": -1, "maximum": 1},
    "minItems": 3,
    "maxItems": 3,
}


def _variant(action: str, fields: dict[str, Any]) -> dict[str, Any]:
    properties = {
        "tick": {**TICK, "description": "the control tick whose /input it preceded"},
        "time_s": TIME_S,
        "action": {"const": action},
        **fields,
        "client": _CLIENT,
    }
    return {
        "type": "object",
        "title": action,
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": False,
    }


INSTRUCTOR_SCHEMA: dict[str, Any] = {
    "$schema": JSON_SCHEMA_DRAFT,
    "title": "canadarm_trainer.InstructorAction",
    "description": "An instructor's action, applied before the tick's /input "
    "(trainer/record/instructor.py).",
    "type": "object",
    "properties": {"action": {"type": "string", "enum": list(ACTIONS)}},
    "required": ["tick", "time_s", "action", "client"],
    "oneOf": [
        _variant(
            "fault",
            {
                "fault": {"enum": ["camera_loss", "camera_restore"]},
                "camera": {"enum": list(CAMERAS)},
                "at_s": _AT,
            },
        ),
        _variant(
            "fault",
            {"fault": {"const": "brake_stuck"}, "joint": {"enum": list(JOINT_NAMES)}, "at_s": _AT},
        ),
        _variant(
            "fault",
            {"fault": {"const": "hand_controller_bias"}, "thc": _AXES, "rhc": _AXES, "at_s": _AT},
        ),
        _variant(
            "fault",
            {
                "fault": {"const": "rtl_fault"},
                "switch": {"type": "integer", "minimum": 1, "maximum": CBM_UNITS},
                "at_s": _AT,
            },
        ),
        _variant(
            "fault",
            {
                "fault": {"const": "latch_stall"},
                "latch": {"type": "integer", "minimum": 1, "maximum": CBM_UNITS},
                "fraction": {
                    "type": ["number", "null"],
                    "exclusiveMinimum": 0,
                    "exclusiveMaximum": 1,
                    "description": "where the latch stalls in its travel; null: the task's default",
                },
                "at_s": _AT,
            },
        ),
        _variant(
            "call",
            {
                "voice": {"enum": list(VOICE_NAMES)},
                "text": {"type": "string", "minLength": 1, "maxLength": 200},
                "at_s": _AT,
            },
        ),
        _variant("freeze", {}),
        _variant("resume", {}),
        _variant("end", {}),
    ],
}
"""The /instructor channel: what an instructor did, when (trainer/record/instructor.py)."""
