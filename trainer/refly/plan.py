"""How ``grade --pilot RECORDING`` flies a recording (docs/DESIGN.md §5): its /input stream
read and checked whole before anything flies, by the check ``replay --verify``, ``report``
and the viewer use (trainer/record/inputs.py: every message exactly as the schema says,
ticks in order), and its metadata by the same decoder (trainer/record/decode.py); then
flown by the one loop (trainer/refly/loop.py) on the scenario, seed and pybullet build it
was flown with. Another scenario or seed given explicitly is refused unless
``--allow-mismatch``; the plan collects the notices the report must show first.

A recording is handed over by instructors, and may come from a crash, a newer trainer or
another tool: nothing in it is trusted, and the first bad message refuses the whole
recording, naming the tick and the field, because replaying a corrected guess of it would
grade a session that never happened. A damaged chunk refuses it too: only a recording cut
off by a crash (``IndexedRecording.notice``: the file ends early, every chunk on disk
whole) is flown up to the cut, and the notice travels with it so that the report can say
so. A recording with no /input message at all has nothing to fly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

from trainer.errors import RecordingError, TrainerError
from trainer.record.decode import checked_metadata
from trainer.record.inputs import InputCheck, TickFeed, recorded_inputs
from trainer.record.seek import open_recording
from trainer.scenario.loader import scenario_from_json
from trainer.scenario.model import Scenario


@dataclass(frozen=True)
class RecordedInputs:
    """A recording's checked /input stream and what ``grade`` needs to know of it."""

    path: Path
    states: list[TickFeed]  # an instructor's actions with their tick's state
    metadata: dict[str, Any]
    notice: str | None  # why the recording ends early, None when it is whole
    last_input_time_s: float

    @property
    def pilot_name(self) -> str:
        """The report's ``pilot`` (docs/DESIGN.md §5)."""
        return f"recording:{self.path.name}"


def load_inputs(path: Path) -> RecordedInputs:
    """Read and check a recording's inputs (RecordingError names what is wrong)."""
    with open_recording(path) as recording:
        checked_metadata(recording.path, recording.metadata)
        check = InputCheck(recording.path)
        states = list(recorded_inputs(recording, check))
        if not states:
            where = f"; {recording.notice}" if recording.notice else ""
            raise RecordingError(
                f"recording {path} has no /input messages: nothing to replay{where}"
            )
        return RecordedInputs(
            path=Path(path),
            states=states,
            metadata=dict(recording.metadata),
            notice=recording.notice,
            last_input_time_s=check.last_time_s,
        )


@dataclass(frozen=True)
class ReflyPlan:
    """How a recording is graded: on which scenario and seed, with which notices."""

    inputs: RecordedInputs
    scenario: Scenario
    seed: int
    notices: list[str] = field(default_factory=list)


def _pybullet_version() -> str:
    try:
        return importlib_metadata.version("pybullet")
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


def _recorded_seed(inputs: RecordedInputs) -> int:
    return checked_metadata(inputs.path, inputs.metadata)[1]


def plan_refly(
    path: Path, scenario: Scenario | None, seeds: Sequence[int] | None, allow_mismatch: bool
) -> ReflyPlan:
    """Grade a recording with its own resolved scenario and seed (``scenario`` None: no
    scenario was named, as in ``grade --pilot RECORDING`` without one and a campaign of
    recordings). Another scenario or seed given explicitly is refused, unless
    ``allow_mismatch`` (then the report says so)."""
    inputs = load_inputs(path)
    recorded_id = inputs.metadata.get("scenario_id")
    recorded_seed = _recorded_seed(inputs)
    notices: list[str] = []
    if inputs.notice is not None:
        notices.append(
            f"The recording is incomplete: {inputs.notice}. It was replayed and graded only "
            f"up to the cut (t = {inputs.last_input_time_s:.1f} s)."
        )
    recorded_build = inputs.metadata.get("pybullet_version")
    build = _pybullet_version()
    if recorded_build != build:
        notices.append(
            f"The recording was made with pybullet {recorded_build} and replayed with "
            f"{build}: the physics may differ, and so may the grade."
        )
    if scenario is not None and recorded_id != scenario.id:
        if not allow_mismatch:
            raise TrainerError(
                f"--pilot {path}: the recording was flown on scenario {recorded_id!r}, not "
                f"{scenario.id!r}; grade it as `grade {recorded_id} --pilot {path}`, or add "
                "--allow-mismatch to replay its inputs on another scenario"
            )
        notices.append(
            f"Inputs recorded on scenario {recorded_id!r} were replayed on {scenario.id!r} "
            "(--allow-mismatch): this is not the session that was flown."
        )
        use = scenario
    else:
        try:
            use = scenario_from_json(inputs.metadata.get("scenario"), f"recording {path}: scenario")
        except TrainerError as exc:
            raise TrainerError(f"{exc} (the scenario stored in the recording)") from None
        if scenario is not None and dict(use.raw) != dict(scenario.raw):
            notices.append(
                f"Scenario {scenario.id!r} has changed since this recording was made; the "
                f"recording's own copy (version {use.version}) was used."
            )
    seed_list = [recorded_seed] if seeds is None else list(seeds)
    if seed_list != [recorded_seed]:
        if not allow_mismatch:
            raise TrainerError(
                f"--pilot {path}: the recording was flown with seed {recorded_seed}, not "
                f"{', '.join(str(s) for s in seed_list[:3])}{'...' if len(seed_list) > 3 else ''}; "
                "leave out --seed, or add --allow-mismatch"
            )
        if len(seed_list) != 1:
            raise TrainerError(f"--pilot {path}: a recording replays one session; give one --seed")
        notices.append(
            f"The recording was flown with seed {recorded_seed} and replayed with seed "
            f"{seed_list[0]} (--allow-mismatch): the vehicle did not start where the pilot saw it."
        )
    return ReflyPlan(inputs, use, seed_list[0], notices)
