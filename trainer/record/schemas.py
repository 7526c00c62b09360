"""What a recording holds: its format name, channels and their JSON schemas (docs/DESIGN.md §7).

Shared by the writer and the reader so the two can never disagree. Every channel carries
JSON messages (message encoding ``json``) with a JSON Schema (schema encoding
``jsonschema``, draft 2020-12), so Foxglove, the ``mcap`` CLI and any JSON tool can read a
recording without this package.

| channel       | when                              | message                                      |
|---------------|-----------------------------------|----------------------------------------------|
| `/input`      | every control tick (1/60 s)       | tick, time_s, THC/RHC xyz, buttons, mode ... |
| `/state`      | every 6th tick, and at the end    | time_s and ``Telemetry.state_record()``      |
| `/events`     | when something happens            | time_s, kind and the kind's fields           |
| `/checkpoint` | at a fixed interval of steps      | tick, time_s, physics step, state digest     |
| `/tf`         | with every /state message         | foxglove.FrameTransforms (trainer/record/foxglove.py; frames: trainer/sim/frames.py) |
| `/instructor` | when an instructor acts (live)    | tick, time_s, action and its fields (trainer/record/instructor.py) |

Metadata (MCAP metadata is str → str: every value JSON-encoded, strings included):
``canadarm-trainer``, written at open (``format``, ``trainer_version``,
``pybullet_version``, ``pybullet_api_version``, ``environment`` (the fingerprint of the
machine that made it, trainer/fingerprint.py) and what the session passes: ``scenario_id``,
``scenario``, ``seed``, ``pilot``, ``start_time_utc``); ``canadarm-trainer.summary``,
written at close when the session hands a summary (outcome, score ...), absent after a crash.

``log_time`` and ``publish_time`` are nanoseconds of *simulation* time, never the wall
clock, so re-simulating a session writes the same messages. Each schema describes its
messages exactly: every field the writer always writes is required and no other property
is allowed, so a tool that trusts it is never misled (tests/record/test_channel_schemas.py
validates every message of a real recording against it).
"""

from __future__ import annotations

import json
from typing import Any

from trainer.control.telemetry import Frame, ModeName, RateScale, WarningKind
from trainer.input.state import Button
from trainer.record.event_schema import EVENT_KINDS as EVENT_KINDS  # re-exported
from trainer.record.event_schema import EVENT_SCHEMA as EVENT_SCHEMA
from trainer.record.event_schema import OUTCOMES as OUTCOMES
from trainer.record.event_schema import RETREAT_CUES as RETREAT_CUES
from trainer.record.foxglove import TF_SCHEMA as TF_SCHEMA  # re-exported: a channel's schema
from trainer.record.instructor_schema import ACTIONS as ACTIONS  # re-exported, as the others
from trainer.record.instructor_schema import CAMERAS as CAMERAS
from trainer.record.instructor_schema import FAULTS as FAULTS
from trainer.record.instructor_schema import INSTRUCTOR_SCHEMA as INSTRUCTOR_SCHEMA
from trainer.record.instructor_schema import INSTRUCTOR_TOPIC as INSTRUCTOR_TOPIC
from trainer.record.instructor_schema import MAX_CLIENT as MAX_CLIENT
from trainer.record.instructor_schema import VOICE_NAMES as VOICE_NAMES
from trainer.record.schema_parts import (
    TICK,
    TIME_S,
    axes,
    closed_object,
    enum,
    message,
    number,
    string,
    vector,
)
from trainer.sim.capture_state import CaptureState
from trainer.sim.joints import JOINT_NAMES
from trainer.sim.metrics import CAPTURE_QUANTITIES

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

_MODES = [m.value for m in ModeName]
_FRAMES = [f.value for f in Frame]
_SCALES = [r.value for r in RateScale]

INPUT_SCHEMA: dict[str, Any] = message(
    "canadarm_trainer.Input",
    "Hand-controller state of one control tick (trainer.input.state) plus the control "
    "layer's mode, frame of resolution and rate scale as they were before the tick (empty "
    "strings before the first tick).",
    {
        "tick": TICK,
        "time_s": TIME_S,
        "thc": axes("translational hand controller x, y, z rate demand"),
        "rhc": axes("rotational hand controller roll, pitch, yaw rate demand"),
        "buttons": {
            "type": "array",
            "items": enum((b.value for b in Button), "a workstation button"),
            "description": "workstation buttons held during this tick (sorted names)",
        },
        "connected": {"type": "boolean", "description": "False while the device is lost"},
        "mode": enum([*_MODES, ""], "control mode"),
        "frame": enum([*_FRAMES, ""], "frame of resolution"),
        "rate_scale": enum([*_SCALES, ""], "rate scale"),
    },
)

_JOINTS = len(JOINT_NAMES)

CONTROL_SCHEMA: dict[str, Any] = closed_object(
    "The control layer's state after the tick (trainer.control.telemetry.ControlTelemetry)",
    {
        "mode": enum(_MODES, "control mode"),
        "frame": enum(_FRAMES, "frame of resolution"),
        "rate_scale": enum(_SCALES, "rate scale"),
        "selected_joint": enum(JOINT_NAMES, "joint driven in single-joint mode"),
        "brakes_on": {"type": "boolean", "description": "the operator's brake selection"},
        "safed": {"type": "boolean", "description": "the arm is safed"},
        "safed_reason": {"type": ["string", "null"], "description": "why (null if not safed)"},
        "stopping": {
            "type": "boolean",
            "description": "a controlled stop is bringing the arm to rest (control/stop.py)",
        },
        "warnings": {
            "type": "array",
            "description": "advisories this tick",
            "items": closed_object(
                "one advisory",
                {
                    "kind": enum((w.value for w in WarningKind), "what it warns of"),
                    "message": string("the text shown to the operator"),
                    "joint": {"type": ["string", "null"], "description": "joint concerned"},
                    "value": number("the quantity in SI units"),
                },
            ),
        },
        "manipulability": number("sqrt(det(Jn Jn^T)) of the normalised Jacobian"),
        "lee_velocity_command_world_m_s": vector(3, "commanded LEE origin velocity (m/s)"),
        "lee_angular_velocity_command_world_rad_s": vector(
            3, "commanded LEE angular velocity (rad/s)"
        ),
        "lee_speed_limit_m_s": number("LEE speed cap of the current scale and payload"),
        "lee_rate_limit_rad_s": number("LEE angular rate cap of the current scale and payload"),
        "payload_mass_kg": number("payload mass the controller was told"),
    },
)

STATE_SCHEMA: dict[str, Any] = message(
    "canadarm_trainer.State",
    "Telemetry snapshot (trainer.telemetry.Telemetry.state_record): vectors in the world "
    "frame (LVLH, docs/DESIGN.md §3), quaternions x, y, z, w.",
    {
        "time_s": TIME_S,
        "tick": TICK,
        "free_drift_elapsed_s": number("seconds since free drift began; null before it"),
        "vehicle": closed_object(
            "vehicle centre of mass",
            {
                "position_m": vector(3, "position"),
                "velocity_m_s": vector(3, "velocity"),
                "orientation_xyzw": vector(4, "attitude"),
                "angular_velocity_rad_s": vector(3, "angular velocity"),
            },
        ),
        "lee": closed_object(
            "tip LEE frame (origin at the centre of the mouth)",
            {
                "position_m": vector(3, "origin"),
                "orientation_xyzw": vector(4, "orientation"),
                "velocity_m_s": vector(3, "origin velocity"),
                "angular_velocity_rad_s": vector(3, "angular velocity"),
            },
        ),
        "frgf": closed_object(
            "grapple fixture frame (origin at the centre of the base plate)",
            {
                "position_m": vector(3, "origin"),
                "orientation_xyzw": vector(4, "orientation"),
            },
        ),
        "joints": closed_object(
            "the SSRMS joints, base to tip",
            {
                "angles_rad": vector(_JOINTS, "joint angles"),
                "rates_rad_s": vector(_JOINTS, "joint rates"),
                "torques_nm": vector(_JOINTS, "joint drive torques"),
                "brakes": {
                    "type": "array",
                    "items": {"type": "boolean"},
                    "minItems": _JOINTS,
                    "maxItems": _JOINTS,
                    "description": "brake holding, per joint",
                },
            },
        ),
        "metrics": closed_object(
            "the capture metrics of docs/DESIGN.md §4",
            {q.name: number(q.definition) for q in CAPTURE_QUANTITIES},
        ),
        "range_m": number("LEE origin to the shaft tip"),
        "drift_from_start_m": number("shaft tip from where free drift began"),
        "closing_speed_m_s": number("vehicle speed toward the station (+z); > 0 closing"),
        "capture_state": enum((c.value for c in CaptureState), "the LEE mechanism's phase"),
        "constraint_force_n": number("snare grip or constraint force magnitude"),
        "constraint_torque_nm": number("snare grip or constraint torque magnitude"),
        "control": {"anyOf": [CONTROL_SCHEMA, {"type": "null"}]},
    },
)
# A berthing's mechanism and procedure (trainer/sim/cbm_state.py BerthingStatus): written
# only in a berthing's /state, so every other recording's messages are as they were (and
# recordings made before it replay bit for bit); the one field the writer does not always
# write.
STATE_OPTIONAL_FIELDS = frozenset({"berthing"})
STATE_SCHEMA["properties"]["berthing"] = closed_object(
    "the berthing's procedure step and mechanism (trainer/sim/cbm_state.py)",
    {
        "phase": string("the procedure's step"),
        "rtl_made": {
            "type": "array",
            "items": {"type": "boolean"},
            "minItems": 4,
            "maxItems": 4,
            "description": "the four ready-to-latch indicators as lit",
        },
        "latches": vector(4, "each capture latch's travel, 0 open to 1 closed"),
        "bolts_driven": {"type": "integer", "minimum": 0, "maximum": 16},
        "arm_limp": {"type": "boolean", "description": "the arm's drives yield"},
        "round_trip_s": number("the ground's command-to-video delay (0 from the Cupola)"),
    },
)

CHECKPOINT_SCHEMA: dict[str, Any] = message(
    "canadarm_trainer.Checkpoint",
    "Hash of the full physics state, so a replay can prove it matches.",
    {
        "tick": TICK,
        "time_s": TIME_S,
        "step": {"type": "integer", "minimum": 0, "description": "physics step (1/240 s)"},
        "digest": {"type": "string", "description": "hash of the physics state"},
    },
)


CHANNELS: tuple[tuple[str, dict[str, Any]], ...] = (
    (INPUT_TOPIC, INPUT_SCHEMA),
    (STATE_TOPIC, STATE_SCHEMA),
    (EVENTS_TOPIC, EVENT_SCHEMA),
    (CHECKPOINT_TOPIC, CHECKPOINT_SCHEMA),
    (TF_TOPIC, TF_SCHEMA),
    (INSTRUCTOR_TOPIC, INSTRUCTOR_SCHEMA),
)
"""Topic and schema of every channel, in the order the writer registers them."""


def schema_bytes(schema: dict[str, Any]) -> bytes:
    """The schema as stored in the file: sorted, compact JSON (stable across writes)."""
    return json.dumps(schema, sort_keys=True, separators=(",", ":")).encode()
