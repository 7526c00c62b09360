"""What a recording needs to be flown again: its own scenario (the full resolved scenario
in the metadata, never today's file of the same id), its seed and its /input stream
(docs/DESIGN.md §5: a recording used as a pilot replays with its own scenario and seed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.errors import RecordingError, ValidationError
from trainer.input.state import HandControllerState
from trainer.record.schemas import INPUT_TOPIC
from trainer.record.seek import IndexedRecording
from trainer.scenario.loader import scenario_from_json
from trainer.scenario.model import Scenario


@dataclass(frozen=True)
class ReplaySource:
    scenario: Scenario
    seed: int
    pilot: str
    metadata: dict[str, Any]


def scenario_of(path: Path, metadata: dict[str, Any]) -> Scenario:
    """The scenario resolved inside a recording, validated like a scenario file."""
    raw = metadata.get("scenario")
    if not isinstance(raw, dict):
        raise RecordingError(f"recording {path} holds no resolved scenario in its metadata")
    try:
        return scenario_from_json(raw, f"{path} (scenario in the recording)")
    except ValidationError as exc:
        why = exc.one_line() if exc.problems else f"recording {path}: invalid scenario"
        raise RecordingError(why) from None


def replay_source(recording: IndexedRecording) -> ReplaySource:
    """Scenario, seed and pilot of an opened recording (RecordingError when one is missing)."""
    meta = recording.metadata
    seed = meta.get("seed")
    if type(seed) is not int:
        raise RecordingError(f"recording {recording.path} has no integer seed in its metadata")
    return ReplaySource(
        scenario=scenario_of(recording.path, meta),
        seed=seed,
        pilot=str(meta.get("pilot", "unknown")),
        metadata=meta,
    )


# Where an /input message's held part begins: after "tick" and "time_s" (the writer's order),
# and the form those two must have for the rest to be reused without decoding (a damaged
# prefix is decoded, and refused, like any other damaged message).
_AFTER_TIME = b',"thc":'
_PREFIX = re.compile(rb'\{"tick":[0-9]+,"time_s":[0-9][0-9.eE+-]*')


def recorded_inputs(recording: IndexedRecording) -> Iterator[HandControllerState]:
    """The hand-controller state of every recorded control tick, in order, streamed chunk
    by chunk (a verifier reading the same chunks for its comparison finds them in the
    reader's cache). A held input yields the same state object again: its message differs
    from the one before only in the leading ``tick`` and ``time_s`` (the writer puts them
    first), so only a changed remainder is decoded."""
    held: bytes | None = None
    state = HandControllerState()
    for i, (_topic, log_time, data) in enumerate(recording.raw_messages([INPUT_TOPIC])):
        cut = data.find(_AFTER_TIME)
        rest = data[cut:] if cut >= 0 and _PREFIX.fullmatch(data, 0, cut) else None
        if rest is None or rest != held:
            payload = recording.payload(INPUT_TOPIC, data, log_time)
            try:
                state = HandControllerState.from_dict(payload)
            except (ValueError, TypeError) as exc:
                raise RecordingError(
                    f"recording {recording.path}: /input message {i} "
                    f"(t = {log_time / 1e9:.3f} s) is not a hand-controller state ({exc})"
                ) from None
            held = rest
        yield state
