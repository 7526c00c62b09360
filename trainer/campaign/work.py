"""What a campaign grades (docs/DESIGN.md §12): seeds of one scenario, or recordings found by
a folder or a glob, turned lazily into jobs (trainer/campaign/jobs.py) in their output
order, so that the driver plans a recording only when it is about to be sent and never
holds every recording's inputs at once.

| ``--pilot``                 | the work                                                     |
|-----------------------------|--------------------------------------------------------------|
| ``none``, ``autopilot``     | one job per seed of ``--seeds A..B``, folders ``seed-N``     |
| a folder                    | every ``*.mcap`` below it (recursively), each on its own scenario and seed |
| a glob (``*``, ``?``, ``[``)| every ``.mcap`` file it matches (``**`` descends folders)    |

A recording's folder is named after its path below the deepest folder common to all
(``alice/session.mcap`` → ``alice__session``). Recordings under the output folder are left
out (they are this campaign's own, or an earlier one's). A recording that cannot be
replayed is reported as not graded, with its reason, and the campaign goes on.

The campaign's clock (``campaign_start_utc``) is the driver's, read once: every recording
of the campaign carries it as its ``start_time_utc`` (workers on other machines have their
own clocks), and ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) fixes it, so
two campaigns can be compared byte for byte.
"""

from __future__ import annotations

import glob
import json
import os
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from trainer.campaign.jobs import Failure, Job
from trainer.errors import TrainerError, one_line
from trainer.scenario.model import Scenario

GLOB_MAGIC = ("*", "?", "[")
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


def campaign_start_utc() -> str:
    """Now (UTC, whole seconds, as a session writes it), or ``$SOURCE_DATE_EPOCH``."""
    text = os.environ.get(SOURCE_DATE_EPOCH)
    if text:
        try:
            moment = datetime.fromtimestamp(int(text), UTC)
        except (ValueError, OverflowError, OSError):
            raise TrainerError(
                f"{SOURCE_DATE_EPOCH}={text!r}: expected whole seconds since 1970-01-01 UTC"
            ) from None
    else:
        moment = datetime.now(UTC)
    return moment.isoformat(timespec="seconds")


def scenario_text(scenario: Scenario) -> str:
    """The resolved scenario as a job carries it (the recording's own form, §7)."""
    from trainer.scenario.build import scenario_to_json

    return json.dumps(scenario_to_json(scenario))


def seed_jobs(scenario: Scenario, pilot: str, seeds: Sequence[int], start: str) -> Iterator[Job]:
    text = scenario_text(scenario)
    for seed in seeds:
        yield Job(f"seed-{seed}", seed, text, pilot, start_time_utc=start)


def is_recording_set(pilot: str) -> bool:
    """``--pilot`` names many recordings: a folder or a glob."""
    return any(c in pilot for c in GLOB_MAGIC) or Path(pilot).is_dir()


def find_recordings(pilot: str, out: Path) -> list[Path]:
    """The recordings ``--pilot`` names (module docstring), sorted; none is bad input."""
    if any(c in pilot for c in GLOB_MAGIC):
        found = [Path(p) for p in glob.glob(pilot, recursive=True)]
    else:
        found = list(Path(pilot).rglob("*.mcap"))
    own = out.resolve()
    paths = sorted(
        {
            p
            for p in found
            if p.suffix == ".mcap"
            and p.is_file()
            and own not in p.resolve().parents
            and not p.name.startswith(".")
        }
    )
    if not paths:
        raise TrainerError(f"--pilot {pilot}: no recording (.mcap file) there to grade")
    return paths


def recording_keys(paths: Sequence[Path]) -> list[str]:
    """Each recording's folder name (module docstring), unique."""
    absolute = [p.resolve() for p in paths]
    common = Path(os.path.commonpath([p.parent for p in absolute]))
    keys: list[str] = []
    for path in absolute:
        key = "__".join(path.relative_to(common).with_suffix("").parts)
        while key in keys or key.startswith("."):
            key = f"{key}_"
        keys.append(key)
    return keys


def recording_jobs(
    paths: Sequence[Path],
    keys: Sequence[str],
    scenario: Scenario | None,
    allow_mismatch: bool,
    start: str,
) -> Iterator[Job | Failure]:
    """One job per recording, planned as ``grade --pilot RECORDING`` plans one
    (trainer/refly/plan.py): on its own scenario (``scenario`` None) and seed, or on
    ``scenario`` under its rules. A recording that cannot be planned is a Failure."""
    from trainer.refly.plan import plan_refly

    for path, key in zip(paths, keys, strict=True):
        try:
            plan = plan_refly(path, scenario, None, allow_mismatch)
        except TrainerError as exc:
            yield Failure(key, None, one_line(exc))
            continue
        yield Job(
            key,
            plan.seed,
            scenario_text(plan.scenario),
            plan.inputs.pilot_name,
            inputs=tuple(plan.inputs.states),
            notices=tuple(plan.notices),
            start_time_utc=start,
        )
