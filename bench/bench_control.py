"""Benchmark: the arm controller's computation per control tick (budget ≤ 100 µs).

Flies the CRS-20 scene (station, arm at ``capture_ready``, Dragon at the capture point)
for a few thousand control ticks with smoothly varying hand-controller input, a few mode,
frame and scale changes, and times only ``ArmController.tick`` (reading the joint angles,
kinematics, resolved rate, telemetry); ``apply`` and the physics step (4 × 1/240 s) run
between the timed calls so the arm moves as in a session, and are reported separately.

Run: ``python bench/bench_control.py [--ticks 5000]``.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from trainer.control.controller import ArmController, apply
from trainer.input.state import Button, ButtonEdges, HandControllerState
from trainer.sim.layout import default_world_spec
from trainer.sim.world import World

CONTROL_DIVIDER = 4  # physics steps per control tick (docs/DESIGN.md §3)


def inputs(ticks: int) -> list[HandControllerState]:
    """Smooth sinusoidal sticks (different periods per axis); a button tap every 10 s
    cycles frame or scale, so both frames and scales are timed. Built before timing."""
    out = []
    for k in range(ticks):
        t = k / 60.0
        thc = tuple(0.8 * math.sin(t / p) for p in (3.1, 4.3, 5.7))
        rhc = tuple(0.6 * math.sin(t / p) for p in (2.3, 3.7, 6.1))
        buttons: frozenset[Button] = frozenset()
        if k % 600 == 300:
            buttons = frozenset({Button.FRAME if (k // 600) % 2 else Button.RATE_SCALE})
        out.append(HandControllerState(thc=thc, rhc=rhc, buttons=buttons))  # type: ignore[arg-type]
    return out


def run(ticks: int) -> tuple[np.ndarray, np.ndarray, int]:
    stream = inputs(ticks)
    control_s = np.empty(ticks)
    apply_s = np.empty(ticks)
    warnings = 0
    with World(default_world_spec("capture_ready")) as world:
        controller = ArmController()
        edges = ButtonEdges()  # as the session finds each tick's presses
        ticks_in = [edges.next(hc) for hc in stream]
        clock = time.perf_counter
        for k, tick_input in enumerate(ticks_in):
            t0 = clock()
            output = controller.tick(tick_input, world, 0.0, False)
            t1 = clock()
            apply(output, world)
            t2 = clock()
            world.step(CONTROL_DIVIDER)
            control_s[k] = t1 - t0
            apply_s[k] = t2 - t1
            warnings += bool(output.telemetry.warnings)
    return control_s * 1e6, apply_s * 1e6, warnings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ticks", type=int, default=5000, help="control ticks to time")
    args = parser.parse_args()
    control_us, apply_us, warned = run(args.ticks)
    print(f"control ticks          : {args.ticks} ({args.ticks / 60:.0f} s simulated)")
    print(
        f"ArmController.tick     : mean {control_us.mean():6.1f} us   "
        f"p95 {np.percentile(control_us, 95):6.1f} us   (budget <= 100 us)"
    )
    print(
        f"apply(output, world)   : mean {apply_us.mean():6.1f} us   "
        f"p95 {np.percentile(apply_us, 95):6.1f} us   (session side, not in the budget)"
    )
    print(f"ticks with a warning   : {warned}")


if __name__ == "__main__":
    main()
