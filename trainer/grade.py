"""Headless grading (docs/DESIGN.md §5 ``grade``): run a scenario with a scripted pilot, write
``report.json``, ``report.md`` and ``session.mcap`` into the output folder.
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from trainer.campaign.executors import ExecutorChoice
from trainer.errors import OutputError, TrainerError
from trainer.history.store import HistoryError, record_attempt
from trainer.pilots import Pilot, RecordedPilot, make_pilot
from trainer.pilots.replay_plan import ReplayPlan, plan_replay
from trainer.record.writer import RecordingWriter
from trainer.safeio import (
    FolderLock,
    check_output_target,
    check_real_folder,
    make_folder,
    remove_leftovers,
    write_atomically,
)
from trainer.scenario.defaults import SEED_MAX
from trainer.scenario.loader import load_scenario
from trainer.scenario.model import Scenario
from trainer.scoring.report import SessionFacts, build_report, report_markdown
from trainer.session import Session
from trainer.signals import deferred, interruption_name
from trainer.text import terminal_text

OUTPUT_NAMES = ("report.json", "report.md", "session.mcap")
DEFAULT_SEED = 7
# ``--seeds A..B``: each seed is a whole session (seconds of CPU each), so a range longer
# than this is a typo, not a plan (10,000 seeds are hours of grading already).
MAX_SEEDS = 10_000


@dataclass(frozen=True)
class GradeResult:
    report: dict[str, Any]
    out_dir: Path
    sim_time_s: float
    wall_time_s: float


def check_output_folder(out: Path, names: Sequence[str] = OUTPUT_NAMES) -> None:
    """Refuse, before anything runs, an output folder that cannot take ``names``: a file
    in its place or above it, a folder that cannot be written, a symbolic link as the
    folder or where one of the files goes (never followed: trainer/safeio.py), or a
    folder or special file where one of the files should go. OutputError names the path."""
    existing = out
    while not os.path.lexists(existing):
        if existing.parent == existing:
            break
        existing = existing.parent
    if existing == out:
        if out.is_symlink():
            check_real_folder(out, "--out")  # refuses it, naming the link
    elif existing.is_symlink() and not existing.exists():  # dangling: mkdir would fail
        raise OutputError(f"--out {out}: {existing} is a broken symbolic link")
    if not existing.is_dir():
        if existing == out:
            raise OutputError(f"--out {out}: is a file, not a folder")
        raise OutputError(f"--out {out}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"--out {out}: cannot write in {existing} (permission denied)")
    try:  # os.access cannot see everything (read-only mounts for root, ACLs): try it
        fd, probe = tempfile.mkstemp(dir=existing, prefix=".canadarm-trainer-probe.")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"--out {out}: cannot write in {existing} ({exc.strerror})") from None
    if existing == out:
        for name in names:
            target = out / name
            if target.is_dir() and not target.is_symlink():
                raise OutputError(f"--out {out}: {target} is a folder; it must be a file")
            check_output_target(target, "--out")
            if target.exists() and not os.access(target, os.W_OK):
                raise OutputError(f"--out {out}: {target} cannot be overwritten")


def session_facts(
    session: Session, recording: str | None, notices: Sequence[str] = ()
) -> SessionFacts:
    """The facts of a finished session for its report (``recording``: the file name),
    with the notices the reader must see first."""
    facts = session.facts(recording)
    return replace(facts, notices=list(notices)) if notices else facts


def closing_summary(session: Session, report: dict[str, Any]) -> dict[str, Any]:
    """The recording's ``canadarm-trainer.summary`` (docs/DESIGN.md §7): the outcome, the
    whole graded report (so `report` need not re-simulate) and the digest of the /input
    stream it graded (so `report` can tell inputs changed since, trainer/record/inputs.py)."""
    summary: dict[str, Any] = {
        "outcome": report["outcome"],
        "passed": report["passed"],
        "report": report,
    }
    writer = session.recorder.writer if session.recorder is not None else None
    if isinstance(writer, RecordingWriter):
        summary["inputs_digest"] = writer.input_digest
    return summary


def write_session_reports(
    session: Session, out_dir: Path, *, aids: str | None = None, trainee: str | None = None
) -> dict[str, Any]:
    """Grade a finished (or stopped) session: close its recording with the outcome and
    write ``report.json`` and ``report.md`` into ``out_dir``, with the window's aid level
    and the trainee's name when ``fly`` gives them. Returns the report."""
    if not session.finished:
        session.stop()
    recording = session.recording_path.name if session.recording_path is not None else None
    facts = replace(session_facts(session, recording), aids=aids, trainee=trainee)
    report = build_report(facts)
    # the whole graded report rides in the recording, so `report` need not re-simulate
    with deferred():  # a signal now waits for the recording's footer
        # the whole graded report rides in the recording, so `report` need not re-simulate
        session.close(summary=closing_summary(session, report))
    write_reports(out_dir, report, session.scenario, facts.events)
    return report


def write_reports(
    out_dir: Path, report: dict[str, Any], scenario: Scenario, events: list[dict[str, Any]]
) -> None:
    """``report.json`` and the Markdown debrief ``report.md``, each written whole."""
    write_atomically(out_dir / "report.json", json.dumps(report, indent=2) + "\n")
    write_atomically(out_dir / "report.md", report_markdown(report, scenario, events))


def run_graded(
    scenario: Scenario,
    seed: int,
    pilot: Pilot,
    pilot_name: str,
    out_dir: Path,
    record: bool = True,
    notices: Sequence[str] = (),
    deliver: Callable[[GradeResult], None] | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> GradeResult:
    """Run one session to its end and write its report; a recording pilot ends the
    session where its inputs end (a recording cut off by a crash is graded up to the cut).

    Once the session has ended, a signal waits until the recording is closed, the reports
    are written and ``deliver`` has taken the result (the history, a batch's parent): a
    seed is then either graded everywhere or nowhere (docs/DESIGN.md §5). ``metadata``
    adds to (or replaces) the recording's metadata: a campaign's driver gives every seed
    its own clock's ``start_time_utc`` (docs/DESIGN.md §12)."""
    make_folder(out_dir, "--out")  # a link in its place is refused, never followed
    remove_leftovers(out_dir, OUTPUT_NAMES)  # a killed run's temporaries (the run holds the lock)
    for stale in ("report.json", "report.md"):
        # A report of an earlier run must not sit next to this run's recording if this
        # one is interrupted: the folder would then describe two different sessions.
        (out_dir / stale).unlink(missing_ok=True)
    recording = out_dir / "session.mcap" if record else None
    session: Session | None = None
    finished = False
    try:
        with deferred():  # a signal while the session is built is raised once it can end
            session = Session(
                scenario,
                seed,
                pilot=pilot_name,
                recording_path=recording,
                extra_metadata=dict(metadata) if metadata else None,
            )
        t0 = time.perf_counter()
        telemetry = session.last_telemetry
        while not session.finished:
            if isinstance(pilot, RecordedPilot) and pilot.exhausted:
                session.stop(f"the recording's inputs end at t = {session.time_s:.1f} s")
                break
            telemetry = session.tick(pilot.next_state(telemetry))
        wall = time.perf_counter() - t0
        facts = session_facts(session, recording.name if recording else None, notices)
        report = build_report(facts)
        finished = True
        with deferred():  # a signal now waits for the footer, the reports and the delivery
            # the whole graded report rides in the recording, so `report` need not
            # re-simulate
            session.close(summary=closing_summary(session, report))
            write_reports(out_dir, report, scenario, facts.events)
            result = GradeResult(report, out_dir, session.time_s, wall)
            if deliver is not None:
                deliver(result)
    except BaseException as exc:
        if session is None:
            raise
        with deferred():
            if not finished:
                why = "interrupted" if isinstance(exc, KeyboardInterrupt) else "stopped by an error"
                name = f" ({interruption_name(exc)})" if isinstance(exc, KeyboardInterrupt) else ""
                session.stop(f"the grading run was {why}{name}")
            session.close()
        raise
    return result


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


def add_to_history(result: GradeResult, trainee: str | None) -> None:
    """The graded session joins the trainee's history; a database that cannot be written
    costs a warning, not the grade (its report is already on disk)."""
    recording = result.out_dir / "session.mcap"
    try:
        record_attempt(
            result.report,
            trainee=trainee,
            aids=None,
            recording=recording if recording.exists() else None,
        )
    except HistoryError as exc:
        print(f"canadarm-trainer grade: warning: history not updated: {exc}", file=sys.stderr)


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
    from trainer.campaign.work import is_recording_set, recording_scenario

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
    plan: ReplayPlan | None = None
    if _is_recording(pilot):
        path = _check_pilot_path(pilot)
        plan = plan_replay(path, scenario or recording_scenario(path), seeds, allow_mismatch)
        seeds = [plan.seed]
        scenario = plan.scenario
    elif seeds is None:
        seeds = [DEFAULT_SEED]
    if len(seeds) > 1:
        return run_campaign_command(replace(campaign, seeds=seeds))
    if scenario is None:  # not reached: a scenario or a recording's own was loaded above
        raise TrainerError("a scenario is needed")
    check_output_folder(out)
    if plan is not None:
        target = out / "session.mcap"
        if target.exists() and os.path.samefile(target, plan.replay.path):
            raise OutputError(
                f"--out {out}: would overwrite the recording being replayed ({plan.replay.path})"
            )
    make_folder(out, "--out")
    results: list[tuple[int, GradeResult]] = []
    # One run per output folder for the whole command (docs/DESIGN.md §5): a second one is
    # refused at once, naming this one.
    with FolderLock(out, "--out"):
        _grade_seeds(scenario, pilot, plan, seeds, out, results, (trainee, history))
    print_table(list(results), out, False, len(seeds))
    return 0


def _grade_seeds(
    scenario: Scenario,
    pilot: str,
    plan: ReplayPlan | None,
    seeds: Sequence[int],
    out: Path,
    results: list[tuple[int, GradeResult]],
    history_of: tuple[str | None, bool],
) -> None:
    """Grade each seed in turn (``results`` grows as they finish); ``history_of``: the
    trainee and whether the sessions join the history."""
    from tqdm import tqdm  # here, not at the top: 25 ms off every command's start

    trainee, history = history_of
    many = len(seeds) > 1
    with tqdm(
        total=len(seeds), desc="grading", unit="seed", file=sys.stderr, disable=not many
    ) as bar:
        for seed in seeds:
            target_dir = out / f"seed-{seed}" if many else out

            def deliver(result: GradeResult, seed: int = seed) -> None:
                if history:
                    add_to_history(result, trainee)
                results.append((seed, result))

            result = _grade_one(scenario, pilot, plan, seed, target_dir, deliver)
            bar.set_postfix_str(f"seed {seed}: {result.report['outcome']}", refresh=False)
            bar.update()


def _grade_one(
    scenario: Scenario,
    pilot: str,
    plan: ReplayPlan | None,
    seed: int,
    target_dir: Path,
    deliver: Callable[[GradeResult], None],
) -> GradeResult:
    """One seed: the recording's inputs replayed, or a scripted pilot."""
    if plan is not None:
        flyer: Pilot = RecordedPilot(plan.replay.path, plan.replay.states)
        name = f"recording:{plan.replay.path.name}"
    else:
        flyer, name = make_pilot(pilot, scenario), pilot
    notices = plan.notices if plan is not None else ()
    return run_graded(scenario, seed, flyer, name, target_dir, notices=notices, deliver=deliver)


def print_table(
    results: Iterable[tuple[int | str, GradeResult]], out: Path, many: bool, total: int
) -> None:
    """One row per graded session (its seed, or a recording's key), in the order given;
    with ``many``, the pass count and mean score, and how far a stopped run got."""
    results = list(results)
    print(
        f"{'seed':>6} {'outcome':<10} {'pass':<5} {'score':>6} {'t capture':>10} {'x real time':>12}  reasons"
    )
    for seed, r in results:
        rep = r.report
        ttc = rep["time_to_capture_s"]
        ttc_text = "-" if ttc is None else f"{ttc:.1f} s"
        print(
            f"{seed:>6} {rep['outcome']:<10} {'yes' if rep['passed'] else 'no':<5} "
            f"{rep['score']['total']:>6.1f} {ttc_text:>10} "
            f"{r.sim_time_s / max(r.wall_time_s, 1e-9):>12.0f}  "
            f"{terminal_text('; '.join(rep['reasons']), 400)}"
        )
        for notice in rep.get("notices", []):  # may quote a recording's metadata: escaped
            print(f"{'':>6} notice: {terminal_text(notice, 400)}")
    if many:
        passed = len([1 for _, r in results if r.report["passed"]])
        scores = [r.report["score"]["total"] for _, r in results]
        mean = f"{math.fsum(scores) / len(scores):.1f}" if scores else "-"
        stopped = (
            f" (stopped after {len(results)} of {total} seeds)" if len(results) < total else ""
        )
        print(f"passed {passed}/{len(results)}{stopped}; mean score {mean}; reports in {out}")
    else:
        print(f"report: {out / 'report.json'}")
