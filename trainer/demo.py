"""Headless demonstration of the world, used by ``fly`` until the trainer window exists.

It builds the CRS-20 scene, lets Dragon drift free from the capture point and prints, every
simulated 10 s, what the crew would watch: the fixture's drift and the LEE-to-fixture
capture metrics. No display is needed.
"""

from __future__ import annotations

import sys

from trainer.clock import PHYSICS_STEP_S
from trainer.sim.layout import default_world_spec
from trainer.sim.world import World


def run_world_demo(duration_s: float = 99.0) -> int:
    print(
        "canadarm-trainer: the trainer window is not built yet; this is a headless "
        "demonstration of the CRS-20 scene (Dragon in free drift below the arm).",
        file=sys.stderr,
    )
    with World(default_world_spec("capture_ready")) as world:
        start = world.shaft_tip().position_m
        print(
            f"{'t (s)':>6} {'drift (m)':>10} {'lateral (m)':>12} {'depth (m)':>10} {'speed (m/s)':>12}"
        )
        steps_per_report = round(10.0 / PHYSICS_STEP_S)
        while world.time_s < duration_s - 1e-9:
            world.step(min(steps_per_report, round((duration_s - world.time_s) / PHYSICS_STEP_S)))
            m = world.capture_metrics()
            drift = float(((world.shaft_tip().position_m - start) ** 2).sum() ** 0.5)
            print(
                f"{world.time_s:6.1f} {drift:10.3f} {m.lateral_offset_m:12.3f} "
                f"{m.axial_depth_m:10.3f} {m.relative_speed_m_s:12.4f}"
            )
    return 0
