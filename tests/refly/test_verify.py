"""replay --verify: a graded recording is reproduced bit for bit; one whose inputs were
altered diverges where the alteration first shows (docs/DESIGN.md §5, §7)."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from typing import Any

from recordings import copy_recording

from trainer.refly.verify import first_difference, verify_recording

ALTERED_FROM_TICK = 1500  # 25 s in: the autopilot is closing on the fixture


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trainer.cli", *args], capture_output=True, text=True, timeout=300
    )


def test_a_graded_recording_is_reproduced(graded_recording: Path) -> None:
    result = verify_recording(graded_recording)
    assert result.reproduced, result.divergence
    assert result.divergence is None
    assert result.checkpoints == math.floor(result.sim_time_s)  # one per simulated second
    assert result.checkpoints > 60
    assert result.messages > 6000


def test_an_unaltered_copy_is_reproduced_too(graded_recording: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.mcap"
    copy_recording(graded_recording, copy)
    assert copy.read_bytes() == graded_recording.read_bytes()


def _push_thc(message: dict[str, Any]) -> dict[str, Any]:
    if message["tick"] >= ALTERED_FROM_TICK:
        x, y, z = message["thc"]
        message = {**message, "thc": [min(1.0, x + 0.3), y, z]}
    return message


def test_altered_inputs_diverge_at_that_tick_or_the_next_checkpoint(
    graded_recording: Path, tmp_path: Path
) -> None:
    altered = tmp_path / "altered.mcap"
    copy_recording(graded_recording, altered, alter_input=_push_thc)
    result = verify_recording(altered)
    assert not result.reproduced
    d = result.divergence
    assert d is not None
    next_checkpoint = math.ceil((ALTERED_FROM_TICK + 1) / 60) * 60
    assert ALTERED_FROM_TICK <= d.tick <= next_checkpoint, d
    assert d.time_s == d.tick / 60 or abs(d.time_s - d.tick / 60) < 1e-9
    assert d.recorded != d.replayed
    assert d.quantity

    run = cli("replay", str(altered), "--verify")
    assert run.returncode == 1, run.stderr
    line = run.stdout.splitlines()[0]
    assert f"diverged at tick {d.tick}" in line
    assert "recorded" in line and "replayed" in line
    assert d.quantity in line


def test_cli_reports_reproduced_with_the_checkpoints_compared(graded_recording: Path) -> None:
    run = cli("replay", str(graded_recording), "--verify")
    assert run.returncode == 0, run.stderr
    assert "reproduced" in run.stdout
    assert "checkpoints" in run.stdout


def test_a_cut_off_recording_is_verified_up_to_its_cut(
    graded_recording: Path, tmp_path: Path
) -> None:
    cut = tmp_path / "cut.mcap"
    data = graded_recording.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    result = verify_recording(cut)
    assert result.reproduced, result.divergence
    assert result.notice is not None and "sequential scan" in result.notice
    assert 10 < result.checkpoints < 70


def test_first_difference_names_the_path() -> None:
    recorded = {"joints": {"angles_rad": [0.1, 0.2, 0.3]}, "tick": 6}
    replayed = {"joints": {"angles_rad": [0.1, 0.2000001, 0.3]}, "tick": 6}
    assert first_difference(recorded, replayed) == ("joints.angles_rad[1]", 0.2, 0.2000001)
    assert first_difference(recorded, recorded) is None
    assert first_difference({"a": 1}, {"a": 1, "b": 2}) == ("b", "(absent)", 2)
