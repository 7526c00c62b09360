from __future__ import annotations

import io

import pytest

from trainer.input.devices import run_devices
from trainer.input.virtual import VirtualJoystick

pytestmark = pytest.mark.usefixtures("clean_queue")


def test_once_without_devices(tmp_path: object) -> None:
    out = io.StringIO()
    assert run_devices(once=True, out=out) == 0
    assert "no gamepad or joystick connected" in out.getvalue()


def test_once_lists_a_virtual_pad() -> None:
    out = io.StringIO()
    with VirtualJoystick("gamecontroller", "Test pad"):
        assert run_devices(once=True, out=out) == 0
    text = out.getvalue()
    assert "Test pad" in text and "game controller" in text and "(active)" in text


def test_live_view_shows_values_and_the_state() -> None:
    out = io.StringIO()
    with VirtualJoystick("gamecontroller", "Test pad") as stick:
        stick.set_axis("lefty", -1.0)
        assert run_devices(out=out, duration_s=0.12, refresh_s=0.05) == 0
    text = out.getvalue()
    assert "lefty -1.00" in text
    assert "THC  x +1.00" in text and "connected: True" in text


def test_ctrl_c_ends_the_live_view_without_a_traceback() -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    code = (
        "import signal, sys\n"
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"  # jobs start with it ignored
        "from trainer.input.devices import run_devices\n"
        "print('ready', flush=True)\n"
        "sys.exit(run_devices())\n"
    )
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYTHONPATH=root)
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert "Traceback" not in err and "connected:" in out
