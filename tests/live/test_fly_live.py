"""``fly --pilot autopilot --live`` for real (docs/DESIGN.md §12): the window in a real X
server (Xvfb, a subprocess) streams its session on a free port; a WebSocket client
receives /state at its rate, injects the LEE camera loss through the service, and the
trainee's screen shows the LEE monitor lost (pixels); a client without the token changes
nothing; the recording holds the fault and the action, and ``replay --verify``
reproduces it bit for bit."""

from __future__ import annotations

import itertools
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tests.recorded import read_whole
from tests.ui.helpers import near
from tests.ui.xvfb import screenshot, xvfb_display
from trainer.live.client import LiveClient, LiveError
from trainer.record.seek import open_recording
from trainer.ui.theme import AMBER, RED
from trainer.ui.workstation import Layout

CLI = [sys.executable, "-m", "trainer.cli"]
LIVE_LINE = re.compile(r"live: ws://127\.0\.0\.1:(\d+)  token (\S+)")


def _lee_lost(image: np.ndarray) -> tuple[float, int]:  # type: ignore[type-arg]
    """(share of the LEE monitor that is the lost-video black, red pixels where the
    monitor writes NO VIDEO: its centre)."""
    main = Layout.for_size((1280, 720)).rects["main"]
    monitor = image[main.top : main.bottom - 24, main.left : main.right]
    cx, cy = main.centerx, main.centery
    centre = image[cy - 30 : cy + 30, cx - 150 : cx + 150]
    return float(near(monitor, (6, 6, 8), 6).mean()), int(near(centre, RED, 40).sum())


def _wait_line(proc: subprocess.Popen[str], deadline_s: float) -> re.Match[str]:
    assert proc.stdout is not None
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        line = proc.stdout.readline()
        found = LIVE_LINE.search(line)
        if found:
            return found
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
    raise AssertionError("fly --live never said where it listens")


def test_fly_live_streams_takes_the_camera_loss_and_verifies(tmp_path: Path) -> None:
    out = tmp_path / "attempt"
    with xvfb_display("1280x800x24") as display:
        env = dict(os.environ, DISPLAY=display, SDL_VIDEO_WINDOW_POS="0,0")
        env.pop("SDL_VIDEODRIVER", None)
        proc = subprocess.Popen(
            [
                *CLI,
                "fly",
                "crs20-capture",
                "--pilot",
                "autopilot",
                "--seed",
                "5",
                "--out",
                str(out),
                "--live",
                "127.0.0.1:0",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            found = _wait_line(proc, 60)
            port, token = int(found.group(1)), found.group(2)
            client = LiveClient("127.0.0.1", port, topics=["/state", "/events", "/instructor"])
            stranger = LiveClient("127.0.0.1", port, topics=[])
            try:
                # /state at its rate: every 6th tick, 0.1 s of simulation apart
                states: list[dict[str, object]] = []
                deadline = time.monotonic() + 30
                while len(states) < 15 and time.monotonic() < deadline:
                    message = client.messages.get(timeout=10)
                    if message.topic == "/state":
                        states.append(message.json())
                        assert message.log_time_ns == round(float(states[-1]["time_s"]) * 1e9)
                ticks = [int(s["tick"]) for s in states]  # type: ignore[call-overload]
                assert len(ticks) == 15 and all(b - a == 6 for a, b in itertools.pairwise(ticks))
                before = screenshot(display, tmp_path / "before.png")

                # a client without the token, or with another, changes nothing
                for request in ({}, {"token": "0000-0000-0000"}, {"token": token.lower()}):
                    with pytest.raises(LiveError, match="refused"):
                        stranger.call(
                            "/instructor/fault",
                            {**request, "fault": "brake_stuck", "joint": "shoulder_roll"},
                        )
                answer = client.call(
                    "/instructor/fault", {"token": token, "fault": "camera_loss", "camera": "lee"}
                )
                assert answer["accepted"] is True
                fault = None
                deadline = time.monotonic() + 20
                while fault is None and time.monotonic() < deadline:
                    message = client.messages.get(timeout=10)
                    payload = message.json()
                    if message.topic == "/events" and payload.get("kind") == "fault":
                        fault = payload
                assert fault == {**fault, "fault": "camera_loss", "camera": "lee"}
                time.sleep(1.0)  # a few frames of the lost monitor
                after = screenshot(display, tmp_path / "after.png")
            finally:
                client.close()
                stranger.close()
            assert proc.poll() is None  # the clients gone, the trainee flies on
            time.sleep(0.5)
        finally:
            proc.send_signal(signal.SIGTERM)
            stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, stderr
    # the refusals were logged, one line each, and nothing else reached stderr
    refusals = [line for line in stderr.splitlines() if "refused /instructor/fault" in line]
    assert len(refusals) == 3, stderr
    assert "no session token" in refusals[0] and "wrong session token" in refusals[1]

    # the trainee's screen: the LEE monitor lost (black, NO VIDEO in red), and the C&W
    # panel's amber caution, where before it showed the camera's picture
    black_before, red_before = _lee_lost(before)
    black_after, red_after = _lee_lost(after)
    assert black_before < 0.5 and red_before < 40, (black_before, red_before)
    assert black_after > 0.9 and red_after > 80, (black_after, red_after)
    alerts = Layout.for_size((1280, 720)).rects["alerts"]
    panel = after[alerts.top : alerts.bottom, alerts.left : alerts.right]
    assert near(panel, AMBER, 30).sum() > 500  # MASTER CAUTION and LEE VIDEO LOST

    # the recording: the action on /instructor, the fault in /events, and no stuck brake
    recording = out / "session.mcap"
    whole = read_whole(recording)
    faults = [e for e in whole.events if e["kind"] == "fault"]
    assert [(e["fault"], e["camera"]) for e in faults] == [("camera_loss", "lee")]
    with open_recording(recording) as rec:
        actions = [m.payload for m in rec.messages(["/instructor"])]
    assert len(actions) == 1 and actions[0]["action"] == "fault"
    assert actions[0]["time_s"] == faults[0]["time_s"]
    assert str(recording) in stdout

    verify = subprocess.run(
        [*CLI, "replay", str(recording), "--verify"], capture_output=True, text=True, timeout=300
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "reproduced" in verify.stdout
