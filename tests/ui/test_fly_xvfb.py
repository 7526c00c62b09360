"""``canadarm-trainer fly`` in a real window under Xvfb (a subprocess): a screenshot of the
X screen shows the LEE monitor with the fixture's target where the camera geometry puts
it and the status display with numbers; SIGTERM finalizes the recording; bad input is one
line on stderr and exit status 2."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.recorded import read_whole
from trainer.render import Scene, camera, poses_from_state
from trainer.render.geometry import quat_to_matrix
from trainer.ui.feeds import STANDOFF_TIP_FRGF_M
from trainer.ui.theme import OVERLAY, READOUT
from trainer.ui.workstation import Layout

from .helpers import assert_target_at, near
from .xvfb import screenshot, xvfb_display

CLI = [sys.executable, "-m", "trainer.cli"]


@pytest.fixture
def display() -> Iterator[str]:
    with xvfb_display("1280x800x24") as name:
        yield name


def test_fly_opens_a_real_window_with_the_target_and_numbers_and_sigterm_finalizes(
    display: str, tmp_path: Path
) -> None:
    out = tmp_path / "session"
    env = dict(os.environ, DISPLAY=display, SDL_VIDEO_WINDOW_POS="0,0")
    env.pop("SDL_VIDEODRIVER", None)
    # The machine's own audio, as a trainee's: where there is no sound card, ALSA's dozen
    # complaints must not reach the terminal (trainer/quiet.py).
    env.pop("SDL_AUDIODRIVER", None)
    proc = subprocess.Popen(
        [*CLI, "fly", "crs20-capture", "--seed", "7", "--input", "keyboard", "--out", str(out)],
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
                time.sleep(4.0)  # a few seconds of flight
                image = screenshot(display, tmp_path / "screen.png")
                break
        assert image is not None, "the window never started a session"
    finally:
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=60)
    # Ended as every command ends on a signal, after finalizing (trainer/signals.py).
    assert proc.returncode == 128 + signal.SIGTERM, stderr
    assert stderr.strip().splitlines() == ["canadarm-trainer fly: interrupted (SIGTERM)"]
    assert str(out / "session.mcap") in stdout and str(out / "report.json") in stdout

    # The recording is finalized (summary written) and its last state is within a few
    # frames of the screenshot: the target must be where the camera geometry puts it.
    rec = read_whole(out / "session.mcap")
    assert rec.summary is not None
    assert any(e["kind"] == "end" and "SIGTERM" in e["reason"] for e in rec.events)
    state = rec.states[-1]
    layout = Layout.for_size((1280, 720))
    main = layout.rects["main"]
    uv = lee_pixel_of_standoff(state, main.size)
    assert uv is not None
    monitor = image[main.y : main.bottom, main.x : main.right]
    assert_target_at(monitor, *uv)
    # The overlay's crosshair at the monitor's centre.
    cy, cx = main.centery, main.centerx
    assert near(image[cy - 3 : cy + 4, cx + 20 : cx + 60], OVERLAY, 10).any()
    # The status display shows numbers in readout green (mode, range...).
    status = layout.rects["status"]
    region = image[status.y : status.bottom, status.x : status.right]
    assert near(region, READOUT, 10).sum() > 800


def lee_pixel_of_standoff(
    state: dict[str, Any], size: tuple[int, int]
) -> tuple[float, float] | None:
    """Where the LEE camera (trainer/render/cameras.py) sees the target's stand-off cross in
    the recorded state: the URDF kinematics of the joints, the fixture pose recorded."""
    poses = poses_from_state(state, Scene.load("dragon", include_station=False))
    frgf = state["frgf"]
    world = np.asarray(frgf["position_m"]) + quat_to_matrix(frgf["orientation_xyzw"]) @ np.asarray(
        STANDOFF_TIP_FRGF_M
    )
    return camera("lee", poses).project(world, size)


def test_fly_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    done = subprocess.run(
        [*CLI, "fly", "no-such-scenario", "--out", str(tmp_path / "x")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("canadarm-trainer fly:")
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "x").exists()
