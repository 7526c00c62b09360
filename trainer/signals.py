"""Ending a session on a signal: SIGINT, SIGTERM and SIGHUP all end it the same way.

A trainee closing the terminal (SIGHUP), a batch system stopping a grading job (SIGTERM)
and Ctrl-C (SIGINT) must leave the same thing behind: a recording finalized with its
``end`` event, never a file cut off mid-chunk. Python turns only SIGINT into an exception
(``KeyboardInterrupt``) by default; the other two kill the process on the spot.

``ending_on_signals()`` is the one place that changes that, for ``grade`` and ``fly``
alike: inside it, each of those signals raises ``SessionInterrupted`` (a subclass of
``KeyboardInterrupt``, so every cleanup path written for Ctrl-C runs unchanged) in the main
thread, once. A second signal while the session is being finalized is ignored, so a
double Ctrl-C or a TERM that follows a HUP cannot cut the finalization short; SIGKILL
still ends the process. The previous handlers come back when the block exits.
``deferred()`` holds the signals back around a step that must not be cut in two (closing a
recording), delivering them right after it.

| signal  | exit status (128 + number, the shell's convention) |
|---------|-----------------------------------------------------|
| SIGINT  | 130                                                 |
| SIGTERM | 143                                                 |
| SIGHUP  | 129                                                 |
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

ENDING_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class SessionInterrupted(KeyboardInterrupt):
    """A signal asked the session to end; ``signal_name`` says which one."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.signal_name = signal.Signals(signum).name
        super().__init__(self.signal_name)

    @property
    def exit_status(self) -> int:
        return 128 + self.signum

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled by its signal number (a worker process sends it back: trainer/batch.py)."""
        return type(self), (self.signum,)


def interruption_name(exc: BaseException) -> str:
    """``SIGTERM`` for a SessionInterrupted, ``SIGINT`` for a plain KeyboardInterrupt."""
    return exc.signal_name if isinstance(exc, SessionInterrupted) else "SIGINT"


def exit_status(exc: BaseException) -> int:
    return exc.exit_status if isinstance(exc, SessionInterrupted) else 130


@contextmanager
def ending_on_signals(
    signals: tuple[signal.Signals, ...] = ENDING_SIGNALS,
) -> Iterator[None]:
    """Within the block, the first of ``signals`` raises SessionInterrupted; later ones are
    ignored. Outside the main thread (where Python cannot set handlers) it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    fired = False

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal fired
        if fired:
            return  # finalizing after the first one: let it finish
        fired = True
        if _State.critical:
            _State.pending = signum  # deferred() raises it when its block ends
            return
        raise SessionInterrupted(signum)

    previous: dict[signal.Signals, Any] = {}
    try:
        for sig in signals:
            previous[sig] = signal.signal(sig, handler)
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
        _State.pending = None


class _State:
    """What the handler needs across the blocks: inside ``deferred()`` a signal is noted,
    not raised (a signal sent to the process may be delivered through any thread, so
    masking it in the main thread alone would not hold it back)."""

    critical = 0
    pending: int | None = None


class _Held:
    """The context manager ``deferred()`` returns: a class, not a generator, because the
    recording writer enters it for every message (a fraction of a microsecond)."""

    __slots__ = ()

    def __enter__(self) -> None:
        _State.critical += 1

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        _State.critical -= 1
        if exc_type is None and _State.critical == 0 and _State.pending is not None:
            signum, _State.pending = _State.pending, None
            raise SessionInterrupted(signum)


_HELD = _Held()


def deferred() -> _Held:
    """Hold an ending signal back for the duration of the block (writing a message or
    finalizing a recording: a signal arriving mid-write would leave a chunk half built or
    the file without its footer); it raises SessionInterrupted when the block ends. Only
    meaningful inside ``ending_on_signals``."""
    return _HELD
