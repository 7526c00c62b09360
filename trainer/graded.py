"""One session graded headless, the same for a single ``grade`` and for each job of a
campaign (docs/DESIGN.md §5, §12): flown by the one loop (trainer/refly/loop.py) with a
scripted pilot's states or a recording's inputs, closed and reported as every graded
session is (trainer/session/reports.py), joined to the trainee's history, and shown as a
row of the terminal's table.

| name             | what                                                              |
|------------------|-------------------------------------------------------------------|
| ``run_graded``   | one session run to its end in a folder: ``session.mcap``, ``report.json``, ``report.md`` |
| ``GradeResult``  | its report, its folder, simulated and wall seconds                |
| ``add_to_history`` | the graded session joins the trainee's history (a warning if it cannot) |
| ``print_table``  | one row per graded session, in the order given, and the closing line |

``grade`` (trainer/grade.py) hands a campaign to trainer/campaign/, whose jobs and writer
use these: both import this module, and neither imports the other's command
(docs/DESIGN.md §2: no cycle between rooms).
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.history.store import HistoryError, record_attempt
from trainer.input.state import HandControllerState
from trainer.pilots import Pilot
from trainer.refly.loop import TickFeed, fly
from trainer.refly.plan import RecordedInputs
from trainer.safeio import make_folder, remove_leftovers
from trainer.scenario.model import Scenario
from trainer.scoring.report import build_report
from trainer.session import Session
from trainer.session.reports import (
    SESSION_OUTPUTS,
    closing_summary,
    session_facts,
    write_reports,
)
from trainer.signals import deferred, interruption_name
from trainer.text import terminal_text


@dataclass(frozen=True)
class GradeResult:
    report: dict[str, Any]
    out_dir: Path
    sim_time_s: float
    wall_time_s: float


def _flown_by(pilot: Pilot, session: Session) -> Iterator[HandControllerState]:
    """A scripted pilot's states, each decided from the latest snapshot it can see (a
    ground link's is older: ``Session.seen_telemetry``); never ends."""
    while True:
        yield pilot.next_state(session.seen_telemetry)


def run_graded(
    scenario: Scenario,
    seed: int,
    pilot: Pilot | RecordedInputs,
    pilot_name: str,
    out_dir: Path,
    record: bool = True,
    notices: Sequence[str] = (),
    deliver: Callable[[GradeResult], None] | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> GradeResult:
    """Run one session to its end and write its report; a recording's inputs end the
    session where they end (a recording cut off by a crash is graded up to the cut).

    Once the session has ended, a signal waits until the recording is closed, the reports
    are written and ``deliver`` has taken the result (the history, a batch's parent): a
    seed is then either graded everywhere or nowhere (docs/DESIGN.md §5). ``metadata``
    adds to (or replaces) the recording's metadata: a campaign's driver gives every seed
    its own clock's ``start_time_utc`` (docs/DESIGN.md §12)."""
    make_folder(out_dir, "--out")  # a link in its place is refused, never followed
    remove_leftovers(out_dir, SESSION_OUTPUTS)  # a killed run's temporaries (it holds the lock)
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
