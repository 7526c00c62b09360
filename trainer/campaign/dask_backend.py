"""Dask distributed as a campaign's engine (docs/DESIGN.md §12): ``--executor dask://HOST:PORT``
connects to a running scheduler, ``--executor dask-local`` starts a ``LocalCluster`` here.
The executor is Dask's own ``Client.get_executor()`` (a ``concurrent.futures.Executor``);
this module only opens and closes it.

| what                               | how                                                    |
|------------------------------------|--------------------------------------------------------|
| Dask not installed                 | one line: install the ``campaign`` extra (``make fly`` and ``make test`` do) |
| the scheduler cannot be reached    | one line after Dask's connect timeout (``distributed.comm.timeouts.connect``, e.g. ``DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=5s``) |
| a submitted job                    | ``pure=False``: a job submitted again (the driver's one retry) runs again, never answered from the first try |
| a worker lost mid-job              | the future fails (``KilledWorker``) and the driver sends the job once more, as on the local pool; a remote scheduler first re-runs it itself up to its ``distributed.scheduler.allowed-failures`` times (Dask's default 3; 0 in ``dask-local``'s) |
| Ctrl-C                             | the jobs not finished are cancelled and the client (and the local cluster) closed; a job already running on a remote worker runs to its end there and is dropped |

The executor has what a campaign's executor needs besides ``submit`` and ``shutdown``
(``slots``, ``window``, ``describe``, ``stop``: trainer/campaign/executors.py
``CampaignExecutor``), but this module imports nothing of the campaign that chooses it:
Dask stays behind this one module (docs/DESIGN.md §2).

``dask-local``'s workers get this machine's environment as it is: Dask's nanny would set
``OPENBLAS_NUM_THREADS=1`` in them, which the fingerprint records among the settings that
change a machine's arithmetic (docs/DESIGN.md §10), so a ``dask-local`` campaign would
otherwise differ from a ``local`` one in every recording's metadata. Workers started by
``dask worker`` on other machines keep Dask's setting, and their recordings say so.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from trainer.errors import TrainerError

T = TypeVar("T")
WINDOW_PER_SLOT = 2  # jobs in flight per running job: the next one is always queued
# Dask's nanny variables that the fingerprint records (docs/DESIGN.md §10): left unset.
UNSET_IN_WORKERS = ("OPENBLAS_NUM_THREADS",)


def executor_error(text: str, why: str) -> TrainerError:
    """``--executor TEXT: why``, one line (exit status 2)."""
    return TrainerError(f"--executor {text}: {why}")


def _dask() -> Any:
    try:
        import distributed
    except ImportError:
        raise executor_error(
            "dask",
            "Dask is not installed here: install the trainer with its campaign extra "
            "(pip install 'canadarm-trainer[campaign]'; make fly and make test do)",
        ) from None
    return distributed


class DaskExecutor(cf.Executor):
    """A Dask client's executor, with the client (and a cluster started here) closed by
    ``shutdown`` and ``stop``."""

    name = "dask"

    def __init__(self, client: Any, cluster: Any, slots: int, where: str) -> None:
        self._client = client
        self._cluster = cluster
        self._inner: cf.Executor = client.get_executor(pure=False)
        self._futures: list[cf.Future[Any]] = []
        self.slots = max(1, slots)
        self.window = WINDOW_PER_SLOT * self.slots
        self._where = where
        self._closed = False

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> cf.Future[T]:
        future = self._inner.submit(fn, *args, **kwargs)
        self._futures = [f for f in self._futures if not f.done()]
        self._futures.append(future)
        return future

    def describe(self) -> str:
        return f"Dask, {self._where}: {self.slots} at a time"

    def stop(self) -> None:
        """The jobs not finished cancelled, the client (and a cluster started here) closed."""
        self.shutdown(wait=False, cancel_futures=True)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self._closed:
            return
        self._closed = True
        if cancel_futures or not wait:
            for future in self._futures:
                future.cancel()  # the executor cancels the Dask future behind it
        with contextlib.suppress(Exception):  # closing what may already be gone
            self._inner.shutdown(wait=wait and not cancel_futures)
        with contextlib.suppress(Exception):
            self._client.close()
        if self._cluster is not None:
            with contextlib.suppress(Exception):
                self._cluster.close()


def local_config() -> contextlib.AbstractContextManager[Any]:
    """Dask's configuration for a cluster started here (module docstring): the workers'
    environment, and no re-runs of a lost worker's job by the scheduler."""
    import dask

    settings: dict[str, Any] = {
        f"distributed.nanny.pre-spawn-environ.{name}": None for name in UNSET_IN_WORKERS
    }
    settings["distributed.scheduler.allowed-failures"] = 0
    return dask.config.set(settings)


def local_cluster(workers: int) -> Any:
    """A ``LocalCluster`` of ``workers`` processes with one thread each, quiet, without a
    dashboard (``dask-local``; the tests start theirs with this too)."""
    distributed = _dask()
    with local_config():
        return distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )


def start_local(text: str, workers: int) -> DaskExecutor:
    distributed = _dask()
    try:
        cluster = local_cluster(workers)
    except Exception as exc:  # Dask's own failure to start (ports, resources)
        raise executor_error(text, f"the local Dask cluster did not start ({exc})") from None
    try:
        client = distributed.Client(cluster)
    except Exception as exc:
        cluster.close()
        raise executor_error(text, f"cannot open a client of the local cluster ({exc})") from None
    return DaskExecutor(client, cluster, workers, f"a local cluster of {workers} workers")


def connect(text: str, address: str, jobs: int | None) -> DaskExecutor:
    """A client of the scheduler at ``address``; ``jobs`` caps the jobs in flight."""
    distributed = _dask()
    import dask

    timeout = dask.config.get("distributed.comm.timeouts.connect")
    logging.getLogger("distributed").setLevel(logging.CRITICAL)  # its retries: not ours to print
    try:
        client = distributed.Client(address, timeout=timeout, set_as_default=False)
    except Exception as exc:  # OSError, TimeoutError: Dask words them
        why = " ".join(str(exc).split()) or type(exc).__name__
        raise executor_error(text, f"cannot reach the Dask scheduler ({why})") from None
    threads = sum(client.nthreads().values())
    if jobs is not None and jobs < 1:
        client.close()
        raise executor_error(text, f"--jobs: expected a number of jobs >= 1, got {jobs}")
    slots = jobs if jobs is not None else threads
    workers = len(client.nthreads())
    where = f"{address} ({workers} worker{'s' if workers != 1 else ''}, {threads} threads)"
    return DaskExecutor(client, None, slots, where)
