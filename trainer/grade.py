"""Headless grading (docs/DESIGN.md §5 ``grade``): run a scenario with a scripted pilot, or
fly a recording's inputs again (``--pilot RECORDING``, trainer/refly/plan.py), and write
``report.json``, ``report.md`` and ``session.mcap`` into the output folder
(trainer/session/reports.py). Every session is flown by the one loop that flies a
recording again (trainer/refly/loop.py), through ``run_graded`` (trainer/graded.py).
Several seeds, or a folder or glob of recordings, are a campaign (docs/DESIGN.md §12),
handed to trainer/campaign/command.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from trainer.campaign.executors import ExecutorChoice
from trainer.errors import OutputError, TrainerError
from trainer.graded import GradeResult, add_to_history, print_table, run_graded
from trainer.pilots import Pilot, make_pilot
from trainer.refly.plan import RecordedInputs, ReflyPlan, plan_refly
from trainer.safeio import FolderLock, check_output_folder, make_folder
from trainer.scenario.defaults import SEED_MAX
from trainer.scenario.loader import load_scenario
from trainer.scenario.model import Scenario
from trainer.session.reports import SESSION_OUTPUTS

OUTPUT_NAMES = SESSION_OUTPUTS
DEFAULT_SEED = 7
# ``--seeds A..B``: each seed is a whole session (seconds of CPU each), so a range longer
# than this is a typo, not a plan (10,000 seeds are hours of grading already).
MAX_SEEDS = 10_000


def parse_seeds(text: str) -> range:
    """``7`` or ``A..B`` (inclusive), as a lazy range of at most MAX_SEEDS seeds."""
    try:
        if ".." in text:
            a, b = text.split("..", 1)
            lo, hi = int(a), int(b)
        else:
            lo = hi = int(text)
    except ValueError:
        raise TrainerError(f"--seeds: expected N or A..B, got {text!r}") from None
    if lo < 0 or hi > SEED_MAX:
        raise TrainerError(f"--seeds: seeds are integers from 0 to {SEED_MAX}, got {text!r}")
    if hi < lo:
        raise TrainerError(f"--seeds: expected A..B with A <= B, got {text!r}")
    count = hi - lo + 1
    if count > MAX_SEEDS:
        raise TrainerError(
            f"--seeds {text}: {count:,} seeds is more than the {MAX_SEEDS:,} one command "
            "grades (each is a whole session); split the range"
        )
    return range(lo, hi + 1)


def _is_recording(pilot: str) -> bool:
    return pilot not in ("none", "autopilot")


def _check_pilot_path(pilot: str) -> Path:
    path = Path(pilot)
    if not path.exists():
        raise TrainerError(
            f"--pilot {pilot}: not a pilot (none, autopilot) and no such recording file"
        )
    return path


def run_grade_command(
    scenario_ref: str | None,
    pilot: str,
    seeds: Sequence[int] | None,
    out: Path,
    *,
    jobs: int | None = None,
    executor: ExecutorChoice | None = None,
    allow_mismatch: bool = False,
    trainee: str | None = None,
    history: bool = True,
) -> int:
    """``grade``: every input checked (scenario, pilot, seeds, output folder) before the
    first session starts, so a bad one costs nothing and writes nothing. Several seeds, or
    a folder or glob of recordings, are a campaign (trainer/campaign/command.py) on
    ``executor`` with ``jobs`` at a time; the results do not depend on either."""
    if jobs is not None and jobs < 1:
        raise TrainerError(f"--jobs: expected a number of jobs >= 1, got {jobs}")
    from trainer.campaign.command import CampaignRequest, run_campaign_command
    from trainer.campaign.executors import parse_executor
    from trainer.campaign.work import is_recording_set

    many_recordings = _is_recording(pilot) and is_recording_set(pilot)
    if scenario_ref is None and not _is_recording(pilot):
        raise TrainerError(
            "a scenario is needed (an id from `list` or a YAML file), unless --pilot names "
            "recordings"
        )
    scenario = load_scenario(scenario_ref) if scenario_ref is not None else None
    campaign = CampaignRequest(
        scenario,
        pilot,
        None,
        out,
        executor or parse_executor("local"),
        jobs,
        allow_mismatch,
        trainee,
        history,
    )
    if many_recordings:
        if seeds is not None:
            raise TrainerError(
                f"--pilot {pilot}: recordings are graded with their own seeds; leave out "
                "--seed and --seeds"
            )
        return run_campaign_command(campaign)
    plan: ReflyPlan | None = None
    if _is_recording(pilot):
        path = _check_pilot_path(pilot)
        plan = plan_refly(path, scenario, seeds, allow_mismatch)  # None: the recording's own
        seeds = [plan.seed]
        scenario = plan.scenario
    elif seeds is None:
        seeds = [DEFAULT_SEED]
    if len(seeds) > 1:
        return run_campaign_command(replace(campaign, seeds=seeds))
    if scenario is None:  # not reached: a scenario or a recording's own was loaded above
        raise TrainerError("a scenario is needed")
    (seed,) = seeds
    check_output_folder(out, OUTPUT_NAMES)
    if plan is not None:
        target = out / "session.mcap"
        if target.exists() and os.path.samefile(target, plan.inputs.path):
            raise OutputError(
                f"--out {out}: would overwrite the recording being replayed ({plan.inputs.path})"
            )
    make_folder(out, "--out")

    def deliver(result: GradeResult) -> None:
        if history:
            add_to_history(result, trainee)

    # One run per output folder for the whole command (docs/DESIGN.md §5): a second one is
    # refused at once, naming this one.
    with FolderLock(out, "--out"):
        result = _grade_one(scenario, pilot, plan, seed, out, deliver)
    print_table([(seed, result)], out, False, 1)
    return 0


def _grade_one(
    scenario: Scenario,
    pilot: str,
    plan: ReflyPlan | None,
    seed: int,
    target_dir: Path,
    deliver: Callable[[GradeResult], None],
) -> GradeResult:
    """One seed: the recording's inputs flown again, or a scripted pilot."""
    flyer: Pilot | RecordedInputs
    if plan is not None:
        flyer, name = plan.inputs, plan.inputs.pilot_name
    else:
        flyer, name = make_pilot(pilot, scenario), pilot
    notices = plan.notices if plan is not None else ()
    return run_graded(scenario, seed, flyer, name, target_dir, notices=notices, deliver=deliver)
