"""Benchmark: a headless graded capture, recording included (docs/DESIGN.md §9: the whole
command at ≥ 0.25x bare pybullet stepping, measured by bench/bench_batch.py: 68x there).

Runs ``crs20-capture`` with the autopilot for a few seeds, as ``canadarm-trainer grade``
does (session, control, capture, scoring, MCAP recording, reports), and prints simulated
seconds per wall second, plus how the wall time of one run splits between the physics
steps and everything else.

Run: ``python bench/bench_grade.py [--seeds 3] [--target 68]``.

What bounds it (measured on a 2-core laptop-class machine, nearly idle, 2026-11-29): a
tick of a graded capture takes about 300 µs: the physics steps 96 µs (four 1/240 s steps
with the arm moving and Python cooling the caches between them; bare stepping of the
still arm is 61 µs), the other pybullet calls 40 µs (the state reads the telemetry, the
contacts and the divergence check need, each once a tick), and the trainer's Python
166 µs: the resolved-rate controller about 60 (one SVD 17 µs with cold caches, forward
kinematics 10, the null-space gradient 8), the telemetry 26, the world's own stepping
work 20, the recording 12 plus the MCAP writer's, scoring, contacts and the procedure a
few each. So physics alone would run at ~170x, physics and the pybullet calls at ~120x;
the 0.25x-of-bare budget (68x) needs the tick in 245 µs, the Python in about 110 µs.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pybullet as pb

from trainer.graded import run_graded
from trainer.pilots import make_pilot
from trainer.scenario.loader import load_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description="headless grade speed")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument(
        "--target",
        type=float,
        default=68.0,
        help="real-time factor to split against: 0.25x bare stepping (272x, bench_batch.py)",
    )
    args = parser.parse_args()
    scenario = load_scenario("crs20-capture")
    total_sim = total_wall = 0.0
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
        pybullet_time: dict[str, float] = {}
        originals = _time_pybullet_calls(pybullet_time)
        try:
            t0 = time.perf_counter()
            result = run_graded(
                scenario, 1, make_pilot("autopilot", scenario), "autopilot", Path(tmp) / "split"
            )
            wall = time.perf_counter() - t0
        finally:
            for name, function in originals.items():
                setattr(pb, name, function)
    print(f"overall: {total_sim / total_wall:.1f}x real time (aim >= {args.target:.0f}x)")
    ticks = result.sim_time_s * 60.0
    steps = pybullet_time.pop("stepSimulation", 0.0)
    calls = sum(pybullet_time.values())
    python = wall - steps - calls
    per_tick = 1e6 / ticks
    allowed = 1e6 / 60 / args.target
    print(
        f"split of one run: physics steps {steps / wall:.0%}, other pybullet calls "
        f"{calls / wall:.0%}, the trainer's Python (control, capture, telemetry, scoring, "
        f"recording) {python / wall:.0%}"
    )
    print(
        f"per 1/60 s tick: {wall * per_tick:.0f} us = physics {steps * per_tick:.0f} us + "
        f"other pybullet calls {calls * per_tick:.0f} us + Python {python * per_tick:.0f} us "
        f"({args.target:.0f}x real time allows {allowed:.0f} us)"
    )
    top = sorted(pybullet_time.items(), key=lambda kv: -kv[1])[:5]
    print(
        "  largest pybullet calls per tick: "
        + ", ".join(f"{name} {t * per_tick:.1f} us" for name, t in top)
    )
    floor = steps + calls
    print(
        f"physics alone would run at {result.sim_time_s / steps:.0f}x real time, physics and "
        f"the pybullet calls at {result.sim_time_s / floor:.0f}x; for {args.target:.0f}x the trainer's "
        f"Python would have to fit in {allowed - floor * per_tick:.0f} us per tick"
    )


def _time_pybullet_calls(into: dict[str, float]) -> dict[str, Callable[..., Any]]:
    """Wrap every pybullet function so its wall time accumulates under its name (about
    0.1 µs of overhead per call, charged to the call). Returns the originals."""
    originals: dict[str, Callable[..., Any]] = {}
    for name in dir(pb):
        function = getattr(pb, name)
        if name.startswith("_") or not isinstance(function, types.BuiltinFunctionType):
            continue
        originals[name] = function

        def timed(*a: Any, _f: Callable[..., Any] = function, _n: str = name, **k: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return _f(*a, **k)
            finally:
                into[_n] = into.get(_n, 0.0) + time.perf_counter() - t0

        setattr(pb, name, timed)
    return originals


if __name__ == "__main__":
    main()
