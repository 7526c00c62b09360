"""Benchmark: the instructor's replay viewer on a 30-minute recording under Xvfb
(docs/DESIGN.md §9 targets: a seek redrawn within 0.2 s, 60 frames/s while playing at
16x, resident memory ≤ 400 MB).

The 30-minute session is flown and recorded as ``bench/bench_replay.py`` does (basic-drill,
a weaving pilot, the session cap lifted), or an existing one is reused (``--recording``).
Then, with its own Xvfb (1600x960x24) and the window at 1600x960 in this process:

1. opening: the seeking reader's open and the viewer's one pass over /state and /events
   (markers, call log, plot series);
2. seek-to-redraw: 60 random instants, each seeked and every display redrawn and
   presented (the time from the seek to the end of the presented frame): median, worst;
3. playing at 16x for 10 s of wall time with the window's own 60 Hz pacing: frames/s;
4. resident memory now and at its peak (/proc/self/status).

Run: ``python bench/bench_viewer.py [--minutes 30] [--recording FILE] [--keep FILE]``.
The machine may be shared: say so when quoting the figures.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

SEEKS = 60
PLAY_WALL_S = 10.0


def bench(path: Path) -> None:
    from bench.bench_replay import rss_mb

    os.environ.pop("SDL_VIDEODRIVER", None)
    os.environ["SDL_AUDIODRIVER"] = "dummy"
    os.environ["SDL_FRAMEBUFFER_ACCELERATION"] = "0"
    os.environ["SDL_VIDEO_WINDOW_POS"] = "0,0"
    import pygame

    from trainer.record.decode import scenario_of
    from trainer.record.seek import open_recording
    from trainer.ui.replay.app import ReplayViewer
    from trainer.ui.replay.model import build_model

    t0 = time.perf_counter()
    recording = open_recording(path)
    t1 = time.perf_counter()
    model = build_model(recording, scenario_of(path, recording.metadata))
    t2 = time.perf_counter()
    print(
        f"open: reader {1000 * (t1 - t0):.0f} ms, viewer's pass over {len(model.series.t_s)} "
        f"states and {len(model.events)} events {t2 - t1:.2f} s "
        f"({recording.duration_s / 60:.1f} min recording, {path.stat().st_size / 1e6:.1f} MB, "
        f"{len(model.markers)} markers, {len(model.log)} log lines)"
    )
    pygame.init()
    screen = pygame.display.set_mode((1600, 960))
    viewer = ReplayViewer(model, screen)
    viewer.frame([])
    print(f"renderer: {viewer.feed.label or 'OpenGL'}")

    rng = random.Random(1)
    instants = [rng.uniform(model.start_s, model.end_s) for _ in range(SEEKS)]
    data = []
    for t in instants:  # the data alone: /state and /input at the instant, the snapshot
        model.recording._cache.clear()  # as cold as a jump across the file
        c0 = time.perf_counter()
        model.snapshot_at(t)
        data.append(time.perf_counter() - c0)
    times, cpu = [], []
    for t in instants:
        p0 = time.process_time()
        viewer.seek(t)
        viewer.frame([])
        cpu.append(time.process_time() - p0)
        assert viewer.last_seek_redraw_s is not None
        times.append(viewer.last_seek_redraw_s)
    for values in (data, times, cpu):
        values.sort()
    print(
        f"seek, the data ({SEEKS} random instants, chunk cache cleared): median "
        f"{1000 * statistics.median(data):.1f} ms, worst {1000 * data[-1]:.1f} ms"
    )
    print(
        f"seek to redraw (the same instants, every display redrawn and presented): "
        f"median {1000 * statistics.median(times):.0f} ms, worst {1000 * times[-1]:.0f} ms "
        f"(target ≤ 200 ms); CPU time of the process per seek: median "
        f"{1000 * statistics.median(cpu):.0f} ms, worst {1000 * cpu[-1]:.0f} ms"
    )

    viewer.seek(model.start_s + 60.0)
    viewer.speed_index = len(viewer_speeds()) - 1
    viewer.playing = True
    frames0, start_t, w0 = viewer.frames, viewer.t, time.perf_counter()
    while time.perf_counter() - w0 < PLAY_WALL_S and viewer.playing:
        viewer.frame([])
    wall = time.perf_counter() - w0
    fps = (viewer.frames - frames0) / wall
    print(
        f"playing at {viewer.speed:g}x: {fps:.1f} frames/s over {wall:.1f} s of wall time "
        f"({viewer.t - start_t:.0f} s of the recording; target 60)"
    )
    now, peak = rss_mb()
    print(f"resident memory: {now:.0f} MB now, {peak:.0f} MB peak (target ≤ 400 MB)")
    viewer.close()
    pygame.quit()
    recording.close()


def viewer_speeds() -> tuple[float, ...]:
    from trainer.ui.replay.app import SPEEDS

    return SPEEDS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0, help="length of the session")
    parser.add_argument("--recording", type=Path, help="use this recording instead of flying one")
    parser.add_argument("--keep", type=Path, help="keep the flown recording here")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.xvfb import start_xvfb

    xvfb, display = start_xvfb("1600x960x24", "bench_viewer")
    os.environ["DISPLAY"] = display
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = args.recording
            if path is None:
                from bench.bench_replay import make_long_recording

                path = args.keep or Path(tmp) / "long.mcap"
                make_long_recording(path, args.minutes)
            bench(path)
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


if __name__ == "__main__":
    main()
