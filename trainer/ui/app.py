"""The window loop of ``fly``: start screen, the attempt, end screen, fly again.

One frame: read the window's events, run the control ticks the pacer says are due (each
with one hand-controller state from the device or the autopilot), update the calls and
the caution and warning items from the new snapshot, draw, present, and wait for the next
1/60 s frame. The session ticks exactly as in ``grade``: what it is handed is recorded
(/input), so ``grade --pilot RECORDING`` reproduces the attempt (docs/DESIGN.md §2, §7).

Window rules (the brief of docs/DESIGN.md §9 and the bad-input issue):
- focus lost: the hand controllers read as centred (no buttons) until focus returns;
- the active gamepad unplugged: the state goes ``connected=False``, the controller stops
  the arm, and the window says so until a pad is back or RESUME is pressed;
- a late frame is caught up tick by tick (bounded, ``pacing.py``); beyond the bound the
  simulation slows and a ``realtime_slowed`` event goes into the recording;
- quitting, a reset, a window close and SIGTERM/SIGHUP/SIGINT all finalize the recording
  and write the report (``finish_attempt``);
- with ``--live`` the session is streamed and an instructor's actions are applied between
  two ticks (trainer/ui/live.py, docs/DESIGN.md §12).
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pygame

from trainer.clock import STATE_EVERY_TICKS
from trainer.history.store import history_path
from trainer.input.source import AutoInput, InputSource, make_input
from trainer.input.state import Button, HandControllerState
from trainer.pilots import make_pilot
from trainer.quiet import fd2_silenced
from trainer.safeio import FolderLock, make_folder
from trainer.scenario.loader import list_scenarios, load_scenario
from trainer.scenario.model import Scenario
from trainer.session import Session
from trainer.telemetry import Telemetry
from trainer.ui.aids import AidLevel
from trainer.ui.alerts import MasterAlarm, alerts
from trainer.ui.attempt import (
    Attempt,
    FeedFactory,
    attempt_folder,
    default_data_dir,
    rendered_feed,
)
from trainer.ui.audio import AlarmTone
from trainer.ui.calls import M2Caller
from trainer.ui.feeds import CAMERAS
from trainer.ui.live import FROZEN_BANNER, LiveLink
from trainer.ui.pacing import Due, FrameSchedule, Pacer
from trainer.ui.screens import StartChoice, draw_end, draw_help, draw_start
from trainer.ui.theme import CYAN, Fonts
from trainer.ui.workstation import REFERENCE_SIZE, FrameState, Workstation

SLOW_EVENT_GAP_S = 1.0  # write realtime_slowed at most once a simulated second
_FOCUS_LOST = getattr(pygame, "WINDOWFOCUSLOST", -1)
_FOCUS_GAINED = getattr(pygame, "WINDOWFOCUSGAINED", -1)


@dataclass
class FlyOptions:
    scenario: str | None = None
    input_kind: str = "auto"
    aids: AidLevel = AidLevel.GUIDED
    trainee: str = ""
    pilot: str | None = None  # "autopilot" flies the demonstration
    out: Path | None = None
    seed: int | None = None
    size: tuple[int, int] = REFERENCE_SIZE
    data_dir: Path | None = None  # where per-session folders go without --out
    live: tuple[str, int] | None = None  # fly --live ADDRESS:PORT (trainer/ui/live.py)
    live_camera_hz: float = 5.0  # the LEE camera's JPEG rate on the stream


class FlyApp:
    """The window (see the module docstring). ``run()`` until the trainee quits; tests
    drive ``frame()`` with a fake ``clock``/``sleep``."""

    def __init__(
        self,
        options: FlyOptions,
        *,
        clock: Callable[[], float] = time.perf_counter,
        sleep: Callable[[float], None] = time.sleep,
        feed_factory: FeedFactory = rendered_feed,
        input_source: InputSource | None = None,
    ) -> None:
        self.options = options
        self._clock = clock
        self._sleep = sleep
        self._feed_factory = feed_factory
        # Present the window surface straight to the display (X11: shared-memory images)
        # instead of through an OpenGL texture: on Mesa's software rasteriser (no GPU) the
        # GL path cost ~6 ms of CPU per presented frame however little changed, the direct
        # path ~0.5 ms (measured under Xvfb, 1280x720, pygame 2.6.1 / SDL 2.28).
        os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")
        with fd2_silenced():  # the mixer's ALSA errors where there is no sound card
            pygame.init()
        # The device first: ``--input gamepad`` with none plugged in fails before a window opens.
        self.source = input_source if input_source is not None else make_input(options.input_kind)
        # Then the live server: an address it cannot listen on fails before a window opens.
        self.live = LiveLink(*options.live, options.live_camera_hz) if options.live else None
        pygame.display.set_caption("Canadarm2 capture trainer")
        self.screen = pygame.display.set_mode(options.size, pygame.RESIZABLE)
        self.windowed_size = options.size
        self.fullscreen = False
        self.fonts = Fonts(1.0)
        self.tone = AlarmTone()
        self.alarm = MasterAlarm()
        self.pacer = Pacer()
        self.state = "start"
        self.help = False
        self.focused = True
        self.stop_reason: str | None = None  # set by a signal handler: finalize and exit
        self.stop_signal: int | None = None
        self.attempt: Attempt | None = None
        self.finished: list[Attempt] = []
        self.workstation: Workstation | None = None
        self.cameras = list(CAMERAS)
        self._pending: list[pygame.event.Event] = []
        self._schedule = FrameSchedule()
        self._warm = False
        self.frame_times: list[float] = []
        self.telemetry: Telemetry | None = None
        self.feed_label = ""
        scenarios = [(s.id, s.title) for s in list_scenarios()]
        self.choice = StartChoice(scenarios, aids=options.aids, trainee=options.trainee)
        if options.scenario is not None:
            self.begin(options.scenario, options.aids, options.trainee)

    # ------------------------------------------------------------------ attempts
    def begin(self, scenario_ref: str, aids: AidLevel, trainee: str) -> None:
        scenario = load_scenario(scenario_ref)
        out_dir = attempt_folder(
            self.options.out,
            self.options.data_dir or default_data_dir(),
            len(self.finished) + (1 if self.attempt is not None else 0) + 1,
            scenario.id,
        )
        make_folder(out_dir, "--out")  # a link in its place is refused (trainer/safeio.py)
        lock = FolderLock(out_dir, "--out").acquire()  # held until the attempt is written
        seed = self.options.seed if self.options.seed is not None else secrets.randbelow(2**31)
        autopilot = self.options.pilot == "autopilot"
        try:
            session = self._session(scenario, seed, out_dir, aids, trainee, autopilot)
        except BaseException:
            lock.release()
            raise
        pilot = make_pilot("autopilot", scenario) if autopilot else None
        attempt = Attempt(
            session, out_dir, aids, trainee, pilot, M2Caller(scenario.envelope), scenario_ref
        )
        attempt.lock = lock
        self._start(attempt, scenario, seed, aids)

    def _session(
        self,
        scenario: Scenario,
        seed: int,
        out_dir: Path,
        aids: AidLevel,
        trainee: str,
        autopilot: bool,
    ) -> Session:
        return Session(
            scenario,
            seed,
            pilot="autopilot" if autopilot else f"trainee:{self.options.input_kind}",
            recording_path=out_dir / "session.mcap",
            mirror=self.live.server if self.live is not None else None,  # streamed (§12)
            extra_metadata={
                "aids": aids.value,
                "trainee": trainee,
                "input": self.options.input_kind,
            },
        )

    def _start(self, attempt: Attempt, scenario: Scenario, seed: int, aids: AidLevel) -> None:
        session = attempt.session
        for event in session.events:  # what the task and timeline said at t = 0, before us
            attempt.on_event(event)
        session.listeners.append(attempt.on_event)
        self.attempt = attempt
        self.telemetry = session.seen_telemetry
        self._close_feed()
        feed, self.feed_label = self._feed_factory(session, lambda: self.telemetry)
        if hasattr(feed, "ghost"):  # the predictive display, at the aid levels that show it
            feed.ghost = aids.predictive_display
        if self.live is not None:
            self.live.begin(session)
            feed = self.live.feed(feed, lambda: self.telemetry)
            attempt.log_line(self.live.line, CYAN)
        self.workstation = Workstation(
            feed, self.screen.get_size(), cbcs=scenario.berthing is not None
        )
        self.alarm = MasterAlarm()
        self.tone.stop()
        attempt.log_line(f"{scenario.title}: seed {seed}, aids {aids.value}.", CYAN)
        self.state = "flying"
        self.pacer = Pacer()
        self._warm = False

    def finish_attempt(self, reason: str | None = None) -> None:
        """End the attempt now (if it has not ended), finalize the recording, write the
        report and show the end screen."""
        attempt = self.attempt
        if attempt is None:
            return
        session = attempt.session
        if self.pacer.slowed_s > attempt.slowed_reported_s:
            self._slowed(attempt, force=True)  # the recording says by how much in all
        if not session.finished:
            session.stop(reason or "stopped by the trainee")
        if self.live is not None:
            self.live.end()
        attempt.finalize()
        if attempt.lock is not None:
            attempt.lock.release()
        self.tone.stop()
        self.finished.append(attempt)
        self.attempt = None
        self._close_feed()
        self.state = "end"

    # ------------------------------------------------------------------ the loop
    def run(self) -> None:
        while self.state != "quit":
            self.frame()

    def frame(self) -> None:
        start = self._clock()
        events = pygame.event.get()
        if self.stop_reason is not None:
            self.quit(self.stop_reason)
            return
        for event in events:
            self._window_event(event)
            if self.state == "quit":
                return
        if self.state == "start":
            for event in events:
                self.choice.handle(event)
            if self.choice.done:
                self.choice.done = False
                self.begin(self.choice.scenario_id, self.choice.aids, self.choice.trainee)
            else:
                draw_start(self.screen, self._screen_fonts(), self.choice)
        elif self.state == "flying":
            self._fly(events)
        elif self.state == "end":
            self._end_keys(events)
        if self.state == "end" and self.finished:
            last = self.finished[-1]
            assert last.report is not None
            draw_end(self.screen, self._screen_fonts(), last.report, self._paths(last))
        if self.help and self.state == "flying":
            draw_help(self.screen, self._screen_fonts(), self._bindings())
        pygame.display.flip()
        now = self._clock()
        self.frame_times.append(now - start)
        self._sleep(self._schedule.sleep_s(now))

    def _screen_fonts(self) -> Fonts:
        w, h = self.screen.get_size()
        scale = min(w / REFERENCE_SIZE[0], h / REFERENCE_SIZE[1])
        if abs(self.fonts.scale - scale) > 1e-6:
            self.fonts = Fonts(scale)
        return self.fonts

    def _bindings(self) -> Any:
        from trainer.input.bindings import load_bindings

        return getattr(self.source, "bindings", None) or load_bindings()

    def _paths(self, attempt: Attempt) -> list[tuple[str, str]]:
        return [
            ("recording", str(attempt.out_dir / "session.mcap")),
            ("report", str(attempt.out_dir / "report.json")),
            ("debrief", str(attempt.out_dir / "report.md")),
            (
                "history",
                f"NOT UPDATED: {attempt.history_error}"
                if attempt.history_error
                else f"{history_path()} (canadarm-trainer history)",
            ),
        ]

    def _window_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.quit("the window was closed")
        elif event.type == _FOCUS_LOST:
            self.focused = False
        elif event.type == _FOCUS_GAINED:
            self.focused = True
        elif event.type in (pygame.VIDEORESIZE, getattr(pygame, "WINDOWSIZECHANGED", -1)):
            if self.workstation is not None:
                self.workstation.resize(self.screen.get_size())
        elif event.type == pygame.KEYDOWN:
            if event.key == pygame.K_F11:
                self.toggle_fullscreen()
            elif event.key == pygame.K_F1 and self.state == "flying":
                self.help = not self.help
            elif event.key == pygame.K_m and self.state == "flying":
                self.alarm.acknowledge()
                self.tone.stop()
            elif event.key == pygame.K_F5 and self.state == "flying" and self.attempt is not None:
                attempt = self.attempt
                self.finish_attempt("reset by the trainee")
                self.begin(attempt.scenario_ref, attempt.aids, attempt.trainee)
            elif event.key == pygame.K_ESCAPE:
                if self.state == "flying":
                    self.finish_attempt("ended by the trainee (Esc)")
                else:
                    self.quit("quit")

    def toggle_fullscreen(self) -> None:
        self.fullscreen = not self.fullscreen
        if self.fullscreen:
            self.windowed_size = self.screen.get_size()
            self.screen = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        else:
            self.screen = pygame.display.set_mode(self.windowed_size, pygame.RESIZABLE)
            if self.screen.get_size() != self.windowed_size:
                # SDL 2.28 keeps the full-screen size on the first call back to a window.
                self.screen = pygame.display.set_mode(self.windowed_size, pygame.RESIZABLE)
        if self.workstation is not None:
            self.workstation.resize(self.screen.get_size())

    def _end_keys(self, events: list[pygame.event.Event]) -> None:
        for event in events:
            if event.type != pygame.KEYDOWN or not self.finished:
                continue
            last = self.finished[-1]
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.begin(last.scenario_ref, last.aids, last.trainee)
                return
            if event.key == pygame.K_n:
                self.state = "start"
                return

    def quit(self, reason: str) -> None:
        if self.attempt is not None:
            self.finish_attempt(reason)
        self.tone.stop()
        self.state = "quit"

    # ------------------------------------------------------------------ flying
    def _fly(self, events: list[pygame.event.Event]) -> None:
        attempt = self.attempt
        assert attempt is not None and self.workstation is not None
        session = attempt.session
        self._pending.extend(events)
        # The attempt's first frame draws every display once (the renderer compiles its
        # shaders then) with no tick; the clock starts after it, so that warm-up is not
        # counted as the machine falling behind.
        due = self.pacer.due(self._clock()) if self._warm else Due(0, 0.0)
        if due.dropped_s > 0.0:
            self._slowed(attempt)
        for _ in range(due.ticks):
            if self.live is not None:  # the instructor's actions, at a tick boundary (§12)
                self.live.before_tick(session)
                if session.finished:
                    break
            ticked = session.tick(self._next_state(attempt))
            self.telemetry = ticked
            if Button.CAMERA in session.last_input.pressed:  # the window's own button
                self.cameras = self.cameras[1:] + self.cameras[:1]
            # M2 reads the displays as often as /state is recorded (10 Hz)
            if ticked.tick % STATE_EVERY_TICKS == 0 or session.finished:
                for call in attempt.caller.update(ticked) if attempt.aids.m2_calls else []:
                    attempt.log_line(call.text, CYAN, call.time_s)
            if session.finished:
                break
        if session.finished:
            self.finish_attempt()
            return
        t = self.telemetry
        if t is None:
            return
        items = alerts(t, attempt.last_contact_s)
        if self.alarm.update(items):
            self.tone.start()
        if not self.alarm.alarm:
            self.tone.stop()
        state = FrameState(
            scenario=session.scenario,
            aids=attempt.aids,
            device=self.device_label(),
            trainee=attempt.trainee,
            cameras=self.cameras,
            alerts=items,
            alarm=self.alarm,
            log=attempt.log,
            slowed_s=self.pacer.slowed_s,
            feed_label=self.feed_label,
            banner=self._banner(t),
            paused_text="FROZEN  (the instructor resumes)"
            if session.frozen
            else "PAUSED  (P resumes)",
        )
        self.workstation.draw(self.screen, t, state)
        if not self._warm:
            self._warm = True
            self.pacer.start(self._clock())

    def _next_state(self, attempt: Attempt) -> HandControllerState:
        events, self._pending = self._pending, []
        hc = self.source.poll(events)
        if attempt.pilot is not None:
            assert self.telemetry is not None
            auto = attempt.pilot.next_state(self.telemetry)
            keys = hc.buttons & {Button.PAUSE, Button.CAMERA}
            hc = HandControllerState(auto.thc, auto.rhc, auto.buttons | keys, auto.connected)
        elif not self.focused:
            hc = HandControllerState(connected=hc.connected)  # centred while unfocused
        return hc

    def _slowed(self, attempt: Attempt, *, force: bool = False) -> None:
        session = attempt.session
        if force or session.time_s - attempt.last_slow_event_s >= SLOW_EVENT_GAP_S:
            total = self.pacer.slowed_s
            session.event(
                "realtime_slowed",
                behind_wall_s=round(total, 4),
                since_last_s=round(total - attempt.slowed_reported_s, 4),
            )
            attempt.slowed_reported_s = total
            attempt.last_slow_event_s = session.time_s

    def _banner(self, t: Telemetry) -> str | None:
        if self.attempt is not None and self.attempt.session.frozen:
            return FROZEN_BANNER
        if not t.hand_controller.connected:
            return "HAND CONTROLLER LOST: ARM STOPPED\nplug it back in, or press RETURN to fly on the keyboard"
        if not self.focused and self.attempt is not None and self.attempt.pilot is None:
            return "WINDOW NOT FOCUSED: hand controllers read as centred"
        return None

    def device_label(self) -> str:
        if self.attempt is not None and self.attempt.pilot is not None:
            return "autopilot"
        source = self.source
        if isinstance(source, AutoInput):
            active = [d for d in source.gamepad.devices() if d.active]
            return f"gamepad: {active[0].name}"[:28] if active else "keyboard"
        return self.options.input_kind

    def _close_feed(self) -> None:
        """Release the camera feed (the renderer's OpenGL context) of the last attempt."""
        if self.workstation is not None:
            closer = getattr(self.workstation.feed, "close", None)
            if closer is not None:
                closer()
        self.workstation = None

    def close(self) -> None:
        self._close_feed()
        self.tone.stop()
        if self.live is not None:
            self.live.close()
        pygame.quit()
