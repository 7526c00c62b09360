"""The driver of a campaign (docs/DESIGN.md §12): sends jobs to an executor, retries a
failed one once, and hands every outcome to the writer in the order of the work (seed
order), whatever order the workers finish in.

Memory is bounded whatever the campaign's size: at most ``executor.window`` jobs are in
flight or finished and waiting for an earlier one (the reorder buffer); a job is planned
(a recording read) only when it is about to be sent, and an outcome is dropped once
written. A slow seed therefore holds back the sending of new ones by at most the window.

| what happens                    | the driver                                                 |
|---------------------------------|------------------------------------------------------------|
| a job fails on its worker (it   | sends it again, once, with a notice on stderr; a second    |
| raised, its worker was lost)    | failure is a ``Failure`` with the job's seed and the error |
| a job refused before it ran (a  | a ``Failure`` at once, never sent                          |
| recording that cannot be read)  |                                                            |
| SIGINT, SIGTERM, SIGHUP         | ``executor.stop()``; every job finished by then (graded, or |
|                                 | a session ended by the signal: its recording) is written in |
|                                 | order, and the interruption is returned                    |
| anything else raised (the       | ``executor.stop()``, then raised                           |
| output folder cannot be written)|                                                            |

Writing an outcome holds ending signals back (``deferred``): a job is written whole
(folder, history) or not at all.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from trainer.campaign.executors import CampaignExecutor
from trainer.campaign.jobs import Failure, Job, JobInterrupted, JobResult
from trainer.errors import TrainerError, one_line
from trainer.signals import deferred

Outcome = JobResult | Failure | JobInterrupted


def describe_failure(exc: BaseException) -> str:
    """One line for a job's failure, whatever backend raised it."""
    if isinstance(exc, TrainerError):
        return one_line(exc)
    text = " ".join(str(exc).split())
    name = type(exc).__name__
    return (
        f"{name}: {text}"
        if text and name not in ("JobFailedError", "WorkerLostError")
        else text or name
    )


@dataclass
class _State:
    work: Iterator[tuple[int, Job | Failure]]
    in_flight: dict[cf.Future[JobResult], tuple[int, Job, int]] = field(default_factory=dict)
    buffer: dict[int, Outcome] = field(default_factory=dict)
    next_index: int = 0
    exhausted: bool = False
    peak_held: int = 0
    submitting: tuple[int, Job] | None = None  # the job being handed to the executor

    def submit(
        self,
        executor: CampaignExecutor,
        fn: Callable[[Job], JobResult],
        index: int,
        job: Job,
        attempt: int,
    ) -> None:
        self.submitting = (index, job)
        try:
            future = executor.submit(fn, job)
        except Exception as exc:  # the backend itself is gone (a scheduler shut down)
            raise TrainerError(
                f"{executor.describe()}: takes no more jobs ({describe_failure(exc)})"
            ) from None
        self.in_flight[future] = (index, job, attempt)
        self.submitting = None
        self.peak_held = max(self.peak_held, len(self.in_flight) + len(self.buffer))


@dataclass
class DriveResult:
    """How the drive ended: the interruption that stopped it (None: every job done) and
    the most jobs held at once (in flight or waiting to be written)."""

    interrupted: KeyboardInterrupt | None
    peak_held: int


def drive(
    executor: CampaignExecutor,
    work: Iterable[Job | Failure],
    fn: Callable[[Job], JobResult],
    write: Callable[[Outcome], None],
    notice: Callable[[str], None],
) -> DriveResult:
    """Run every job of ``work`` on ``executor`` through ``fn`` and ``write`` each
    outcome in the order of ``work`` (module docstring)."""
    state = _State(iter(enumerate(work)))

    def fill() -> None:
        while not state.exhausted and len(state.in_flight) + len(state.buffer) < executor.window:
            try:
                index, item = next(state.work)
            except StopIteration:
                state.exhausted = True
                return
            if isinstance(item, Failure):
                state.buffer[index] = item
                continue
            state.submit(executor, fn, index, item, 0)

    def flush() -> None:
        while state.next_index in state.buffer:
            with deferred():  # written whole, then a signal acts
                write(state.buffer.pop(state.next_index))
                state.next_index += 1

    try:
        fill()
        flush()
        while state.in_flight or not state.exhausted or state.buffer:
            if state.in_flight:
                done, _ = cf.wait(state.in_flight, return_when=cf.FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: state.in_flight[f][0]):
                    with deferred():  # a finished job is never half moved to the buffer
                        again = _settle(state, future, notice)
                    if again is not None:  # its second try (in process: it runs now)
                        state.submit(executor, fn, *again, 1)
            flush()
            fill()
            flush()
    except KeyboardInterrupt as exc:
        if isinstance(exc, JobInterrupted) and state.submitting is not None:
            state.buffer[state.submitting[0]] = exc  # in-process: its session ended here
        executor.stop()
        _write_what_finished(state, write)
        return DriveResult(exc, state.peak_held)
    except BaseException:
        executor.stop()
        raise
    executor.shutdown(wait=True)
    return DriveResult(None, state.peak_held)


def _settle(
    state: _State, future: cf.Future[JobResult], notice: Callable[[str], None]
) -> tuple[int, Job] | None:
    """A finished job into the buffer; a first failure is returned, to be sent again."""
    index, job, attempt = state.in_flight.pop(future)
    exc = future.exception()
    if exc is None:
        state.buffer[index] = future.result()
    elif attempt == 0:
        notice(f"{job.label}: {describe_failure(exc)}; trying it once more")
        return index, job
    else:
        state.buffer[index] = Failure(job.key, job.seed, describe_failure(exc))
    return None


def _write_what_finished(state: _State, write: Callable[[Outcome], None]) -> None:
    """After a stop: every job graded, or ended by the signal, in the order of the work."""
    for future, (index, _job, _attempt) in state.in_flight.items():
        if not future.done() or future.cancelled():
            continue
        exc = future.exception()
        if exc is None:
            state.buffer[index] = future.result()
        elif isinstance(exc, JobInterrupted):
            state.buffer[index] = exc
    for index in sorted(state.buffer):
        with deferred():
            write(state.buffer[index])
