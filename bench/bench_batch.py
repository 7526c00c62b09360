"""Benchmark: whole ``grade`` commands against bare pybullet stepping, and batch speed-up.

In one run (docs/DESIGN.md §9 performance budget):

1. bare ``stepSimulation`` of the same bodies (station, arm in ``capture_ready``, Dragon at
   the capture point) at 1/240 s, nothing else, no contacts: the physics ceiling;
2. the whole command ``canadarm-trainer grade crs20-capture --pilot autopilot --seeds 1..6
   --jobs 1`` in a subprocess, process start, scenario loading, recording and reports
   included; its rate is the simulated seconds of the six sessions over the wall time;
3. ``--seeds 1..16`` with ``--jobs 1`` and with every core.

Prints the graded/bare ratio (target ≥ 0.25), the batch speed-up of all cores over one
(target ≥ 1.7x on 2 cores) and seeds per minute. The machine's load is printed too: on a
shared machine every figure is a lower bound.

Run: ``python bench/bench_batch.py [--seeds 6] [--batch 16]``.
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

from bench.bare import bare_rate
from trainer.batch import available_cores


def grade_command(seeds: str, jobs: int, out: Path) -> tuple[float, float, int]:
    """Run the grade command; return (wall s, simulated s over all seeds, seeds)."""
    command = [sys.executable, "-m", "trainer.cli", "grade", "crs20-capture"]
    command += ["--pilot", "autopilot", "--seeds", seeds, "--jobs", str(jobs), "--out", str(out)]
    t0 = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    reports = sorted(out.glob("seed-*/report.json"))
    simulated = sum(json.loads(p.read_text())["metrics"]["session_end_s"] for p in reports)
    return wall, simulated, len(reports)


def main() -> None:
    parser = argparse.ArgumentParser(description="grade command vs bare physics; batch speed-up")
    parser.add_argument("--seeds", type=int, default=6, help="seeds of the one-core command")
    parser.add_argument("--batch", type=int, default=16, help="seeds of the batch comparison")
    args = parser.parse_args()
    cores = available_cores()
    print(f"cores {cores}, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")

    bare = bare_rate()
    print(f"bare stepping (station, arm, Dragon, 1/240 s): {bare:.0f}x real time")
    with tempfile.TemporaryDirectory() as tmp:
        wall, sim, n = grade_command(f"1..{args.seeds}", 1, Path(tmp) / "one")
        graded = sim / wall
        print(
            f"grade crs20-capture --pilot autopilot --seeds 1..{args.seeds} --jobs 1: "
            f"{sim:.0f} s simulated in {wall:.1f} s wall = {graded:.1f}x real time "
            f"({60.0 * n / wall:.1f} seeds/min)"
        )
        print(f"ratio graded / bare: {graded / bare:.2f} (target >= 0.25)")

        wall1, _sim1, n1 = grade_command(f"1..{args.batch}", 1, Path(tmp) / "b1")
        wall_all, _sim_all, n_all = grade_command(f"1..{args.batch}", cores, Path(tmp) / "ball")
        print(
            f"--seeds 1..{args.batch}: --jobs 1 {wall1:.1f} s ({60.0 * n1 / wall1:.1f} seeds/min), "
            f"--jobs {cores} {wall_all:.1f} s ({60.0 * n_all / wall_all:.1f} seeds/min): "
            f"speed-up {wall1 / wall_all:.2f}x (target >= 1.7x on 2 cores)"
        )
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
