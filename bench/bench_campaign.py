"""Benchmark: grading campaigns on each backend, and the driver's memory (docs/DESIGN.md §9,
§12).

In one run:

1. seeds per minute of ``grade SCENARIO --pilot PILOT --seeds 1..N`` (default
   crs20-capture, the autopilot, 16 seeds) in this process (``--jobs 1``), on the local
   pool (``--jobs 2``), on a Dask ``LocalCluster`` of 2 workers started by the command
   (``--executor dask-local --jobs 2``) and on one started here and kept warm, as a real
   cluster is (``--executor dask://...``). Two rates each: the whole command (process
   start, cluster start, summary and page included) and the grading alone (the
   command's own "graded in" line on stderr);
2. the Dask overhead per seed: the warm cluster's grading time minus the local pool's,
   per seed; and the round trip of a job that does nothing (``os.getpid``), one at a
   time, through each executor;
3. the driver's peak memory (VmHWM of the command's process, read from /proc while it
   runs) for a 100-seed and a 1,000-seed campaign on the local pool, against the bytes
   of the recordings it wrote: the campaign streams its results to disk (a bounded reorder
   buffer), so the peak does not grow with the campaign. These use the cheap
   ``crs20-capture`` with a 2 s time limit and nobody flying (7 simulated seconds a seed)
   so that 1,000 seeds take minutes, not an hour.

Run: ``python bench/bench_campaign.py [--seeds 16] [--memory-seeds 1000]``. The machine's
load is printed: on a shared machine every rate is a lower bound.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import yaml

from trainer.batch import LocalPoolExecutor
from trainer.campaign.dask_backend import DaskExecutor, local_cluster
from trainer.resources import data_dir

GRADED = re.compile(r"(\d+) (?:seeds|recordings) graded in ([0-9.]+) s")
ROUND_TRIPS = 200


def short_scenario(folder: Path) -> Path:
    data = yaml.safe_load((data_dir("scenarios") / "crs20-capture.yaml").read_text())
    data["id"] = "crs20-capture-short"
    data["time_limits"].update(hard_limit_s=2.0, penalty_until_s=1.5, full_credit_s=1.0)
    path = folder / "crs20-capture-short.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def _peak_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def grade(
    scenario: str, pilot: str, seeds: int, out: Path, *extra: str
) -> tuple[float, float, int, int]:
    """Run one campaign; return (command wall s, grading s, seeds graded, driver's peak KiB)."""
    command = [sys.executable, "-m", "trainer.cli", "grade", scenario, "--pilot", pilot]
    command += ["--seeds", f"1..{seeds}", "--no-history", "--out", str(out), *extra]
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    t0 = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
    )
    stderr_parts: list[str] = []
    assert process.stderr is not None
    stream = process.stderr
    reader = threading.Thread(target=lambda: stderr_parts.append(stream.read()), daemon=True)
    reader.start()
    peak = 0
    while process.poll() is None:  # VmHWM only grows: the last reading is the peak but for
        peak = max(peak, _peak_kib(process.pid) or 0)  # the final tenth of a second
        time.sleep(0.1)
    reader.join()
    wall = time.perf_counter() - t0
    stderr = "".join(stderr_parts)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr[-2000:]}")
    match = GRADED.search(stderr)
    if match is None:
        raise SystemExit(f"no 'graded in' line in:\n{stderr[-2000:]}")
    return wall, float(match.group(2)), int(match.group(1)), peak


def round_trip_ms(executor: Any) -> float:
    """The mean time of a job that does nothing, sent one at a time (ms)."""
    executor.submit(os.getpid).result()  # the first one pays for imports
    t0 = time.perf_counter()
    for _ in range(ROUND_TRIPS):
        executor.submit(os.getpid).result()
    return 1000.0 * (time.perf_counter() - t0) / ROUND_TRIPS


def main() -> None:
    parser = argparse.ArgumentParser(description="grading campaigns per backend; driver memory")
    parser.add_argument("--scenario", default="crs20-capture")
    parser.add_argument("--pilot", default="autopilot")
    parser.add_argument("--seeds", type=int, default=16, help="seeds of the rate comparison")
    parser.add_argument("--memory-seeds", type=int, default=1000, help="seeds of the big one")
    args = parser.parse_args()
    print(f"cores {os.cpu_count()}, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    n = args.seeds
    what = f"grade {args.scenario} --pilot {args.pilot} --seeds 1..{n}"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cluster = local_cluster(2)
        try:
            address = cluster.scheduler_address.removeprefix("tcp://")
            runs = {
                "--jobs 1 (in process)": ("--jobs", "1"),
                "--jobs 2 (local pool)": ("--jobs", "2"),
                "dask-local, 2 workers": ("--executor", "dask-local", "--jobs", "2"),
                "dask://, 2 warm workers": ("--executor", f"dask://{address}"),
            }
            graded_s: dict[str, float] = {}
            print(f"\n{what}:")
            for i, (name, extra) in enumerate(runs.items()):
                wall, grading, count, _ = grade(
                    args.scenario, args.pilot, n, folder / f"rate-{i}", *extra
                )
                graded_s[name] = grading
                print(
                    f"  {name:<24} {60 * count / wall:6.1f} seeds/min whole command "
                    f"({wall:5.1f} s), {60 * count / grading:6.1f} seeds/min grading "
                    f"({grading:5.1f} s)"
                )
            pool_s = graded_s["--jobs 2 (local pool)"]
            dask_s = graded_s["dask://, 2 warm workers"]
            print(
                f"  Dask overhead per seed (warm cluster minus local pool, 2 at a time): "
                f"{1000 * (dask_s - pool_s) / n:+.0f} ms of wall time a seed"
            )
            distributed: Any = importlib.import_module("distributed")  # untyped Client
            dask_exec = DaskExecutor(distributed.Client(cluster), None, 2, "bench")
            pool = LocalPoolExecutor(2)
            try:
                print(
                    f"  round trip of an empty job, one at a time: local pool "
                    f"{round_trip_ms(pool):.2f} ms, Dask {round_trip_ms(dask_exec):.2f} ms"
                )
            finally:
                pool.shutdown()
                dask_exec.shutdown()
        finally:
            cluster.close()

        short = str(short_scenario(folder))
        print("\ndriver memory, grade crs20-capture (2 s limit) --pilot none, local pool:")
        for seeds in (100, args.memory_seeds):
            out = folder / f"memory-{seeds}"
            wall, grading, count, peak = grade(short, "none", seeds, out, "--jobs", "2")
            recordings = sum(p.stat().st_size for p in out.glob("*/session.mcap"))
            print(
                f"  {count:5d} seeds in {wall:6.1f} s ({60 * count / grading:5.0f} seeds/min): "
                f"driver peak {peak / 1024:6.1f} MB resident; recordings written "
                f"{recordings / 2**20:7.1f} MB"
            )


if __name__ == "__main__":
    main()
