"""The instructor's console (docs/DESIGN.md §12) on a real live server and session,
headless: two consoles watch one session and rebuild its workstation from the stream;
the one with the token injects the LEE camera loss, calls as M2 and writes a note, which
reach the session between two ticks and its notes file; the one without changes
nothing."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pygame
import pytest

from tests.ui.helpers import near
from trainer.input.state import HandControllerState
from trainer.live.client import LiveClient
from trainer.live.protocol import INFO_SERVICE
from trainer.live.server import LiveServer
from trainer.record.notes import read_notes
from trainer.scenario.loader import load_scenario
from trainer.session import Session
from trainer.ui.instruct.app import Console
from trainer.ui.instruct.stream import LiveStream
from trainer.ui.theme import RED


class Live:
    def __init__(self, tmp: Path) -> None:
        self.server = LiveServer("127.0.0.1", 0)
        self.session = Session(
            load_scenario("crs20-capture"),
            4,
            pilot="none",
            recording_path=tmp / "session.mcap",
            mirror=self.server,
        )
        self.server.begin(self.session.metadata, self.session.recording_path)

    def tick(self, n: int) -> None:
        for _ in range(n):
            self.server.before_tick(self.session)
            self.session.tick(HandControllerState())


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    pygame.init()
    live = Live(tmp_path)
    try:
        yield live
    finally:
        live.server.stop()
        live.session.close()
        pygame.quit()


def _console(live: Live, screen: pygame.Surface, token: str | None) -> Console:
    client = LiveClient("127.0.0.1", live.server.port)
    return Console(client, LiveStream.from_info(client.call(INFO_SERVICE, {})), screen, token)


def _until(what: Callable[[], bool], live: Live, *consoles: Console) -> None:
    deadline = time.monotonic() + 15
    while not what():
        assert time.monotonic() < deadline, "never happened"
        live.tick(1)
        for console in consoles:
            console.frame([])
        time.sleep(0.01)


def test_two_consoles_watch_and_the_one_with_the_token_acts(live: Live) -> None:
    live.tick(30)
    instructor = _console(live, pygame.display.set_mode((1600, 960)), live.server.token)
    watcher = _console(live, pygame.Surface((1600, 960)), None)
    try:
        assert not live.server.camera_wanted()  # no JPEG is made for nobody
        # both see the t = 0 calls (the history) and the streamed state
        for console in (instructor, watcher):
            assert any("GO for capture" in text for _t, text, _c in console.stream.log)
        _until(
            lambda: all(c.stream.snapshot is not None for c in (instructor, watcher)),
            live,
            instructor,
            watcher,
        )

        watcher.press("freeze")  # no token: refused before anything is sent
        assert "no token" in watcher.result[0]

        instructor.press("loss:lee")
        _until(lambda: "lee" in live.session.cameras_lost, live, instructor, watcher)
        _until(
            lambda: all("lee" in c.stream.cameras_lost for c in (instructor, watcher)),
            live,
            instructor,
            watcher,
        )
        # both rebuilt monitors say so: the LEE monitor's NO VIDEO in red
        for console in (instructor, watcher):
            console.frame([])
            main = console.workstation.layout.rects["main"]
            rect = main.move(console.rects["workstation"].topleft)
            picture = pygame.surfarray.array3d(console.screen.subsurface(rect)).swapaxes(0, 1)
            assert near(picture, RED, 40).sum() > 80
            assert near(picture, (6, 6, 8), 6).mean() > 0.8

        instructor.press("call:m2")
        instructor.entry = ("call:m2", "check your roll")
        instructor.finish_entry(send=True)
        _until(lambda: "M2: check your roll" in live.session.messages, live, instructor, watcher)

        instructor.press("note")
        instructor.entry = ("note", "late on the trigger")
        instructor.finish_entry(send=True)
        path = live.session.recording_path
        assert path is not None
        _until(lambda: bool(read_notes(path).notes), live, instructor)
        assert read_notes(path).notes[0].text == "late on the trigger"

        # the instructor's actions are on the watcher's log too
        _until(
            lambda: sum("INSTRUCTOR" in text for _t, text, _c in watcher.stream.log) == 2,
            live,
            watcher,
        )
        assert not live.session.frozen  # the watcher's freeze never went out
    finally:
        for console in (instructor, watcher):
            console.close()
            console.client.close()


def test_end_needs_a_second_click(live: Live) -> None:
    instructor = _console(live, pygame.Surface((1600, 960)), live.server.token)
    try:
        instructor.press("end")
        live.tick(5)
        assert not live.session.finished and instructor.armed_end_s is not None
        instructor.press("end")
        _until(lambda: live.session.finished, live, instructor)
        assert live.session.outcome == "interrupted"
    finally:
        instructor.close()
        instructor.client.close()
