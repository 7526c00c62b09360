"""The one loop that flies a recording again (trainer/refly/loop.py): one tick per input
until the session ends or the inputs do; nothing is read after the end."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from trainer.input.state import HandControllerState
from trainer.refly.loop import fly


class _Session:
    """Ends by itself after ``ends_after`` ticks (a capture, a timeout)."""

    def __init__(self, ends_after: int) -> None:
        self.ends_after = ends_after
        self.ticks = 0

    @property
    def finished(self) -> bool:
        return self.ticks >= self.ends_after

    def tick(self, state: HandControllerState) -> None:
        self.ticks += 1


def _inputs(count: int, read: list[int]) -> Iterator[HandControllerState]:
    for i in range(count):
        read.append(i)
        yield HandControllerState()


def test_inputs_that_run_out_first_leave_the_session_to_the_caller() -> None:
    session: Any = _Session(ends_after=100)
    read: list[int] = []
    assert fly(session, _inputs(10, read)) is True
    assert session.ticks == 10 and not session.finished


def test_a_session_that_ends_first_reads_no_further_input() -> None:
    session: Any = _Session(ends_after=4)
    read: list[int] = []
    assert fly(session, _inputs(10, read)) is False
    assert session.ticks == 4 and read == [0, 1, 2, 3], "no input read (nor checked) after the end"


def test_the_last_input_ending_the_session_is_not_running_out() -> None:
    session: Any = _Session(ends_after=5)
    assert fly(session, _inputs(5, [])) is False
