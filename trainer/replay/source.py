"""What a recording needs to be flown again: its own scenario (the full resolved scenario
in the metadata, never today's file of the same id), its seed and its /input stream
(docs/DESIGN.md §5: a recording used as a pilot replays with its own scenario and seed).
Its metadata is checked before any use (``checked_metadata``), its /input stream by the one
check every command shares (trainer/record/inputs.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.errors import RecordingError, ValidationError
from trainer.input.state import HandControllerState
from trainer.record.inputs import InputCheck
from trainer.record.schemas import INPUT_TOPIC
from trainer.record.seek import IndexedRecording
from trainer.scenario.defaults import SEED_MAX
from trainer.scenario.loader import MAX_DEPTH, MAX_VALUES, scenario_from_json
from trainer.scenario.model import Scenario
from trainer.text import terminal_text

# A resolved scenario is bounded like a scenario file (trainer/scenario/loader.py), and so
# before anything walks it: a deeply nested one in a recording's metadata would otherwise
# be a RecursionError in every command that reads it.
SCENARIO_MAX_DEPTH = MAX_DEPTH
SCENARIO_MAX_VALUES = MAX_VALUES


@dataclass(frozen=True)
class ReplaySource:
    scenario: Scenario
    seed: int
    pilot: str
    metadata: dict[str, Any]


def json_shape_problem(value: object, max_depth: int, max_values: int) -> str | None:
    """Why ``value`` (decoded JSON) is deeper or larger than the bounds, or None; walked
    without recursion."""
    stack: list[tuple[object, int]] = [(value, 1)]
    count = 0
    while stack:
        item, depth = stack.pop()
        count += 1
        if count > max_values:
            return f"holds more than {max_values:,} values"
        if depth > max_depth:
            return f"is nested more than {max_depth} levels deep"
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return None


def checked_metadata(path: Path, metadata: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The resolved scenario (as stored) and the seed of a recording's metadata, checked
    before any use: a seed from 0 to 2**32 - 1, a scenario that is a mapping within the
    scenario file bounds. RecordingError (one line) otherwise."""
    seed = metadata.get("seed")
    if type(seed) is not int or not 0 <= seed <= SEED_MAX:
        raise RecordingError(
            f"recording {path}: its metadata's seed must be an integer from 0 to {SEED_MAX}, "
            f"got {terminal_text(repr(seed), 40)}"
        )
    raw = metadata.get("scenario")
    if not isinstance(raw, dict):
        raise RecordingError(f"recording {path} holds no resolved scenario in its metadata")
    problem = json_shape_problem(raw, SCENARIO_MAX_DEPTH, SCENARIO_MAX_VALUES)
    if problem is not None:
        raise RecordingError(f"recording {path}: the scenario in its metadata {problem}")
    return raw, seed


def scenario_of(path: Path, metadata: dict[str, Any]) -> Scenario:
    """The scenario resolved inside a recording, validated like a scenario file."""
    raw, _seed = checked_metadata(path, metadata)
    try:
        return scenario_from_json(raw, f"{path} (scenario in the recording)")
    except ValidationError as exc:
        why = exc.one_line() if exc.problems else f"recording {path}: invalid scenario"
        raise RecordingError(why) from None


def replay_source(recording: IndexedRecording) -> ReplaySource:
    """Scenario, seed and pilot of an opened recording (RecordingError when one is missing
    or out of bounds)."""
    meta = recording.metadata
    _raw, seed = checked_metadata(recording.path, meta)
    return ReplaySource(
        scenario=scenario_of(recording.path, meta),
        seed=seed,
        pilot=terminal_text(str(meta.get("pilot", "unknown")), 200),
        metadata=meta,
    )


def recorded_inputs(
    recording: IndexedRecording, check: InputCheck | None = None
) -> Iterator[HandControllerState]:
    """The hand-controller state of every recorded control tick, in order, streamed chunk
    by chunk (a verifier reading the same chunks for its comparison finds them in the
    reader's cache), each message checked by the one /input check (trainer/record/
    inputs.py); a held input yields the same state object again."""
    check = check if check is not None else InputCheck(recording.path)
    for _topic, log_time, data in recording.raw_messages([INPUT_TOPIC]):
        yield check.check(data, log_time)


def checked_input_stream(recording: IndexedRecording) -> InputCheck:
    """Every /input message of a recording checked (RecordingError at the first bad one);
    the check holds their count, last time and digest. What ``report`` and the viewer run
    before they use a recording, as ``grade --pilot`` and ``--verify`` do as they replay."""
    check = InputCheck(recording.path)
    for _state in recorded_inputs(recording, check):
        pass
    return check
