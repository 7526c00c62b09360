"""The CBCS monitor of a berthing (trainer/ui/cbcs.py, docs/REFERENCE.md §10.2): ``fly`` in a
real window under Xvfb shows it with the target where the camera geometry puts it and
the four RTL lights; the replay viewer shows the same monitor as recorded, the lights lit
at the ready-to-latch instant."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pygame
import pytest

from trainer.graded import run_graded
from trainer.pilots import make_pilot
from trainer.record.decode import scenario_of
from trainer.record.schemas import STATE_TOPIC
from trainer.record.seek import open_recording
from trainer.record.snapshot import snapshot_from_state
from trainer.scenario.loader import load_scenario
from trainer.ui.cbcs import RTL_OFF, rtl_light_centres, target_pixel
from trainer.ui.replay.app import ReplayViewer
from trainer.ui.replay.model import build_model
from trainer.ui.theme import AMBER, GREEN
from trainer.ui.workstation import Layout

from .helpers import FakeClock, near
from .xvfb import screenshot, xvfb_display

CLI = [sys.executable, "-m", "trainer.cli"]
# Dragon held at pre-install, the arm's pose for it (robots/ssrms/poses.yaml): the CBCS
# looks straight at the target from 1.63 m.
AT_PRE_INSTALL = """\
extends: crs20-berthing
id: crs20-berthing-at-pre-install
version: 1
title: "Berthing from pre-install (test)"
vehicle:
  position_m: [8.6, 0.0, -5.9]
  attitude_rpy_deg: [0.0, -90.0, 0.0]
arm:
  initial_pose: berth_pre_install
"""


def assert_cbcs_target_at(image: np.ndarray, u: float, v: float) -> None:  # type: ignore[type-arg]
    """The CBCS target at pixel (u, v): the white cross's arms left and right of it (clear
    of the overlay's 1-pixel reticle), the black disk beyond their ends."""
    iu, iv = round(u), round(v)
    for du in (-10, -8, 8, 10):  # on the horizontal bar, 2 px off the reticle's line
        patch = image[iv - 2 : iv + 3, iu + du].astype(int)
        assert patch.mean(axis=-1).max() > 150, f"no white cross arm at ({iu + du}, {iv})"
    ring = [
        image[iv + dv, iu + dh].astype(int).mean() for dh, dv in ((-16, -16), (16, 16), (-16, 16))
    ]
    assert max(ring) < 60, f"no black disk around ({u:.0f}, {v:.0f}): {ring}"


def assert_bracket_at(image: np.ndarray, u: float, v: float, h: int) -> None:  # type: ignore[type-arg]
    """The overlay's amber bracket drawn around (u, v), as far left as right."""
    b = max(6, round(0.04 * h))
    iu, iv = round(u), round(v)
    box = image[iv - b - 2 : iv + b + 3, iu - b - 2 : iu + b + 3]
    ys, xs = np.nonzero(near(box, AMBER, 40))
    assert len(xs) >= 8, "no target bracket"
    assert abs(xs.mean() - (b + 2)) <= 1.5 and abs(ys.mean() - (b + 2)) <= 1.5


@pytest.fixture
def display() -> Iterator[str]:
    with xvfb_display("1280x800x24") as name:
        yield name


def test_fly_shows_the_cbcs_monitor_with_the_target_and_the_rtl_lights(
    display: str, tmp_path: Path
) -> None:
    scenario = tmp_path / "crs20-berthing-at-pre-install.yaml"
    scenario.write_text(AT_PRE_INSTALL, encoding="utf-8")
    out = tmp_path / "session"
    env = dict(os.environ, DISPLAY=display, SDL_VIDEO_WINDOW_POS="0,0", SDL_AUDIODRIVER="dummy")
    env.pop("SDL_VIDEODRIVER", None)
    proc = subprocess.Popen(
        [*CLI, "fly", str(scenario), "--seed", "1", "--input", "keyboard", "--out", str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        image = None
        while time.monotonic() < deadline:
            time.sleep(1.0)
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            if (out / "session.mcap").exists():
                time.sleep(4.0)
                image = screenshot(display, tmp_path / "screen.png")
                break
        assert image is not None, "the window never started a session"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)
    with open_recording(out / "session.mcap") as recording:
        state = [m.payload for m in recording.messages([STATE_TOPIC])][-1]
    t = snapshot_from_state(state, float(state["time_s"]))
    rect = Layout.for_size((1280, 720), cbcs=True).rects["cbcs"]
    uv = target_pixel(t, rect.size)
    assert uv is not None
    monitor = image[rect.y : rect.bottom, rect.x : rect.right]
    assert_cbcs_target_at(monitor, *uv)
    assert_bracket_at(monitor, *uv, rect.h)
    # Four RTL lights, unlit at pre-install: the station's indicators, shown at every aid level.
    for x, y in rtl_light_centres(rect, 1.0):
        assert near(image[y - 2 : y + 3, x - 2 : x + 3], RTL_OFF, 12).all(), (x, y)


@pytest.fixture(scope="module")
def berthing_recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    scenario = load_scenario("crs20-berthing")
    out = tmp_path_factory.mktemp("berthing")
    run_graded(scenario, 1, make_pilot("autopilot", scenario), "autopilot", out)
    return out


def test_the_replay_viewer_shows_the_cbcs_monitor_lit_at_rtl(
    berthing_recording: Path, tmp_path: Path
) -> None:
    report = json.loads((berthing_recording / "report.json").read_text(encoding="utf-8"))
    at = report["berthing"]["first_stage_s"] + 1.0  # just after all four made
    path = berthing_recording / "session.mcap"
    rec = open_recording(path)
    model = build_model(rec, scenario_of(path, rec.metadata))
    pygame.init()
    screen = pygame.display.set_mode((1600, 960))
    clock = FakeClock()
    viewer = ReplayViewer(model, screen, clock=clock.now, sleep=clock.sleep)
    try:
        viewer.seek(at)
        viewer.frame([])
        viewer.frame([])
        pygame.image.save(screen, str(tmp_path / "viewer.png"))
        image = pygame.surfarray.array3d(screen).swapaxes(0, 1)
        rect = viewer.workstation.layout.rects["cbcs"].move(viewer.rects["workstation"].topleft)
        scale = viewer.workstation.fonts.scale
        for x, y in rtl_light_centres(rect, scale):
            assert near(image[y - 2 : y + 3, x - 2 : x + 3], GREEN, 12).all(), (x, y)
        state = rec.state_at(at)
        assert state is not None and state["berthing"]["rtl_made"] == [True] * 4
        uv = target_pixel(snapshot_from_state(state, float(state["time_s"])), rect.size)
        assert uv is not None
        assert_bracket_at(image[rect.y : rect.bottom, rect.x : rect.right], *uv, rect.h)
    finally:
        viewer.close()
        rec.close()
        pygame.quit()


@pytest.mark.parametrize(("aids", "ghost"), [("guided", True), ("crew", True), ("none", False)])
def test_the_ghost_is_switched_by_the_aid_level(tmp_path: Path, aids: str, ghost: bool) -> None:
    from trainer.ui.aids import AidLevel

    from .helpers import make_app

    app, _clock = make_app(tmp_path / "out", scenario="crs20-berthing-ground", aids=AidLevel(aids))
    try:
        ws = app.workstation
        assert ws is not None and ws.cbcs  # the berthing's fourth monitor
        assert getattr(ws.feed, "ghost", None) is ghost
    finally:
        app.quit("test over")
        app.close()
