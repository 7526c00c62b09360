"""The pieces the recording's JSON schemas are built of (docs/DESIGN.md §7): every field
the writer always writes is required and no other property is allowed, so each channel's
schema describes its messages exactly. Used by trainer/record/schemas.py (the channels) and
trainer/record/event_schema.py (the /events kinds)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from trainer.record.foxglove import JSON_SCHEMA_DRAFT

TIME_S = {"type": "number", "minimum": 0, "description": "simulation time (s)"}
TICK = {"type": "integer", "minimum": 0, "description": "control tick (1/60 s) since start"}


def axes(what: str) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "number", "minimum": -1, "maximum": 1},
        "minItems": 3,
        "maxItems": 3,
        "description": what,
    }


def vector(n: int, what: str) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": ["number", "null"]},  # null: a non-finite float (module docstring)
        "minItems": n,
        "maxItems": n,
        "description": what,
    }


def number(what: str) -> dict[str, Any]:
    return {"type": ["number", "null"], "description": what}


def string(what: str) -> dict[str, Any]:
    return {"type": "string", "description": what}


def enum(values: Iterable[str], what: str) -> dict[str, Any]:
    return {"type": "string", "enum": sorted(values), "description": what}


def closed_object(what: str, properties: dict[str, Any]) -> dict[str, Any]:
    """An object holding exactly ``properties``, every one always written."""
    return {
        "type": "object",
        "description": what,
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": False,
    }


def message(title: str, what: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": JSON_SCHEMA_DRAFT, "title": title, **closed_object(what, properties)}
