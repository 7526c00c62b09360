"""``canadarm-trainer replay`` in a real window under Xvfb (subprocesses): opened at two
instants of a graded recording, the LEE monitor shows the fixture's target where that
instant's recorded poses put it (so the two screenshots differ where the Dragon moved),
the timeline carries the event markers, and the recording's bytes are untouched."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pygame
import pytest

from trainer.record.seek import open_recording
from trainer.ui.replay.app import LAYOUT, REFERENCE_SIZE
from trainer.ui.replay.strip import LABEL_W, MARKER_COLOURS
from trainer.ui.workstation import Layout

from .helpers import assert_target_at, near
from .test_fly_xvfb import lee_pixel_of_standoff
from .xvfb import screenshot, xvfb_display

CLI = [sys.executable, "-m", "trainer.cli"]
SIZE = (1600, 960)


@pytest.fixture
def display() -> Iterator[str]:
    with xvfb_display("1600x960x24") as name:
        yield name


def _open_and_shoot(display: str, recording: Path, at: float, shot: Path) -> np.ndarray:  # type: ignore[type-arg]
    env = dict(os.environ, DISPLAY=display, SDL_VIDEO_WINDOW_POS="0,0", SDL_AUDIODRIVER="dummy")
    env.pop("SDL_VIDEODRIVER", None)
    proc = subprocess.Popen(
        [*CLI, "replay", str(recording), "--at", str(at), "--size", "1600x960"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        seen = []
        for line in proc.stderr:
            seen.append(line)
            if line.startswith("replay:"):
                break
        else:
            raise AssertionError("".join(seen))
        time.sleep(1.0)  # a few idle frames presented
        return screenshot(display, shot)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_viewer_opens_at_two_instants_showing_what_was_recorded(
    display: str, graded_recording: Path, tmp_path: Path
) -> None:
    digest = hashlib.sha256(graded_recording.read_bytes()).hexdigest()
    pygame.init()
    early = _open_and_shoot(display, graded_recording, 10.0, tmp_path / "early.png")
    late = _open_and_shoot(display, graded_recording, 20.0, tmp_path / "late.png")
    assert hashlib.sha256(graded_recording.read_bytes()).hexdigest() == digest

    layout = Layout.fit(SIZE, REFERENCE_SIZE, LAYOUT)
    scale, rects = layout.scale, layout.rects
    ws = rects["workstation"]
    main = Layout.for_size(ws.size).rects["main"].move(ws.topleft)
    with open_recording(graded_recording) as rec:
        states = {t: rec.state_at(t) for t in (10.0, 20.0)}
        events = rec.events()
        start, end = rec.start_time_s, rec.end_time_s
    for image, t in ((early, 10.0), (late, 20.0)):
        state = states[t]
        assert state is not None
        uv = lee_pixel_of_standoff(state, main.size)
        assert uv is not None
        assert_target_at(image[main.y : main.bottom, main.x : main.right], *uv)
    # the Dragon came a metre closer between the two instants: the LEE monitors differ
    a = early[main.y : main.bottom, main.x : main.right].astype(int)
    b = late[main.y : main.bottom, main.x : main.right].astype(int)
    assert (np.abs(a - b).max(axis=2) > 40).mean() > 0.1

    # the timeline's EVENTS lane holds the trigger and free-drift markers
    strip = rects["strip"]
    axis_x = strip.x + round(LABEL_W * scale)
    axis_w = strip.w - round((LABEL_W + 8) * scale)
    lane_y = strip.y + round(18 * scale) + 2
    for kind, colour in (("trigger", "trigger"), ("free_drift_start", "drift")):
        t = next(e["time_s"] for e in events if e["kind"] == kind)
        x = round(axis_x + (t - start) / (end - start) * (axis_w - 1))
        column = late[lane_y : lane_y + round(17 * scale), x - 1 : x + 2]
        assert near(column, MARKER_COLOURS[colour], 10).sum() >= 5, kind
