"""A whole recording read into lists through the seeking reader (trainer/record/seek.py),
for the tests that compare everything a session recorded. The trainer itself streams a
recording chunk by chunk; a test's recordings are short."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.record.schemas import CHECKPOINT_TOPIC, INPUT_TOPIC, STATE_TOPIC
from trainer.record.seek import open_recording


@dataclass(frozen=True)
class Whole:
    path: Path
    metadata: dict[str, Any]
    summary: dict[str, Any] | None
    complete: bool
    notice: str | None
    end_time_s: float
    inputs: list[dict[str, Any]]  # /input messages as written
    states: list[dict[str, Any]]  # /state messages
    events: list[dict[str, Any]]  # /events, decoded (IndexedRecording.events)
    checkpoints: list[dict[str, Any]]

    @property
    def message_count(self) -> int:
        return len(self.inputs) + len(self.states) + len(self.events) + len(self.checkpoints)


def read_whole(path: Path | str) -> Whole:
    """Everything ``path`` holds (RecordingError as ``open_recording`` or a damaged chunk)."""
    with open_recording(path) as rec:
        by_topic: dict[str, list[dict[str, Any]]] = {INPUT_TOPIC: [], STATE_TOPIC: []}
        for message in rec.messages(by_topic):
            by_topic[message.topic].append(message.payload)
        return Whole(
            path=rec.path,
            metadata=rec.metadata,
            summary=rec.summary,
            complete=rec.complete,
            notice=rec.notice,
            end_time_s=rec.end_time_s,
            inputs=by_topic[INPUT_TOPIC],
            states=by_topic[STATE_TOPIC],
            events=rec.events(),
            checkpoints=[m.payload for m in rec.messages([CHECKPOINT_TOPIC])],
        )
