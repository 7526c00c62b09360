"""Headless grading (DESIGN §5 ``grade``): run a scenario with a scripted pilot, write
``report.json``, ``report.md`` and ``session.mcap`` into the output folder.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.errors import TrainerError
from trainer.history.store import HistoryError, record_attempt
from trainer.pilots import Pilot, RecordedPilot, make_pilot
from trainer.scenario.loader import load_scenario
from trainer.scenario.model import Scenario
from trainer.scoring.report import SessionFacts, build_report, report_markdown
from trainer.session import Session


@dataclass(frozen=True)
class GradeResult:
    report: dict[str, Any]
    out_dir: Path
    sim_time_s: float
    wall_time_s: float


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def session_facts(session: Session, recording: str | None) -> SessionFacts:
    """The facts of a finished session for its report (``recording``: the file name)."""
    return session.facts(recording)


def resolve_pilot(pilot: str, scenario: Scenario) -> tuple[Pilot, str]:
    """``none``, ``autopilot`` or a path to a recording whose inputs are replayed."""
    if pilot in ("none", "autopilot"):
        return make_pilot(pilot, scenario), pilot
    path = Path(pilot)
    if not path.exists():
        raise TrainerError(f"{pilot}: not a pilot (none, autopilot) and no such recording file")
    recorded, _meta = RecordedPilot.from_recording(path)
    return recorded, f"recording:{path.name}"


def run_graded(
    scenario: Scenario, seed: int, pilot: Pilot, pilot_name: str, out_dir: Path, record: bool = True
) -> GradeResult:
    out_dir.mkdir(parents=True, exist_ok=True)
    recording = out_dir / "session.mcap" if record else None
    session = Session(scenario, seed, pilot=pilot_name, recording_path=recording)
    t0 = time.perf_counter()
    try:
        telemetry = session.last_telemetry
        while not session.finished:
            telemetry = session.tick(pilot.next_state(telemetry))
        wall = time.perf_counter() - t0
        facts = session_facts(session, recording.name if recording else None)
        report = build_report(facts)
        # the whole graded report rides in the recording, so `report` need not re-simulate
        session.close(
            summary={"outcome": report["outcome"], "passed": report["passed"], "report": report}
        )
    except BaseException:
        session.stop("the grading run was interrupted")
        session.close()
        raise
    write_atomically(out_dir / "report.json", json.dumps(report, indent=2) + "\n")
    write_atomically(out_dir / "report.md", report_markdown(report, scenario, facts.events))
    return GradeResult(report, out_dir, session.time_s, wall)


def parse_seeds(text: str) -> list[int]:
    """``7`` or ``A..B`` (inclusive)."""
    try:
        if ".." in text:
            a, b = text.split("..", 1)
            lo, hi = int(a), int(b)
            if hi < lo:
                raise ValueError
            return list(range(lo, hi + 1))
        return [int(text)]
    except ValueError:
        raise TrainerError(f"--seeds: expected N or A..B with A <= B, got {text!r}") from None


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
    seeds: list[int],
    out: Path,
    trainee: str | None = None,
    history: bool = True,
) -> int:
    scenario = load_scenario(scenario_ref)
    results = []
    many = len(seeds) > 1
    for i, seed in enumerate(seeds):
        flyer, name = resolve_pilot(pilot, scenario)
        target = out / f"seed-{seed}" if many else out
        result = run_graded(scenario, seed, flyer, name, target)
        if history:
            add_to_history(result, trainee)
        results.append((seed, result))
        if many:
            done = int(30 * (i + 1) / len(seeds))
            print(
                f"\r[{'#' * done}{'.' * (30 - done)}] {i + 1}/{len(seeds)} seed {seed}: "
                f"{result.report['outcome']}",
                end="",
                file=sys.stderr,
                flush=True,
            )
    if many:
        print(file=sys.stderr)
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
            f"{r.sim_time_s / max(r.wall_time_s, 1e-9):>12.0f}  {'; '.join(rep['reasons'])}"
        )
    if many:
        passed = sum(1 for _, r in results if r.report["passed"])
        scores = [r.report["score"]["total"] for _, r in results]
        print(
            f"passed {passed}/{len(results)}; mean score {sum(scores) / len(scores):.1f}; reports in {out}"
        )
    else:
        print(f"report: {out / 'report.json'}")
    return 0
