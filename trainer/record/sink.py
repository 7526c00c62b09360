"""What the session writes a recording through: the `RecordingWriter`, or anything with the
same methods (the replay verifier compares each message with the recorded one instead of
writing it, trainer/refly/verify.py). `TeeSink` hands every message to a second sink
as well: ``fly --live`` streams what is recorded (trainer/live/, docs/DESIGN.md §12)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol


class RecordingSink(Protocol):
    def write_input(self, tick: int, time_s: float, payload: Mapping[str, Any]) -> None: ...

    def write_state(self, time_s: float, payload: Mapping[str, Any]) -> None: ...

    def write_event(
        self, time_s: float, kind: str, payload: Mapping[str, Any] | None = None
    ) -> None: ...

    def write_checkpoint(self, tick: int, time_s: float, step: int, digest: str) -> None: ...

    def write_tf(self, time_s: float, transforms: Sequence[Mapping[str, Any]]) -> None: ...

    def write_instructor(self, tick: int, time_s: float, payload: Mapping[str, Any]) -> None: ...

    def flush(self) -> None: ...

    def close(self, summary: Mapping[str, object] | None = None) -> None: ...


class TeeSink:
    """Writes to ``main`` and hands every message to ``mirror`` too, after ``main``; the
    mirror's ``close`` is not called (its owner outlives the recording)."""

    def __init__(self, main: RecordingSink, mirror: RecordingSink) -> None:
        self.main = main
        self.mirror = mirror

    def write_input(self, tick: int, time_s: float, payload: Mapping[str, Any]) -> None:
        self.main.write_input(tick, time_s, payload)
        self.mirror.write_input(tick, time_s, payload)

    def write_state(self, time_s: float, payload: Mapping[str, Any]) -> None:
        self.main.write_state(time_s, payload)
        self.mirror.write_state(time_s, payload)

    def write_event(
        self, time_s: float, kind: str, payload: Mapping[str, Any] | None = None
    ) -> None:
        self.main.write_event(time_s, kind, payload)
        self.mirror.write_event(time_s, kind, payload)

    def write_checkpoint(self, tick: int, time_s: float, step: int, digest: str) -> None:
        self.main.write_checkpoint(tick, time_s, step, digest)
        self.mirror.write_checkpoint(tick, time_s, step, digest)

    def write_tf(self, time_s: float, transforms: Sequence[Mapping[str, Any]]) -> None:
        self.main.write_tf(time_s, transforms)
        self.mirror.write_tf(time_s, transforms)

    def write_instructor(self, tick: int, time_s: float, payload: Mapping[str, Any]) -> None:
        self.main.write_instructor(tick, time_s, payload)
        self.mirror.write_instructor(tick, time_s, payload)

    def flush(self) -> None:
        self.main.flush()

    def close(self, summary: Mapping[str, object] | None = None) -> None:
        self.main.close(summary)
