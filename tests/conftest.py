"""Shared test setup: everything runs headless (pybullet DIRECT, SDL dummy drivers)."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
# Graded sessions join the trainee history (trainer/history): never the user's own data
# folder from a test run.
os.environ.setdefault(
    "CANADARM_TRAINER_DATA_DIR", tempfile.mkdtemp(prefix="canadarm-trainer-test-data-")
)
