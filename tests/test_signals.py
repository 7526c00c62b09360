"""trainer.signals: SIGTERM and SIGHUP end a session as Ctrl-C does, once, and a step that
must not be cut in two (closing a recording) holds them back until it is done."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from trainer.signals import SessionInterrupted, deferred, ending_on_signals, exit_status


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_raises_once_as_a_keyboard_interrupt(sig: signal.Signals) -> None:
    steps = []
    with pytest.raises(KeyboardInterrupt) as caught, ending_on_signals():
        os.kill(os.getpid(), sig)
        steps.append("not reached")
    assert steps == []
    assert isinstance(caught.value, SessionInterrupted)
    assert caught.value.signal_name == sig.name and exit_status(caught.value) == 128 + sig
    assert signal.getsignal(signal.SIGTERM) is not None  # handlers restored on exit


def test_a_second_signal_while_finalizing_is_ignored() -> None:
    finalized = []
    with pytest.raises(SessionInterrupted), ending_on_signals():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
        finally:
            os.kill(os.getpid(), signal.SIGHUP)  # the user insists: finalization goes on
            finalized.append(True)
    assert finalized == [True]


def test_deferred_holds_the_signal_until_the_step_is_done() -> None:
    # Another thread (numpy's BLAS workers, SDL) may take a process signal: still held.
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    done = []
    try:
        with pytest.raises(SessionInterrupted), ending_on_signals():
            with deferred():
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(0.05)  # the handler has certainly run by now
                done.append("footer written")
            done.append("not reached: the held signal is raised here")
    finally:
        stop.set()
    assert done == ["footer written"]
