"""The campaign driver (trainer/campaign/driver.py, docs/DESIGN.md §12) on the in-process
executor, a thread pool that finishes jobs out of order, and the real local process pool
(trainer/batch.py): outcomes written in the order of the work with a bounded number held
at once, a failed job retried once then reported with its seed, the campaign going on, a
lost worker replaced. Job functions here stand in for ``grade_job``: the driver only
needs a job in and a result out."""

from __future__ import annotations

import concurrent.futures as cf
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from trainer.batch import LocalPoolExecutor
from trainer.campaign.driver import Outcome, drive
from trainer.campaign.executors import CampaignExecutor, InProcessExecutor
from trainer.campaign.jobs import Failure, Job, JobInterrupted, JobResult


def _jobs(count: int, marker_dir: Path | None = None) -> list[Job | Failure]:
    folder = "" if marker_dir is None else str(marker_dir)
    return [Job(f"seed-{s}", s, folder, "none") for s in range(1, count + 1)]


def _result(job: Job, payload: bytes = b"") -> JobResult:
    report = {"outcome": "timeout", "passed": False, "score": {"total": float(job.seed)}}
    return JobResult(job.key, job.seed, report, (("session.mcap", payload),), {}, (), 1.0, 0.1)


def _run(
    executor: CampaignExecutor,
    work: list[Job | Failure],
    fn: Callable[[Job], JobResult],
    on_write: Callable[[Outcome], None] | None = None,
) -> tuple[list[Outcome], list[str], Any]:
    written: list[Outcome] = []
    notices: list[str] = []

    def write(outcome: Outcome) -> None:
        if on_write is not None:
            on_write(outcome)
        written.append(outcome)

    result = drive(executor, work, fn, write, notices.append)
    return written, notices, result


# -- job functions (module level: the process pool's workers import them) ------------------


def flaky_once(job: Job) -> JobResult:
    """Raises the first time each of seeds 3 and 5 is tried (a marker file remembers)."""
    marker = Path(job.scenario_json) / f"tried-{job.seed}"
    if job.seed in (3, 5) and not marker.exists():
        marker.touch()
        raise RuntimeError(f"transient trouble with seed {job.seed}")
    return _result(job)


def always_fails_on_4(job: Job) -> JobResult:
    if job.seed == 4:
        raise ValueError("seed 4 cannot be graded here")
    return _result(job)


def kills_its_worker_once(job: Job) -> JobResult:
    """The worker grading seed 2 dies the first time (as a crash or the OOM killer would)."""
    marker = Path(job.scenario_json) / f"killed-{job.seed}"
    if job.seed == 2 and not marker.exists():
        marker.touch()
        os._exit(9)
    return _result(job, b"x" * 200_000)  # bigger than a pipe's buffer


def always_kills_on_2(job: Job) -> JobResult:
    if job.seed == 2:
        os._exit(9)
    return _result(job)


def stopped_mid_session(job: Job) -> JobResult:
    """As ``grade_job`` ends when a signal stops its session: with the finalized recording."""
    raise JobInterrupted(signal.SIGTERM, job.key, (("session.mcap", b"finalized"),))


# -- the tests -----------------------------------------------------------------------------


def test_in_process_retries_a_failed_job_once_and_keeps_order(tmp_path: Path) -> None:
    written, notices, result = _run(InProcessExecutor(), _jobs(6, tmp_path), flaky_once)
    assert result.interrupted is None
    assert [o.seed for o in written] == [1, 2, 3, 4, 5, 6]
    assert all(isinstance(o, JobResult) for o in written)
    assert len(notices) == 2 and "seed 3: RuntimeError: transient trouble" in notices[0]


def test_a_job_that_fails_twice_is_reported_with_its_seed_and_the_rest_go_on() -> None:
    written, notices, _ = _run(InProcessExecutor(), _jobs(6), always_fails_on_4)
    failed = [o for o in written if isinstance(o, Failure)]
    assert [o.seed for o in written] == [1, 2, 3, 4, 5, 6]
    assert len(failed) == 1 and failed[0].seed == 4
    assert failed[0].error == "ValueError: seed 4 cannot be graded here"
    assert len(notices) == 1  # one retry, then the failure


def test_a_refused_job_is_written_in_its_place_and_never_sent() -> None:
    work = _jobs(3)
    work.insert(1, Failure("broken", None, "recording broken.mcap: no /input"))
    sent: list[int] = []

    def fn(job: Job) -> JobResult:
        sent.append(job.seed)
        return _result(job)

    written, _, _ = _run(InProcessExecutor(), work, fn)
    assert [o.key for o in written] == ["seed-1", "broken", "seed-2", "seed-3"]
    assert sent == [1, 2, 3]


class _Threads(CampaignExecutor):
    """A thread pool, so that jobs finish out of order (later seeds sooner)."""

    name = "threads"

    def __init__(self, slots: int) -> None:
        self._pool = cf.ThreadPoolExecutor(slots)
        self.slots = slots
        self.window = 2 * slots

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future[Any]:
        return self._pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def test_outcomes_are_written_in_order_with_a_bounded_number_held() -> None:
    lock = threading.Lock()
    finished = 0
    unwritten_peak = 0

    def fn(job: Job) -> JobResult:
        nonlocal finished
        time.sleep(0.002 * (7 - job.seed % 7))  # the order they finish in is not seed order
        with lock:
            finished += 1
        return _result(job, b"x" * 1000)

    def on_write(outcome: Outcome) -> None:
        nonlocal unwritten_peak
        with lock:  # results that exist (finished) and are not written yet
            unwritten_peak = max(unwritten_peak, finished - len(written))

    executor = _Threads(3)
    written: list[Outcome] = []
    result = drive(executor, _jobs(60), fn, lambda o: (on_write(o), written.append(o)), print)
    assert [o.seed for o in written] == list(range(1, 61))
    assert result.peak_held <= executor.window
    assert 1 < unwritten_peak <= executor.window  # out of order, and bounded


def test_the_process_pool_replaces_a_lost_worker_and_retries_its_job(tmp_path: Path) -> None:
    pool = LocalPoolExecutor(2)
    written, notices, result = _run(pool, _jobs(6, tmp_path), kills_its_worker_once)
    assert result.interrupted is None
    assert [o.seed for o in written] == [1, 2, 3, 4, 5, 6]
    assert all(isinstance(o, JobResult) for o in written), written
    assert len(written[1].files[0][1]) == 200_000  # whole through the pipe
    assert len(notices) == 1 and "seed 2: its worker died (exit status 9)" in notices[0]


def test_the_process_pool_reports_a_job_whose_worker_dies_twice(tmp_path: Path) -> None:
    pool = LocalPoolExecutor(2)
    written, notices, _ = _run(pool, _jobs(4, tmp_path), always_kills_on_2)
    assert [o.seed for o in written] == [1, 2, 3, 4]
    failed = written[1]
    assert isinstance(failed, Failure) and failed.seed == 2
    assert failed.error == "its worker died (exit status 9)"
    assert len(notices) == 1


def test_the_process_pool_fails_a_raising_job_and_keeps_its_worker() -> None:
    pool = LocalPoolExecutor(2)
    pids_before = {w.process.pid for w in pool._workers}
    future = pool.submit(always_fails_on_4, _jobs(4)[3])
    with pytest.raises(Exception, match="ValueError: seed 4 cannot be graded here"):
        future.result(timeout=30)
    assert {w.process.pid for w in pool._workers} == pids_before  # nobody was replaced
    assert pool.submit(always_fails_on_4, _jobs(1)[0]).result(timeout=30).seed == 1
    pool.shutdown()
    assert not any(w.process.is_alive() for w in pool._workers)


def test_the_process_pool_sends_back_what_a_stopped_job_kept() -> None:
    """The pool knows nothing of campaigns: a job ended by a signal raises a
    SessionInterrupted, which comes back whole as its future's exception (for a campaign,
    ``JobInterrupted`` with the recording the driver writes)."""
    pool = LocalPoolExecutor(1)
    try:
        exc = pool.submit(stopped_mid_session, _jobs(1)[0]).exception(timeout=30)
    finally:
        pool.stop()
    assert isinstance(exc, JobInterrupted)
    assert exc.signal_name == "SIGTERM" and exc.exit_status == 143
    assert exc.key == "seed-1" and exc.files == (("session.mcap", b"finalized"),)
