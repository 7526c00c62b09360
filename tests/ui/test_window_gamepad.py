"""Unplugging the gamepad in the window (SDL virtual joystick): the arm stops and the
window says so, and the event is in the recording."""

from __future__ import annotations

from pathlib import Path

import pygame

from tests.recorded import read_whole
from trainer.input.sdl import init_pygame_input
from trainer.input.virtual import VirtualJoystick
from trainer.ui.alerts import alerts
from trainer.ui.theme import RED

from .helpers import key, make_app, near, pixels, run_frames


def test_unplugging_the_pad_stops_the_arm_and_the_display_says_so(tmp_path: Path) -> None:
    init_pygame_input()
    pygame.event.get()
    out = tmp_path / "pad"
    with VirtualJoystick("gamecontroller") as stick:
        app, _ = make_app(out, input_kind="auto", size=(640, 360))
        try:
            run_frames(app, 3)
            assert app.device_label().startswith("gamepad")
            stick.set_axis("lefty", -1.0)  # full forward
            run_frames(app, 90)
            t = app.telemetry
            assert t is not None and t.hand_controller.connected
            assert t.hand_controller.thc[0] > 0.9 and t.lee_speed_m_s > 0.02
            stick.detach()
            run_frames(app, 4)
            t = app.telemetry
            assert t is not None and not t.hand_controller.connected
            assert t.hand_controller.thc == (0.0, 0.0, 0.0)
            run_frames(app, 240)  # the controlled stop
            t = app.telemetry
            assert t is not None and t.lee_speed_m_s < 0.002, "the arm must stop"
            ws = app.workstation
            assert ws is not None
            # A red banner over the LEE monitor and the C&W item, lit in red.
            assert near(pixels(app.screen, ws.layout.rects["main"]), RED, 5).sum() > 1500
            assert near(pixels(app.screen, ws.layout.rects["alerts"]), RED, 30).sum() > 100
            assert any(a.key == "hc_lost" for a in alerts(t))
            # The master alarm sounds (silently on the dummy driver) until acknowledged.
            assert app.alarm.alarm and app.tone.playing
            key(app, "m")
            run_frames(app, 2)
            assert not app.alarm.alarm and not app.tone.playing
            kinds = [e.kind for e in app.attempt.session.events]  # type: ignore[union-attr]
            assert "device_unplugged" in kinds
            app.quit("test over")
            events = read_whole(out / "session.mcap").events
            assert any(e["kind"] == "device_unplugged" for e in events)
        finally:
            app.close()
