"""Shared test setup: everything runs headless (pybullet DIRECT, SDL dummy drivers)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
# Graded sessions join the trainee history (trainer/history): never the user's own data
# folder from a test run.
os.environ.setdefault(
    "CANADARM_TRAINER_DATA_DIR", tempfile.mkdtemp(prefix="canadarm-trainer-test-data-")
)


@pytest.fixture(scope="session")
def graded_recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real graded session (crs20-capture, seed 7, autopilot: a capture of ~76 s),
    shared by the replay, debrief and recording tests. Treat it as read-only: copy it
    before changing it."""
    from trainer.graded import run_graded
    from trainer.pilots import make_pilot
    from trainer.scenario.loader import load_scenario

    scenario = load_scenario("crs20-capture")
    out = tmp_path_factory.mktemp("graded")
    run_graded(scenario, 7, make_pilot("autopilot", scenario), "autopilot", out)
    return out / "session.mcap"


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
