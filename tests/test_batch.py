"""A batch stops when asked (issue 24; trainer/batch.py, docs/DESIGN.md §5): SIGTERM, SIGINT
and SIGHUP to ``grade --seeds A..B --jobs N`` (or Ctrl-C to its process group) stop every
worker within 2 s, the seeds already graded are in the history and the summary, the seed in
progress keeps a finalized recording, the status is 128 + the signal; kill -9 of the
command leaves no worker alive within 2 s; --jobs above the cores is capped with a notice.
Real command lines in subprocesses, with 2 and 32 jobs, repeated."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from hostile_support import CLI, ENV

from trainer.record.seek import open_recording

SEEDS = 40  # crs20-capture with nobody flying: ~1 s of work a seed; never all graded here
POOL_STOP_S = 2.0  # the bound the issue states


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.update(int(p) for p in text)
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def _start(tmp_path: Path, jobs: int) -> tuple[subprocess.Popen[str], Path, set[int]]:
    """The batch, once two seeds are graded; with its workers' pids."""
    out = tmp_path / "out"
    env = {**ENV, "CANADARM_TRAINER_DATA_DIR": str(tmp_path / "data")}
    command = [*CLI, "grade", "crs20-capture", "--pilot", "none", "--seeds", f"1..{SEEDS}"]
    process = subprocess.Popen(
        [*command, "--jobs", str(jobs), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group, as a terminal gives a command
    )
    deadline = time.monotonic() + 120
    while len(list(out.glob("seed-*/report.json"))) < 2:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no seed graded in 120 s"
        time.sleep(0.05)
    workers = _children(process.pid)
    assert workers, "the batch runs no worker"
    return process, out, workers


def _gone_within(pids: set[int], seconds: float) -> float:
    t0 = time.monotonic()
    while any(_alive(p) for p in pids):
        elapsed = time.monotonic() - t0
        assert elapsed < seconds, f"workers {sorted(p for p in pids if _alive(p))} still alive"
        time.sleep(0.02)
    return time.monotonic() - t0


@pytest.mark.parametrize(
    ("sig", "jobs", "to_group"),
    [
        (signal.SIGTERM, 2, False),
        (signal.SIGTERM, 2, False),
        (signal.SIGINT, 2, True),
        (signal.SIGHUP, 2, False),
        (signal.SIGTERM, 32, False),
        (signal.SIGINT, 32, True),
    ],
    ids=["term-2", "term-2-again", "ctrl-c-2", "hup-2", "term-32", "ctrl-c-32"],
)
def test_a_signal_stops_the_batch_and_keeps_what_was_graded(
    tmp_path: Path, sig: signal.Signals, jobs: int, to_group: bool
) -> None:
    process, out, workers = _start(tmp_path, jobs)
    if to_group:
        os.killpg(process.pid, sig)
    else:
        process.send_signal(sig)
    _gone_within(workers, POOL_STOP_S)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 128 + sig, stderr
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1] == f"canadarm-trainer grade: interrupted ({sig.name})"
    cores = len(os.sched_getaffinity(0))
    if jobs > cores:
        assert f"--jobs {jobs} capped to the {cores} core" in stderr
    graded = sorted(int(p.parent.name[5:]) for p in out.glob("seed-*/report.json"))
    assert graded and len(graded) < SEEDS
    # the summary and the history hold exactly the seeds graded
    rows = [line.split()[0] for line in stdout.splitlines()[1:] if line[:6].strip().isdigit()]
    assert rows == [str(s) for s in graded]
    assert f"stopped after {len(graded)} of {SEEDS} seeds" in stdout
    with sqlite3.connect(tmp_path / "data" / "history.sqlite3") as db:
        seeds = sorted(r[0] for r in db.execute("SELECT seed FROM attempts"))
    assert seeds == graded
    # a seed in progress kept its recording, finalized with the end event
    for folder in out.glob("seed-*"):
        if not (folder / "report.json").exists():
            with open_recording(folder / "session.mcap") as recording:
                assert recording.complete, folder
                ends = [e for e in recording.events() if e["kind"] == "end"]
                assert "interrupted" in ends[-1]["reason"]


@pytest.mark.parametrize("repeat", [1, 2])
def test_workers_die_with_their_parent(tmp_path: Path, repeat: int) -> None:
    process, _out, workers = _start(tmp_path, 2)
    process.kill()
    process.communicate(timeout=30)
    _gone_within(workers, POOL_STOP_S)
