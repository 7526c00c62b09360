"""The environment fingerprint (trainer/fingerprint.py, docs/DESIGN.md §7 and §10): what a
recording says about the machine that made it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from trainer.fingerprint import differences, fingerprint, libm_path, simd_level
from trainer.record.seek import open_recording

DESIGN_DOC = Path(__file__).resolve().parents[1] / "docs/DESIGN.md"
V3 = frozenset(
    [
        "cx16",
        "lahf_lm",
        "popcnt",
        "sse4_1",
        "sse4_2",
        "ssse3",
        "avx",
        "avx2",
        "bmi1",
        "bmi2",
        "f16c",
        "fma",
        "abm",
        "movbe",
        "xsave",
    ]
)
V4 = V3 | {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"}


def test_simd_level_follows_the_psabi_levels() -> None:
    assert simd_level(frozenset()) == "unknown"
    assert simd_level(frozenset({"sse2"})) == "x86-64-v1"
    assert simd_level(V3 - {"fma"}) == "x86-64-v2"
    assert simd_level(V3) == "x86-64-v3"
    assert simd_level(V4) == "x86-64-v4"


def test_libm_path_is_the_one_glibc_selects() -> None:
    assert libm_path(V4, "") == "fma"
    assert libm_path(V3 - {"fma"}, "") == "avx"  # Sandy Bridge, Ivy Bridge
    assert libm_path(frozenset({"sse2", "fma4", "avx"}), "") == "fma4"  # Bulldozer
    assert libm_path(frozenset({"sse2"}), "") == "sse2"
    assert libm_path(V4, "glibc.cpu.hwcaps=-AVX2,-FMA") == "avx"
    assert libm_path(V4, "glibc.cpu.hwcaps=-AVX512F") == "fma"
    assert libm_path(V4, "glibc.malloc.check=1:glibc.cpu.hwcaps=-AVX2_Usable") == "avx"


def test_the_fingerprint_names_this_machine() -> None:
    here = fingerprint()
    assert here["simd_level"] in ("x86-64-v1", "x86-64-v2", "x86-64-v3", "x86-64-v4", "unknown")
    assert str(here["pybullet"]).startswith("3.2.7 (sha256:")
    assert here["lock_sha256"] is not None and len(str(here["lock_sha256"])) == 64
    assert differences(here) == []
    changed = {**here, "libm_path": "sse2"}
    assert differences(changed) == [("libm_path", "sse2", here["libm_path"])]


def test_a_setting_that_changes_the_arithmetic_is_named() -> None:
    code = "from trainer.fingerprint import fingerprint; print(fingerprint()['settings'])"
    env = {"PATH": "/usr/bin:/bin", "OPENBLAS_CORETYPE": "Sandybridge", "GLIBC_TUNABLES": "x=1"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout.strip()
    assert out == "OPENBLAS_CORETYPE=Sandybridge; GLIBC_TUNABLES=x=1"


def test_every_recording_carries_the_documented_fingerprint(graded_recording: Path) -> None:
    """The contract of docs/DESIGN.md §7 against what the writer emits."""
    row = next(
        line for line in DESIGN_DOC.read_text("utf-8").splitlines() if "`environment` (" in line
    )
    inside = row.split("`environment` (", 1)[1].split(")", 1)[0]
    documented = re.findall(r"`([a-z_0-9]+)`", inside)
    with open_recording(graded_recording) as rec:
        environment = rec.metadata["environment"]
    assert list(environment) == documented
    assert all(v is None or isinstance(v, str) for v in environment.values())
    assert environment == fingerprint()
