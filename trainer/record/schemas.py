"""What a recording holds: its format name, channels and their JSON schemas (DESIGN §7).

Shared by the writer and the reader so the two can never disagree. Every channel carries
JSON messages (message encoding ``json``) with a JSON Schema (schema encoding
``jsonschema``, draft 2020-12), so Foxglove, the ``mcap`` CLI and any JSON tool can read a
recording without this package.

| channel       | when                              | message                                      |
|---------------|-----------------------------------|----------------------------------------------|
| `/input`      | every control tick (1/60 s)       | tick, time_s, THC/RHC xyz, buttons, mode ... |
| `/state`      | at least 10 Hz                    | time_s and the session's telemetry keys      |
| `/events`     | when something happens            | time_s, kind, free fields                    |
| `/checkpoint` | at a fixed interval of steps      | tick, time_s, physics step, state digest     |
| `/tf`         | with every /state message         | foxglove.FrameTransforms: the frame tree     |

`/tf` carries Foxglove's well-known ``foxglove.FrameTransforms`` JSON schema (the schema
name is what Foxglove and Lichtblick recognise), tightened with ``required`` and
``additionalProperties: false`` so that a message with a missing or misspelt field fails
validation; every message of the well-known schema's shape still passes. The frames are
listed in trainer/sim/frames.py.

Metadata records (MCAP metadata is str → str, so every value is JSON-encoded, strings
included: one rule, no guessing when decoding):

- ``canadarm-trainer``: written at open. ``format``, ``trainer_version``,
  ``pybullet_version``, ``pybullet_api_version`` and whatever the session passes
  (``scenario_id``, ``scenario``, ``seed``, ``pilot``, ``start_time_utc``).
- ``canadarm-trainer.summary``: written at close when the session hands a summary
  (outcome, score ...); absent when the session crashed.

Times: ``log_time`` and ``publish_time`` are nanoseconds of *simulation* time, never the
wall clock, so re-simulating a session writes the same messages.
"""

from __future__ import annotations

import json
from typing import Any

FORMAT = "canadarm-trainer/recording@1"
"""The value of the ``format`` metadata key; a reader refuses any other."""

PROFILE = ""
"""MCAP profile: none of the well-known ones (ros1/ros2) applies to JSON messages."""

METADATA_NAME = "canadarm-trainer"
SUMMARY_METADATA_NAME = "canadarm-trainer.summary"

MESSAGE_ENCODING = "json"
SCHEMA_ENCODING = "jsonschema"

INPUT_TOPIC = "/input"
STATE_TOPIC = "/state"
EVENTS_TOPIC = "/events"
CHECKPOINT_TOPIC = "/checkpoint"
TF_TOPIC = "/tf"

INPUT_FIELDS = frozenset({"thc", "rhc", "buttons", "connected", "mode", "frame", "rate_scale"})
"""Keys the /input payload must hold besides ``tick`` and ``time_s`` (replay needs them)."""

_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_TIME_S = {"type": "number", "minimum": 0, "description": "simulation time (s)"}
_TICK = {"type": "integer", "minimum": 0, "description": "control tick (1/60 s) since start"}


def _axes(what: str) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "number", "minimum": -1, "maximum": 1},
        "minItems": 3,
        "maxItems": 3,
        "description": what,
    }


def _vector(n: int, what: str) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": ["number", "null"]},
        "minItems": n,
        "maxItems": n,
        "description": what,
    }


def _number(what: str) -> dict[str, Any]:
    return {"type": ["number", "null"], "description": what}


INPUT_SCHEMA: dict[str, Any] = {
    "$schema": _DRAFT,
    "title": "canadarm_trainer.Input",
    "description": "Hand-controller state of one control tick (trainer.input.state) plus "
    "the control layer's mode, frame of resolution and rate scale.",
    "type": "object",
    "properties": {
        "tick": _TICK,
        "time_s": _TIME_S,
        "thc": _axes("translational hand controller x, y, z rate demand"),
        "rhc": _axes("rotational hand controller roll, pitch, yaw rate demand"),
        "buttons": {
            "type": "array",
            "items": {"type": "string"},
            "description": "workstation buttons held during this tick (sorted names)",
        },
        "connected": {"type": "boolean", "description": "False while the device is lost"},
        "mode": {"type": "string", "description": "control mode"},
        "frame": {"type": "string", "description": "frame of resolution (base or lee)"},
        "rate_scale": {"type": "string", "description": "coarse or vernier"},
    },
    "required": ["tick", "time_s", *sorted(INPUT_FIELDS)],
}

STATE_SCHEMA: dict[str, Any] = {
    "$schema": _DRAFT,
    "title": "canadarm_trainer.State",
    "description": "Telemetry snapshot (world frame = LVLH, DESIGN §3; quaternions x, y, z, "
    "w). The session decides the keys; these are the expected ones.",
    "type": "object",
    "properties": {
        "time_s": _TIME_S,
        "vehicle_com_pos_world_m": _vector(3, "vehicle centre of mass position"),
        "vehicle_com_vel_world_m_s": _vector(3, "vehicle centre of mass velocity"),
        "vehicle_quat_world": _vector(4, "vehicle attitude"),
        "vehicle_ang_vel_world_rad_s": _vector(3, "vehicle angular velocity"),
        "lee_pos_world_m": _vector(3, "LEE frame origin"),
        "lee_quat_world": _vector(4, "LEE frame orientation"),
        "lee_vel_world_m_s": _vector(3, "LEE origin velocity"),
        "lee_ang_vel_world_rad_s": _vector(3, "LEE angular velocity"),
        "frgf_pos_world_m": _vector(3, "FRGF frame origin"),
        "frgf_quat_world": _vector(4, "FRGF frame orientation"),
        "joint_angles_rad": {"type": "array", "items": {"type": ["number", "null"]}},
        "joint_rates_rad_s": {"type": "array", "items": {"type": ["number", "null"]}},
        "lateral_offset_m": _number("DESIGN §4"),
        "axial_depth_m": _number("DESIGN §4 (negative = outside the LEE)"),
        "pitch_yaw_misalignment_deg": _number("DESIGN §4"),
        "roll_misalignment_deg": _number("DESIGN §4, folded to [0, 60]"),
        "relative_speed_m_s": _number("DESIGN §4"),
        "relative_rate_deg_s": _number("DESIGN §4"),
        "capture_state": {"type": "string", "description": "e.g. free, snared, rigidized"},
    },
    "required": ["time_s"],
    "additionalProperties": True,
}

EVENT_SCHEMA: dict[str, Any] = {
    "$schema": _DRAFT,
    "title": "canadarm_trainer.Event",
    "description": "Something that happened, with free fields per kind.",
    "type": "object",
    "properties": {
        "time_s": _TIME_S,
        "kind": {
            "type": "string",
            "description": "free_drift_start, call, trigger, snare, rigidize, contact, "
            "fault, abort, pause, resume, device_plugged, device_unplugged, end ...",
        },
    },
    "required": ["time_s", "kind"],
    "additionalProperties": True,
}

CHECKPOINT_SCHEMA: dict[str, Any] = {
    "$schema": _DRAFT,
    "title": "canadarm_trainer.Checkpoint",
    "description": "Hash of the full physics state, so a replay can prove it matches.",
    "type": "object",
    "properties": {
        "tick": _TICK,
        "time_s": _TIME_S,
        "step": {"type": "integer", "minimum": 0, "description": "physics step (1/240 s)"},
        "digest": {"type": "string", "description": "hash of the physics state"},
    },
    "required": ["tick", "time_s", "step", "digest"],
}


def _closed_object(
    title: str, description: str, properties: dict[str, Any], what: dict[str, str]
) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "type": "object",
        "properties": {
            name: {**spec, "description": what[name]} for name, spec in properties.items()
        },
        "required": list(properties),
        "additionalProperties": False,
    }


_NUMBER = {"type": "number"}
TF_SCHEMA: dict[str, Any] = {
    "$schema": _DRAFT,
    "title": "foxglove.FrameTransforms",
    "description": "An array of FrameTransform messages",
    "type": "object",
    "properties": {
        "transforms": {
            "type": "array",
            "description": "Array of transforms",
            "items": _closed_object(
                "foxglove.FrameTransform",
                "A transform between two reference frames in 3D space",
                {
                    "timestamp": {
                        "type": "object",
                        "title": "time",
                        "properties": {
                            "sec": {"type": "integer", "minimum": 0},
                            "nsec": {"type": "integer", "minimum": 0, "maximum": 999_999_999},
                        },
                        "required": ["sec", "nsec"],
                        "additionalProperties": False,
                    },
                    "parent_frame_id": {"type": "string"},
                    "child_frame_id": {"type": "string"},
                    "translation": _closed_object(
                        "foxglove.Vector3",
                        "Translation component of the transform",
                        {"x": _NUMBER, "y": _NUMBER, "z": _NUMBER},
                        {
                            "x": "x coordinate length",
                            "y": "y coordinate length",
                            "z": "z coordinate length",
                        },
                    ),
                    "rotation": _closed_object(
                        "foxglove.Quaternion",
                        "Rotation component of the transform",
                        {"x": _NUMBER, "y": _NUMBER, "z": _NUMBER, "w": _NUMBER},
                        {"x": "x value", "y": "y value", "z": "z value", "w": "w value"},
                    ),
                },
                {
                    "timestamp": "Timestamp of transform",
                    "parent_frame_id": "Name of the parent frame",
                    "child_frame_id": "Name of the child frame",
                    "translation": "Translation component of the transform",
                    "rotation": "Rotation component of the transform",
                },
            ),
        }
    },
    "required": ["transforms"],
    "additionalProperties": False,
}
"""Foxglove's ``foxglove.FrameTransforms`` (github.com/foxglove/schemas,
schemas/jsonschema/FrameTransforms.json), with ``required`` and ``additionalProperties``."""

CHANNELS: tuple[tuple[str, dict[str, Any]], ...] = (
    (INPUT_TOPIC, INPUT_SCHEMA),
    (STATE_TOPIC, STATE_SCHEMA),
    (EVENTS_TOPIC, EVENT_SCHEMA),
    (CHECKPOINT_TOPIC, CHECKPOINT_SCHEMA),
    (TF_TOPIC, TF_SCHEMA),
)
"""Topic and schema of every channel, in the order the writer registers them."""


def schema_bytes(schema: dict[str, Any]) -> bytes:
    """The schema as stored in the file: sorted, compact JSON (stable across writes)."""
    return json.dumps(schema, sort_keys=True, separators=(",", ":")).encode()
