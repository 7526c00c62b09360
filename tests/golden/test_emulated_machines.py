"""The golden digests do not depend on the CPU (docs/DESIGN.md §10), proved without a
second machine: every shipped scenario is flown in a subprocess under emulated machines
and must pass through exactly the golden physics states.

| machine                         | how it is emulated                                        |
|---------------------------------|-----------------------------------------------------------|
| Prescott, Sandybridge, Haswell  | ``OPENBLAS_CORETYPE``: OpenBLAS's kernels for those CPUs (SSE3, AVX, AVX2+FMA) |
| numpy at its baseline           | ``NPY_DISABLE_CPU_FEATURES`` with every SIMD group ``numpy.show_runtime()`` found above the baseline here |
| an AVX2 machine without AVX-512 | the above together with Sandybridge kernels and glibc's AVX-512 switched off (``GLIBC_TUNABLES``) |

Each child also reports its environment fingerprint, so the test proves the emulation
took effect (the kernel OpenBLAS names, the SIMD groups numpy found) instead of trusting
the variables. What lies outside the domain (glibc's libm without FMA, which pybullet's
own steps call) is documented in docs/DESIGN.md §10, not flown here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from trainer.fingerprint import numpy_simd_found

HERE = Path(__file__).resolve().parent
GOLDEN = json.loads((HERE / "digests.json").read_text(encoding="utf-8"))["scenarios"]
TOP_SIMD = " ".join(numpy_simd_found())
AVX512_OFF = "glibc.cpu.hwcaps=-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD"

# name: (environment, the BLAS kernel the child must report or None, numpy SIMD off?).
# OpenBLAS names its SSE3 fallback for Prescott "Katmai" in numpy's DYNAMIC_ARCH build.
MACHINES: dict[str, tuple[dict[str, str], str | None, bool]] = {
    "openblas-prescott": ({"OPENBLAS_CORETYPE": "Prescott"}, "Katmai", False),
    "openblas-sandybridge": ({"OPENBLAS_CORETYPE": "Sandybridge"}, "Sandybridge", False),
    "openblas-haswell": ({"OPENBLAS_CORETYPE": "Haswell"}, "Haswell", False),
    "numpy-baseline": ({"NPY_DISABLE_CPU_FEATURES": TOP_SIMD}, None, True),
    "avx2-machine": (
        {
            "OPENBLAS_CORETYPE": "Sandybridge",
            "NPY_DISABLE_CPU_FEATURES": TOP_SIMD,
            "GLIBC_TUNABLES": AVX512_OFF,
        },
        "Sandybridge",
        True,
    ),
}


def _fly(name: str) -> dict[str, object]:
    extra, _, _ = MACHINES[name]
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", **extra}
    done = subprocess.run(
        [sys.executable, str(HERE / "regenerate.py"), "--stdout"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


@pytest.fixture(scope="module")
def flown() -> dict[str, dict[str, object]]:
    """Every emulated machine flown once, two at a time (one per core)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(MACHINES, pool.map(_fly, MACHINES), strict=True))


@pytest.mark.parametrize("machine", sorted(MACHINES))
def test_every_scenario_flies_the_golden_states_on_an_emulated_machine(
    machine: str, flown: dict[str, dict[str, object]]
) -> None:
    result = flown[machine]
    environment = result["environment"]
    assert isinstance(environment, dict)
    _, kernel, simd_off = MACHINES[machine]
    if kernel is not None:
        assert str(environment["blas"]).endswith(f"kernel {kernel}"), environment["blas"]
    if simd_off:
        assert result["numpy_simd_found"] == [], "numpy still dispatches to SIMD groups"
    scenarios = result["scenarios"]
    assert isinstance(scenarios, dict)
    assert sorted(scenarios) == sorted(GOLDEN)
    moved = {
        sid: next(i + 1 for i, (a, b) in enumerate(zip(got, GOLDEN[sid], strict=True)) if a != b)
        for sid, got in scenarios.items()
        if got != GOLDEN[sid]
    }
    assert not moved, (
        f"on {machine} the physics state left the golden one (scenario: second): {moved}"
    )


def test_this_machine_has_simd_to_switch_off() -> None:
    """Guard: on a CPU where numpy finds nothing above its baseline the numpy machines
    above would fly the default arithmetic and prove nothing."""
    assert TOP_SIMD, "numpy finds no SIMD group above its baseline here"
