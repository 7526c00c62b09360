"""Headless grading (DESIGN §5 ``grade``): run a scenario with a scripted pilot, write
``report.json``, ``report.md`` and ``session.mcap`` into the output folder.

Several seeds (``--seeds A..B``) run on a pool of worker processes, one seed per task
(``--jobs``, default every core). Each seed is its own world in its own process, built
from the scenario and the seed alone, so the reports are the same bit for bit whatever
the number of jobs and whichever worker ran a seed; the summary is printed in seed order.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

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


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# A worker's scenario, loaded once when the worker starts (a Scenario holds read-only
# mappings, which do not pickle; the file is small and loads in milliseconds).
_worker_scenario: Scenario | None = None


def _start_worker(scenario_ref: str) -> None:
    global _worker_scenario
    _worker_scenario = load_scenario(scenario_ref)


def _grade_seed_in_worker(pilot: str, seed: int, target: Path) -> GradeResult:
    assert _worker_scenario is not None  # set by _start_worker
    return _grade_seed(_worker_scenario, pilot, seed, target)


def _grade_seed(scenario: Scenario, pilot: str, seed: int, target: Path) -> GradeResult:
    """One seed, start to end (a worker's task; also the in-process path)."""
    flyer, name = resolve_pilot(pilot, scenario)
    return run_graded(scenario, seed, flyer, name, target)


def _pool_context() -> multiprocessing.context.BaseContext:
    # fork starts a worker in milliseconds (spawn re-imports numpy and pybullet, ~0.5 s per
    # worker); safe here because this process has no pybullet client when the pool starts.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run_seeds(
    scenario_ref: str, pilot: str, seeds: list[int], out: Path, jobs: int
) -> list[tuple[int, GradeResult]]:
    """Grade every seed (each in ``out/seed-N`` when there are several), ``jobs`` at a
    time, with a progress bar on stderr; results in seed order."""
    many = len(seeds) > 1
    targets = {seed: out / f"seed-{seed}" if many else out for seed in seeds}
    results: dict[int, GradeResult] = {}
    with tqdm(
        total=len(seeds), desc="grading", unit="seed", file=sys.stderr, disable=not many
    ) as bar:

        def done(seed: int, result: GradeResult) -> None:
            results[seed] = result
            bar.set_postfix_str(f"seed {seed}: {result.report['outcome']}", refresh=False)
            bar.update()

        if jobs <= 1 or not many:
            scenario = load_scenario(scenario_ref)
            for seed in seeds:
                done(seed, _grade_seed(scenario, pilot, seed, targets[seed]))
        else:
            with ProcessPoolExecutor(
                max_workers=min(jobs, len(seeds)),
                mp_context=_pool_context(),
                initializer=_start_worker,
                initargs=(scenario_ref,),
            ) as pool:
                futures = {
                    pool.submit(_grade_seed_in_worker, pilot, seed, targets[seed]): seed
                    for seed in seeds
                }
                for future in as_completed(futures):
                    done(futures[future], future.result())
    return [(seed, results[seed]) for seed in seeds]


def run_grade_command(
    scenario_ref: str,
    pilot: str,
    seeds: list[int],
    out: Path,
    jobs: int | None = None,
    trainee: str | None = None,
    history: bool = True,
) -> int:
    if jobs is not None and jobs < 1:
        raise TrainerError(f"--jobs: expected a number of processes >= 1, got {jobs}")
    scenario = load_scenario(scenario_ref)  # bad input fails here, before any worker starts
    resolve_pilot(pilot, scenario)
    many = len(seeds) > 1
    ref = str(scenario.source_path) if scenario.source_path is not None else scenario_ref
    results = run_seeds(ref, pilot, seeds, out, default_jobs() if jobs is None else jobs)
    if history:
        # In seed order, from this process only: the workers never write the database.
        for _seed, result in results:
            add_to_history(result, trainee)
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
