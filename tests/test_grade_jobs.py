"""Batch grading on a process pool (trainer/batch.py, ``--jobs``): the reports are the same bit for
bit whatever the number of jobs, the summary table comes in seed order, and a bad
``--jobs`` is one line on stderr with status 2. Command lines run in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from trainer.resources import data_dir

SEEDS = [1, 2, 3, 4]


def _short_scenario(tmp_path: Path) -> Path:
    """crs20-capture with a 2 s hard limit after free drift: a seed with nobody flying
    ends after 7 simulated seconds."""
    data = yaml.safe_load((data_dir("scenarios") / "crs20-capture.yaml").read_text())
    data["id"] = "crs20-capture-short"
    data["time_limits"]["hard_limit_s"] = 2.0
    data["time_limits"]["penalty_until_s"] = 1.5
    data["time_limits"]["full_credit_s"] = 1.0
    path = tmp_path / "crs20-capture-short.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def _grade(scenario: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    seeds = f"{SEEDS[0]}..{SEEDS[-1]}"
    command = [sys.executable, "-m", "trainer.cli", "grade", str(scenario), "--pilot", "none"]
    return subprocess.run(
        [*command, "--seeds", seeds, "--out", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_one_job_and_two_jobs_give_the_same_reports(tmp_path: Path) -> None:
    scenario = _short_scenario(tmp_path)
    one = _grade(scenario, tmp_path / "one", "--jobs", "1")
    two = _grade(scenario, tmp_path / "two", "--jobs", "2")
    assert one.returncode == 0, one.stderr
    assert two.returncode == 0, two.stderr
    for seed in SEEDS:
        for name in ("report.json", "report.md"):
            a = (tmp_path / "one" / f"seed-{seed}" / name).read_bytes()
            b = (tmp_path / "two" / f"seed-{seed}" / name).read_bytes()
            assert a == b, f"seed {seed} {name} differs between --jobs 1 and --jobs 2"
    # The seeds differ from each other (the dispersions are drawn per seed) ...
    reports = {(tmp_path / "two" / f"seed-{s}" / "report.json").read_text() for s in SEEDS}
    assert len(reports) == len(SEEDS)
    # ... and the summary lists them in seed order whichever worker finished first.
    rows = [line.split()[0] for line in two.stdout.splitlines()[1 : 1 + len(SEEDS)]]
    assert rows == [str(s) for s in SEEDS]
    assert "passed 0/4" in two.stdout
    # tqdm's bar on stderr counts the seeds.
    assert "4/4" in two.stderr


def test_zero_jobs_is_one_line_and_status_2(tmp_path: Path) -> None:
    result = _grade(_short_scenario(tmp_path), tmp_path / "out", "--jobs", "0")
    assert result.returncode == 2
    err = [line for line in result.stderr.splitlines() if "pybullet build time" not in line]
    assert len(err) == 1 and "--jobs" in err[0]
    assert not (tmp_path / "out").exists()
