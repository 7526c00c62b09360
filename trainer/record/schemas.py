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
from collections.abc import Iterable
from typing import Any

from trainer.control.telemetry import Frame, ModeName, RateScale, WarningKind
from trainer.input.state import Button
from trainer.record.foxglove import JSON_SCHEMA_DRAFT
from trainer.record.foxglove import TF_SCHEMA as TF_SCHEMA  # re-exported: a channel's schema
from trainer.record.instructor_schema import ACTIONS as ACTIONS  # re-exported, as the others
from trainer.record.instructor_schema import CAMERAS as CAMERAS
from trainer.record.instructor_schema import FAULTS as FAULTS
from trainer.record.instructor_schema import INSTRUCTOR_SCHEMA as INSTRUCTOR_SCHEMA
from trainer.record.instructor_schema import INSTRUCTOR_TOPIC as INSTRUCTOR_TOPIC
from trainer.record.instructor_schema import MAX_CLIENT as MAX_CLIENT
from trainer.record.instructor_schema import VOICE_NAMES as VOICE_NAMES
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
        "items": {"type": ["number", "null"]},  # null: a non-finite float (module docstring)
        "minItems": n,
        "maxItems": n,
        "description": what,
    }


def _number(what: str) -> dict[str, Any]:
    return {"type": ["number", "null"], "description": what}


def _string(what: str) -> dict[str, Any]:
    return {"type": "string", "description": what}


def _enum(values: Iterable[str], what: str) -> dict[str, Any]:
    return {"type": "string", "enum": sorted(values), "description": what}


def _object(what: str, properties: dict[str, Any]) -> dict[str, Any]:
    """An object holding exactly ``properties``, every one always written."""
    return {
        "type": "object",
        "description": what,
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": False,
    }


def _message(title: str, what: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": JSON_SCHEMA_DRAFT, "title": title, **_object(what, properties)}


_MODES = [m.value for m in ModeName]
_FRAMES = [f.value for f in Frame]
_SCALES = [r.value for r in RateScale]

INPUT_SCHEMA: dict[str, Any] = _message(
    "canadarm_trainer.Input",
    "Hand-controller state of one control tick (trainer.input.state) plus the control "
    "layer's mode, frame of resolution and rate scale as they were before the tick (empty "
    "strings before the first tick).",
    {
        "tick": _TICK,
        "time_s": _TIME_S,
        "thc": _axes("translational hand controller x, y, z rate demand"),
        "rhc": _axes("rotational hand controller roll, pitch, yaw rate demand"),
        "buttons": {
            "type": "array",
            "items": _enum((b.value for b in Button), "a workstation button"),
            "description": "workstation buttons held during this tick (sorted names)",
        },
        "connected": {"type": "boolean", "description": "False while the device is lost"},
        "mode": _enum([*_MODES, ""], "control mode"),
        "frame": _enum([*_FRAMES, ""], "frame of resolution"),
        "rate_scale": _enum([*_SCALES, ""], "rate scale"),
    },
)

_JOINTS = len(JOINT_NAMES)

CONTROL_SCHEMA: dict[str, Any] = _object(
    "The control layer's state after the tick (trainer.control.telemetry.ControlTelemetry)",
    {
        "mode": _enum(_MODES, "control mode"),
        "frame": _enum(_FRAMES, "frame of resolution"),
        "rate_scale": _enum(_SCALES, "rate scale"),
        "selected_joint": _enum(JOINT_NAMES, "joint driven in single-joint mode"),
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
            "items": _object(
                "one advisory",
                {
                    "kind": _enum((w.value for w in WarningKind), "what it warns of"),
                    "message": _string("the text shown to the operator"),
                    "joint": {"type": ["string", "null"], "description": "joint concerned"},
                    "value": _number("the quantity in SI units"),
                },
            ),
        },
        "manipulability": _number("sqrt(det(Jn Jn^T)) of the normalised Jacobian"),
        "lee_velocity_command_world_m_s": _vector(3, "commanded LEE origin velocity (m/s)"),
        "lee_angular_velocity_command_world_rad_s": _vector(
            3, "commanded LEE angular velocity (rad/s)"
        ),
        "lee_speed_limit_m_s": _number("LEE speed cap of the current scale and payload"),
        "lee_rate_limit_rad_s": _number("LEE angular rate cap of the current scale and payload"),
        "payload_mass_kg": _number("payload mass the controller was told"),
    },
)

STATE_SCHEMA: dict[str, Any] = _message(
    "canadarm_trainer.State",
    "Telemetry snapshot (trainer.telemetry.Telemetry.state_record): vectors in the world "
    "frame (LVLH, docs/DESIGN.md §3), quaternions x, y, z, w.",
    {
        "time_s": _TIME_S,
        "tick": _TICK,
        "free_drift_elapsed_s": _number("seconds since free drift began; null before it"),
        "vehicle": _object(
            "vehicle centre of mass",
            {
                "position_m": _vector(3, "position"),
                "velocity_m_s": _vector(3, "velocity"),
                "orientation_xyzw": _vector(4, "attitude"),
                "angular_velocity_rad_s": _vector(3, "angular velocity"),
            },
        ),
        "lee": _object(
            "tip LEE frame (origin at the centre of the mouth)",
            {
                "position_m": _vector(3, "origin"),
                "orientation_xyzw": _vector(4, "orientation"),
                "velocity_m_s": _vector(3, "origin velocity"),
                "angular_velocity_rad_s": _vector(3, "angular velocity"),
            },
        ),
        "frgf": _object(
            "grapple fixture frame (origin at the centre of the base plate)",
            {
                "position_m": _vector(3, "origin"),
                "orientation_xyzw": _vector(4, "orientation"),
            },
        ),
        "joints": _object(
            "the SSRMS joints, base to tip",
            {
                "angles_rad": _vector(_JOINTS, "joint angles"),
                "rates_rad_s": _vector(_JOINTS, "joint rates"),
                "torques_nm": _vector(_JOINTS, "joint drive torques"),
                "brakes": {
                    "type": "array",
                    "items": {"type": "boolean"},
                    "minItems": _JOINTS,
                    "maxItems": _JOINTS,
                    "description": "brake holding, per joint",
                },
            },
        ),
        "metrics": _object(
            "the capture metrics of docs/DESIGN.md §4",
            {q.name: _number(q.definition) for q in CAPTURE_QUANTITIES},
        ),
        "range_m": _number("LEE origin to the shaft tip"),
        "drift_from_start_m": _number("shaft tip from where free drift began"),
        "closing_speed_m_s": _number("vehicle speed toward the station (+z); > 0 closing"),
        "capture_state": _enum((c.value for c in CaptureState), "the LEE mechanism's phase"),
        "constraint_force_n": _number("snare grip or constraint force magnitude"),
        "constraint_torque_nm": _number("snare grip or constraint torque magnitude"),
        "control": {"anyOf": [CONTROL_SCHEMA, {"type": "null"}]},
    },
)
# A berthing's mechanism and procedure (trainer/sim/cbm_state.py BerthingStatus): written
# only in a berthing's /state, so every other recording's messages are as they were (and
# recordings made before it replay bit for bit); the one field the writer does not always
# write.
STATE_OPTIONAL_FIELDS = frozenset({"berthing"})
STATE_SCHEMA["properties"]["berthing"] = _object(
    "the berthing's procedure step and mechanism (trainer/sim/cbm_state.py)",
    {
        "phase": _string("the procedure's step"),
        "rtl_made": {
            "type": "array",
            "items": {"type": "boolean"},
            "minItems": 4,
            "maxItems": 4,
            "description": "the four ready-to-latch indicators as lit",
        },
        "latches": _vector(4, "each capture latch's travel, 0 open to 1 closed"),
        "bolts_driven": {"type": "integer", "minimum": 0, "maximum": 16},
        "arm_limp": {"type": "boolean", "description": "the arm's drives yield"},
        "round_trip_s": _number("the ground's command-to-video delay (0 from the Cupola)"),
    },
)

_METRIC_FIELDS = STATE_SCHEMA["properties"]["metrics"]["properties"]
_VEC3 = _vector(3, "x, y, z")

OUTCOMES = (
    "captured",
    "missed",
    "timeout",
    "aborted",
    "collision",
    "fault",
    "retreated",
    "aligned",
    "interrupted",
    "berthed",
)
RETREAT_CUES = ("closing_too_fast", "loss_of_comm", "fault")
EVENT_KINDS: tuple[tuple[str, dict[str, Any], dict[str, Any]], ...] = (
    # (kind, discriminating constants besides the kind, the other fields)
    ("free_drift_start", {}, {}),
    ("go_for_capture", {}, {}),
    ("call", {}, {"text": _string("what the crew hears")}),
    ("fault", {"fault": "camera_loss"}, {"camera": _string("camera whose video is lost")}),
    ("fault", {"fault": "brake_stuck"}, {"joint": _enum(JOINT_NAMES, "joint braked")}),
    ("fault", {"fault": "hand_controller_bias"}, {"thc": _VEC3, "rhc": _VEC3}),
    ("fault", {"fault": "rtl_fault"}, {"switch": {"type": "integer", "minimum": 1, "maximum": 4}}),
    (
        "fault",
        {"fault": "latch_stall"},
        {
            "latch": {"type": "integer", "minimum": 1, "maximum": 4},
            "fraction": _number("of its travel where the latch stops"),
        },
    ),
    ("fault_cleared", {"fault": "camera_loss"}, {"camera": _string("camera restored")}),
    ("device_unplugged", {}, {}),
    ("device_plugged", {}, {}),
    (
        "arm_safed",
        {},
        {
            "cause": {"type": ["string", "null"], "description": "why the arm was safed"},
            "stop_s": _number("from safing to the arm at rest with its brakes on"),
        },
    ),
    ("pause", {}, {}),
    ("resume", {}, {}),
    (
        "realtime_slowed",
        {},
        {
            "behind_wall_s": _number("total wall time the window's simulation fell behind (s)"),
            "since_last_s": _number("of which since the previous realtime_slowed event (s)"),
        },
    ),
    (
        "vehicle_command",
        {},
        {
            "command": _string("hold, retreat, abort, free_drift or capture"),
            "effect": _string("what it did"),
        },
    ),
    (
        "abort",
        {},
        {
            "closing_speed_m_s": _number("vehicle closing speed when commanded"),
            "limit_m_s": _number("the scenario's abort limit"),
            "correct": {"type": "boolean", "description": "the abort was the right call"},
        },
    ),
    (
        "trigger",
        {},
        {"tier": _enum(("full", "allowed", "outside"), "envelope tier"), **_METRIC_FIELDS},
    ),
    (
        "miss",
        {},
        {
            "contact": {"type": "boolean", "description": "the wires bumped the shaft"},
            "impulse_n_s": _number("impulse given to the vehicle"),
        },
    ),
    ("snares_open", {}, {}),
    (
        "snare_closed",
        {},
        {
            "residual_speed_m_s": _number(
                "relative speed the wires' grip left when the fixed constraint took over"
            ),
            "residual_rate_deg_s": _number("relative rate left then"),
        },
    ),
    ("rigidize_start", {}, {}),
    ("rigid", {}, {}),
    ("release", {}, {}),
    (
        "contact",
        {},
        {
            "bodies": _string("body/link - body/link"),
            "speed_m_s": _number(
                "fastest relative normal speed at which the pair came together (before the step)"
            ),
            "force_n": _number("total normal force of the pair"),
        },
    ),
    ("crew_free_drift", {}, {}),
    ("offset_grapple", {}, {}),
    ("go_no_go", {}, {"decision": _enum(("go", "no-go"), "MCC's decision on the approach")}),
    (
        "cue",
        {},
        {
            "cue": _enum(RETREAT_CUES, "what the crew must react to"),
            "window_s": _number("response window"),
        },
    ),
    (
        "cue_answered",
        {},
        {
            "cue": _enum(RETREAT_CUES, "the cue"),
            "answer": _enum(("retreat", "abort"), "the command given"),
            "response_time_s": _number("from the cue to the command"),
            "in_time": {"type": "boolean", "description": "within the response window"},
        },
    ),
    (
        "cue_missed",
        {},
        {"cue": _enum(RETREAT_CUES, "the cue"), "window_s": _number("response window")},
    ),
    (
        "vehicle_response",
        {},
        {
            "command": _enum(
                ("hold", "retreat", "abort", "free_drift", "approach"), "what Dragon now flies"
            ),
            "response_time_s": _number("from the command to Dragon acting on it"),
        },
    ),
    ("vehicle_arrived", {}, {"position_m": _VEC3}),
    (
        "procedure_violation",
        {"rule": "free_drift_gate"},
        {"range_m": _number("LEE origin to the shaft tip before free drift was confirmed")},
    ),
    (
        "procedure_violation",
        {"rule": "guides_before_go"},
        {"separation_m": _number("PCBM face to the ACBM face when it entered the guides")},
    ),
    (
        "procedure_violation",
        {"rule": "guides_without_cbcs"},
        {"separation_m": _number("PCBM face to the ACBM face when it entered the guides")},
    ),
    ("procedure_violation", {"rule": "release_without_go"}, {}),
    # A berthing's (trainer/tasks/berthing.py):
    ("berthing_phase", {}, {"phase": _string("the procedure's step now")}),
    ("berthing_handover", {}, {"capture_reason": _string("how the capture ended")}),
    ("rtl_made", {}, {"switch": {"type": "integer", "minimum": 1, "maximum": 4}}),
    (
        "rtl",
        {},
        {
            "tier": _enum(("full", "allowed", "outside"), "the RTL envelope's tier"),
            "on_three_rtls": {"type": "boolean", "description": "one indicator had failed"},
            **{
                name: _number(what)
                for name, what in (
                    ("separation_m", "PCBM face to the ACBM face along the port axis"),
                    ("lateral_offset_m", "PCBM face centre from the port axis"),
                    ("tilt_deg", "port axis to the PCBM's reversed axis"),
                    ("roll_deg", "about the port axis"),
                    (
                        "axial_speed_m_s",
                        "along the port's axis, toward the port (> 0 the rings closing)",
                    ),
                    ("lateral_speed_m_s", "across the port axis"),
                    ("rate_deg_s", "the vehicle's angular rate"),
                )
            },
        },
    ),
    ("bolt_driven", {}, {"bolt": {"type": "integer", "minimum": 1, "maximum": 16}}),
    (
        "berthing_abort",
        {},
        {
            "cause": _string("commanded, or the fault that forced it"),
            "correct": {"type": "boolean", "description": "a fault made the abort right"},
        },
    ),
    (
        "end",
        {},
        {
            "outcome": _enum(OUTCOMES, "outcome"),
            "reason": _string("why the session ended"),
        },
    ),
)
"""Every kind of /events message and its fields (all always written)."""


def _event_variant(kind: str, constants: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    return _object(
        kind,
        {
            "time_s": _TIME_S,
            "kind": {"const": kind},
            **{k: {"const": v} for k, v in constants.items()},
            **fields,
        },
    )


EVENT_SCHEMA: dict[str, Any] = {
    "$schema": JSON_SCHEMA_DRAFT,
    "title": "canadarm_trainer.Event",
    "description": "Something that happened: its kind decides its fields (EVENT_KINDS).",
    "type": "object",
    "properties": {
        "time_s": _TIME_S,
        "kind": _enum({k for k, _, _ in EVENT_KINDS}, "what happened"),
    },
    "required": ["time_s", "kind"],
    "oneOf": [_event_variant(*variant) for variant in EVENT_KINDS],
}


CHECKPOINT_SCHEMA: dict[str, Any] = _message(
    "canadarm_trainer.Checkpoint",
    "Hash of the full physics state, so a replay can prove it matches.",
    {
        "tick": _TICK,
        "time_s": _TIME_S,
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
