"""Benchmark: the instructor's tools on recordings (docs/DESIGN.md §9).

1. ``replay --verify`` speed: a graded ``crs20-capture`` capture (autopilot, seed 7) is
   re-simulated and compared message by message; simulated seconds per wall second
   (budget ≥ 60x real time).
2. Seeking in a 30-minute recording: a real 30-minute session is flown and recorded first
   (``basic-drill``, the fixed-target drill that has no time limit, with the session's
   10-minute cap lifted for the benchmark, flown by a slow weaving pilot so the input
   changes every tick as a person's does). Then, in a fresh process so its memory is the
   reader's own: open the recording, and seek to 100 random instants (``state_at`` and
   ``input_at``): median and worst time, resident memory (budget ≤ 0.2 s worst, aim
   ≤ 10 ms; ≤ 150 MB). ``report`` of the same recording is timed with its peak memory
   (≤ 150 MB), and a stream of every message in order too, for comparison.

Run: ``python bench/bench_replay.py [--minutes 30] [--keep FILE] [--verify-long]``;
``--seek FILE`` runs only part 2 on an existing recording.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEEKS = 100


def rss_mb() -> tuple[float, float]:
    """(resident now, peak resident) of this process in MB, from /proc."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", math.nan), values.get("VmHWM", math.nan)


def bench_verify(folder: Path) -> None:
    from trainer.graded import run_graded
    from trainer.pilots import make_pilot
    from trainer.refly.verify import verify_recording
    from trainer.scenario.loader import load_scenario

    scenario = load_scenario("crs20-capture")
    out = folder / "capture"
    graded = run_graded(scenario, 7, make_pilot("autopilot", scenario), "autopilot", out)
    print(
        f"grade of the same session (for scale: the same session loop, recording written): "
        f"{graded.sim_time_s / graded.wall_time_s:.0f}x real time"
    )
    best = 0.0
    for _ in range(2):
        result = verify_recording(out / "session.mcap")
        assert result.reproduced, result.divergence
        best = max(best, result.sim_time_s / result.wall_time_s)
        print(
            f"replay --verify crs20-capture seed 7: {result.sim_time_s:.1f} s simulated in "
            f"{result.wall_time_s:.2f} s = {result.sim_time_s / result.wall_time_s:.0f}x real "
            f"time, {result.checkpoints} checkpoints, {result.messages:,} messages identical"
        )
    print(f"replay --verify: best {best:.0f}x real time (budget >= 60x)")


class WeavingPilot:
    """Slow sinusoidal deflections around centre: the arm weaves in place for as long as
    the session lasts, and the input changes every tick."""

    name = "weaving"

    def next_state(self, telemetry: object) -> object:
        from trainer.input.state import HandControllerState

        t = getattr(telemetry, "time_s", 0.0)
        return HandControllerState(
            thc=(0.15 * math.sin(t / 9.0), 0.1 * math.sin(t / 13.0), 0.1 * math.cos(t / 11.0)),
            rhc=(0.08 * math.sin(t / 17.0), 0.0, 0.08 * math.cos(t / 15.0)),
        )


def make_long_recording(path: Path, minutes: float) -> float:
    import trainer.scoring.judge as judge_module
    from trainer.scenario.loader import load_scenario
    from trainer.scoring.report import build_report
    from trainer.session import Session
    from trainer.session.reports import session_facts

    judge_module.SESSION_CAP_S = minutes * 60.0 + 1.0  # the benchmark's long session
    scenario = load_scenario("basic-drill")
    session = Session(scenario, 1, pilot="weaving", recording_path=path)
    pilot = WeavingPilot()
    t0 = time.perf_counter()
    telemetry = session.last_telemetry
    try:
        while not session.finished and session.time_s < minutes * 60.0:
            telemetry = session.tick(pilot.next_state(telemetry))  # type: ignore[arg-type]
        session.stop("end of the benchmark session")
        report = build_report(session_facts(session, path.name))
        session.close(summary={"outcome": report["outcome"], "passed": False, "report": report})
    finally:
        session.close()  # idempotent; closes the file after an exception too
    wall = time.perf_counter() - t0
    print(
        f"recorded {session.time_s / 60:.1f} min of {scenario.id} in {wall:.0f} s "
        f"({session.time_s / wall:.0f}x real time): {path.stat().st_size / 1e6:.1f} MB"
    )
    return session.time_s


def bench_seek(path: Path) -> None:
    """Part 2, in this (fresh) process."""
    from trainer.record.seek import open_recording

    base_rss, _ = rss_mb()
    t0 = time.perf_counter()
    recording = open_recording(path)
    open_ms = 1000 * (time.perf_counter() - t0)
    rng = random.Random(1)
    times: list[float] = []
    for _ in range(SEEKS):
        at = rng.uniform(recording.start_time_s, recording.end_time_s)
        t0 = time.perf_counter()
        state = recording.state_at(at)
        hc = recording.input_at(at)
        times.append(1000 * (time.perf_counter() - t0))
        assert state is not None and state["time_s"] <= at + 1e-9 and hc is not None
    t0 = time.perf_counter()
    events = recording.events()
    events_ms = 1000 * (time.perf_counter() - t0)
    now, peak = rss_mb()
    print(
        f"seek: {path.name}, {path.stat().st_size / 1e6:.1f} MB, {recording.duration_s / 60:.1f} min, "
        f"{recording.chunk_count} chunks; open {open_ms:.1f} ms"
    )
    print(
        f"seek: {SEEKS} random instants (state_at + input_at): median {statistics.median(times):.2f} ms, "
        f"worst {max(times):.2f} ms (budget <= 200 ms, aim <= 10 ms); events() {events_ms:.0f} ms "
        f"({len(events)} events)"
    )
    print(
        f"seek: resident memory {now:.0f} MB now, {peak:.0f} MB peak "
        f"(interpreter and imports {base_rss:.0f} MB; budget <= 150 MB)"
    )
    recording.close()


def bench_report(path: Path) -> None:
    """``report`` on the long recording, in this (fresh) process: time and peak memory."""
    from trainer.debrief.command import build_debrief
    from trainer.record.seek import open_recording

    t0 = time.perf_counter()
    with open_recording(path) as recording:
        report, page = build_debrief(recording)
    wall = time.perf_counter() - t0
    _, peak = rss_mb()
    print(
        f"report (debrief.html {len(page) / 1e6:.1f} MB, report.json) of the long recording: "
        f"{wall:.1f} s, {peak:.0f} MB peak resident (budget <= 150 MB); "
        f"source: {report['debrief']['report_source']}"
    )


def bench_sequential(path: Path) -> None:
    from trainer.record.schemas import (
        CHECKPOINT_TOPIC,
        EVENTS_TOPIC,
        INPUT_TOPIC,
        STATE_TOPIC,
        TF_TOPIC,
    )
    from trainer.record.seek import open_recording

    t0 = time.perf_counter()
    with open_recording(path) as recording:
        topics = [INPUT_TOPIC, STATE_TOPIC, EVENTS_TOPIC, CHECKPOINT_TOPIC, TF_TOPIC]
        count = sum(1 for _ in recording.messages(topics))
    wall = time.perf_counter() - t0
    _, peak = rss_mb()
    print(
        f"for comparison, every message decoded in order (the seeking reader streaming): "
        f"{wall:.1f} s, {count:,} messages, {peak:.0f} MB peak resident"
    )


def bench_verify_long(path: Path) -> None:
    import trainer.scoring.judge as judge_module
    from trainer.refly.verify import verify_recording

    judge_module.SESSION_CAP_S = 1e9  # as when it was recorded: only its inputs end it
    result = verify_recording(path)
    _, peak = rss_mb()
    print(
        f"replay --verify of the long recording: {'reproduced' if result.reproduced else result.divergence}, "
        f"{result.sim_time_s / result.wall_time_s:.0f}x real time, {peak:.0f} MB peak resident"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="replay --verify speed and seeking")
    parser.add_argument("--minutes", type=float, default=30.0, help="length of the long session")
    parser.add_argument("--keep", type=Path, default=None, help="write the long recording here")
    parser.add_argument("--seek", type=Path, default=None, help="only seek in this recording")
    parser.add_argument("--sequential", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--report", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--verify-long", action="store_true", help="also verify the long one")
    args = parser.parse_args()
    if args.seek is not None:
        bench_seek(args.seek)
        return
    if args.sequential is not None:
        bench_sequential(args.sequential)
        return
    if args.report is not None:
        bench_report(args.report)
        return
    print("(figures depend on the machine's load: note it with them)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench_verify(folder)
        long_path = args.keep or folder / "long.mcap"
        make_long_recording(long_path, args.minutes)
        for flag in ("--seek", "--report", "--sequential"):
            subprocess.run([sys.executable, __file__, flag, str(long_path)], check=True)
        if args.verify_long:
            bench_verify_long(long_path)


if __name__ == "__main__":
    main()
