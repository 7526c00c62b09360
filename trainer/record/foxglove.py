"""Foxglove's well-known schema the recording's /tf channel carries (docs/DESIGN.md §7).

``foxglove.FrameTransforms`` as published (github.com/foxglove/schemas,
schemas/jsonschema/FrameTransforms.json): the schema's name is what Foxglove and
Lichtblick recognise to draw the frames in 3D. It is tightened with ``required`` and
``additionalProperties: false`` so that a message with a missing or misspelt field fails
validation; every message of the well-known schema's shape still passes.
"""

from __future__ import annotations

from typing import Any

JSON_SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"


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
    "$schema": JSON_SCHEMA_DRAFT,
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
