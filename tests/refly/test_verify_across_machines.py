"""A recording travels (docs/DESIGN.md §10): made on one emulated machine, it verifies as
reproduced on another; a recording that diverges says whether it still reaches its
recorded result, so an instructor can tell another machine from altered inputs.
Everything through the command line in subprocesses: what reaches the terminal is what
is checked."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from recordings import copy_recording

from trainer.fingerprint import numpy_simd_found
from trainer.record.seek import open_recording

SANDYBRIDGE_AT_BASELINE = {
    "OPENBLAS_CORETYPE": "Sandybridge",
    "NPY_DISABLE_CPU_FEATURES": " ".join(numpy_simd_found()),
}


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trainer.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.fixture(scope="module")
def other_machine_recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """crs20-capture seed 3 graded by the autopilot under Sandybridge BLAS kernels with
    numpy held at its SIMD baseline."""
    out = tmp_path_factory.mktemp("sandybridge")
    run = cli(
        "grade", "crs20-capture", "--pilot", "autopilot", "--seed", "3", "--no-history",
        "--out", str(out), env=SANDYBRIDGE_AT_BASELINE,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return out / "session.mcap"


def test_the_recording_names_the_machine_it_was_made_on(other_machine_recording: Path) -> None:
    with open_recording(other_machine_recording) as rec:
        environment = rec.metadata["environment"]
    assert environment["blas"].endswith("kernel Sandybridge")
    assert "found -" in environment["numpy"]
    assert "OPENBLAS_CORETYPE=Sandybridge" in environment["settings"]
    assert environment["lock_sha256"] and len(environment["lock_sha256"]) == 64


def test_a_recording_from_another_machine_verifies_as_reproduced(
    other_machine_recording: Path,
) -> None:
    run = cli("replay", str(other_machine_recording), "--verify")
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert "reproduced" in lines[0] and "checkpoints" in lines[0]
    # the two machines named, where they differ
    assert "recorded on a machine that differs from this one:" in lines
    blas = next(i for i, line in enumerate(lines) if line.strip().startswith("blas"))
    assert "kernel Sandybridge" in lines[blas] and "here:" in lines[blas + 1]
    assert run.stderr == ""


def _last_bit(message: dict[str, Any]) -> dict[str, Any]:
    """A /state as another machine could have written it: one velocity 1 ulp off, from
    t = 20 s on (the inputs untouched)."""
    if message["time_s"] >= 20.0:
        v = list(message["lee"]["velocity_m_s"])
        v[0] = math.nextafter(v[0], math.inf)
        message = {**message, "lee": {**message["lee"], "velocity_m_s": v}}
    return message


def test_a_divergence_with_the_same_result_says_so(
    other_machine_recording: Path, tmp_path: Path
) -> None:
    honest = tmp_path / "honest.mcap"
    copy_recording(other_machine_recording, honest, alter_state=_last_bit)
    run = cli("replay", str(honest), "--verify")
    assert run.returncode == 1, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert "diverged at tick 1200 (t = 20.000 s) on /state: lee.velocity_m_s[0]" in lines[0]
    verdict = next(line for line in lines if "recorded result" in line)
    assert verdict.startswith("the replayed session reaches the recorded result: outcome captured")
    assert "trigger at" in verdict and "score 100" in verdict


def test_altered_inputs_diverge_and_do_not_reach_the_recorded_result(
    other_machine_recording: Path, tmp_path: Path
) -> None:
    def push(message: dict[str, Any]) -> dict[str, Any]:
        if message["tick"] >= 1500:
            x, y, z = message["thc"]
            message = {**message, "thc": [min(1.0, x + 0.3), y, z]}
        return message

    altered = tmp_path / "altered.mcap"
    copy_recording(other_machine_recording, altered, alter_input=push)
    run = cli("replay", str(altered), "--verify")
    assert run.returncode == 1, run.stdout + run.stderr
    first = run.stdout.splitlines()[0]
    tick = int(first.split("diverged at tick ")[1].split()[0])
    assert 1500 <= tick <= 1560, first  # before the next checkpoint
    verdict = next(line for line in run.stdout.splitlines() if "recorded result" in line)
    assert verdict.startswith("the replayed session does NOT reach the recorded result")
    assert "outcome recorded captured, replayed" in verdict


def test_the_report_of_a_recording_from_another_machine_is_the_same(
    other_machine_recording: Path, tmp_path: Path
) -> None:
    """The graded report travels too: regraded here from its inputs, it is the report the
    other machine wrote (every key but the pilot's name and the notices)."""
    run = cli(
        "grade", "crs20-capture", "--pilot", str(other_machine_recording), "--no-history",
        "--out", str(tmp_path / "again"),
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    there = json.loads((other_machine_recording.parent / "report.json").read_text("utf-8"))
    here = json.loads((tmp_path / "again" / "report.json").read_text("utf-8"))
    for key in ("outcome", "passed", "trigger", "score", "metrics", "contacts", "reasons"):
        assert here[key] == there[key], key
