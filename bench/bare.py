"""Bare pybullet stepping of a scene, the ceiling every ratio in docs/DESIGN.md §9 is taken
against: ``stepSimulation`` at 1/240 s and nothing else, best of three rounds."""

from __future__ import annotations

import time

import pybullet as pb

from trainer.sim.layout import default_world_spec
from trainer.sim.world import PHYSICS_STEP_S, World

BARE_SECONDS = 60.0  # simulated seconds of bare stepping a round


def stepping_rate(world: World, seconds: float = BARE_SECONDS) -> float:
    """Simulated seconds per wall second of bare stepping of ``world`` (best of three)."""
    steps = round(seconds / PHYSICS_STEP_S)
    c = world.client
    best = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(steps):
            pb.stepSimulation(physicsClientId=c)
        best = max(best, seconds / (time.perf_counter() - t0))
    return best


def bare_rate(seconds: float = BARE_SECONDS) -> float:
    """The capture scene's (station, arm at ``capture_ready``, Dragon at the capture point)."""
    with World(default_world_spec("capture_ready")) as world:
        return stepping_rate(world, seconds)
