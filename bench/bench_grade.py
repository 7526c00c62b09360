"""Benchmark: a headless graded capture, recording included (DESIGN §9: ≥ 100x real time).

Runs ``crs20-capture`` with the autopilot for a few seeds, as ``canadarm-trainer grade``
does (session, control, capture, scoring, MCAP recording, reports), and prints simulated
seconds per wall second, plus how the wall time of one run splits between the physics
steps and everything else.

Run: ``python bench/bench_grade.py [--seeds 3]``.

What bounds it (measured on a 2-core laptop-class machine, 2026-11): the physics steps alone
take ~106 µs of each 1/60 s tick inside the loop (a world step is ~16 µs warm, of which the
seven joint drives are ~8 µs, and ~22 µs/step pre-capture, ~40 µs/step while the capture
constraint is rigidized, once Python has cooled the caches), so physics alone would run
at ~158x real time; 100x leaves 167 µs per tick for physics and every Python layer
together.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pybullet as pb

from trainer.grade import run_graded
from trainer.pilots import make_pilot
from trainer.scenario.loader import load_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description="headless grade speed")
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    scenario = load_scenario("crs20-capture")
    total_sim = total_wall = 0.0
    step_time = [0.0]
    original_step = pb.stepSimulation

    def timed_step(*a: object, **k: object) -> object:
        t0 = time.perf_counter()
        result = original_step(*a, **k)
        step_time[0] += time.perf_counter() - t0
        return result

    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(1, args.seeds + 1):
            pilot = make_pilot("autopilot", scenario)
            t0 = time.perf_counter()
            result = run_graded(scenario, seed, pilot, "autopilot", Path(tmp) / str(seed))
            wall = time.perf_counter() - t0
            total_sim += result.sim_time_s
            total_wall += wall
            print(
                f"seed {seed}: {result.report['outcome']:<9} {result.sim_time_s:6.1f} s simulated "
                f"in {wall:5.2f} s wall: {result.sim_time_s / wall:6.1f}x real time"
            )
        pb.stepSimulation = timed_step
        try:
            t0 = time.perf_counter()
            result = run_graded(
                scenario, 1, make_pilot("autopilot", scenario), "autopilot", Path(tmp) / "split"
            )
            wall = time.perf_counter() - t0
        finally:
            pb.stepSimulation = original_step
    print(f"overall: {total_sim / total_wall:.1f}x real time (budget >= 100x)")
    ticks = result.sim_time_s * 60.0
    print(
        f"split of one run: physics steps {step_time[0] / wall:.0%}, "
        f"everything else (control, capture, telemetry, scoring, recording) {1 - step_time[0] / wall:.0%}"
    )
    print(
        f"per 1/60 s tick: {wall / ticks * 1e6:.0f} us, of which physics {step_time[0] / ticks * 1e6:.0f} us "
        f"(100x real time allows {1e6 / 60 / 100:.0f} us); physics alone would run at "
        f"{result.sim_time_s / step_time[0]:.0f}x real time"
    )


if __name__ == "__main__":
    main()
