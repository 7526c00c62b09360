"""Shared test setup: everything runs headless (pybullet DIRECT, SDL dummy drivers)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

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
    from trainer.grade import run_graded
    from trainer.pilots import make_pilot
    from trainer.scenario.loader import load_scenario

    scenario = load_scenario("crs20-capture")
    out = tmp_path_factory.mktemp("graded")
    run_graded(scenario, 7, make_pilot("autopilot", scenario), "autopilot", out)
    return out / "session.mcap"
