"""Headless grading (docs/DESIGN.md §5 ``grade``): run a scenario with a scripted pilot, or
fly a recording's inputs again (``--pilot RECORDING``, trainer/refly/plan.py), and write
``report.json``, ``report.md`` and ``session.mcap`` into the output folder
(trainer/session/reports.py). Every session is flown by the one loop that flies a
recording again (trainer/refly/loop.py); several seeds run on a pool of processes
(trainer/batch.py).
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.batch import cap_jobs, run_seeds_in_pool
from trainer.errors import OutputError, TrainerError
from trainer.history.store import HistoryError, record_attempt
from trainer.input.state import HandControllerState
from trainer.pilots import Pilot, make_pilot
from trainer.refly.loop import TickFeed, fly
from trainer.refly.plan import RecordedInputs, ReflyPlan, plan_refly
from trainer.safeio import FolderLock, check_output_folder, make_folder, remove_leftovers
from trainer.scenario.defaults import SEED_MAX
from trainer.scenario.loader import load_scenario
from trainer.scenario.model import Scenario
from trainer.scoring.report import build_report
from trainer.session import Session
from trainer.session.reports import (
    SESSION_OUTPUTS,
    closing_summary,
    session_facts,
    write_reports,
)
from trainer.signals import SessionInterrupted, deferred, interruption_name
from trainer.text import terminal_text

OUTPUT_NAMES = SESSION_OUTPUTS
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


def _flown_by(pilot: Pilot, session: Session) -> Iterator[HandControllerState]:
    """A scripted pilot's states, each decided from the latest snapshot; never ends."""
    while True:
        yield pilot.next_state(session.last_telemetry)


def run_graded(
    scenario: Scenario,
    seed: int,
    pilot: Pilot | RecordedInputs,
    pilot_name: str,
    out_dir: Path,
    record: bool = True,
    notices: Sequence[str] = (),
    deliver: Callable[[GradeResult], None] | None = None,
) -> GradeResult:
    """Run one session to its end and write its report; a recording's inputs end the
    session where they end (a recording cut off by a crash is graded up to the cut).

    Once the session has ended, a signal waits until the recording is closed, the reports
    are written and ``deliver`` has taken the result (the history, a batch's parent): a
    seed is then either graded everywhere or nowhere (docs/DESIGN.md §5)."""
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
            session = Session(scenario, seed, pilot=pilot_name, recording_path=recording)
        t0 = time.perf_counter()
        inputs: Iterable[TickFeed] = (
            pilot.states if isinstance(pilot, RecordedInputs) else _flown_by(pilot, session)
        )
        if fly(session, inputs):  # only a recording's inputs run out
            session.stop(f"the recording's inputs end at t = {session.time_s:.1f} s")
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


class SeedGrader:
    """One seed of a batch, graded in a worker process (trainer/batch.py): the scenario is
    loaded once per worker, from its file, the first time the worker needs it. Picklable,
    for a pool whose workers are spawned rather than forked."""

    def __init__(self, scenario_ref: str, pilot: str, out: Path) -> None:
        self.scenario_ref, self.pilot, self.out = scenario_ref, pilot, out
        self._scenario: Scenario | None = None

    def __call__(self, seed: int, deliver: Callable[[GradeResult], None]) -> GradeResult:
        if self._scenario is None:
            self._scenario = load_scenario(self.scenario_ref)
        scenario = self._scenario
        pilot = make_pilot(self.pilot, scenario)
        out_dir = self.out / f"seed-{seed}"
        return run_graded(scenario, seed, pilot, self.pilot, out_dir, deliver=deliver)


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
    scenario_ref: str,
    pilot: str,
    seeds: Sequence[int] | None,
    out: Path,
    *,
    jobs: int | None = None,
    allow_mismatch: bool = False,
    trainee: str | None = None,
    history: bool = True,
) -> int:
    """``grade``: every input checked (scenario, pilot, seeds, output folder) before the
    first session starts, so a bad one costs nothing and writes nothing. Several seeds run
    on ``jobs`` worker processes (default every core); the reports do not depend on it."""
    if jobs is not None and jobs < 1:
        raise TrainerError(f"--jobs: expected a number of processes >= 1, got {jobs}")
    scenario = load_scenario(scenario_ref)
    plan: ReflyPlan | None = None
    if _is_recording(pilot):
        path = _check_pilot_path(pilot)
        plan = plan_refly(path, scenario, seeds, allow_mismatch)
        seeds = [plan.seed]
        scenario = plan.scenario
    elif seeds is None:
        seeds = [DEFAULT_SEED]
    many = len(seeds) > 1
    check_output_folder(out, () if many else OUTPUT_NAMES)
    if many:  # every seed's folder that exists already, before the first session
        for seed in seeds:
            if os.path.lexists(out / f"seed-{seed}"):
                check_output_folder(out / f"seed-{seed}", OUTPUT_NAMES)
    if plan is not None:
        target = out / "session.mcap"
        if target.exists() and os.path.samefile(target, plan.inputs.path):
            raise OutputError(
                f"--out {out}: would overwrite the recording being replayed ({plan.inputs.path})"
            )
    workers = 1 if plan is not None or not many else cap_jobs(jobs)
    make_folder(out, "--out")
    # One run per output folder for the whole command (docs/DESIGN.md §5): a second one is
    # refused at once, naming this one.
    with FolderLock(out, "--out"):
        results, interrupted = _grade_all(
            scenario, scenario_ref, pilot, plan, seeds, out, workers, (trainee, history)
        )
    _print_table(results, out, many, len(seeds))
    if interrupted is not None:
        raise interrupted  # exit status 128 + the signal, after the summary of what was done
    return 0


def _grade_all(
    scenario: Scenario,
    scenario_ref: str,
    pilot: str,
    plan: ReflyPlan | None,
    seeds: Sequence[int],
    out: Path,
    workers: int,
    history_of: tuple[str | None, bool],
) -> tuple[list[tuple[int, GradeResult]], SessionInterrupted | None]:
    """Grade every seed, in turn or on ``workers`` processes; returns those graded (each in
    the history already) and the signal that stopped the run early, if any."""
    trainee, history = history_of
    results: list[tuple[int, GradeResult]] = []
    if workers > 1:
        ref = str(scenario.source_path) if scenario.source_path is not None else scenario_ref
        batch = run_seeds_in_pool(SeedGrader(ref, pilot, out), seeds, workers)
        if history:
            # In seed order, from this process only: the workers never write the database.
            for _seed, result in batch.results:
                add_to_history(result, trainee)
        return batch.results, batch.interrupted
    try:
        _grade_seeds(scenario, pilot, plan, seeds, out, results, history_of)
    except SessionInterrupted as exc:
        if len(seeds) == 1:
            raise
        return results, exc
    return results, None


def _grade_seeds(
    scenario: Scenario,
    pilot: str,
    plan: ReflyPlan | None,
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


def _print_table(
    results: Iterable[tuple[int, GradeResult]], out: Path, many: bool, total: int
) -> None:
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
