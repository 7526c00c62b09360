"""Campaigns on a real Dask ``LocalCluster`` (2 worker processes, 1 thread each) started by
the test, against the local backends (docs/DESIGN.md §12): seeds 1..8 graded in this
process (``--jobs 1``), on the local pool (``--jobs 2``) and on the cluster
(``--executor dask://HOST:PORT``) write the same output folder byte for byte, recordings
included, the same summary on the terminal and the same history; a job that raises on a
Dask worker, or kills it, is retried once and reported with its seed; Ctrl-C stops a Dask
campaign and keeps what was written.

Byte for byte with recordings: every recording's ``start_time_utc`` is the campaign's
start on the driver's clock, which ``SOURCE_DATE_EPOCH`` fixes for both runs; and the
cluster is the one ``--executor dask-local`` starts (``local_cluster``: the workers keep
this machine's environment, so their fingerprint is the local pool's)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cloudpickle
import pytest
from hostile_support import CLI, ENV

from trainer.campaign.dask_backend import DaskExecutor, local_cluster
from trainer.campaign.driver import drive
from trainer.campaign.jobs import Failure, Job, JobResult
from trainer.record.seek import open_recording

EPOCH = "1700000000"  # 2023-11-14T22:13:20+00:00
SEEDS = "1..8"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    environ = dict(os.environ)  # Dask's nanny sets its workers' variables in this process
    cluster = local_cluster(2)
    assert len(cluster.workers) == 2
    yield cluster
    cluster.close()
    os.environ.clear()
    os.environ.update(environ)


def _grade(scenario: Path, out: Path, data: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**ENV, "SOURCE_DATE_EPOCH": EPOCH, "CANADARM_TRAINER_DATA_DIR": str(data)}
    command = [*CLI, "grade", str(scenario), "--pilot", "none", "--seeds", SEEDS]
    return subprocess.run(
        [*command, "--out", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _summary(stdout: str) -> list[str]:
    """The campaign's lines on stdout (the per-seed table holds wall-clock speeds)."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("campaign "))
    return lines[start:-1]  # the last line names the output folder


def _history(data: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(data / "history.sqlite3") as db:
        return list(
            db.execute(
                "SELECT seed, scenario_id, pilot, outcome, passed, score, components_json"
                " FROM attempts ORDER BY id"
            )
        )


def test_local_and_dask_write_the_same_bytes(
    cluster: Any, short_scenario: Path, tmp_path: Path
) -> None:
    address = cluster.scheduler_address.removeprefix("tcp://")
    runs = {
        "in-process": ("--jobs", "1"),
        "pool": ("--jobs", "2"),
        "dask": ("--executor", f"dask://{address}"),
    }
    folders: dict[str, dict[str, bytes]] = {}
    summaries: dict[str, list[str]] = {}
    histories: dict[str, list[tuple[Any, ...]]] = {}
    for name, extra in runs.items():
        result = _grade(short_scenario, tmp_path / name, tmp_path / f"data-{name}", *extra)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        folders[name] = _files(tmp_path / name)
        summaries[name] = _summary(result.stdout)
        histories[name] = _history(tmp_path / f"data-{name}")
    assert "on Dask" in result.stderr and "2 workers" in result.stderr  # the cluster graded

    reference = folders["in-process"]
    assert len(reference) == 8 * 3 + 2  # three files per seed, campaign.json and .html
    for name in ("pool", "dask"):
        assert sorted(folders[name]) == sorted(reference)
        different = [f for f in reference if folders[name][f] != reference[f]]
        assert different == [], f"{name} differs from in-process in {different}"
        assert summaries[name] == summaries["in-process"]
        assert histories[name] == histories["in-process"]
    assert [row[0] for row in histories["dask"]] == list(range(1, 9))  # in seed order
    # the seeds differ from each other, and each recording names the campaign's start
    assert len({reference[f"seed-{s}/report.json"] for s in range(1, 9)}) == 8
    with open_recording(tmp_path / "dask" / "seed-5" / "session.mcap") as recording:
        assert recording.metadata["start_time_utc"] == "2023-11-14T22:13:20+00:00"
        assert recording.metadata["seed"] == 5


def test_dask_local_starts_its_own_cluster(short_scenario: Path, tmp_path: Path) -> None:
    env = {**ENV, "SOURCE_DATE_EPOCH": EPOCH}
    command = [*CLI, "grade", str(short_scenario), "--pilot", "none", "--seeds", "3..4"]
    options = ["--executor", "dask-local", "--jobs", "2", "--no-history"]
    result = subprocess.run(
        [*command, *options, "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "a local cluster of 2 workers" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "campaign.html",
        "campaign.json",
        "seed-3",
        "seed-4",
    ]
    assert "pass rate     0/2" in result.stdout


def crash(job: Job) -> JobResult:
    """Kills the Dask worker that runs it (shipped by value: the workers cannot import
    this test module)."""
    os._exit(9)


def raise_for_seed_2(job: Job) -> JobResult:
    if job.seed == 2:
        raise RuntimeError("seed 2 is broken")
    return JobResult(job.key, job.seed, {}, (), {}, (), 0.0, 0.0)


cloudpickle.register_pickle_by_value(sys.modules[__name__])


def _drive_on(cluster: Any, fn: Any, seeds: range) -> tuple[list[Any], list[str]]:
    from distributed import Client

    executor = DaskExecutor(Client(cluster), None, 2, "the test's cluster")
    written: list[Any] = []
    notices: list[str] = []
    work = [Job(f"seed-{s}", s, "{}", "none") for s in seeds]
    result = drive(executor, work, fn, written.append, notices.append)
    assert result.interrupted is None
    return written, notices


def test_a_job_that_raises_on_a_dask_worker_is_retried_once_then_reported(cluster: Any) -> None:
    written, notices = _drive_on(cluster, raise_for_seed_2, range(1, 5))
    assert [o.seed for o in written] == [1, 2, 3, 4]
    failed = written[1]
    assert isinstance(failed, Failure) and failed.error == "RuntimeError: seed 2 is broken"
    assert [n.split(":")[0] for n in notices] == ["seed 2"]


def test_a_lost_dask_worker_fails_its_job_after_one_retry(cluster: Any) -> None:
    written, notices = _drive_on(cluster, crash, range(7, 8))
    assert len(written) == 1 and isinstance(written[0], Failure) and written[0].seed == 7
    assert "KilledWorker" in written[0].error
    assert len(notices) == 1 and notices[0].startswith("seed 7: KilledWorker")
    cluster.wait_for_workers(2, timeout=60)  # the nanny restarted what the job killed


def test_ctrl_c_stops_a_dask_campaign_and_keeps_what_was_written(
    cluster: Any, short_scenario: Path, tmp_path: Path
) -> None:
    address = cluster.scheduler_address.removeprefix("tcp://")
    out = tmp_path / "out"
    env = {**ENV, "CANADARM_TRAINER_DATA_DIR": str(tmp_path / "data")}
    command = [*CLI, "grade", str(short_scenario), "--pilot", "none", "--seeds", "1..300"]
    process = subprocess.Popen(
        [*command, "--executor", f"dask://{address}", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while len(list(out.glob("seed-*/report.json"))) < 2:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no seed graded in 120 s"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1] == "canadarm-trainer grade: interrupted (SIGINT)"
    graded = sorted(int(p.parent.name[5:]) for p in out.glob("seed-*/report.json"))
    assert 2 <= len(graded) < 300
    assert sorted(int(p.name[5:]) for p in out.glob("seed-*")) == graded  # Dask drops the rest
    summary = json.loads((out / "campaign.json").read_text())
    assert summary["stopped"] == "SIGINT" and summary["graded"] == len(graded)
    assert f"stopped after {len(graded)} of 300 seeds" in stdout
    with sqlite3.connect(tmp_path / "data" / "history.sqlite3") as db:
        assert sorted(r[0] for r in db.execute("SELECT seed FROM attempts")) == graded
