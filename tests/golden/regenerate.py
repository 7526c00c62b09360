"""Regenerate the golden seed digests (tests/golden/digests.json) ON PURPOSE.

Every shipped scenario is flown by the autopilot with seed 1 for ten simulated seconds
(600 control ticks: the go call, free drift at 5 s and the first approach decisions); the
physics-state digest (``World.state_digest``: joints and vehicle, bit for bit) is taken
every simulated second. tests/golden/test_golden_digests.py flies the same and compares.

Run it only when a change is meant to alter the simulation (a model, a gain, the physics
settings), and say in the commit what changed and why:

    python tests/golden/regenerate.py

(``--stdout`` prints what this process flies instead, with its environment fingerprint.)

The digests hold in the determinism domain (docs/DESIGN.md §10): the locked install
(requirements.lock, with its pybullet build) on any x86-64 CPU whose glibc libm takes its
FMA path; tests/golden/test_emulated_machines.py flies them under other BLAS kernels and
numpy SIMD levels to prove the CPU does not enter.
"""

from __future__ import annotations

import json
import platform
import sys
from importlib import metadata
from pathlib import Path

from trainer.clock import CHECKPOINT_EVERY_TICKS
from trainer.pilots import make_pilot
from trainer.scenario.loader import list_scenarios
from trainer.session import Session

HERE = Path(__file__).resolve().parent
DIGESTS_PATH = HERE / "digests.json"
SEED = 1
TICKS = 600  # ten simulated seconds


def fly(scenario_id: str) -> list[str]:
    """The digests of one scenario, one per simulated second."""
    scenario = next(s for s in list_scenarios() if s.id == scenario_id)
    session = Session(scenario, SEED, pilot="autopilot")
    pilot = make_pilot("autopilot", scenario)
    digests: list[str] = []
    try:
        telemetry = session.last_telemetry
        for tick in range(1, TICKS + 1):
            telemetry = session.tick(pilot.next_state(telemetry))
            if tick % CHECKPOINT_EVERY_TICKS == 0:
                digests.append(session.world.state_digest())
    finally:
        session.close()
    return digests


def golden() -> dict[str, object]:
    return {
        "about": "tests/golden/regenerate.py writes this file; do not edit",
        "pybullet": metadata.version("pybullet"),
        "machine": platform.machine(),
        "seed": SEED,
        "ticks": TICKS,
        "scenarios": {s.id: fly(s.id) for s in list_scenarios()},
    }


def main(argv: list[str]) -> int:
    if argv == ["--stdout"]:
        # for tests/golden/test_emulated_machines.py: the digests this process flies, with
        # the environment it flew them in, as JSON on stdout; nothing written
        from trainer.fingerprint import fingerprint, numpy_simd_found

        data = {
            "scenarios": {s.id: fly(s.id) for s in list_scenarios()},
            "environment": fingerprint(),
            "numpy_simd_found": numpy_simd_found(),
        }
        print(json.dumps(data))
        return 0
    data = golden()
    DIGESTS_PATH.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {DIGESTS_PATH}: {len(data['scenarios'])} scenarios")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
