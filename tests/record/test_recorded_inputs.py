"""The recorded inputs a replay flies (trainer/record/inputs.py): a held input is not
decoded again, but a damaged message is never taken for a held one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from trainer.errors import RecordingError
from trainer.record.inputs import recorded_inputs
from trainer.record.writer import InputEncoder

HELD = {"thc": [0.5, 0.0, 0.0], "rhc": [0.0, 0.0, 0.0], "buttons": [], "connected": True,
        "mode": "cartesian", "frame": "base", "rate_scale": "coarse"}  # fmt: skip


class _Recording:
    """The two things ``recorded_inputs`` reads of a recording, over given /input bytes."""

    path = Path("fake.mcap")

    def __init__(self, messages: list[bytes]) -> None:
        self._messages = messages

    def raw_messages(self, topics: Any) -> list[tuple[str, int, bytes]]:
        return [("/input", i * 16_666_667, data) for i, data in enumerate(self._messages)]

    def payload(self, topic: str, data: bytes, log_time_ns: int) -> dict[str, Any]:
        try:
            value = orjson.loads(data)
        except ValueError:
            raise RecordingError("a message is not a JSON object") from None
        assert isinstance(value, dict)
        return value


def _ticks(n: int) -> list[bytes]:
    encoder = InputEncoder()
    return [encoder.encode(tick, tick / 60.0, HELD) for tick in range(n)]


def test_a_held_input_is_the_same_state_each_tick() -> None:
    states = list(recorded_inputs(_Recording(_ticks(5))))  # type: ignore[arg-type]
    assert len(states) == 5 and all(s is states[0] for s in states)
    assert states[0].thc == (0.5, 0.0, 0.0)


def test_a_damaged_tick_in_a_held_input_is_refused() -> None:
    messages = _ticks(5)
    messages[3] = messages[3].replace(b'"tick":3,', b'"tick":3x,', 1)  # the rest is as held
    with pytest.raises(RecordingError, match="not a JSON object"):
        list(recorded_inputs(_Recording(messages)))  # type: ignore[arg-type]
