"""Planning how a recording pilot is graded (``grade --pilot FILE.mcap``): the recording
knows the scenario, the seed and the pybullet build it was flown with; the plan replays it on
those, refuses another scenario or seed given explicitly unless ``--allow-mismatch``, and
collects the notices the report must show first (docs/DESIGN.md §5)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path

from trainer.errors import TrainerError
from trainer.pilots.replay import Replay, load_replay
from trainer.replay.source import checked_metadata
from trainer.scenario.loader import scenario_from_json
from trainer.scenario.model import Scenario


@dataclass(frozen=True)
class ReplayPlan:
    """How a recording pilot is graded: on which scenario and seed, with which notices."""

    replay: Replay
    scenario: Scenario
    seed: int
    notices: list[str] = field(default_factory=list)


def _pybullet_version() -> str:
    try:
        return importlib_metadata.version("pybullet")
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


def _recorded_seed(replay: Replay) -> int:
    return checked_metadata(replay.path, replay.metadata)[1]


def plan_replay(
    path: Path, scenario: Scenario, seeds: Sequence[int] | None, allow_mismatch: bool
) -> ReplayPlan:
    """Grade a recording with its own resolved scenario and seed. Another scenario or seed
    given explicitly is refused, unless ``allow_mismatch`` (then the report says so)."""
    replay = load_replay(path)
    recorded_id = replay.metadata.get("scenario_id")
    recorded_seed = _recorded_seed(replay)
    notices: list[str] = []
    if replay.notice is not None:
        notices.append(
            f"The recording is incomplete: {replay.notice}. It was replayed and graded only "
            f"up to the cut (t = {replay.last_input_time_s:.1f} s)."
        )
    recorded_build = replay.metadata.get("pybullet_version")
    build = _pybullet_version()
    if recorded_build != build:
        notices.append(
            f"The recording was made with pybullet {recorded_build} and replayed with "
            f"{build}: the physics may differ, and so may the grade."
        )
    use = scenario
    if recorded_id != scenario.id:
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
    else:
        try:
            use = scenario_from_json(replay.metadata.get("scenario"), f"recording {path}: scenario")
        except TrainerError as exc:
            raise TrainerError(f"{exc} (the scenario stored in the recording)") from None
        if dict(use.raw) != dict(scenario.raw):
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
    return ReplayPlan(replay, use, seed_list[0], notices)
