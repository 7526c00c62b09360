"""``grade`` when it grades more than one session (docs/DESIGN.md §5, §12): many seeds of a
scenario (``--seeds A..B``) or many recordings (``--pilot DIR_OR_GLOB``), on the executor
``--executor`` names, with everything written here, by the driver, in seed order.

| written                   | what                                                          |
|---------------------------|---------------------------------------------------------------|
| ``DIR/KEY/``              | each job's ``report.json``, ``report.md`` and ``session.mcap`` (``KEY``: ``seed-N`` or the recording's key); a job stopped by a signal leaves its recording only |
| the history               | each graded session, in seed order, from this process only     |
| ``DIR/campaign.json``     | the summary (trainer/campaign/summary.py), also when stopped   |
| ``DIR/campaign.html``     | the summary, offline (trainer/campaign/page.py), with its plots from PLOTS_MIN_JOBS jobs |
| stdout                    | the per-job table (up to TABLE_MAX jobs) and the summary       |
| stderr                    | the progress bar, the executor used and the throughput (never in the files: the wall clock is not part of a result) |

Exit status: 0 every job graded (passed or not), 1 a job was not graded (failed twice on
its workers, or a recording refused: listed), 2 bad input, 128 + signal when stopped.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.campaign.driver import Outcome, drive
from trainer.campaign.executors import CampaignExecutor, ExecutorChoice, make_executor
from trainer.campaign.jobs import OUTPUT_NAMES, Failure, Job, JobInterrupted, JobResult, grade_job
from trainer.campaign.summary import Row, summarize, summary_lines
from trainer.campaign.work import (
    campaign_start_utc,
    find_recordings,
    recording_jobs,
    recording_keys,
    seed_jobs,
)
from trainer.safeio import (
    FolderLock,
    check_output_folder,
    make_folder,
    remove_leftovers,
    write_together,
)
from trainer.scenario.model import Scenario
from trainer.signals import deferred, interruption_name

CAMPAIGN_NAMES = ("campaign.json", "campaign.html")
TABLE_MAX = 20  # more jobs than this: the summary only (each job's row is in campaign.json)


@dataclass(frozen=True)
class CampaignRequest:
    """What ``grade`` was asked to grade as a campaign."""

    scenario: Scenario | None  # None: each recording's own
    pilot: str
    seeds: Sequence[int] | None  # None: recordings
    out: Path
    executor: ExecutorChoice
    jobs: int | None = None
    allow_mismatch: bool = False
    trainee: str | None = None
    history: bool = True


@dataclass
class _Written:
    """What the writer keeps of the jobs written: the summary's rows, not their files."""

    rows: list[Row] = field(default_factory=list)
    table: list[tuple[int | str, Any]] = field(default_factory=list)
    not_graded: list[dict[str, Any]] = field(default_factory=list)
    environments: list[dict[str, str | None]] = field(default_factory=list)


def run_campaign_command(request: CampaignRequest) -> int:
    """Grade the campaign (module docstring); every input is checked before a job runs."""
    out = request.out
    start = campaign_start_utc()
    work: Iterable[Job | Failure]
    if request.seeds is None:
        paths = find_recordings(request.pilot, out)
        keys = recording_keys(paths)
        work = recording_jobs(paths, keys, request.scenario, request.allow_mismatch, start)
        kind, unit = "recordings", "recording"
    else:
        if request.scenario is None:
            raise ValueError("a campaign of seeds needs its scenario")
        keys = [f"seed-{seed}" for seed in request.seeds]
        work = seed_jobs(request.scenario, request.pilot, request.seeds, start)
        kind, unit = "seeds", "seed"
    check_output_folder(out, CAMPAIGN_NAMES)
    for key in keys:  # every job's folder that exists already, before the first job
        if os.path.lexists(out / key):
            check_output_folder(out / key, OUTPUT_NAMES)
    # the executor after the checks (a bad input starts nothing) and before the folder is
    # made (an unreachable scheduler writes nothing)
    executor = make_executor(request.executor, request.jobs, len(keys))
    try:
        make_folder(out, "--out")
    except BaseException:
        executor.stop()
        raise
    meta = {
        "started_utc": start,
        "work": kind,
        "requested": len(keys),
        "scenario": request.scenario.id if request.scenario is not None else None,
        "pilot": request.pilot,
    }
    # One run per output folder for the whole command (docs/DESIGN.md §5).
    try:
        lock = FolderLock(out, "--out").acquire()
    except BaseException:
        executor.stop()
        raise
    with lock:
        remove_leftovers(out, CAMPAIGN_NAMES)
        written, interrupted, seconds = _run(request, executor, work, len(keys), unit)
        meta["stopped"] = interruption_name(interrupted) if interrupted is not None else None
        summary = summarize(meta, written.rows, written.not_graded, written.environments)
        with deferred():  # a signal now waits for the summary of what was written
            _write_summary(out, summary, written.rows)
    _print(summary, written, out, interrupted is not None)
    rate = 60.0 * len(written.rows) / seconds if seconds > 0 else 0.0
    print(
        f"canadarm-trainer grade: {len(written.rows)} {kind} graded in {seconds:.1f} s on "
        f"{executor.describe()} ({rate:.1f} per minute)",
        file=sys.stderr,
    )
    if interrupted is not None:
        raise interrupted  # exit status 128 + the signal, after the summary of what was done
    return 1 if written.not_graded else 0


def _run(
    request: CampaignRequest,
    executor: CampaignExecutor,
    work: Iterable[Job | Failure],
    count: int,
    unit: str,
) -> tuple[_Written, Any, float]:
    """Drive the campaign with a progress bar; returns what was written, the
    interruption (None when it ran to its end) and the wall seconds."""
    from tqdm import tqdm  # here, not at the top: 25 ms off every other command's start

    written = _Written()
    t0 = time.perf_counter()
    with tqdm(total=count, desc="grading", unit=unit, file=sys.stderr) as bar:

        def write(outcome: Outcome) -> None:
            _write(request, written, outcome)
            if isinstance(outcome, JobResult):
                bar.set_postfix_str(
                    f"{_label(outcome.key, outcome.seed)}: {outcome.report['outcome']}",
                    refresh=False,
                )
            bar.update()

        def notice(text: str) -> None:
            bar.write(f"canadarm-trainer grade: notice: {text}", file=sys.stderr)

        result = drive(executor, work, grade_job, write, notice)
    return written, result.interrupted, time.perf_counter() - t0


def _label(key: str, seed: int | None) -> str:
    return f"seed {seed}" if key == f"seed-{seed}" else key


def _write(request: CampaignRequest, written: _Written, outcome: Outcome) -> None:
    """One job's outcome: its folder, the history, the summary's row."""
    from trainer.graded import GradeResult, add_to_history

    if isinstance(outcome, Failure):
        written.not_graded.append(
            {"key": outcome.key, "seed": outcome.seed, "error": outcome.error}
        )
        return
    folder = request.out / outcome.key
    make_folder(folder, "--out")
    remove_leftovers(folder, OUTPUT_NAMES)
    if isinstance(outcome, JobInterrupted):
        # as a single `grade` leaves a session a signal ended: its recording, no report
        for stale in ("report.json", "report.md"):
            (folder / stale).unlink(missing_ok=True)
        write_together(folder, dict(outcome.files))
        return
    write_together(folder, dict(outcome.files))
    result = GradeResult(outcome.report, folder, outcome.sim_time_s, outcome.wall_time_s)
    if request.history:
        add_to_history(result, request.trainee)
    if outcome.fingerprint not in written.environments:
        written.environments.append(outcome.fingerprint)
    report = outcome.report
    written.rows.append(
        Row(
            key=outcome.key,
            seed=outcome.seed,
            scenario=str(report["scenario"]["id"]),
            outcome=str(report["outcome"]),
            passed=bool(report["passed"]),
            score=float(report["score"]["total"]),
            reasons=tuple(str(r) for r in report["reasons"]),
            draws=outcome.draws,
            environment=written.environments.index(outcome.fingerprint),
        )
    )
    if len(written.table) <= TABLE_MAX:  # beyond that no table is printed: keep none
        label: int | str = outcome.seed if outcome.key == f"seed-{outcome.seed}" else outcome.key
        written.table.append((label, result))


# "More than a handful" (docs/DESIGN.md §12): a distribution of a few scores says nothing
# the per-seed table does not, and drawing it (matplotlib's import and two figures,
# ~0.7 s) would cost a short batch more than a seed's grading.
PLOTS_MIN_JOBS = 10


def _write_summary(out: Path, summary: dict[str, Any], rows: Sequence[Row]) -> None:
    from trainer.campaign.page import campaign_page

    figures: dict[str, bytes] = {}
    if len(rows) >= PLOTS_MIN_JOBS:
        from trainer.campaign.plots import pass_rate_by_parameter, score_distribution

        figures["score"] = score_distribution(rows)
        if summary["dispersions"]:
            figures["dispersions"] = pass_rate_by_parameter(rows, summary["dispersions"])
    write_together(
        out,
        {
            "campaign.json": json.dumps(summary, indent=2) + "\n",
            "campaign.html": campaign_page(summary, figures),
        },
    )


def _print(summary: dict[str, Any], written: _Written, out: Path, stopped: bool) -> None:
    """The per-job table as a single ``grade`` prints its row (trainer/graded.py), or its
    closing line alone for more than TABLE_MAX jobs; then the summary."""
    from trainer.graded import print_table

    total = summary["requested"] if stopped else len(written.rows)
    if len(written.rows) <= TABLE_MAX:
        print_table(written.table, out, True, total)
    else:
        rate, score = summary["pass_rate"], summary["score"]
        cut = f" (stopped after {rate['graded']} of {total} seeds)" if stopped else ""
        print(
            f"passed {rate['passed']}/{rate['graded']}{cut}; mean score {score['mean']:.1f}; "
            f"reports in {out}"
        )
    for line in summary_lines(summary):
        print(line)
    print(f"{'written':<14}{out / 'campaign.json'}, {out / 'campaign.html'}")
