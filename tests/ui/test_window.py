"""The window, headless (SDL dummy drivers): a whole capture flown through the window code,
the end screen, the recording reproduced by ``grade``, keyboard input and focus loss,
quitting and closing mid-session, the start screen and the pacing event."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pygame
import pytest

from tests.recorded import read_whole
from trainer.grade import run_grade_command
from trainer.history import HistoryStore
from trainer.input.state import Button
from trainer.record.schemas import EVENT_SCHEMA
from trainer.session import Session
from trainer.telemetry import Telemetry
from trainer.ui.aids import AidLevel
from trainer.ui.app import FlyApp
from trainer.ui.attempt import schematic_feed
from trainer.ui.feeds import CameraFeed, RenderedFeed, standoff_pixel, target_pixel
from trainer.ui.theme import GREEN, OVERLAY, RED, Fonts

from .helpers import assert_target_at, key, make_app, near, pixels, run_frames


@pytest.fixture
def closing() -> Iterator[list[FlyApp]]:
    apps: list[FlyApp] = []
    yield apps
    for app in apps:
        app.close()


def test_autopilot_capture_through_the_window_end_screen_and_grade_reproduces_it(
    tmp_path: Path, closing: list[FlyApp], report_schema: Callable[[Mapping[str, Any]], None]
) -> None:
    out = tmp_path / "fly"
    # 0.099 s of wall time per frame: six control ticks a frame, the catch-up bound, so a
    # minute of capture takes ~600 frames; every tick is still run.
    # The schematic camera feed and a small window (scale 0.625) keep a minute of flight
    # cheap; the rendered cameras are checked in the shorter tests and under Xvfb.
    app, _clock = make_app(
        out, pilot="autopilot", frame_s=0.099, size=(800, 450), feed_factory=schematic_feed
    )
    closing.append(app)
    lee_checked = False
    for _ in range(1500):
        app.frame()
        if app.state != "flying":
            break
        t = app.telemetry
        if not lee_checked and t is not None and t.time_s > 2.0 and app.workstation is not None:
            # The LEE monitor shows the overlay (crosshair at the monitor's centre) and
            # the fixture target where the camera geometry puts it.
            main = app.workstation.layout.rects["main"]
            image = pixels(app.screen, main)
            cx, cy = main.w // 2, main.h // 2
            assert near(image[cy - 3 : cy + 4, cx + 20 : cx + 60], OVERLAY).any()
            u, v = target_pixel(t, main.size)  # type: ignore[misc]
            assert_target_at(image, u, v, half=6)
            lee_checked = True
    assert lee_checked
    assert app.state == "end"
    report = app.finished[-1].report
    assert report is not None and report["outcome"] == "captured" and report["passed"]
    assert report["aids"] == "guided" and report["trainee"] == "Test Trainee"
    on_disk = json.loads((out / "report.json").read_text())
    assert on_disk["outcome"] == "captured" and on_disk["aids"] == "guided"
    report_schema(on_disk)
    assert "aids guided" in (out / "report.md").read_text()
    # The end screen: the outcome in green across the top, as wide as its text.
    image = pixels(app.screen, pygame.Rect(0, 0, 800, 50))
    green = near(image, GREEN, 10)
    cols = np.flatnonzero(green.any(axis=0))
    expected = Fonts(0.625).get(54).size("CAPTURED: PASS")[0]
    assert cols.size and abs((cols[-1] - cols[0] + 1) - expected) <= 4
    assert not near(image, RED, 10).any()

    rec = read_whole(out / "session.mcap")
    assert rec.metadata["aids"] == "guided" and rec.metadata["trainee"] == "Test Trainee"
    # The attempt joined the trainee's history, with its aid level.
    with HistoryStore() as store:
        mine = [
            a for a in store.attempts("Test Trainee") if a.recording and str(out) in a.recording
        ]
    assert len(mine) == 1 and mine[0].aids == "guided" and mine[0].outcome == "captured"
    # grade --pilot RECORDING (its own scenario and seed): the same outcome, trigger, score.
    assert (
        run_grade_command(
            "crs20-capture", str(out / "session.mcap"), None, tmp_path / "grade", history=False
        )
        == 0
    )
    graded = json.loads((tmp_path / "grade" / "report.json").read_text())
    assert graded["outcome"] == report["outcome"]
    assert graded["trigger"] == report["trigger"]
    assert graded["score"] == report["score"]


def test_keyboard_flies_the_arm_and_focus_loss_centres_the_controllers(
    tmp_path: Path, closing: list[FlyApp]
) -> None:
    app, _ = make_app(tmp_path / "kb")
    closing.append(app)
    run_frames(app, 5)
    # The rendered LEE camera shows the fixture's target where the camera geometry puts it.
    main = app.workstation.layout.rects["main"]  # type: ignore[union-attr]
    uv = standoff_pixel(app.telemetry, main.size)  # type: ignore[arg-type]
    assert uv is not None
    assert_target_at(pixels(app.screen, main), *uv)
    start = np.array(app.telemetry.lee_position_world_m)  # type: ignore[union-attr]
    key(app, "w")
    run_frames(app, 60)
    t = app.telemetry
    assert t is not None and t.hand_controller.thc[0] == 1.0
    assert np.linalg.norm(np.array(t.lee_position_world_m) - start) > 0.02
    # The hand-controller panel shows the deflection: a cyan bar right of THC X's centre.
    hands = app.workstation.layout.rects["hands"]  # type: ignore[union-attr]
    assert near(pixels(app.screen, hands), (90, 200, 255), 10).sum() > 100
    pygame.event.post(pygame.event.Event(pygame.WINDOWFOCUSLOST))
    run_frames(app, 3)
    t = app.telemetry
    assert t is not None and t.hand_controller.thc == (0.0, 0.0, 0.0)
    # The window says why: the red banner over the LEE monitor.
    main = app.workstation.layout.rects["main"]  # type: ignore[union-attr]
    assert near(pixels(app.screen, main), RED, 5).sum() > 2000
    pygame.event.post(pygame.event.Event(pygame.WINDOWFOCUSGAINED))
    key(app, "w", down=False)
    key(app, "w")
    run_frames(app, 3)
    assert app.telemetry is not None and app.telemetry.hand_controller.thc[0] == 1.0


def test_escape_mid_session_finalizes_and_shows_the_end_screen(
    tmp_path: Path, closing: list[FlyApp]
) -> None:
    out = tmp_path / "esc"
    app, _ = make_app(out, aids=AidLevel.CREW)
    closing.append(app)
    run_frames(app, 30)
    key(app, "escape")
    app.frame()
    assert app.state == "end"
    rec = read_whole(out / "session.mcap")
    assert rec.summary is not None and rec.summary["outcome"] == "interrupted"
    report = json.loads((out / "report.json").read_text())
    assert report["aids"] == "crew"
    assert "Esc" in report["outcome_reason"]
    # Fly again: a new attempt in a new folder, same aids.
    key(app, "return")
    app.frame()
    assert app.state == "flying" and app.attempt is not None
    assert app.attempt.out_dir == tmp_path / "esc-2" and app.attempt.aids is AidLevel.CREW
    pygame.event.post(pygame.event.Event(pygame.QUIT))  # the window closed
    app.frame()
    assert app.state == "quit"
    assert read_whole(tmp_path / "esc-2" / "session.mcap").summary is not None


def test_start_screen_sets_scenario_aids_and_name(tmp_path: Path, closing: list[FlyApp]) -> None:
    app, _ = make_app(tmp_path / "start", scenario=None)
    closing.append(app)
    app.frame()
    assert app.state == "start"
    ids = [sid for sid, _ in app.choice.scenarios]
    key(app, "down")  # next scenario
    key(app, "tab")
    key(app, "right")  # guided -> crew
    key(app, "right")  # crew -> none
    key(app, "tab")
    app.frame()
    for ch in "Ann":
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=ch))
    key(app, "return")
    app.frame()
    assert app.state == "flying" and app.attempt is not None
    assert app.attempt.session.scenario.id == ids[1]
    assert app.attempt.aids is AidLevel.NONE
    assert app.attempt.trainee == "Test TraineeAnn"  # typed after the --trainee default
    app.quit("test over")
    assert read_whole(app.finished[-1].out_dir / "session.mcap").metadata["aids"] == "none"


def test_a_machine_that_cannot_keep_up_slows_the_simulation_and_records_it(
    tmp_path: Path, closing: list[FlyApp]
) -> None:
    out = tmp_path / "slow"
    app, _ = make_app(out, frame_s=0.5)  # every frame takes half a second
    closing.append(app)
    run_frames(app, 8)
    session = app.attempt.session  # type: ignore[union-attr]
    # Every owed tick up to the bound is run; the rest of the wall time is not owed.
    assert session.tick_count == 7 * 6  # the first frame is at the start time: no tick due
    slowed = [e for e in session.events if e.kind == "realtime_slowed"]
    assert slowed
    app.quit("test over")
    events = [e for e in read_whole(out / "session.mcap").events if e["kind"] == "realtime_slowed"]
    # The recording says by how much in all: 7 frames of 0.5 s, 0.1 s of it simulated each.
    assert events[-1]["behind_wall_s"] == pytest.approx(7 * 0.4, abs=0.02)
    validator = jsonschema.Draft202012Validator(EVENT_SCHEMA)
    for event in read_whole(out / "session.mcap").events:  # the window's events too
        assert not list(validator.iter_errors(event)), event


def test_help_overlay_lists_the_bindings_and_camera_key_cycles_monitors(
    tmp_path: Path, closing: list[FlyApp]
) -> None:
    app, _ = make_app(tmp_path / "help", aids=AidLevel.NONE)
    closing.append(app)
    run_frames(app, 2)
    before = list(app.cameras)
    key(app, "c")
    run_frames(app, 2)
    key(app, "c", down=False)
    run_frames(app, 2)
    assert app.cameras == before[1:] + before[:1]
    assert Button.CAMERA.value == "camera"
    plain = pixels(app.screen).copy()
    key(app, "f1")
    app.frame()
    assert app.help
    shown = pixels(app.screen)
    # The overlay covers the workstation and writes the bindings in readout green.
    readout = (120, 235, 160)
    assert near(shown, readout, 10).sum() > near(plain, readout, 10).sum() + 500
    assert not np.array_equal(shown, plain)


def test_resize_full_screen_and_reset(tmp_path: Path, closing: list[FlyApp]) -> None:
    out = tmp_path / "reset"
    app, _ = make_app(out)
    closing.append(app)
    run_frames(app, 3)
    # The window was resized to 960x540: every display scales with it.
    app.screen = pygame.display.set_mode((960, 540), pygame.RESIZABLE)
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=960, h=540, size=(960, 540)))
    run_frames(app, 4)
    ws = app.workstation
    assert ws is not None and ws.layout.scale == pytest.approx(0.75)
    main = ws.layout.rects["main"]
    assert main.size == (492, 369)
    image = pixels(app.screen, main)
    cx, cy = main.w // 2, main.h // 2
    assert near(image[cy - 3 : cy + 4, cx + 15 : cx + 45], OVERLAY).any()
    key(app, "f11")
    app.frame()
    assert app.fullscreen
    key(app, "f11")
    app.frame()
    assert not app.fullscreen and app.screen.get_size() == (960, 540)
    # F5: the attempt ends (finalized) and starts again in a new folder.
    key(app, "f5")
    app.frame()
    assert app.state == "flying" and app.attempt is not None
    assert app.attempt.out_dir == tmp_path / "reset-2"
    first = read_whole(out / "session.mcap")
    assert first.summary is not None
    assert any(e["kind"] == "end" and "reset" in e["reason"] for e in first.events)


@pytest.mark.parametrize("aids", list(AidLevel))
def test_aid_levels_change_what_the_window_shows(
    aids: AidLevel, tmp_path: Path, closing: list[FlyApp]
) -> None:
    app, _ = make_app(tmp_path / aids.value, aids=aids, size=(640, 360))
    closing.append(app)
    run_frames(app, 12)  # M2 reads the displays at 10 Hz: the first call is due
    ws = app.workstation
    assert ws is not None
    overlay = near(pixels(app.screen, ws.layout.rects["main"]), OVERLAY, 10).sum()
    m2 = [text for _, text, _ in app.attempt.log if text.startswith("M2:")]  # type: ignore[union-attr]
    # Lit text pixels of the status display (the tier colours included).
    status = int((pixels(app.screen, ws.layout.rects["status"]).max(axis=-1) > 150).sum())
    if aids is AidLevel.NONE:
        assert overlay == 0 and not m2
    else:
        assert overlay > 200 and m2
    # Guided adds every capture number to the status display.
    if aids is AidLevel.GUIDED:
        assert status > 850
    else:
        assert status < 700


def test_cpu_fallback_is_said_on_screen(tmp_path: Path, closing: list[FlyApp]) -> None:
    def cpu_feed(
        session: Session, telemetry: Callable[[], Telemetry | None]
    ) -> tuple[CameraFeed, str]:
        feed = RenderedFeed(session.scenario, telemetry, prefer="cpu")
        return feed, feed.label

    app, _ = make_app(tmp_path / "cpu", size=(640, 360), feed_factory=cpu_feed)
    closing.append(app)
    run_frames(app, 2)
    assert "software fallback" in app.feed_label
    ws = app.workstation
    assert ws is not None
    main = ws.layout.rects["main"]
    # The reduced image fills the monitor, and the label is written at its bottom right.
    image = pixels(app.screen, main)
    assert image[main.h // 4 : 3 * main.h // 4, main.w // 4 : 3 * main.w // 4].std() > 5
    corner = image[-12:, main.w // 2 :]
    assert near(corner, (255, 176, 32), 40).sum() > 30
