"""``replay RECORDING --verify``: fly a recording again and prove it is what happened
(docs/DESIGN.md §5, §7; docs/STYLE.md §10).

The session is rebuilt from the scenario resolved inside the recording and its seed, and
flown by the recorded /input stream, tick for tick, through the same ``Session`` a trainee
uses. Instead of writing a file, the session hands each message to a `VerifyingSink`,
which compares it with the next message of the recording (read chunk by chunk with the
seeking reader): same channel, and the same JSON after the writer's encoding, every float
bit for bit. The first difference stops the replay and is reported with its tick, its
simulation time, the quantity (a path such as ``joints.angles_rad[3]``) and both values.

Every channel is compared (/input's mode and frame come from the control layer, /state
and /tf from the physics, /events from capture and scoring, /instructor from the
instructor's actions of a live session, fed back at the ticks they were applied before:
trainer/refly/loop.py); the /checkpoint digests hash
the full physics state once per simulated second, so a difference that the 10 Hz
telemetry rounds away still shows there.

The session is flown by the one loop that flies a recording again (trainer/refly/loop.py).
A session the trainee ended (quit) has no input that says so: when the recorded inputs run
out before the replayed session ends, it is stopped with the recorded end reason, as the
trainee stopped it. A recording cut off by a crash is verified up to its cut.

After a divergence the recording is flown again to its end and its report compared with
the recorded one (trainer/refly/verdict.py): an instructor can tell "another machine,
the same result" from "these inputs do not produce this recording". The fingerprint of
the machine that made the recording is compared with this one's (trainer/fingerprint.py,
docs/DESIGN.md §10).

| `VerifyResult` | meaning                                                               |
|----------------|-----------------------------------------------------------------------|
| reproduced     | True when every recorded message was reproduced                       |
| divergence     | the first `Divergence`, or None                                       |
| result         | after a divergence, the replayed result against the recorded one      |
| environment    | how the recording's machine differs from this one (lines; empty: same) |
| messages, checkpoints | how many messages and checkpoints were compared                |
| sim_time_s, wall_time_s | simulated and elapsed time of the replay                     |
| notice         | the seeking reader's notice (cut-off recording), or None               |
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.errors import RecordingError, TrainerError
from trainer.record.decode import recording_info
from trainer.record.inputs import recorded_inputs
from trainer.record.schemas import (
    CHECKPOINT_TOPIC,
    EVENTS_TOPIC,
    INPUT_TOPIC,
    INSTRUCTOR_TOPIC,
    STATE_TOPIC,
    TF_TOPIC,
)
from trainer.record.seek import IndexedRecording, RecordedMessage, open_recording
from trainer.record.writer import (
    InputEncoder,
    encode_json_bytes,
    instructor_message,
    tf_message,
)
from trainer.refly.loop import fly, fly_again, recorded_end_reason
from trainer.refly.verdict import (
    ResultComparison,
    compare_results,
    environment_lines,
    recorded_result,
)
from trainer.session import Session

TOPICS = (INPUT_TOPIC, STATE_TOPIC, EVENTS_TOPIC, CHECKPOINT_TOPIC, TF_TOPIC, INSTRUCTOR_TOPIC)


@dataclass(frozen=True)
class Divergence:
    """The first message the replay did not reproduce."""

    tick: int
    time_s: float
    channel: str
    quantity: str
    recorded: object
    replayed: object

    def sentence(self) -> str:
        return (
            f"diverged at tick {self.tick} (t = {self.time_s:.3f} s) on {self.channel}: "
            f"{self.quantity} recorded {_show(self.recorded)}, replayed {_show(self.replayed)}"
        )


@dataclass(frozen=True)
class VerifyResult:
    path: Path
    reproduced: bool
    divergence: Divergence | None
    messages: int
    checkpoints: int
    sim_time_s: float
    wall_time_s: float
    notice: str | None
    result: ResultComparison | None = None
    environment: tuple[str, ...] = ()


def _show(value: object) -> str:
    if isinstance(value, float):
        return repr(value)
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def first_difference(
    recorded: object, replayed: object, path: str = ""
) -> tuple[str, object, object] | None:
    """The first place two JSON values differ: (path, recorded, replayed), or None."""
    if isinstance(recorded, dict) and isinstance(replayed, dict):
        for key in list(recorded) + [k for k in replayed if k not in recorded]:
            where = f"{path}.{key}" if path else str(key)
            if key not in recorded:
                return where, "(absent)", replayed[key]
            if key not in replayed:
                return where, recorded[key], "(absent)"
            found = first_difference(recorded[key], replayed[key], where)
            if found is not None:
                return found
        return None
    if isinstance(recorded, list) and isinstance(replayed, list):
        for i, (a, b) in enumerate(zip(recorded, replayed, strict=False)):
            found = first_difference(a, b, f"{path}[{i}]")
            if found is not None:
                return found
        if len(recorded) != len(replayed):
            return f"{path} length", len(recorded), len(replayed)
        return None
    if type(recorded) is not type(replayed) or recorded != replayed:
        return path or "(message)", recorded, replayed
    return None


class _CutReachedError(Exception):
    """The replay reached the end of a recording cut off by a crash."""


class _DivergedError(Exception):
    def __init__(self, divergence: Divergence) -> None:
        super().__init__(divergence.sentence())
        self.divergence = divergence


class VerifyingSink:
    """Stands in for the recording writer: each message the replayed session writes is
    compared with the next one of the recording (see the module docstring)."""

    def __init__(self, recording: IndexedRecording, tick_of: Callable[[], int]) -> None:
        self._recording = recording
        self._recorded = recording.raw_messages(TOPICS)
        self._tick_of = tick_of
        self.messages = 0
        self.checkpoints = 0
        self._input = InputEncoder()  # the writer's own encoding of /input

    def next_recorded(self) -> RecordedMessage | None:
        raw = next(self._recorded, None)
        if raw is None:
            return None
        return RecordedMessage(raw[0], raw[1], self._recording.payload(raw[0], raw[2], raw[1]))

    def _compare(self, channel: str, time_s: float, message: Mapping[str, Any]) -> None:
        self._compare_bytes(channel, time_s, encode_json_bytes(message))

    def _compare_bytes(self, channel: str, time_s: float, data: bytes) -> None:
        """``data``: exactly what the writer would store."""
        raw = next(self._recorded, None)
        if raw is not None and raw[0] == channel and raw[2] == data:
            # the common case: the same bytes (cheap; decoding only to explain a difference)
            self.messages += 1
            if channel == CHECKPOINT_TOPIC:
                self.checkpoints += 1
            return
        replayed = json.loads(data)
        recorded = (
            None
            if raw is None
            else RecordedMessage(raw[0], raw[1], self._recording.payload(raw[0], raw[2], raw[1]))
        )
        tick = self._tick_of()
        if recorded is None and not self._recording.complete:
            raise _CutReachedError  # a crashed session: everything up to its cut matched
        if recorded is None:
            raise _DivergedError(
                Divergence(tick, time_s, channel, "message", "(recording ends)", _summary(replayed))
            )
        if recorded.topic != channel:
            raise _DivergedError(
                Divergence(
                    tick,
                    time_s,
                    channel,
                    "next message",
                    f"{recorded.topic} {_summary(recorded.payload)}",
                    f"{channel} {_summary(replayed)}",
                )
            )
        found = first_difference(recorded.payload, replayed)
        if found is not None:
            quantity, a, b = found
            if channel == CHECKPOINT_TOPIC and quantity == "digest":
                quantity = "physics state digest"
            raise _DivergedError(Divergence(tick, time_s, channel, quantity, a, b))
        self.messages += 1
        if channel == CHECKPOINT_TOPIC:
            self.checkpoints += 1

    def write_input(self, tick: int, time_s: float, payload: Mapping[str, Any]) -> None:
        self._compare_bytes(INPUT_TOPIC, time_s, self._input.encode(tick, time_s, payload))

    def write_state(self, time_s: float, payload: Mapping[str, Any]) -> None:
        self._compare(STATE_TOPIC, time_s, {"time_s": time_s, **payload})

    def write_event(
        self, time_s: float, kind: str, payload: Mapping[str, Any] | None = None
    ) -> None:
        self._compare(EVENTS_TOPIC, time_s, {"time_s": time_s, "kind": kind, **(payload or {})})

    def write_checkpoint(self, tick: int, time_s: float, step: int, digest: str) -> None:
        message = {"tick": tick, "time_s": time_s, "step": step, "digest": digest}
        self._compare(CHECKPOINT_TOPIC, time_s, message)

    def write_tf(self, time_s: float, transforms: Sequence[Mapping[str, Any]]) -> None:
        self._compare(TF_TOPIC, time_s, tf_message(time_s, transforms))

    def write_instructor(self, tick: int, time_s: float, payload: Mapping[str, Any]) -> None:
        self._compare(INSTRUCTOR_TOPIC, time_s, instructor_message(tick, time_s, payload))

    def flush(self) -> None:
        pass

    def close(self, summary: Mapping[str, object] | None = None) -> None:
        pass


def _summary(payload: Mapping[str, Any]) -> str:
    if "kind" in payload:
        return f"event {payload['kind']!r} at t = {payload.get('time_s', 0.0):.3f} s"
    return f"at t = {float(payload.get('time_s', 0.0) or 0.0):.3f} s"


def verify_recording(path: Path | str) -> VerifyResult:
    """Re-simulate ``path`` and compare (see the module docstring). Raises RecordingError
    for a file that is not a readable recording."""
    with open_recording(path) as recording:
        info = recording_info(recording.path, recording.metadata)
        end_reason = recorded_end_reason(recording)
        session: Session | None = None
        sink = VerifyingSink(recording, lambda: session.tick_count if session is not None else 0)
        divergence: Divergence | None = None
        t0 = time.perf_counter()
        try:
            # the constructor already writes: the timeline's events at t = 0
            session = Session(info.scenario, info.seed, pilot=info.pilot, recording_sink=sink)
            # the one loop (trainer/refly/loop.py); a cut-off recording is verified up to
            # its cut, a whole one whose inputs end is stopped as its session was
            if fly(session, recorded_inputs(recording)) and end_reason is not None:
                session.stop(end_reason)
            if divergence is None:
                leftover = sink.next_recorded()
                if leftover is not None and recording.complete:
                    divergence = Divergence(
                        session.tick_count,
                        session.time_s,
                        leftover.topic,
                        "message",
                        f"{leftover.topic} {_summary(leftover.payload)}",
                        f"(the replayed session ended at t = {session.time_s:.3f} s)",
                    )
        except _DivergedError as exc:
            divergence = exc.divergence
        except _CutReachedError:
            pass
        finally:
            wall = time.perf_counter() - t0
            if session is not None:
                session.close()
        comparison: ResultComparison | None = None
        environment = recording.metadata.get("environment")
        if divergence is not None:
            recorded = recorded_result(recording.summary, recording.events())
            comparison = compare_results(recorded, fly_again(recording))
        elif environment is None:
            environment = {}  # reproduced: where it was made no longer matters
        return VerifyResult(
            path=Path(path),
            reproduced=divergence is None,
            divergence=divergence,
            messages=sink.messages,
            checkpoints=sink.checkpoints,
            sim_time_s=session.time_s if session is not None else 0.0,
            wall_time_s=wall,
            notice=recording.notice,
            result=comparison,
            environment=tuple(environment_lines(environment) if environment != {} else ()),
        )


def run_verify_command(path: Path) -> int:
    """Print the verdict; 0 reproduced, 1 diverged (docs/DESIGN.md §5)."""
    try:
        result = verify_recording(path)
    except RecordingError:
        raise
    except TrainerError as exc:  # e.g. the scenario inside cannot be rebuilt
        raise RecordingError(f"recording {path}: {exc}") from None
    if result.notice:
        print(f"note: {result.notice}", file=sys.stderr)
    speed = result.sim_time_s / max(result.wall_time_s, 1e-9)
    if result.divergence is not None:
        print(f"{path}: {result.divergence.sentence()}")
        print(
            f"{result.messages:,} messages and {result.checkpoints} checkpoints matched before it"
        )
        if result.result is not None:
            print(result.result.sentence())
        for line in result.environment:
            print(line)
        return 1
    cut = " (up to where the recording was cut off)" if result.notice else ""
    print(
        f"{path}: reproduced{cut}: {result.sim_time_s:.1f} s of simulation, "
        f"{result.checkpoints} checkpoints and {result.messages:,} messages identical, "
        f"replayed at {speed:.0f}x real time"
    )
    for line in result.environment:
        print(line)
    return 0
