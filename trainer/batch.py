"""The local process pool (``grade --jobs N``, a campaign's default executor, docs/DESIGN.md
§5 and §12): a ``concurrent.futures.Executor`` that runs any picklable job function on
worker processes that stop when asked and never outlive the command. It knows nothing of
grading or of campaigns: trainer/campaign/executors.py chooses it, and the campaign's job
function (trainer/campaign/jobs.py ``grade_job``) returns its files' bytes and writes
nothing.

Each worker is a process of its own (forked: no re-import of numpy and pybullet) that runs
the jobs the parent hands it, one at a time, over its own pipe, and sends each result back.
A manager thread in the parent hands out the queued jobs, waits on the pipes and the
workers' sentinels together, and completes the futures, so it always knows which job each
worker holds.

| what happens                          | what the pool does                                   |
|---------------------------------------|------------------------------------------------------|
| ``stop()`` (the driver's answer to    | every worker gets SIGTERM: a session in progress     |
| SIGINT, SIGTERM, SIGHUP, also sent to | ends with its recording's ``end`` event and no report|
| the whole process group)              | (trainer/graded.py run_graded); a job ended so that  |
|                                       | raises a ``SessionInterrupted`` sends it back as its |
|                                       | future's exception (a campaign's carries the         |
|                                       | recording: ``JobInterrupted``); the workers are read |
|                                       | while they stop, for at most STOP_GRACE_S, then      |
|                                       | killed; every result that arrived is kept            |
| the parent is killed (even -9)        | PR_SET_PDEATHSIG sends each worker SIGTERM, and a    |
|                                       | watchdog thread that sees the parent gone does too,  |
|                                       | then ends the worker STOP_GRACE_S later regardless   |
| a job raises                          | its future fails (``JobFailedError``); the worker    |
|                                       | goes on                                              |
| a worker dies (killed, crashed)       | its job's future fails (``WorkerLostError``); a new  |
|                                       | worker takes its place (spawned: the parent has      |
|                                       | threads by then, and forking them is unsafe)         |
| ``--jobs`` above the cores            | capped to the cores, with a notice (``cap_jobs``)    |

A worker never blocks on its pipe for long: the parent reads every message as it comes,
and a worker sends each message whole before a signal acts (``deferred``).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import ctypes
import itertools
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from trainer.errors import TrainerError, one_line
from trainer.signals import SessionInterrupted, deferred, ending_on_signals

T = TypeVar("T")
STOP_GRACE_S = 1.5
"""How long stopping workers get to finalize their recordings (an ``end`` event and the
footer take milliseconds) and send them before they are killed: the pool is gone within
2 s."""
WATCHDOG_PERIOD_S = 0.25
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
WINDOW_PER_WORKER = 2  # jobs in flight per worker: the next one is always queued


class JobFailedError(Exception):
    """A job raised on its worker: the exception's type and text."""


class WorkerLostError(Exception):
    """The worker running a job died before it answered."""


def available_cores() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def cap_jobs(jobs: int | None) -> int:
    """The number of workers for ``--jobs`` (default every core): more than the cores only
    slows every seed down and multiplies the memory (~80 MB a worker), so it is capped,
    with a notice on stderr."""
    cores = available_cores()
    if jobs is None:
        return cores
    if jobs > cores:
        print(
            f"canadarm-trainer grade: notice: --jobs {jobs} capped to the {cores} "
            f"core{'s' if cores != 1 else ''} this machine gives the command",
            file=sys.stderr,
        )
        return cores
    return jobs


def _die_with_parent(parent_pid: int) -> None:
    """SIGTERM this worker when its parent dies, however it dies."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the request was made
        os._exit(1)

    def watch() -> None:  # where prctl does not exist, and against PID reuse races
        while os.getppid() == parent_pid:
            time.sleep(WATCHDOG_PERIOD_S)
        os.kill(os.getpid(), signal.SIGTERM)
        # the session is finalized in milliseconds; whatever still holds the worker then
        # (a send nobody reads) must not keep it alive
        time.sleep(STOP_GRACE_S)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _worker_main(conn: Connection, parent: int, siblings: list[Connection]) -> None:
    """A worker: run the jobs received until told to stop (None) or signalled.
    ``siblings``: the parent's ends of the earlier workers' pipes, which a fork copies;
    closed, so that only the parent reads this worker's pipe and a dead parent breaks it."""
    for sibling in siblings:
        sibling.close()
    try:
        _die_with_parent(parent)
        with ending_on_signals():
            while (message := conn.recv()) is not None:
                job_id, fn, args = message
                try:
                    result = fn(*args)
                except SessionInterrupted as exc:  # ended on a signal, with what it kept
                    conn.send(("interrupted", job_id, exc))
                    return
                except KeyboardInterrupt:
                    return
                except TrainerError as exc:
                    with deferred():
                        conn.send(("error", job_id, one_line(exc)))
                except Exception as exc:  # a bug: the parent reports it with the job
                    with deferred():
                        conn.send(("error", job_id, f"{type(exc).__name__}: {exc}"))
                else:
                    with deferred():  # a result is sent whole, then a signal acts
                        conn.send(("done", job_id, result))
    except KeyboardInterrupt:
        pass  # a signal while idle or once a message was sent
    except (EOFError, OSError):
        pass  # the parent is gone


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    job: int | None = None
    cut: bool = False  # its pipe reached its end: nothing more will come


def _pool_context(method: str = "fork") -> Any:
    """A multiprocessing context (typeshed gives each start method its own class).

    fork starts a worker in milliseconds (spawn re-imports numpy and pybullet, ~0.5 s per
    worker); safe here because this process has no pybullet client and no other thread
    when the pool starts."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context(method if method in methods else "spawn")


class LocalPoolExecutor(cf.Executor):
    """``workers`` worker processes (module docstring). Beyond ``concurrent.futures``:
    ``slots``, ``window``, ``describe()`` and ``stop()``, the campaign's executor interface
    (trainer/campaign/executors.py ``CampaignExecutor``)."""

    name = "local"

    def __init__(self, workers: int) -> None:
        self.slots = workers
        self.window = WINDOW_PER_WORKER * workers
        self._lock = threading.Lock()
        self._queue: deque[tuple[int, Callable[..., Any], tuple[Any, ...]]] = deque()
        self._futures: dict[int, cf.Future[Any]] = {}
        self._ids = itertools.count()
        self._stopping = False
        self._workers: list[_Worker] = []
        sys.stdout.flush()  # a forked worker would write the parent's buffered text again
        sys.stderr.flush()
        fork = _pool_context("fork")
        for _ in range(workers):  # before any thread of this pool, tqdm's or Dask's starts
            self._workers.append(self._start_worker(fork, [w.conn for w in self._workers]))
        self._wake_r, self._wake_w = multiprocessing.Pipe(duplex=False)
        self._manager = threading.Thread(target=self._manage, name="pool-manager", daemon=True)
        self._manager.start()

    def describe(self) -> str:
        return f"the local process pool: {self.slots} worker processes"

    @staticmethod
    def _start_worker(ctx: Any, siblings: list[Connection]) -> _Worker:
        parent_end, child_end = ctx.Pipe(duplex=True)
        process = ctx.Process(
            target=_worker_main,
            args=(child_end, os.getpid(), siblings),
            daemon=True,
            name="grade",
        )
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> cf.Future[T]:
        if kwargs:
            raise TypeError("the pool passes positional arguments only")
        future: cf.Future[T] = cf.Future()
        with self._lock:
            if self._stopping:
                raise RuntimeError("cannot submit to a pool that is stopping")
            job_id = next(self._ids)
            self._futures[job_id] = future
            self._queue.append((job_id, fn, args))
        self._wake_w.send(None)
        return future

    # -- the manager thread --------------------------------------------------------

    def _manage(self) -> None:
        while True:
            with self._lock:
                if self._stopping:
                    return
                sends = self._assign()
            for worker, message in sends:
                self._send(worker, message)
            conns = [w.conn for w in self._workers if w.job is not None and not w.cut]
            sentinels = [w.process.sentinel for w in self._workers]
            ready = multiprocessing.connection.wait([self._wake_r, *conns, *sentinels])
            if self._wake_r in ready:
                while self._wake_r.poll():
                    self._wake_r.recv()
            for worker in list(self._workers):
                if worker.conn in ready and self._receive(worker) is False:
                    worker.cut = True  # the worker is ending: its sentinel comes next
                if worker.process.sentinel in ready:
                    while self._receive(worker):  # what it sent before it ended
                        pass
                    self._replace(worker)

    def _assign(self) -> list[tuple[_Worker, tuple[int, Callable[..., Any], tuple[Any, ...]]]]:
        """Queued jobs for the idle workers (under the lock)."""
        sends = []
        for worker in self._workers:
            while worker.job is None and self._queue:
                message = self._queue.popleft()
                if self._futures[message[0]].set_running_or_notify_cancel():
                    worker.job = message[0]
                    sends.append((worker, message))
                else:
                    del self._futures[message[0]]
        return sends

    def _send(
        self, worker: _Worker, message: tuple[int, Callable[..., Any], tuple[Any, ...]]
    ) -> None:
        try:
            worker.conn.send(message)
        except (OSError, ValueError) as exc:  # the worker died (its sentinel says so next)
            self._settle(
                message[0], exception=WorkerLostError(f"could not reach its worker ({exc})")
            )
            worker.job = None
        except Exception as exc:  # the job cannot be pickled: a bug of the caller
            self._settle(message[0], exception=JobFailedError(f"{type(exc).__name__}: {exc}"))
            worker.job = None

    def _receive(self, worker: _Worker) -> bool | None:
        """Read one whole message if one is there and settle its job's future: True; None
        when there is none; False when the pipe is cut (its worker ended; one killed
        mid-message sent nothing)."""
        try:
            if worker.conn.closed:
                return False
            if not worker.conn.poll():
                return None
            kind, job_id, value = worker.conn.recv()
        except (EOFError, OSError):
            return False
        worker.job = None
        if kind == "done":
            self._settle(job_id, result=value)
        elif kind == "interrupted" and isinstance(value, SessionInterrupted):
            self._settle(job_id, exception=value)
        else:
            self._settle(job_id, exception=JobFailedError(str(value)))
        return True

    def _replace(self, worker: _Worker) -> None:
        worker.process.join(STOP_GRACE_S)  # it has ended (its sentinel): reaped at once
        if worker.job is not None:
            status = worker.process.exitcode
            self._settle(
                worker.job, exception=WorkerLostError(f"its worker died (exit status {status})")
            )
        worker.conn.close()
        # spawned: this process has threads now (docs above); its PR_SET_PDEATHSIG is tied
        # to this manager thread, which lives as long as the pool
        self._workers[self._workers.index(worker)] = self._start_worker(_pool_context("spawn"), [])

    def _settle(
        self, job_id: int, *, result: Any = None, exception: BaseException | None = None
    ) -> None:
        with self._lock:
            future = self._futures.pop(job_id, None)
        if future is None or future.done():
            return
        if exception is not None:
            future.set_exception(exception)
        else:
            future.set_result(result)

    # -- the end -------------------------------------------------------------------

    def _halt_manager(self) -> list[int]:
        with self._lock:
            self._stopping = True
            queued = [job_id for job_id, _, _ in self._queue]
            self._queue.clear()
        with contextlib.suppress(OSError):
            self._wake_w.send(None)
        if self._manager is not threading.current_thread():
            self._manager.join()
        return queued

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Every worker told to end after its job (``wait``), or stopped now."""
        if not wait or cancel_futures or any(w.job is not None for w in self._workers):
            self.stop()
            return
        if self._stopping:
            return
        self._halt_manager()
        for worker in self._workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        self._finish(time.monotonic() + STOP_GRACE_S)

    def stop(self) -> None:
        """Every worker ended within STOP_GRACE_S: asked with SIGTERM, read from while it
        finalizes, then killed. Queued jobs are cancelled; a job whose worker sent nothing
        fails with WorkerLostError."""
        if self._stopping and not self._workers:
            return
        for job_id in self._halt_manager():
            with self._lock:
                future = self._futures.pop(job_id, None)
            if future is not None:
                future.cancel()
        for worker in self._workers:
            if worker.process.is_alive() and worker.process.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker.process.pid, signal.SIGTERM)
        self._finish(time.monotonic() + STOP_GRACE_S)

    def _finish(self, deadline: float) -> None:
        """Read every worker until it has ended or the deadline passed; then kill, drain
        and close."""
        while True:
            alive = [w for w in self._workers if w.process.is_alive()]
            left = deadline - time.monotonic()
            if not alive or left <= 0:
                break
            conns = [w.conn for w in self._workers if not w.cut]
            ready = multiprocessing.connection.wait(
                conns + [w.process.sentinel for w in alive], timeout=left
            )
            for worker in self._workers:
                if worker.conn in ready and self._receive(worker) is False:
                    worker.cut = True
        for worker in self._workers:
            if worker.process.is_alive():
                worker.process.kill()
            worker.process.join()
            while self._receive(worker):
                pass
            worker.conn.close()
        self._workers = []
        with self._lock:
            orphans = list(self._futures)
        for job_id in orphans:
            self._settle(job_id, exception=WorkerLostError("stopped before its worker answered"))
        self._wake_r.close()
        self._wake_w.close()
