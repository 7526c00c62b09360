"""The example that evaluates a policy over seeds (examples/evaluate_policy.py) runs as a
user runs it and prints the pass rate it counted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "evaluate_policy.py"


def run(*args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return result.stdout.strip().splitlines()


def test_the_autopilot_passes_and_hands_off_fails() -> None:
    lines = run("--policy", "autopilot", "--seeds", "7", "--as-grade")
    assert lines[-1] == "pass rate 1/1 (100 %)"
    assert lines[1].split()[:3] == ["7", "captured", "yes"]
    lines = run("--policy", "none", "--seeds", "1..2", "--time-limit", "1")
    assert [line.split()[1] for line in lines[1:3]] == ["interrupted", "interrupted"]
    assert lines[-1] == "pass rate 0/2 (0 %)"
