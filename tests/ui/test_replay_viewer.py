"""The replay viewer driven headless (SDL dummy driver, posted pygame events): seeking
shows what was recorded at that instant, the transport moves through the recording, the
timeline carries the event markers, notes go to the sidecar and into the debrief, and the
recording itself is never written."""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pygame
import pytest

from trainer.debrief.command import build_debrief
from trainer.record.decode import scenario_of
from trainer.record.notes import notes_path, read_notes
from trainer.record.seek import open_recording
from trainer.render import Renderer, Scene, lighting_for, poses_from_state
from trainer.ui.replay.app import ReplayViewer
from trainer.ui.replay.model import build_model
from trainer.ui.replay.strip import LANES, MARKER_COLOURS, NOTE
from trainer.ui.theme import RED

from .helpers import FakeClock

SIZE = (1600, 960)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def recording(graded_recording: Path, tmp_path: Path) -> Path:
    """A private copy (notes are written beside it)."""
    target = tmp_path / "session.mcap"
    shutil.copyfile(graded_recording, target)
    return target


@pytest.fixture
def viewer(recording: Path) -> Iterator[ReplayViewer]:
    rec = open_recording(recording)
    model = build_model(rec, scenario_of(recording, rec.metadata))
    pygame.init()
    screen = pygame.display.set_mode(SIZE)
    clock = FakeClock()
    app = ReplayViewer(model, screen, clock=clock.now, sleep=clock.sleep)
    app.frame([])
    try:
        yield app
    finally:
        app.close()
        rec.close()
        pygame.quit()


def _pixels(surface: pygame.Surface, rect: pygame.Rect) -> np.ndarray:  # type: ignore[type-arg]
    return pygame.surfarray.array3d(surface.subsurface(rect)).swapaxes(0, 1).astype(int)


def _key(key: int, mod: int = 0) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="")


def _click(pos: tuple[int, int]) -> list[pygame.event.Event]:
    return [
        pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=pos),
        pygame.event.Event(pygame.MOUSEBUTTONUP, button=1, pos=pos),
    ]


def _lee_monitor(viewer: ReplayViewer) -> pygame.Rect:
    ws = viewer.rects["workstation"]
    return viewer.workstation.layout.rects["main"].move(ws.topleft)


def _lee_render(recording: Path, t: float, size: tuple[int, int]) -> np.ndarray:  # type: ignore[type-arg]
    """The LEE camera image drawn straight from the /state recorded at ``t``."""
    with open_recording(recording) as rec:
        state = rec.state_at(t)
        scenario = scenario_of(recording, rec.metadata)
    assert state is not None
    scene = Scene.for_scenario(scenario)
    with Renderer.create(scene) as renderer:
        image = renderer.render(
            "lee", poses_from_state(state, scene), size, lighting_for(scenario, state["time_s"])
        )
    return image.astype(int)


def test_a_click_on_the_timeline_shows_the_state_recorded_at_that_instant(
    viewer: ReplayViewer, recording: Path
) -> None:
    x = round(viewer.strip.x_of(30.0))
    viewer.frame(_click((x, viewer.strip.timeline.centery)))
    t = viewer.t
    assert abs(t - 30.0) < 0.1
    with open_recording(recording) as rec:
        state = rec.state_at(t)
    assert state is not None and viewer.snapshot is not None
    # the status display's numbers are those of the /state message at that instant
    assert viewer.snapshot.time_s == pytest.approx(state["time_s"])
    assert viewer.snapshot.range_m == state["range_m"]
    assert viewer.snapshot.free_drift_elapsed_s == state["free_drift_elapsed_s"]
    assert viewer.snapshot.joint_angles_rad == pytest.approx(state["joints"]["angles_rad"])
    # the LEE monitor shows the Dragon where the recorded poses put it: the image matches a
    # render of that /state (outside the overlay's thin lines), not one 15 s earlier
    monitor = _lee_monitor(viewer)
    shown = _pixels(viewer.screen, monitor)
    strip = round(20 * viewer.workstation.fonts.scale)  # the camera title strip
    now = _lee_render(recording, t, monitor.size)
    before = _lee_render(recording, t - 15.0, monitor.size)

    def agreement(image: np.ndarray) -> float:  # type: ignore[type-arg]
        close = np.abs(shown - image).max(axis=2) <= 12
        return float(close[:-strip].mean())

    assert agreement(now) > 0.85
    assert agreement(before) < agreement(now) - 0.2


def test_transport_plays_steps_and_jumps_between_events(viewer: ReplayViewer) -> None:
    model = viewer.model
    assert viewer.t == model.start_s and not viewer.playing
    for _ in range(6):
        viewer.frame([_key(pygame.K_UP)])
    assert viewer.speed == 16.0
    viewer.frame([_key(pygame.K_SPACE)])
    t0 = viewer.t
    for _ in range(30):  # half a second of wall time at 16x
        viewer.frame([])
    assert viewer.playing and viewer.t - t0 == pytest.approx(8.0, abs=0.6)
    viewer.frame([_key(pygame.K_SPACE)])
    assert not viewer.playing
    t1 = viewer.t
    viewer.frame([_key(pygame.K_RIGHT)])
    assert viewer.t == pytest.approx(t1 + 1 / 60, abs=1e-6)
    viewer.frame([_key(pygame.K_LEFT), _key(pygame.K_LEFT)])
    assert viewer.t == pytest.approx(t1 - 1 / 60, abs=1e-6)
    viewer.frame([_key(pygame.K_RIGHT, pygame.KMOD_SHIFT)])
    assert viewer.t == pytest.approx(t1 - 1 / 60 + 1.0, abs=1e-6)
    for _ in range(8):
        viewer.frame([_key(pygame.K_DOWN)])
    assert viewer.speed == 0.25
    trigger = next(m for m in model.markers if m.category == "trigger")
    while viewer.t < trigger.time_s - 1e-6:
        viewer.frame([_key(pygame.K_PAGEDOWN)])
    assert viewer.t == pytest.approx(trigger.time_s, abs=1 / 60)
    assert viewer.snapshot is not None and viewer.snapshot.time_s <= trigger.time_s + 1e-9
    viewer.frame([_key(pygame.K_PAGEUP)])
    assert viewer.t < trigger.time_s
    viewer.frame([_key(pygame.K_END)])
    assert viewer.t == pytest.approx(model.end_s, abs=1 / 60)
    assert viewer.snapshot is not None and viewer.snapshot.capture_state.value in (
        "rigidizing",
        "rigid",
    )


def test_the_timeline_shows_the_event_markers(viewer: ReplayViewer) -> None:
    strip = viewer.strip
    lane = LANES[0][0]
    assert lane == "EVENTS"
    y = strip.timeline.y + 2 + strip.lane_h // 2
    trigger = next(m for m in viewer.model.markers if m.category == "trigger")
    drift = next(m for m in viewer.model.markers if m.label == "FREE DRIFT START")

    def colour_at(t: float) -> tuple[int, int, int]:
        x = round(strip.x_of(t))
        row = [tuple(viewer.screen.get_at((x + dx, y)))[:3] for dx in (-1, 0, 1)]
        return max(row, key=sum)  # type: ignore[return-value]

    viewer.frame([_key(pygame.K_END)])  # the cursor away from the markers
    assert colour_at(trigger.time_s) == MARKER_COLOURS["trigger"]
    assert colour_at(drift.time_s) == MARKER_COLOURS["drift"]
    quiet = colour_at((drift.time_s + trigger.time_s) / 2)
    assert quiet not in MARKER_COLOURS.values()
    # the mouse over a marker labels it
    pos = (round(strip.x_of(trigger.time_s)) + 1, y)
    viewer.frame([pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))])
    assert viewer.hover[1] is trigger
    label = _pixels(viewer.screen, strip.rect)
    assert (np.abs(label - np.array(MARKER_COLOURS["trigger"])).max(axis=2) == 0).sum() > 400


def test_a_note_goes_to_the_sidecar_the_timeline_and_the_debrief_never_the_recording(
    viewer: ReplayViewer, recording: Path
) -> None:
    digest = _sha(recording)
    viewer.frame([_key(pygame.K_RIGHT, pygame.KMOD_CTRL)] * 4)
    at = viewer.t
    typed = "Trigger pulled with the roll still settling"
    viewer.frame(
        [  # as SDL delivers them: the N key's own text follows its key press
            pygame.event.Event(pygame.KEYDOWN, key=pygame.K_n, mod=0, unicode="n"),
            pygame.event.Event(pygame.TEXTINPUT, text="n"),
            pygame.event.Event(pygame.TEXTINPUT, text=typed + "x"),
            _key(pygame.K_BACKSPACE),
            _key(pygame.K_RETURN),
        ]
    )
    notes, skipped, _omitted = read_notes(recording)
    assert skipped == 0 and [(n.time_s, n.text) for n in notes] == [(at, typed)]
    assert notes_path(recording).exists()
    # on the timeline: a flag in the NOTES lane at that instant
    viewer.frame([_key(pygame.K_HOME)])
    strip = viewer.strip
    y = strip.timeline.y + 2 + 3 * strip.lane_h + strip.lane_h // 2
    x = round(strip.x_of(at))
    assert tuple(viewer.screen.get_at((x, y)))[:3] == NOTE
    # Escape while typing cancels, nothing written
    viewer.frame(
        [_key(pygame.K_n), pygame.event.Event(pygame.TEXTINPUT, text="no"), _key(pygame.K_ESCAPE)]
    )
    assert len(read_notes(recording)[0]) == 1 and not viewer.quit
    assert _sha(recording) == digest
    # report reads the sidecar: the note is in report.json's debrief and the page
    with open_recording(recording) as rec:
        report, page = build_debrief(rec)
    assert [n["text"] for n in report["debrief"]["annotations"]] == [typed]
    assert typed in page
    assert _sha(recording) == digest


def test_the_free_camera_orbits_and_rides_the_lee_camera(viewer: ReplayViewer) -> None:
    rect = viewer.rects["free"]
    first = _pixels(viewer.screen, rect)
    viewer.frame([_key(pygame.K_d)] * 4)
    orbited = _pixels(viewer.screen, rect)
    assert np.abs(first - orbited).mean() > 5
    viewer.frame([_key(pygame.K_c), _key(pygame.K_c)])
    assert viewer.free_camera.mode == "ride"
    ride = _pixels(viewer.screen, rect)
    assert np.abs(ride - orbited).mean() > 5


def test_the_window_reads_the_states_in_the_background_to_the_same_result(
    recording: Path,
) -> None:
    from trainer.ui.replay.model import open_model

    with open_recording(recording) as rec:
        scenario = scenario_of(recording, rec.metadata)
        full = build_model(rec, scenario)
        model = open_model(rec, scenario)
        assert model.pending and len(model.series.t_s) == 0
        assert {m.category for m in model.markers} >= {"drift", "trigger", "capture", "end"}
        pygame.init()
        viewer = ReplayViewer(model, pygame.display.set_mode((800, 480)), sleep=lambda s: None)
        try:
            # Wait for the background reader on the wall clock (with a breath between
            # frames), not a count of frames: on a loaded machine 600 frames came and went
            # before the reader thread had its turn.
            deadline = time.monotonic() + 60.0
            while model.pending and time.monotonic() < deadline:
                viewer.frame([])
                time.sleep(0.002)
            viewer.frame([])
        finally:
            viewer.close()
            pygame.quit()
    assert not model.pending and viewer.scan_error is None
    assert np.array_equal(model.series.range_m, full.series.range_m)
    assert [(x.time_s, x.text) for x in model.log] == [(x.time_s, x.text) for x in full.log]
    assert any(x.category == "m2" for x in model.log)  # M2's calls, as fly made them


def test_a_recording_cut_by_a_crash_shows_up_to_the_cut(recording: Path, tmp_path: Path) -> None:
    data = recording.read_bytes()
    cut = tmp_path / "cut.mcap"
    cut.write_bytes(data[: len(data) * 2 // 3])
    with open_recording(cut) as rec:
        assert rec.notice is not None
        model = build_model(rec, scenario_of(cut, rec.metadata))
        pygame.init()
        viewer = ReplayViewer(model, pygame.display.set_mode(SIZE), sleep=lambda s: None)
        try:
            viewer.frame([_key(pygame.K_END)])
            assert viewer.t == pytest.approx(rec.end_time_s, abs=1 / 60)
            assert viewer.snapshot is not None
            assert viewer.snapshot.time_s <= rec.end_time_s
            # the end of the time axis is marked in red: the recording stops there
            x = viewer.strip.timeline.right - 2
            column = _pixels(viewer.screen, pygame.Rect(x - 1, viewer.strip.timeline.y, 3, 20))
            assert (np.abs(column - np.array(RED)).max(axis=2) <= 10).any()
        finally:
            viewer.close()
            pygame.quit()


def test_the_alarm_light_does_not_offer_an_acknowledgement_the_viewer_cannot_take(
    viewer: ReplayViewer,
) -> None:
    """The trainee's acknowledgements are not recorded: under a lit master alarm the
    viewer says so instead of fly's "press M to acknowledge"."""
    from trainer.ui.replay.app import REPLAY_ALARM_HINT
    from trainer.ui.workstation import ACKNOWLEDGE_HINT

    assert viewer.workstation.alarm_hint == REPLAY_ALARM_HINT != ACKNOWLEDGE_HINT
    assert "M" not in REPLAY_ALARM_HINT.split()
