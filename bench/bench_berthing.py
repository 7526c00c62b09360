"""Benchmark: a graded berthing beside a graded capture, each against bare pybullet
stepping of its own scene, measured in one run (docs/DESIGN.md §9: compare ratios taken
together, not figures of different runs).

1. bare ``stepSimulation`` at 1/240 s of the capture scene (station, arm in
   ``capture_ready``, Dragon at the capture point) and of the berthing scene (the arm in
   ``captured``, the berthing Dragon rigidly held on the LEE, the CBM's station links):
   the physics ceilings;
2. the whole command ``canadarm-trainer grade SCENARIO --pilot autopilot --seeds 1..N
   --jobs 1`` in a subprocess for crs20-capture, crs20-berthing and
   crs20-berthing-ground (process start, loading, recording and reports included).

Prints each command's real-time factor and its graded/bare ratio (the capture's budget is
0.25 of bare), and the load average (on a shared machine every figure is a lower bound).

Run: ``python bench/bench_berthing.py [--capture-seeds 3] [--berthing-seeds 2]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bare import BARE_SECONDS, stepping_rate
from trainer.scenario.build import initial_world_spec
from trainer.scenario.loader import load_scenario
from trainer.sim.world import World


def bare_rate(scenario_id: str, seconds: float = BARE_SECONDS) -> float:
    """Simulated seconds per wall second of bare stepping of a scenario's scene, held as
    its session holds it (a berthing: the vehicle rigid on the LEE), best of three."""
    import numpy as np

    from trainer.sim.capture import LeeCapture

    scenario = load_scenario(scenario_id)
    with World(initial_world_spec(scenario, np.random.default_rng(1))) as world:
        if scenario.berthing is not None:
            LeeCapture(world, lambda _m: "full").hold_rigid(0.0)
        return stepping_rate(world, seconds)


def grade(scenario_id: str, seeds: int, out: Path) -> tuple[float, float, list[str]]:
    """(wall s, simulated s, outcomes) of one grade command over ``seeds`` seeds."""
    command = [sys.executable, "-m", "trainer.cli", "grade", scenario_id, "--pilot", "autopilot"]
    command += ["--seeds", f"1..{seeds}", "--jobs", "1", "--no-history", "--out", str(out)]
    t0 = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    # one seed is graded straight into the folder, several as a campaign into seed-N/
    # (docs/DESIGN.md §12)
    found = sorted(out.glob("seed-*/report.json")) or sorted(out.glob("report.json"))
    reports = [json.loads(p.read_text()) for p in found]
    simulated = sum(r["metrics"]["session_end_s"] for r in reports)
    return wall, simulated, [r["outcome"] for r in reports]


def main() -> None:
    parser = argparse.ArgumentParser(description="graded berthing and capture vs bare physics")
    parser.add_argument("--capture-seeds", type=int, default=3)
    parser.add_argument("--berthing-seeds", type=int, default=2)
    args = parser.parse_args()
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    bare = {"capture": bare_rate("crs20-capture"), "berthing": bare_rate("crs20-berthing")}
    for scene, rate in bare.items():
        print(f"bare stepping, the {scene} scene: {rate:.0f}x real time")
    runs = (
        ("crs20-capture", args.capture_seeds, "capture"),
        ("crs20-berthing", args.berthing_seeds, "berthing"),
        ("crs20-berthing-ground", args.berthing_seeds, "berthing"),
    )
    with tempfile.TemporaryDirectory() as tmp:
        for scenario_id, seeds, scene in runs:
            wall, sim, outcomes = grade(scenario_id, seeds, Path(tmp) / scenario_id)
            rate = sim / wall
            print(
                f"grade {scenario_id} --seeds 1..{seeds} --jobs 1: {sim:.0f} s simulated in "
                f"{wall:.1f} s = {rate:.1f}x real time, graded/bare {rate / bare[scene]:.2f} "
                f"({', '.join(outcomes)})"
            )
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
