"""Grading many seeds on worker processes (``grade --seeds A..B --jobs N``, docs/DESIGN.md
§5) that stop when asked and never outlive the command.

Each worker is a process of its own (forked: no re-import of numpy and pybullet) that
grades the seeds the parent hands it, one at a time, over its own pipe, with the grader it
was given (``grade``'s ``SeedGrader``, which loads the scenario once a worker and writes
each seed's ``seed-N`` folder): the pool knows nothing of grading, so ``grade`` imports it
and it never imports ``grade``. The parent waits on the pipes and the
workers' sentinels together, so it always knows which seed each worker holds.

| what happens                         | what the pool does                                    |
|--------------------------------------|-------------------------------------------------------|
| SIGINT, SIGTERM, SIGHUP to the parent| every worker gets SIGTERM: a session in progress ends |
| (or to the whole process group)      | with its recording's ``end`` event and no report      |
|                                      | (trainer/grade.py run_graded): the workers are waited |
|                                      | for at most STOP_GRACE_S, then killed; the seeds      |
|                                      | graded so far are returned with the interruption      |
| the parent is killed (even -9)       | PR_SET_PDEATHSIG sends each worker SIGTERM, and a     |
|                                      | watchdog thread that sees the parent gone does too    |
| a worker fails (bad output folder)   | the pool stops as above and the error is raised       |
| ``--jobs`` above the cores           | capped to the cores, with a notice (``cap_jobs``)     |

A worker never blocks on its pipe for long: the parent reads every message as it comes,
and a stopping worker's send is interrupted by its SIGTERM.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from trainer.errors import TrainerError, one_line
from trainer.signals import SessionInterrupted, deferred, ending_on_signals

STOP_GRACE_S = 1.5
"""How long stopping workers get to finalize their recordings (an ``end`` event and the
footer take milliseconds) before they are killed: the pool is gone within 2 s."""
WATCHDOG_PERIOD_S = 0.25
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

Grader = Callable[[int, Callable[[Any], None]], Any]
"""Grades one seed in a worker and hands its result to the callback before it returns
(a signal then waits: the seed reaches the parent whole or not at all)."""


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


@dataclass
class BatchOutcome:
    """The seeds graded (seed, result), in seed order, and the signal that stopped the
    batch early (None when every seed was graded)."""

    results: list[tuple[int, Any]] = field(default_factory=list)
    interrupted: SessionInterrupted | None = None


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

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _worker_main(conn: Connection, grader: Grader, parent: int) -> None:
    """A worker: grade the seeds received until told to stop (None) or signalled."""
    seed: int | None = None
    try:
        _die_with_parent(parent)
        with ending_on_signals():
            while (seed := conn.recv()) is not None:

                def deliver(result: Any, seed: int = seed) -> None:
                    # inside run_graded's held block: a graded seed always reaches the parent
                    conn.send(("done", seed, result))

                grader(seed, deliver)
    except KeyboardInterrupt:
        pass  # run_graded has finalized the recording of the seed in progress
    except TrainerError as exc:
        with contextlib.suppress(OSError):
            conn.send(("error", seed, one_line(exc)))
    except (EOFError, OSError):
        pass  # the parent is gone
    except Exception as exc:  # a bug: the parent raises it with the seed
        with contextlib.suppress(OSError):
            conn.send(("crash", seed, f"{type(exc).__name__}: {exc}"))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    seed: int | None = None


def _pool_context() -> Any:
    """A multiprocessing context (typeshed gives each start method its own class).

    fork starts a worker in milliseconds (spawn re-imports numpy and pybullet, ~0.5 s per
    worker); safe here because this process has no pybullet client when the pool starts."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class _Pool:
    def __init__(self, grader: Grader, jobs: int) -> None:
        self._args = (grader, os.getpid())
        self._jobs = jobs
        self.workers: list[_Worker] = []
        self.done: dict[int, Any] = {}

    def start(self) -> None:
        ctx = _pool_context()
        sys.stdout.flush()  # a forked worker would write the parent's buffered text again
        sys.stderr.flush()
        for _ in range(self._jobs):
            parent_end, child_end = ctx.Pipe(duplex=True)
            process = ctx.Process(
                target=_worker_main, args=(child_end, *self._args), daemon=True, name="grade"
            )
            self.workers.append(_Worker(process, parent_end))
            process.start()
            child_end.close()

    def _handle(self, worker: _Worker, message: tuple[str, int | None, Any]) -> None:
        kind, seed, value = message
        worker.seed = None
        if kind == "done" and seed is not None:
            self.done[seed] = value
        elif kind == "error":
            raise TrainerError(str(value))
        elif kind == "crash":
            raise RuntimeError(f"grading seed {seed} failed in its worker: {value}")

    def run(self, seeds: Sequence[int], on_done: Any) -> None:
        pending = deque(seeds)
        for worker in self.workers:
            worker.seed = pending.popleft() if pending else None
            worker.conn.send(worker.seed)
        while any(w.seed is not None for w in self.workers):
            busy = [w for w in self.workers if w.seed is not None]
            ready = multiprocessing.connection.wait(
                [w.conn for w in busy] + [w.process.sentinel for w in busy]
            )
            for worker in busy:
                if worker.conn in ready and worker.conn.poll():
                    seed = worker.seed
                    with deferred():  # a message is read whole and kept, then a signal acts
                        self._handle(worker, worker.conn.recv())
                    on_done(seed, self.done.get(seed) if seed is not None else None)
                    worker.seed = pending.popleft() if pending else None
                    worker.conn.send(worker.seed)
                elif worker.process.sentinel in ready and not worker.conn.poll():
                    raise RuntimeError(
                        f"the worker grading seed {worker.seed} died "
                        f"(exit status {worker.process.exitcode})"
                    )

    def stop(self) -> None:
        """Every worker ended within STOP_GRACE_S: asked with SIGTERM, then killed. Results
        that arrive meanwhile are kept."""
        for worker in self.workers:
            if worker.process.is_alive() and worker.process.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        for worker in self.workers:
            worker.process.join(max(deadline - time.monotonic(), 0.0))
        for worker in self.workers:
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            self._drain(worker)
            worker.conn.close()

    def _drain(self, worker: _Worker) -> None:
        with contextlib.suppress(Exception):  # a half-sent message of a killed worker
            while worker.conn.poll():
                kind, seed, value = worker.conn.recv()
                if kind == "done" and seed is not None:
                    self.done[seed] = value


def run_seeds_in_pool(grader: Grader, seeds: Sequence[int], jobs: int) -> BatchOutcome:
    """Grade each seed with ``grader`` on ``jobs`` worker processes (one world each, built
    from the scenario and the seed alone: the same reports bit for bit whichever worker ran
    a seed), with a tqdm progress bar on stderr. Returns the seeds graded, in seed order,
    and the signal that stopped the batch, if one did (see the module docstring)."""
    pool = _Pool(grader, min(jobs, len(seeds)))
    outcome = BatchOutcome()
    try:
        pool.start()  # before tqdm starts its monitor thread: fork a process without threads
        from tqdm import tqdm  # only for a batch: 25 ms off every other command's start

        with tqdm(total=len(seeds), desc="grading", unit="seed", file=sys.stderr) as bar:

            def on_done(seed: int | None, result: Any) -> None:
                if result is not None:
                    outcome_word = result.report["outcome"]
                    bar.set_postfix_str(f"seed {seed}: {outcome_word}", refresh=False)
                bar.update()

            pool.run(seeds, on_done)
    except SessionInterrupted as exc:
        outcome.interrupted = exc
    finally:
        pool.stop()
    outcome.results = [(seed, pool.done[seed]) for seed in seeds if seed in pool.done]
    return outcome
