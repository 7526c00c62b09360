"""Benchmark: the Gymnasium environment (trainer/envs/, docs/ENVIRONMENT.md §10) against bare
pybullet stepping and against ``grade``'s session loop, measured in the same run.

1. bare ``stepSimulation`` of the same bodies (station, arm at ``capture_ready``, Dragon)
   at 1/240 s, best of three rounds of 60 simulated seconds: the physics ceiling
   (as bench/bench_batch.py measures it);
2. ``grade``'s loop (``run_graded``: session, autopilot, scoring, the MCAP recording and
   the reports) on crs20-capture for each seed;
3. the environment flown by the same autopilot (``PilotPolicy``) on the same sessions
   (``options={"session_seed": seed}``): without recording, with recording (as grade),
   and with the LEE camera image in every observation (``camera_observation``);
4. ``reset``: a new world each episode (the session is built anew: bit for bit by
   construction), median and worst of ``--resets`` resets, recording off and on.

Each figure is simulated seconds per wall second ("x real time") and its ratio to bare
stepping; an environment step is one 1/60 s control tick. The targets
(docs/ENVIRONMENT.md §10): a step costs no more than a graded tick (the environment's
ratio at least grade's); reset ≤ 0.2 s. The machine's load is printed: on a shared
machine every figure is a lower bound.

Run: ``python bench/bench_env.py [--seeds 1..3] [--camera 160x120] [--camera-steps 600]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import pybullet as pb

from trainer.envs import CaptureEnv, PilotPolicy
from trainer.grade import run_graded
from trainer.pilots import make_pilot
from trainer.scenario.loader import load_scenario
from trainer.scenario.model import Scenario
from trainer.sim.layout import default_world_spec
from trainer.sim.world import PHYSICS_STEP_S, World

BARE_SECONDS = 60.0
TICK_S = 1.0 / 60.0


def bare_rate(seconds: float = BARE_SECONDS) -> float:
    """Simulated seconds per wall second of bare stepping (best of three rounds)."""
    steps = round(seconds / PHYSICS_STEP_S)
    best = 0.0
    with World(default_world_spec("capture_ready")) as world:
        c = world.client
        for _ in range(3):
            t0 = time.perf_counter()
            for _ in range(steps):
                pb.stepSimulation(physicsClientId=c)
            best = max(best, seconds / (time.perf_counter() - t0))
    return best


def graded_rate(scenario: Scenario, seeds: range, out: Path) -> tuple[float, float]:
    """(simulated s, wall s) of ``grade``'s loop over ``seeds``, recording included."""
    sim = wall = 0.0
    for seed in seeds:
        t0 = time.perf_counter()
        result = run_graded(
            scenario, seed, make_pilot("autopilot", scenario), "autopilot", out / f"g{seed}"
        )
        wall += time.perf_counter() - t0
        sim += result.sim_time_s
    return sim, wall


def env_rate(
    scenario: Scenario, seeds: range, max_steps: int | None = None, **kwargs: Any
) -> tuple[float, float, int]:
    """(simulated s, wall s, steps) of the environment flown by the autopilot over
    ``seeds``, reset excluded; at most ``max_steps`` steps an episode."""
    env = CaptureEnv(scenario, pilot_name="autopilot", **kwargs)
    sim = wall = 0.0
    steps = 0
    try:
        for seed in seeds:
            env.reset(options={"session_seed": seed})
            policy = PilotPolicy.autopilot(scenario)
            n = 0
            t0 = time.perf_counter()
            while max_steps is None or n < max_steps:
                assert env.telemetry is not None
                _obs, _r, terminated, truncated, _info = env.step(policy.act(env.telemetry))
                n += 1
                if terminated or truncated:
                    break
            wall += time.perf_counter() - t0
            steps += n
            sim += n * TICK_S
    finally:
        env.close()
    return sim, wall, steps


def reset_times(scenario: Scenario, resets: int, **kwargs: Any) -> list[float]:
    """Wall seconds of ``resets`` resets (each after a few steps of the last episode)."""
    env = CaptureEnv(scenario, **kwargs)
    times = []
    try:
        zero = {"sticks": [0.0] * 6, "buttons": [0] * 12}
        for seed in range(resets):
            t0 = time.perf_counter()
            env.reset(seed=seed)
            times.append(time.perf_counter() - t0)
            for _ in range(10):
                env.step(zero)
    finally:
        env.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description="the environment's speed against bare physics")
    parser.add_argument("--seeds", default="1..3", help="crs20-capture session seeds, A..B")
    parser.add_argument("--camera", default="160x120", help="the LEE camera image, WxH")
    parser.add_argument("--camera-steps", type=int, default=600, help="steps with images")
    parser.add_argument("--resets", type=int, default=20)
    args = parser.parse_args()
    low, _, high = args.seeds.partition("..")
    seeds = range(int(low), int(high or low) + 1)
    width, height = (int(v) for v in args.camera.split("x"))
    scenario = load_scenario("crs20-capture")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")

    bare = bare_rate()
    print(f"bare stepping (station, arm, Dragon, 1/240 s): {bare:.0f}x real time")
    with tempfile.TemporaryDirectory() as tmp:
        sim, wall = graded_rate(scenario, seeds, Path(tmp))
        graded = sim / wall
        print(
            f"grade's loop, crs20-capture seeds {args.seeds}, autopilot, recording on: "
            f"{graded:.1f}x real time, {wall / (sim / TICK_S) * 1e6:.0f} µs a tick, "
            f"ratio {graded / bare:.3f} of bare"
        )
        runs: list[tuple[str, dict[str, Any], int | None]] = [
            ("env, no recording", {}, None),
            ("env, recording on", {"record_dir": Path(tmp) / "env"}, None),
            (
                f"env, LEE camera {width}x{height} in each observation",
                {"camera_observation": (width, height)},
                args.camera_steps,
            ),
        ]
        for label, kwargs, max_steps in runs:
            sim, wall, steps = env_rate(scenario, seeds, max_steps, **kwargs)
            rate = sim / wall
            print(
                f"{label}: {steps / wall:.0f} steps/s, {rate:.1f}x real time, "
                f"{wall / steps * 1e6:.0f} µs a step, ratio {rate / bare:.3f} of bare "
                f"({rate / graded:.2f} of grade's)"
            )
        for label, kwargs in (("off", {}), ("on", {"record_dir": Path(tmp) / "resets"})):
            times = reset_times(scenario, args.resets, **kwargs)
            print(
                f"reset (a new world), recording {label}: median {statistics.median(times) * 1e3:.0f} ms, "
                f"worst {max(times) * 1e3:.0f} ms over {len(times)} resets (target <= 200 ms)"
            )
    print(f"load average after {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
