"""Where a campaign's jobs run: one ``concurrent.futures``-shaped interface, three backends
(docs/DESIGN.md §12), chosen by ``grade --executor``.

| ``--executor``      | backend                                   | ``--jobs N``                 |
|---------------------|-------------------------------------------|------------------------------|
| ``local`` (default) | this process for one job at a time (``InProcessExecutor``), else the local process pool (trainer/batch.py) | processes (default: every core, at most every core) |
| ``dask-local``      | a Dask ``LocalCluster`` started here: N worker processes of one thread each | workers (as for ``local``) |
| ``dask://HOST:PORT``| the Dask scheduler there and its workers (``Client.get_executor``) | jobs in flight at once (default: the cluster's threads) |

Every backend is a ``concurrent.futures.Executor``: ``submit(fn, job)`` returns a
``Future``; the driver (trainer/campaign/driver.py) waits on them with
``concurrent.futures.wait`` and never learns which backend it drives. Beyond the standard
interface (``CampaignExecutor``): ``slots`` (jobs that run at once), ``window`` (jobs the
driver keeps in flight or waiting to be written: what bounds its memory), ``describe()``
and ``stop()`` (now: queued jobs cancelled, running ones ended, results that arrive
meanwhile kept).

The interface is a protocol: the local pool (trainer/batch.py) and the Dask backend
(trainer/campaign/dask_backend.py) implement it without importing it, so neither imports
the campaign that chooses them (docs/DESIGN.md §2: no cycle between rooms). No scheduler
is built here: the local pool is today's ``--jobs`` pool, and the cluster is Dask's.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from trainer.errors import TrainerError

T = TypeVar("T")
KINDS = ("local", "dask-local", "dask://HOST:PORT")


@dataclass(frozen=True)
class ExecutorChoice:
    """A parsed ``--executor``: ``kind`` is local, dask-local or dask; ``address`` the
    scheduler's (``tcp://HOST:PORT``) for dask."""

    text: str
    kind: str
    address: str | None = None


def parse_executor(text: str) -> ExecutorChoice:
    """``--executor``'s value, checked (ValueError names what is wrong)."""
    if text in ("local", "dask-local"):
        return ExecutorChoice(text, text)
    if text.startswith("dask://"):
        host, sep, port = text.removeprefix("dask://").rpartition(":")
        if sep and host and port.isdigit() and 0 < int(port) < 65536 and "/" not in host:
            return ExecutorChoice(text, "dask", f"tcp://{host}:{int(port)}")
        raise ValueError(f"expected dask://HOST:PORT (a scheduler's address), got {text!r}")
    raise ValueError(f"expected {', '.join(KINDS[:-1])} or {KINDS[-1]}, got {text!r}")


class CampaignExecutor(Protocol):
    """The executor interface of a campaign (module docstring): a
    ``concurrent.futures.Executor``'s ``submit`` and ``shutdown``, and what the driver
    needs besides. A class that names it as a base gets ``describe`` and ``stop``."""

    name: str
    slots: int
    window: int

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> cf.Future[T]: ...

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None: ...

    def describe(self) -> str:
        """One line for stderr: what runs the jobs."""
        return f"{self.name}: {self.slots} at a time"

    def stop(self) -> None:
        """Cancel what has not started and end what runs, at once (Ctrl-C)."""
        self.shutdown(wait=False, cancel_futures=True)


class InProcessExecutor(cf.Executor, CampaignExecutor):
    """Runs each job in this process when it is submitted (``--jobs 1``): the returned
    future is already done. A signal during the job is raised from ``submit`` itself,
    after the job's session has ended as ``grade`` ends one."""

    name = "in-process"
    slots = 1
    window = 1

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> cf.Future[T]:
        future: cf.Future[T] = cf.Future()
        future.set_running_or_notify_cancel()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # the job failed: the driver decides (a retry)
            future.set_exception(exc)
        return future

    def describe(self) -> str:
        return "this process, one job at a time"


def make_executor(choice: ExecutorChoice, jobs: int | None, count: int) -> CampaignExecutor:
    """The backend for ``choice`` and ``--jobs`` (module docstring), for ``count`` jobs.
    An unusable backend (Dask missing, a scheduler that cannot be reached) is a
    TrainerError in one line."""
    if choice.kind == "local":
        from trainer.batch import LocalPoolExecutor, cap_jobs

        workers = min(cap_jobs(jobs), count)
        if workers <= 1:
            return InProcessExecutor()
        return LocalPoolExecutor(workers)
    from trainer.campaign.dask_backend import connect, start_local

    if choice.kind == "dask-local":
        from trainer.batch import cap_jobs

        return start_local(choice.text, min(cap_jobs(jobs), count))
    if choice.address is None:  # parse_executor gives every dask:// choice its address
        raise TrainerError(f"--executor {choice.text}: no scheduler address")
    return connect(choice.text, choice.address, jobs)
