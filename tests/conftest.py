"""Shared test setup: everything runs headless (pybullet DIRECT, SDL dummy drivers)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


REPORT_SCHEMA_PATH = Path(__file__).resolve().parents[1] / "docs" / "report.schema.json"


@pytest.fixture(scope="session")
def report_schema() -> Callable[[Mapping[str, Any]], None]:
    """Checks a report.json value against docs/report.schema.json (docs/DESIGN.md §6):
    raises with the first key path that does not match."""
    schema = json.loads(REPORT_SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    def check(report: Mapping[str, Any]) -> None:
        error = jsonschema.exceptions.best_match(validator.iter_errors(report))
        if error is not None:
            where = ".".join(str(p) for p in error.absolute_path) or "(top)"
            raise AssertionError(f"report.json: {where}: {error.message}")

    return check
