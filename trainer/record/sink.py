"""What the session writes a recording through: the `RecordingWriter`, or anything with the
same methods (the replay verifier compares each message with the recorded one instead of
writing it, trainer/refly/verify.py)."""

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

    def flush(self) -> None: ...

    def close(self, summary: Mapping[str, object] | None = None) -> None: ...
