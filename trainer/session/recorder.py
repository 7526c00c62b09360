"""The session's recording (docs/DESIGN.md §7): a listener of the tick that writes every
input, every instructor's action, every event, the state and the /tf frame tree at 10 Hz and once more at the
session's end, and a physics-state checkpoint every simulated second into an MCAP file through
``trainer.record.writer.RecordingWriter``, or into any other `RecordingSink` (the replay
verifier compares each message instead of writing it, trainer/refly/verify.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from trainer.clock import CHECKPOINT_EVERY_TICKS, STATE_EVERY_TICKS
from trainer.control.telemetry import ControlTelemetry
from trainer.input.state import HandControllerState
from trainer.record.instructor import InstructorAction
from trainer.record.sink import RecordingSink
from trainer.record.writer import RecordingWriter
from trainer.session.events import SessionEvent
from trainer.sim.frames import Transform
from trainer.telemetry import Telemetry


def tf_fields(transforms: list[Transform]) -> list[dict[str, Any]]:
    """The frame tree (trainer/sim/frames.py) as foxglove.FrameTransform fields; the writer
    adds each one's timestamp."""
    return [
        {
            "parent_frame_id": parent,
            "child_frame_id": child,
            "translation": {"x": p[0], "y": p[1], "z": p[2]},
            "rotation": {"x": q[0], "y": q[1], "z": q[2], "w": q[3]},
        }
        for parent, child, p, q in transforms
    ]


def open_writer(path: Path, metadata: Mapping[str, object]) -> RecordingWriter:
    return RecordingWriter(path, metadata)


class SessionRecorder:
    """Writes one session. ``checkpoint()`` gives the world's (physics step, state
    digest) when a checkpoint is due."""

    def __init__(
        self,
        writer: RecordingSink,
        checkpoint: Callable[[], tuple[int, str]],
        transforms: Callable[[], list[Transform]],
    ) -> None:
        self.writer = writer
        self._checkpoint = checkpoint
        self._transforms = transforms
        self._input_key: tuple[object, ...] | None = None
        self._input_payload: dict[str, object] = {}
        self._state_tick: int | None = None  # the tick of the last /state written

    def on_input(
        self, tick: int, time_s: float, hc: HandControllerState, control: ControlTelemetry | None
    ) -> None:
        key = (
            (hc, "", "", "")
            if control is None
            else (hc, control.mode.value, control.frame.value, control.rate_scale.value)
        )
        if key != self._input_key:
            # A new payload only when the input changed: the writer reuses the encoding of a
            # held one (sticks are held for many ticks by people and pilots alike).
            self._input_key = key
            self._input_payload = {
                **hc.to_dict(),
                "mode": key[1],
                "frame": key[2],
                "rate_scale": key[3],
            }
        self.writer.write_input(tick, time_s, self._input_payload)

    def on_instruction(self, tick: int, time_s: float, action: InstructorAction) -> None:
        self.writer.write_instructor(tick, time_s, action.record())

    def on_event(self, event: SessionEvent) -> None:
        self.writer.write_event(event.time_s, event.kind, event.detail)
        if event.kind == "pause":
            self.writer.flush()  # simulated time stops: no per-second flush while paused

    def on_tick(self, telemetry: Telemetry) -> None:
        if telemetry.paused:
            return
        if telemetry.tick % STATE_EVERY_TICKS == 0:
            self._write_state(telemetry)
        if telemetry.tick % CHECKPOINT_EVERY_TICKS == 0:
            step, digest = self._checkpoint()
            self.writer.write_checkpoint(telemetry.tick, telemetry.time_s, step, digest)

    def on_end(self, telemetry: Telemetry) -> None:
        """The session has ended: its last state (and frame tree) is written if the 10 Hz
        rate did not already, so a replay or a debrief ends on the state the report
        describes (a capture ends rigid, not 0.1 s earlier, rigidizing)."""
        if telemetry.tick != self._state_tick:
            self._write_state(telemetry)

    def _write_state(self, telemetry: Telemetry) -> None:
        self._state_tick = telemetry.tick
        self.writer.write_state(telemetry.time_s, telemetry.state_record())
        self.writer.write_tf(telemetry.time_s, tf_fields(self._transforms()))

    def close(self, summary: dict[str, Any] | None = None) -> None:
        self.writer.close(summary)
