"""The replay window: the workstation as it was at any instant of a recording, with the
instructor's transport, free camera, timeline, plots and notes.

Layout (1600x960 reference, scaled to the window and centred): the workstation of
``fly`` top-left (trainer/ui/workstation.py: its three monitors re-rendered from the
recorded poses, status, caution and warning, call log, hand controllers), the free
camera and the replay panel down the right, the timeline and plot strip along the bottom.

Keys (also listed in the window):

| key                       | does                                                  |
|---------------------------|-------------------------------------------------------|
| Space                     | play / pause                                          |
| Up / Down                 | faster / slower (0.25x ... 16x)                       |
| Left / Right              | one control tick (1/60 s) back / forward (pauses)     |
| Shift / Ctrl + Left/Right | 1 s / 10 s back / forward                             |
| Page Up / Page Down, , .  | previous / next event marker                          |
| Home / End                | start / end of the recording                          |
| click or drag             | on the timeline or plots: seek                        |
| N                         | pin a note at the current instant (Return saves)      |
| Tab                       | rotate the cameras over the three monitors            |
| C                         | free camera: orbit LEE, orbit Dragon, ride LEE camera |
| drag / wheel, A D W S Z X | orbit and zoom the free camera                        |
| Esc, Q                    | quit                                                  |

A seek redraws every display at once (docs/DESIGN.md §9: a seek within 0.2 s); while
playing the displays keep the workstation's own refresh rates. When nothing moves the
window only waits for input.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pygame

from trainer.clock import CONTROL_TICK_S
from trainer.errors import TrainerError, one_line
from trainer.record.notes import append_note, read_notes
from trainer.record.seek import open_recording
from trainer.telemetry import Telemetry
from trainer.ui.feeds import CAMERAS
from trainer.ui.pacing import FRAME_S, FrameSchedule
from trainer.ui.replay.cameras import FreeCamera, ReplayFeed
from trainer.ui.replay.model import Marker, ReplayModel, StateScan, scan_states
from trainer.ui.replay.panel import draw_note_entry, draw_replay_panel
from trainer.ui.replay.strip import Strip
from trainer.ui.theme import (
    AMBER,
    BACKGROUND,
    CYAN,
    PANEL_EDGE,
    READOUT,
    RED,
    TEXT,
    TITLE,
    Colour,
    Fonts,
)
from trainer.ui.workstation import FrameState, Layout, Workstation

REFERENCE_SIZE = (1600, 960)
LAYOUT = {
    "workstation": (0, 0, 1280, 720),
    "free": (1284, 6, 310, 232),
    "panel": (1284, 244, 310, 470),
    "strip": (0, 720, 1600, 240),
}
SPEEDS: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
NOTE_AUTHOR = "instructor"
# The trainee's acknowledgements are not recorded (model.ReplayModel.alerts_at): the light
# shows what was lit, and M is no key here.
REPLAY_ALARM_HINT = "as lit then (acknowledgements are not recorded)"
LOG_COLOURS: dict[str, Colour] = {
    "m2": CYAN,
    "call": TEXT,
    "fault": AMBER,
    "contact": RED,
    "capture": READOUT,
    "device": AMBER,
}


class ReplayViewer:
    """The window (see the module docstring). ``run()`` until quit; tests call
    ``handle``/``frame`` with posted events and read ``screen``."""

    def __init__(
        self,
        model: ReplayModel,
        screen: pygame.Surface,
        *,
        start_s: float | None = None,
        clock: Callable[[], float] = time.perf_counter,
        sleep: Callable[[float], None] = time.sleep,
        feed: ReplayFeed | None = None,
    ) -> None:
        self.model = model
        self.path = model.recording.path
        self.screen = screen
        self._clock = clock
        self._sleep = sleep
        self._schedule = FrameSchedule()
        self.t = model.snap_to_tick(model.start_s if start_s is None else start_s)
        self.playing = False
        self.speed_index = SPEEDS.index(1.0)
        self.cameras = list(CAMERAS)
        self.free_camera = FreeCamera()
        self.snapshot: Telemetry | None = None
        self.feed = feed or ReplayFeed(model.scenario, lambda: self.snapshot)
        self.notes, self.notes_skipped, self.notes_omitted = read_notes(self.path)
        if self.notes_omitted:
            print(f"note: notes left out: {self.notes_omitted}", file=sys.stderr)
        for note in self.notes:
            model.add_note(note.time_s, note.text)
        self.note_text: str | None = None  # the note being typed, None when not typing
        self._swallow = ""
        self.hover: tuple[tuple[int, int], Marker | None] = ((0, 0), None)
        self.saved_message: tuple[str, float] | None = None
        self.quit = False
        self.frames = 0
        self.last_seek_redraw_s: float | None = None
        self._seek_started: float | None = None
        self._dragging: str | None = None  # "strip" or "free"
        self._shown_t: float | None = None
        self._last_clock = clock()
        self._free_dirty = True
        self.scan_progress = 0.0
        self.scan_error: str | None = None
        self._scan_result: StateScan | None = None
        self.resize(screen.get_size())
        if model.pending:  # the /state pass in the background: the window answers at once
            threading.Thread(target=self._scan, name="replay-state-pass", daemon=True).start()

    def _scan(self) -> None:
        """The /state pass (trainer/ui/replay/model.py) on its own handle of the file."""

        def progress(fraction: float) -> None:
            self.scan_progress = fraction

        try:
            with open_recording(self.path) as recording:
                self._scan_result = scan_states(recording, self.model, progress)
        except Exception as exc:  # a damaged chunk: the plots stay empty, the window says why
            self.scan_error = (str(exc).splitlines() or [type(exc).__name__])[0]

    # ------------------------------------------------------------------ layout
    def resize(self, size: tuple[int, int]) -> None:
        layout = Layout.fit(size, REFERENCE_SIZE, LAYOUT)
        self.scale, self.rects = layout.scale, layout.rects
        self.fonts = Fonts(self.scale)
        self._ws_surface = self.screen.subsurface(self.rects["workstation"])
        if not hasattr(self, "workstation"):
            self.workstation = Workstation(
                self.feed,
                self.rects["workstation"].size,
                alarm_hint=REPLAY_ALARM_HINT,
                cbcs=self.model.scenario.berthing is not None,
            )
        else:
            self.workstation.resize(self.rects["workstation"].size)
        self.strip = Strip(self.model, self.rects["strip"], self.fonts)
        self.screen.fill(BACKGROUND)
        self._shown_t = None
        self._free_dirty = True

    # ------------------------------------------------------------------ transport
    @property
    def speed(self) -> float:
        return SPEEDS[self.speed_index]

    def seek(self, t: float) -> None:
        """Show instant ``t`` (snapped to a control tick); every display is redrawn."""
        self.t = self.model.snap_to_tick(t)
        self._seek_started = self._clock()
        self.workstation.redraw_all()
        self._free_dirty = True

    def step_ticks(self, n: int) -> None:
        self.playing = False
        self.seek(self.t + n * CONTROL_TICK_S)

    def toggle_play(self) -> None:
        if not self.playing and self.t >= self.model.end_s - 1e-9:
            self.seek(self.model.start_s)  # at the end, play from the start again
        self.playing = not self.playing

    def jump_event(self, forward: bool) -> None:
        marker = self.model.next_marker(self.t) if forward else self.model.previous_marker(self.t)
        if marker is not None:
            self.playing = False
            self.seek(marker.time_s)

    # ------------------------------------------------------------------ notes
    def begin_note(self, key_text: str = "") -> None:
        """Open the note entry. ``key_text``: the character of the key that opened it,
        whose own TEXTINPUT event follows (SDL has text input on) and is not typed."""
        self.playing = False
        self.note_text = ""
        self._swallow = key_text
        pygame.key.start_text_input()

    def finish_note(self, save: bool) -> None:
        text = (self.note_text or "").strip()
        self.note_text = None
        pygame.key.stop_text_input()
        if save and text:
            try:
                note = append_note(self.path, self.t, text, NOTE_AUTHOR)
            except (TrainerError, OSError) as exc:  # a link or a full disk: said, not a crash
                why = one_line(exc) if isinstance(exc, TrainerError) else exc.strerror
                self.saved_message = (f"note not saved: {why}", self._clock())
                return
            self.notes.append(note)
            self.notes.sort(key=lambda n: n.time_s)
            self.model.add_note(note.time_s, note.text)
            self.strip.rebuild()
            self.saved_message = (f"note saved to {self.path.name}.notes.jsonl", self._clock())

    # ------------------------------------------------------------------ input
    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.quit = True
        elif event.type in (pygame.VIDEORESIZE, getattr(pygame, "WINDOWSIZECHANGED", -1)):
            self.resize(self.screen.get_size())
        elif self.note_text is not None:
            self._note_event(event)
        elif event.type == pygame.KEYDOWN:
            self._key(event)
        elif event.type == pygame.MOUSEBUTTONDOWN:
            self._mouse_down(event)
        elif event.type == pygame.MOUSEBUTTONUP:
            self._dragging = None
        elif event.type == pygame.MOUSEMOTION and self._dragging is None:
            self.hover = (event.pos, self.strip.marker_near(event.pos))
        elif event.type == pygame.MOUSEMOTION and self._dragging is not None:
            if self._dragging == "strip":
                self.seek(self.strip.t_of(event.pos[0]))
            else:
                dx, dy = event.rel
                self.free_camera.orbit(-dx * 0.5, dy * 0.5)
                self._free_dirty = True
        elif event.type == pygame.MOUSEWHEEL:
            self.free_camera.zoom(0.85 if event.y > 0 else 1.0 / 0.85)
            self._free_dirty = True

    def _note_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.TEXTINPUT:
            if self._swallow and event.text == self._swallow:
                self._swallow = ""
                return
            self._swallow = ""
            self.note_text = (self.note_text or "") + event.text
        elif event.type == pygame.KEYDOWN:
            self._swallow = ""
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.finish_note(save=True)
            elif event.key == pygame.K_ESCAPE:
                self.finish_note(save=False)
            elif event.key == pygame.K_BACKSPACE:
                self.note_text = (self.note_text or "")[:-1]

    def _key(self, event: pygame.event.Event) -> None:
        key, mods = event.key, event.mod
        big = 10.0 if mods & pygame.KMOD_CTRL else 1.0 if mods & pygame.KMOD_SHIFT else 0.0
        if key in (pygame.K_ESCAPE, pygame.K_q):
            self.quit = True
        elif key == pygame.K_SPACE:
            self.toggle_play()
        elif key == pygame.K_UP:
            self.speed_index = min(self.speed_index + 1, len(SPEEDS) - 1)
        elif key == pygame.K_DOWN:
            self.speed_index = max(self.speed_index - 1, 0)
        elif key in (pygame.K_LEFT, pygame.K_RIGHT):
            sign = 1 if key == pygame.K_RIGHT else -1
            if big:
                self.playing = False
                self.seek(self.t + sign * big)
            else:
                self.step_ticks(sign)
        elif key in (pygame.K_PAGEDOWN, pygame.K_PERIOD):
            self.jump_event(forward=True)
        elif key in (pygame.K_PAGEUP, pygame.K_COMMA):
            self.jump_event(forward=False)
        elif key == pygame.K_HOME:
            self.seek(self.model.start_s)
        elif key == pygame.K_END:
            self.playing = False
            self.seek(self.model.end_s)
        elif key == pygame.K_n:
            self.begin_note(getattr(event, "unicode", ""))
        elif key == pygame.K_TAB:
            self.cameras = self.cameras[1:] + self.cameras[:1]
            self.workstation.redraw_all()
            self._shown_t = None
        elif key == pygame.K_c:
            self.free_camera.cycle()
            self._free_dirty = True
        elif key in (pygame.K_a, pygame.K_d, pygame.K_w, pygame.K_s, pygame.K_z, pygame.K_x):
            fc = self.free_camera
            if key in (pygame.K_z, pygame.K_x):
                fc.zoom(0.8 if key == pygame.K_z else 1.25)
            else:
                d = {pygame.K_a: (-15, 0), pygame.K_d: (15, 0), pygame.K_w: (0, 10)}
                fc.orbit(*d.get(key, (0, -10)))
            self._free_dirty = True

    def _mouse_down(self, event: pygame.event.Event) -> None:
        if event.button != 1:
            return
        if self.strip.hit(event.pos):
            self._dragging = "strip"
            self.playing = False
            self.seek(self.strip.t_of(event.pos[0]))
        elif self.rects["free"].collidepoint(event.pos):
            self._dragging = "free"

    # ------------------------------------------------------------------ the loop
    def run(self) -> None:
        while not self.quit:
            self.frame()

    def frame(self, events: list[pygame.event.Event] | None = None) -> None:
        start = self._clock()
        dt, self._last_clock = start - self._last_clock, start
        for event in pygame.event.get() if events is None else events:
            self.handle(event)
            if self.quit:
                return
        scan, self._scan_result = self._scan_result, None
        if scan is not None:
            self.model.absorb(scan)
            self.strip.rebuild()
            self.workstation.redraw_all()
            self._shown_t = None
        if self.playing:
            t = self.t + min(dt, 0.25) * self.speed
            if t >= self.model.end_s:
                t, self.playing = self.model.end_s, False
            self.t = t
        moved = self._shown_t != self.t
        if moved:
            self.snapshot = self.model.snapshot_at(self.t)
            self._shown_t = self.t
            self._draw_workstation()
        seeked = self._seek_started is not None
        # While playing, the free camera and the replay panel refresh at 15 Hz (the rate of
        # the workstation's side monitors and panels): a frame then holds one camera
        # render at most besides the main monitor's (docs/DESIGN.md §9)
        if self._free_dirty or (moved and (seeked or self.frames % 4 == 1)):
            self._draw_free()
            self._free_dirty = False
        if (
            seeked
            or (moved and not self.playing)
            or self.frames % 4 == 2
            or self.note_text is not None
        ):
            self._draw_panel()
        self.strip.draw(self.screen, self.t)
        pos, marker = self.hover
        if marker is not None and self._dragging is None:
            self.strip.draw_label(self.screen, pos, marker)
        if self.note_text is not None:
            draw_note_entry(
                self.screen, self.rects["workstation"], self.fonts, self.t, self.note_text
            )
        pygame.display.flip()
        self.frames += 1
        now = self._clock()
        if self._seek_started is not None:
            self.last_seek_redraw_s = now - self._seek_started
            self._seek_started = None
        idle = not self.playing and not moved and self._dragging is None
        if idle:  # nothing moves: a quarter of the frame rate, then a fresh schedule
            self._schedule.restart()
            self._sleep(max(0.0, 4 * FRAME_S - (now - start)))
        else:
            self._sleep(self._schedule.sleep_s(now))

    def _draw_workstation(self) -> None:
        t = self.snapshot
        if t is None:
            return
        items, alarm = self.model.alerts_at(t)
        meta = self.model.recording.metadata
        state = FrameState(
            scenario=self.model.scenario,
            aids=self.model.aids,
            device=str(meta.get("device") or meta.get("pilot") or "recorded"),
            trainee=str(meta.get("trainee") or ""),
            cameras=self.cameras,
            alerts=items,
            alarm=alarm,
            log=[
                (x.time_s, x.text, LOG_COLOURS.get(x.category, TEXT))
                for x in self.model.log_at(self.t)
            ],
            feed_label=("REPLAY " + self.feed.label).strip(),
            banner="HAND CONTROLLER LOST" if not t.hand_controller.connected else None,
        )
        self.workstation.draw(self._ws_surface, t, state)

    def _draw_free(self) -> None:
        rect = self.rects["free"]
        image = self.feed.free(self.free_camera, rect.size)
        surface = self.screen.subsurface(rect)
        if image is None:
            surface.fill((6, 6, 8))
            self.fonts.text(
                surface,
                "FREE CAMERA NEEDS THE RENDERER",
                surface.get_rect().center,
                16,
                RED,
                anchor="center",
            )
        else:
            h, w = image.shape[0], image.shape[1]
            picture = pygame.image.frombuffer(image.tobytes(), (w, h), "RGB")
            if (w, h) != rect.size:
                picture = pygame.transform.scale(picture, rect.size)
            surface.blit(picture, (0, 0))
        strip_h = round(19 * self.scale)
        shade = pygame.Surface((rect.w, strip_h), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 150))
        surface.blit(shade, (0, rect.h - strip_h))
        self.fonts.text(surface, self.free_camera.title, (6, rect.h - strip_h + 2), 15, TITLE)
        pygame.draw.rect(surface, PANEL_EDGE, surface.get_rect(), 1)

    def _draw_panel(self) -> None:
        message = None
        if self.saved_message is not None:
            text, when = self.saved_message
            if self._clock() - when < 4.0:
                message = text
            else:
                self.saved_message = None
        draw_replay_panel(
            self.screen,
            self.rects["panel"],
            self.fonts,
            self.model,
            self.t,
            playing=self.playing,
            speed=self.speed,
            notes=self.notes,
            message=message,
            reading=self.scan_progress if self.model.pending and not self.scan_error else None,
            error=self.scan_error,
        )

    def save_screenshot(self, path: Path) -> None:
        pygame.image.save(self.screen, str(path))

    def close(self) -> None:
        self.feed.close()
