"""Benchmark: the trainer's world against bare pybullet stepping the same bodies.

Prints steps per second and real-time factor for
  (a) bare ``stepSimulation`` on the station, arm and Dragon as the world builds them;
  (b) ``World.step`` with the CW force every physics step and a new joint-rate command
      every control tick (1/60 s = 4 physics steps), as a session drives it;
and the ratio b/a (budget: ≥ 0.5, and (b) ≥ 100x real time; docs/DESIGN.md §9, issue 2).
Both are measured in one run, one after the other, on one core.

Run: ``make bench`` or ``python bench/bench_world.py [--seconds 60]``.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import pybullet as pb

from trainer.clock import CONTROL_STEPS, PHYSICS_STEP_S
from trainer.sim.layout import default_world_spec
from trainer.sim.world import World


def bare(seconds: float) -> float:
    steps = round(seconds / PHYSICS_STEP_S)
    with World(default_world_spec("capture_ready", vehicle_velocity_m_s=(0.002, 0, 0))) as world:
        c = world.client
        t0 = time.perf_counter()
        for _ in range(steps):
            pb.stepSimulation(physicsClientId=c)
        return steps / (time.perf_counter() - t0)


def trainer_world(seconds: float) -> float:
    ticks = round(seconds / PHYSICS_STEP_S / CONTROL_STEPS)
    rng = np.random.default_rng(1)
    commands = (rng.uniform(-1, 1, (ticks, 7)) * math.radians(1.0)).tolist()
    with World(default_world_spec("capture_ready", vehicle_velocity_m_s=(0.002, 0, 0))) as world:
        t0 = time.perf_counter()
        for rates in commands:
            world.command_joint_rates(rates)
            world.step(CONTROL_STEPS)
        return ticks * CONTROL_STEPS / (time.perf_counter() - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="simulated seconds per case")
    args = parser.parse_args()
    a = bare(args.seconds)
    b = trainer_world(args.seconds)
    rt = 1.0 / PHYSICS_STEP_S
    print(f"(a) bare pybullet      : {a:10.0f} steps/s  {a / rt:7.1f}x real time")
    print(f"(b) trainer world      : {b:10.0f} steps/s  {b / rt:7.1f}x real time")
    print(f"ratio b/a              : {b / a:10.2f}   (budget >= 0.5)")
    print(f"(b) real-time factor   : {b / rt:10.1f}   (budget >= 100)")


if __name__ == "__main__":
    main()
