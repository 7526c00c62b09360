"""The /events channel's schema (docs/DESIGN.md §7): every kind of event the session logs,
its discriminating constants and its fields (``EVENT_KINDS``), and the outcomes an ``end``
event may name. trainer/record/schemas.py registers it with the other channels."""

from __future__ import annotations

from typing import Any

from trainer.record.foxglove import JSON_SCHEMA_DRAFT
from trainer.record.schema_parts import TIME_S, closed_object, enum, number, string, vector
from trainer.sim.joints import JOINT_NAMES
from trainer.sim.metrics import CAPTURE_QUANTITIES

_METRIC_FIELDS = {q.name: number(q.definition) for q in CAPTURE_QUANTITIES}  # as in /state
_VEC3 = vector(3, "x, y, z")

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
    ("call", {}, {"text": string("what the crew hears")}),
    ("fault", {"fault": "camera_loss"}, {"camera": string("camera whose video is lost")}),
    ("fault", {"fault": "brake_stuck"}, {"joint": enum(JOINT_NAMES, "joint braked")}),
    ("fault", {"fault": "hand_controller_bias"}, {"thc": _VEC3, "rhc": _VEC3}),
    ("fault", {"fault": "rtl_fault"}, {"switch": {"type": "integer", "minimum": 1, "maximum": 4}}),
    (
        "fault",
        {"fault": "latch_stall"},
        {
            "latch": {"type": "integer", "minimum": 1, "maximum": 4},
            "fraction": number("of its travel where the latch stops"),
        },
    ),
    ("fault_cleared", {"fault": "camera_loss"}, {"camera": string("camera restored")}),
    ("device_unplugged", {}, {}),
    ("device_plugged", {}, {}),
    (
        "arm_safed",
        {},
        {
            "cause": {"type": ["string", "null"], "description": "why the arm was safed"},
            "stop_s": number("from safing to the arm at rest with its brakes on"),
        },
    ),
    ("pause", {}, {}),
    ("resume", {}, {}),
    (
        "realtime_slowed",
        {},
        {
            "behind_wall_s": number("total wall time the window's simulation fell behind (s)"),
            "since_last_s": number("of which since the previous realtime_slowed event (s)"),
        },
    ),
    (
        "vehicle_command",
        {},
        {
            "command": string("hold, retreat, abort, free_drift or capture"),
            "effect": string("what it did"),
        },
    ),
    (
        "abort",
        {},
        {
            "closing_speed_m_s": number("vehicle closing speed when commanded"),
            "limit_m_s": number("the scenario's abort limit"),
            "correct": {"type": "boolean", "description": "the abort was the right call"},
        },
    ),
    (
        "trigger",
        {},
        {"tier": enum(("full", "allowed", "outside"), "envelope tier"), **_METRIC_FIELDS},
    ),
    (
        "miss",
        {},
        {
            "contact": {"type": "boolean", "description": "the wires bumped the shaft"},
            "impulse_n_s": number("impulse given to the vehicle"),
        },
    ),
    ("snares_open", {}, {}),
    (
        "snare_closed",
        {},
        {
            "residual_speed_m_s": number(
                "relative speed the wires' grip left when the fixed constraint took over"
            ),
            "residual_rate_deg_s": number("relative rate left then"),
        },
    ),
    ("rigidize_start", {}, {}),
    ("rigid", {}, {}),
    ("release", {}, {}),
    (
        "contact",
        {},
        {
            "bodies": string("body/link - body/link"),
            "speed_m_s": number(
                "fastest relative normal speed at which the pair came together (before the step)"
            ),
            "force_n": number("total normal force of the pair"),
        },
    ),
    ("crew_free_drift", {}, {}),
    ("offset_grapple", {}, {}),
    ("go_no_go", {}, {"decision": enum(("go", "no-go"), "MCC's decision on the approach")}),
    (
        "cue",
        {},
        {
            "cue": enum(RETREAT_CUES, "what the crew must react to"),
            "window_s": number("response window"),
        },
    ),
    (
        "cue_answered",
        {},
        {
            "cue": enum(RETREAT_CUES, "the cue"),
            "answer": enum(("retreat", "abort"), "the command given"),
            "response_time_s": number("from the cue to the command"),
            "in_time": {"type": "boolean", "description": "within the response window"},
        },
    ),
    (
        "cue_missed",
        {},
        {"cue": enum(RETREAT_CUES, "the cue"), "window_s": number("response window")},
    ),
    (
        "vehicle_response",
        {},
        {
            "command": enum(
                ("hold", "retreat", "abort", "free_drift", "approach"), "what Dragon now flies"
            ),
            "response_time_s": number("from the command to Dragon acting on it"),
        },
    ),
    ("vehicle_arrived", {}, {"position_m": _VEC3}),
    (
        "procedure_violation",
        {"rule": "free_drift_gate"},
        {"range_m": number("LEE origin to the shaft tip before free drift was confirmed")},
    ),
    (
        "procedure_violation",
        {"rule": "guides_before_go"},
        {"separation_m": number("PCBM face to the ACBM face when it entered the guides")},
    ),
    (
        "procedure_violation",
        {"rule": "guides_without_cbcs"},
        {"separation_m": number("PCBM face to the ACBM face when it entered the guides")},
    ),
    ("procedure_violation", {"rule": "release_without_go"}, {}),
    # A berthing's (trainer/tasks/berthing.py):
    ("berthing_phase", {}, {"phase": string("the procedure's step now")}),
    ("berthing_handover", {}, {"capture_reason": string("how the capture ended")}),
    ("rtl_made", {}, {"switch": {"type": "integer", "minimum": 1, "maximum": 4}}),
    (
        "rtl",
        {},
        {
            "tier": enum(("full", "allowed", "outside"), "the RTL envelope's tier"),
            "on_three_rtls": {"type": "boolean", "description": "one indicator had failed"},
            **{
                name: number(what)
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
            "cause": string("commanded, or the fault that forced it"),
            "correct": {"type": "boolean", "description": "a fault made the abort right"},
        },
    ),
    (
        "end",
        {},
        {
            "outcome": enum(OUTCOMES, "outcome"),
            "reason": string("why the session ended"),
        },
    ),
)
"""Every kind of /events message and its fields (all always written)."""


def _event_variant(kind: str, constants: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    return closed_object(
        kind,
        {
            "time_s": TIME_S,
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
        "time_s": TIME_S,
        "kind": enum({k for k, _, _ in EVENT_KINDS}, "what happened"),
    },
    "required": ["time_s", "kind"],
    "oneOf": [_event_variant(*variant) for variant in EVENT_KINDS],
}
