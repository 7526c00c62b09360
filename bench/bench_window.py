"""Benchmark: the ``fly`` window in real time under Xvfb (docs/DESIGN.md §9 targets:
60 frames/s, LEE camera >= 30 Hz, other monitors >= 15 Hz, worst frame <= 33 ms,
<= 400 MB resident).

Starts its own Xvfb (1280x800x24), opens the window at 1280x720 on the CRS-20 scene
(crs20-capture-easy: no time limit) and flies it in real time with a scripted hand
controller: slow sinusoidal THC and RHC deflections that keep the arm moving near the
fixture without reaching it. If an attempt ends anyway, the next one starts at once (as
"fly again" does) and the count is printed. Prints frames per second, the LEE monitor's
and the other monitors' refresh rates, the worst frame (work time, and the longest gap
between two presented frames), how far simulated time fell behind wall time, the share
of one core used by this process (Xvfb's own share is printed separately) and resident
memory.

Run: ``python bench/bench_window.py [--seconds 120] [--scenario crs20-capture-easy]``;
``--scenario crs20-berthing`` draws the berthing's fourth monitor (the CBCS) too.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import pygame

from trainer.input.state import HandControllerState
from trainer.ui.feeds import CameraFeed, RGBImage


class ScriptedSticks:
    """An input source: smooth, slow, zero-mean deflections (periods of 6-12 s), 0.3 at
    most: the arm weaves near the fixture without drifting into anything."""

    def __init__(self) -> None:
        self.tick = 0

    def poll(self, events: Iterable[pygame.event.Event]) -> HandControllerState:
        t = self.tick / 60.0
        self.tick += 1
        thc = (0.2 * math.sin(t / 1.1), 0.3 * math.sin(t / 1.7), 0.3 * math.sin(t / 1.3))
        rhc = (0.2 * math.sin(t / 1.5), 0.2 * math.sin(t / 1.9), 0.2 * math.sin(t / 1.0))
        return HandControllerState(thc=thc, rhc=rhc)


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of another process (from /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--scenario", default="crs20-capture-easy")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.xvfb import start_xvfb

    xvfb, display = start_xvfb("1280x800x24", "bench_window")
    os.environ["DISPLAY"] = display
    os.environ["SDL_VIDEODRIVER"] = "x11"
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from trainer.ui.app import FlyApp, FlyOptions

    out = Path(tempfile.mkdtemp(prefix="bench-window-"))
    app = FlyApp(
        FlyOptions(scenario=args.scenario, out=out / "attempt", seed=7, input_kind="keyboard"),
        input_source=ScriptedSticks(),
    )
    try:
        counts_main = counts_other = counts_cbcs = frames = 0
        attempts = 1
        flips: list[float] = []
        work: list[float] = []
        ws = app.workstation
        assert ws is not None
        print(f"camera feed: {app.feed_label or 'renderer (OpenGL)'}")
        render_s: dict[str, list[float]] = {"lee": [], "other": [], "cbcs": []}

        def timed(feed: CameraFeed) -> CameraFeed:
            def call(camera: str, size: tuple[int, int]) -> RGBImage:
                t = time.perf_counter()
                image = feed(camera, size)
                kind = camera if camera in ("lee", "cbcs") else "other"
                render_s[kind].append(time.perf_counter() - t)
                return image

            return call

        ws.feed = timed(ws.feed)
        cpu0 = time.process_time()
        x0 = _cpu_s(xvfb.pid)
        t0 = time.perf_counter()
        sim0 = app.telemetry.time_s if app.telemetry else 0.0
        sim_total = 0.0
        while time.perf_counter() - t0 < args.seconds:
            app.frame()
            flips.append(time.perf_counter())
            work.append(app.frame_times[-1])
            if app.state == "end":  # an attempt ended: fly again at once
                sim_total += (app.finished[-1].session.time_s) - sim0
                counts_main += ws.counts.main
                counts_other += ws.counts.others
                counts_cbcs += ws.counts.cbcs
                frames += ws.counts.frames
                app.begin(args.scenario, app.options.aids, "")
                ws = app.workstation
                assert ws is not None
                ws.feed = timed(ws.feed)
                sim0 = 0.0
                attempts += 1
        wall = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
        x_cpu = _cpu_s(xvfb.pid) - x0
        counts_main += ws.counts.main
        counts_other += ws.counts.others
        counts_cbcs += ws.counts.cbcs
        frames += ws.counts.frames
        if app.telemetry is not None:
            sim_total += app.telemetry.time_s - sim0
        gaps = [b - a for a, b in itertools.pairwise(flips)]
        rss = _rss_mb()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        app.quit("benchmark over")
        app.close()
        xvfb.terminate()
        xvfb.wait(timeout=10)
        shutil.rmtree(out, ignore_errors=True)
    print(f"window 1280x720 under Xvfb, {wall:.1f} s wall, {attempts} attempt(s)")
    print(f"frames/s                 {frames / wall:7.1f}   (target 60)")
    print(f"LEE camera refresh       {counts_main / wall:7.1f} Hz (target >= 30)")
    print(f"other monitors refresh   {counts_other / wall:7.1f} Hz each (target >= 15)")
    if counts_cbcs:  # a berthing's fourth monitor
        print(f"CBCS monitor refresh     {counts_cbcs / wall:7.1f} Hz (target >= 15)")
    print(f"worst frame (work)       {1000 * max(work):7.1f} ms (target <= 33)")
    print(f"worst gap between frames {1000 * max(gaps):7.1f} ms")
    ranked = sorted(work)
    print(
        f"frame work, median / p99 {1000 * ranked[len(ranked) // 2]:7.1f} / {1000 * ranked[int(0.99 * (len(ranked) - 1))]:.1f} ms"
    )
    print(
        f"frames over 33 ms        {sum(1 for w in work if w > 0.033):7d} of {len(work)} (the first: {1000 * work[0]:.0f} ms)"
    )
    for name, values in render_s.items():
        if values:
            ranked_r = sorted(values)
            print(
                f"camera image ({name:5s})     {1000 * ranked_r[len(ranked_r) // 2]:7.1f} ms median, "
                f"{1000 * ranked_r[-1]:.0f} ms worst ({len(values)} images)"
            )
    print(
        f"simulated / wall time    {sim_total / wall:7.3f}   (behind by {app.pacer.slowed_s:.2f} s)"
    )
    print(f"CPU, this process        {cpu / wall:7.2f} of a core (Xvfb: {x_cpu / wall:.2f})")
    print(f"resident memory          {rss:7.0f} MB (peak {peak:.0f} MB; target <= 400)")


if __name__ == "__main__":
    main()
