"""A recording as a pilot (``grade --pilot FILE.mcap``): its /input stream read and checked
before the replay starts, by the same check ``replay --verify``, ``report`` and the viewer
use (trainer/record/inputs.py: every message exactly as the schema says, ticks in order),
and its metadata by the same check of seed and scenario (trainer/replay/source.py).

A recording is handed over by instructors, and may come from a crash, a newer trainer or
another tool: nothing in it is trusted, and the first bad message refuses the whole
recording, naming the tick and the field, because replaying a corrected guess of it would
grade a session that never happened. A damaged chunk refuses it too: only a recording cut
off by a crash (``IndexedRecording.notice``: the file ends early, every chunk on disk
whole) is replayed up to the cut, and the notice travels with the replay so that the
report can say so. A recording with no /input message at all has nothing to replay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.errors import RecordingError
from trainer.input.state import HandControllerState
from trainer.record.inputs import InputCheck
from trainer.record.seek import open_recording
from trainer.replay.source import checked_metadata, recorded_inputs


@dataclass(frozen=True)
class Replay:
    """What a checked recording offers a replay."""

    path: Path
    states: list[HandControllerState]
    metadata: dict[str, Any]
    notice: str | None  # why the recording ends early, None when it is whole
    complete: bool
    last_input_time_s: float
    events: list[dict[str, Any]] = field(default_factory=list)


def load_replay(path: Path) -> Replay:
    """Read and check a recording for replay (RecordingError names what is wrong)."""
    with open_recording(path) as recording:
        checked_metadata(recording.path, recording.metadata)
        check = InputCheck(recording.path)
        states = list(recorded_inputs(recording, check))
        if not states:
            where = f"; {recording.notice}" if recording.notice else ""
            raise RecordingError(
                f"recording {path} has no /input messages: nothing to replay{where}"
            )
        return Replay(
            path=Path(path),
            states=states,
            metadata=dict(recording.metadata),
            notice=recording.notice,
            complete=recording.complete,
            last_input_time_s=check.last_time_s,
            events=recording.events(),
        )
