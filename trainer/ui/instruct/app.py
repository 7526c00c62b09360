"""The console's window: the trainee's workstation as streamed, the instructor's panel,
and the log of the session's events and the instructor's actions (docs/DESIGN.md §12).

Layout (1600x960 reference, scaled and centred like the replay viewer's): the workstation
of ``fly`` top-left (trainer/ui/workstation.py: its three monitors rendered here from the
streamed poses by the replay viewer's feed, trainer/ui/replay/cameras.py; status, caution
and warning, call log, hand controllers), the instructor's panel down the right
(trainer/ui/instruct/panel.py), the connection and the log along the bottom.

Each frame drains what arrived (at most ``DRAIN`` messages), redraws, and waits for the
next 1/30 s. A request is sent on a thread of its own so that the window never waits
for the network; its answer, or why it was refused, is shown in the panel. A new attempt
on the server (its session id changes) fetches the attempt again; a lost connection is
said on screen and the window stays open on the last state.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import pygame

from trainer.live.client import LiveClient, LiveError
from trainer.live.protocol import INFO_SERVICE, NOTE_SERVICE
from trainer.quiet import fd2_silenced
from trainer.ui.feeds import CAMERAS
from trainer.ui.instruct.panel import (
    BIAS_THC,
    WHEN_S,
    Button,
    draw_entry,
    draw_panel,
    layout_buttons,
    next_joint,
)
from trainer.ui.instruct.stream import LiveStream
from trainer.ui.replay.app import LOG_COLOURS
from trainer.ui.replay.cameras import ReplayFeed
from trainer.ui.theme import AMBER, BACKGROUND, CYAN, DIM, GREEN, RED, TEXT, Fonts, panel
from trainer.ui.workstation import FrameState, Layout, Workstation

REFERENCE_SIZE = (1600, 960)
LAYOUT = {
    "workstation": (0, 0, 1280, 720),
    "panel": (1284, 6, 310, 708),
    "log": (6, 724, 1588, 230),
}
FRAME_S = 1.0 / 30.0
DRAIN = 2_000
CONSOLE_ALARM_HINT = "as lit on the trainee's panel"
LOG_COLOURS_LIVE = {**LOG_COLOURS, "instructor": (255, 150, 220)}
ENTRY_PROMPTS = {
    "call:houston": "HOUSTON:",
    "call:m2": "M2:",
    "note": "NOTE:",
    "token": "TOKEN:",
}


class Console:
    """See the module docstring. Tests call ``handle``/``frame`` and read ``screen``."""

    def __init__(
        self, client: LiveClient, stream: LiveStream, screen: pygame.Surface, token: str | None
    ) -> None:
        self.client = client
        self.stream = stream
        self.screen = screen
        self.token = token
        self.joint = "wrist_roll"
        self.when_index = 0
        self.armed_end_s: float | None = None
        self.entry: tuple[str, str] | None = None  # (button key, text typed)
        self.result: tuple[str, tuple[int, int, int]] = (
            ("ready", GREEN) if token else ("no token: watching only (TOKEN)", AMBER)
        )
        self.hover: str | None = None
        self.quit = False
        self.frames = 0
        self._attempts = client.new_attempts
        self._busy = 0
        self.feed = ReplayFeed(stream.scenario, lambda: stream.snapshot)
        self.resize(screen.get_size())

    # ------------------------------------------------------------------ layout
    def resize(self, size: tuple[int, int]) -> None:
        layout = Layout.fit(size, REFERENCE_SIZE, LAYOUT)
        self.rects = layout.rects
        self.fonts = Fonts(layout.scale)
        self._ws_surface = self.screen.subsurface(self.rects["workstation"])
        if not hasattr(self, "workstation"):
            self.workstation = Workstation(
                self.feed,
                self.rects["workstation"].size,
                alarm_hint=CONSOLE_ALARM_HINT,
                cbcs=self.stream.scenario.berthing is not None,  # a berthing's fourth monitor
            )
        else:
            self.workstation.resize(self.rects["workstation"].size)
        self.screen.fill(BACKGROUND)

    def buttons(self) -> list[Button]:
        return layout_buttons(
            self.rects["panel"],
            self.fonts,
            lost=self.stream.cameras_lost,
            frozen=self.stream.frozen,
            joint=self.joint,
            when=WHEN_S[self.when_index],
            armed_end=self.armed_end_s is not None,
        )

    # ------------------------------------------------------------------ requests
    def send(self, service: str, request: dict[str, Any], what: str) -> None:
        """Send on a thread; the answer lands in ``result``."""
        if self.token is None:
            self.result = ("no token: press TOKEN and type it", AMBER)
            return
        body = {"token": self.token, **request}
        self._busy += 1
        self.result = (f"{what}: sent", TEXT)

        def call() -> None:
            try:
                self.client.call(service, body)
                self.result = (f"{what}: accepted", GREEN)
            except LiveError as exc:
                self.result = (str(exc).replace("RuntimeError: ", ""), RED)
            finally:
                self._busy -= 1

        threading.Thread(target=call, name="console-request", daemon=True).start()

    def fault(self, fault: str, **fields: Any) -> None:
        when = WHEN_S[self.when_index]
        snapshot = self.stream.snapshot
        at = None if when is None else (snapshot.time_s if snapshot else 0.0) + when
        self.send("/instructor/fault", {"fault": fault, **fields, "at_s": at}, fault)

    def press(self, key: str) -> None:
        """What a button does (trainer/ui/instruct/panel.py's table)."""
        if key.startswith("loss:"):
            self.fault("camera_loss", camera=key[5:])
        elif key.startswith("restore:"):
            self.fault("camera_restore", camera=key[8:])
        elif key == "brake":
            self.fault("brake_stuck", joint=self.joint)
        elif key == "joint":
            self.joint = next_joint(self.joint)
        elif key == "bias":
            self.fault("hand_controller_bias", thc=list(BIAS_THC))
        elif key == "unbias":
            self.fault("hand_controller_bias", thc=[0.0, 0.0, 0.0], rhc=[0.0, 0.0, 0.0])
        elif key == "when":
            self.when_index = (self.when_index + 1) % len(WHEN_S)
        elif key in ("freeze", "resume"):
            self.send(f"/instructor/{key}", {}, key)
        elif key == "end":
            now = time.monotonic()
            if self.armed_end_s is not None and now - self.armed_end_s < 3.0:
                self.armed_end_s = None
                self.send("/instructor/end", {}, "end")
            else:
                self.armed_end_s = now
        elif key in ENTRY_PROMPTS:
            self.entry = (key, "")
            pygame.key.start_text_input()

    def finish_entry(self, send: bool) -> None:
        key, text = self.entry or ("", "")
        self.entry = None
        pygame.key.stop_text_input()
        text = text.strip()
        if not send or not text:
            return
        if key == "token":
            self.token = text.upper()
            self.result = ("token kept", GREEN)
        elif key == "note":
            self.send(NOTE_SERVICE, {"text": text, "author": "instructor"}, "note")
        else:
            self.send("/instructor/call", {"voice": key[5:], "text": text}, "call")

    # ------------------------------------------------------------------ input
    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.quit = True
        elif event.type in (pygame.VIDEORESIZE, getattr(pygame, "WINDOWSIZECHANGED", -1)):
            self.resize(self.screen.get_size())
        elif self.entry is not None:
            if event.type == pygame.TEXTINPUT:
                self.entry = (self.entry[0], (self.entry[1] + event.text)[:400])
            elif event.type == pygame.KEYDOWN:
                if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                    self.finish_entry(send=True)
                elif event.key == pygame.K_ESCAPE:
                    self.finish_entry(send=False)
                elif event.key == pygame.K_BACKSPACE:
                    self.entry = (self.entry[0], self.entry[1][:-1])
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.quit = True
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            hit = next((b for b in self.buttons() if b.rect.collidepoint(event.pos)), None)
            if hit is not None:
                self.press(hit.key)
        elif event.type == pygame.MOUSEMOTION:
            hit = next((b for b in self.buttons() if b.rect.collidepoint(event.pos)), None)
            self.hover = hit.key if hit else None

    # ------------------------------------------------------------------ the loop
    def drain(self) -> int:
        if self.client.new_attempts != self._attempts:  # a new attempt: fetch it afresh
            self._attempts = self.client.new_attempts
            try:
                fresh = LiveStream.from_info(self.client.call(INFO_SERVICE, {}))
            except Exception as exc:  # said on screen; the console stays on the last state
                self.result = (f"new attempt not read: {exc}", RED)
            else:
                self.stream = fresh
                self.feed.close()
                self.feed = ReplayFeed(fresh.scenario, lambda: fresh.snapshot)
                self.workstation.feed = self.feed
        count = 0
        while count < DRAIN:
            try:
                message = self.client.messages.get_nowait()
            except Exception:
                break
            self.stream.absorb(message.topic, message.data)
            count += 1
        if count:
            self.stream.snapshot = self.stream.rebuild()
        return count

    def frame(self, events: list[pygame.event.Event] | None = None) -> None:
        start = time.monotonic()
        for event in pygame.event.get() if events is None else events:
            self.handle(event)
            if self.quit:
                return
        if self.armed_end_s is not None and start - self.armed_end_s >= 3.0:
            self.armed_end_s = None
        self.drain()
        self.screen.fill(BACKGROUND)
        self._draw_workstation()
        self._draw_panel()
        self._draw_log()
        if self.entry is not None:
            key, text = self.entry
            draw_entry(self.screen, self.rects["workstation"], self.fonts, ENTRY_PROMPTS[key], text)
        if self.screen is pygame.display.get_surface():  # (a test's console draws off screen)
            pygame.display.flip()
        self.frames += 1

    def run(self) -> None:
        while not self.quit:
            start = time.monotonic()
            self.frame()
            time.sleep(max(0.0, FRAME_S - (time.monotonic() - start)))

    def _draw_workstation(self) -> None:
        stream = self.stream
        t = stream.snapshot
        if t is None:
            self.fonts.text(
                self.screen,
                "waiting for the session's state...",
                self.rects["workstation"].center,
                24,
                DIM,
                anchor="center",
            )
            return
        items, alarm = stream.alerts_now()
        banner = None
        if self.client.closed:
            banner = f"CONNECTION LOST: {self.client.closed[:60]}"
        elif stream.ended:
            banner = f"ATTEMPT ENDED: {stream.ended[:60]}"
        state = FrameState(
            scenario=stream.scenario,
            aids=stream.aids,
            device=str(stream.metadata.get("input") or stream.metadata.get("pilot") or "live"),
            trainee=str(stream.metadata.get("trainee") or ""),
            cameras=list(CAMERAS),
            alerts=items,
            alarm=alarm,
            log=[
                (t_s, text, LOG_COLOURS_LIVE.get(cat, TEXT)) for t_s, text, cat in stream.log[-60:]
            ],
            feed_label=("LIVE " + self.feed.label).strip(),
            banner=banner,
            paused_text="FROZEN  (RESUME on the panel)"
            if stream.frozen
            else "PAUSED by the trainee",
        )
        self.workstation.draw(self._ws_surface, t, state)

    def _draw_panel(self) -> None:
        meta = self.stream.metadata
        t = self.stream.snapshot
        lines = [
            (f"{meta.get('scenario_id', '?')}  seed {meta.get('seed', '?')}", TEXT),
            (f"t = {t.time_s:.1f} s" if t else "t = ?", CYAN),
            self.result,
        ]
        if self.stream.paused:
            lines.append(("the simulation is paused", AMBER))
        draw_panel(
            self.screen,
            self.rects["panel"],
            self.fonts,
            self.buttons(),
            title="INSTRUCTOR",
            lines=lines,
            hover=self.hover,
        )

    def _draw_log(self) -> None:
        inner = panel(self.screen, self.rects["log"], "SESSION LOG", self.fonts)
        client = self.client
        status = (
            f"{client.url}  {'LOST: ' + client.closed if client.closed else 'connected'}  "
            f"{self.stream.states} states  {client.bytes_received / 1e6:.1f} MB  "
            f"recording {self.stream.recording or '?'}"
        )
        self.fonts.text(self.screen, status[:150], (inner.x, inner.y), 15, DIM)
        step = round(17 * self.fonts.scale)
        rows = max(1, (inner.h - step) // step)
        y = inner.y + step
        for t_s, text, category in self.stream.log[-rows:]:
            colour = LOG_COLOURS_LIVE.get(category, TEXT)
            self.fonts.text(self.screen, f"{t_s:7.1f}  {text}"[:160], (inner.x, y), 15, colour)
            y += step

    def close(self) -> None:
        self.feed.close()


def run_console_window(
    client: LiveClient,
    stream: LiveStream,
    *,
    token: str | None,
    size: tuple[int, int] | None,
) -> int:
    """Open the window and run it until the instructor quits."""
    os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")  # as fly and replay
    with fd2_silenced():
        pygame.init()
    try:
        pygame.display.set_caption(f"canadarm-trainer instruct: {client.url}")
        screen = pygame.display.set_mode(size or REFERENCE_SIZE, pygame.RESIZABLE)
        console = Console(client, stream, screen, token)
        try:
            print(
                f"instruct: {client.url}, {stream.metadata.get('scenario_id', '?')} (Esc quits)",
                flush=True,
            )
            console.run()
        finally:
            console.close()
    finally:
        pygame.quit()
    return 0
