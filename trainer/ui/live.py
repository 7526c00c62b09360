"""The window's side of ``fly --live`` (docs/DESIGN.md §12): the live server started with
the window, each attempt handed to it, its actions applied between two ticks, the LEE
camera tapped, and the token shown.

| when                  | what                                                           |
|-----------------------|----------------------------------------------------------------|
| the window opens      | the server listens (one line and exit 2 when it cannot); its   |
|                       | address and token are printed on the terminal                  |
| an attempt starts     | its recording's metadata and path go to the server; the call   |
|                       | log shows the address and the token on the trainee's screen    |
| before each tick      | the actions that came are applied (``Session.instruct``)       |
| the attempt ends      | actions are refused until the next one                         |
| the window closes     | the server stops                                               |
"""

from __future__ import annotations

from collections.abc import Callable

from trainer.live.camera import CameraTap
from trainer.live.server import LiveServer
from trainer.session import Session
from trainer.telemetry import Telemetry
from trainer.ui.feeds import CameraFeed

FROZEN_BANNER = "SIMULATION FROZEN BY THE INSTRUCTOR"


class LiveLink:
    """The live server of one window; see the module docstring."""

    def __init__(self, host: str, port: int, camera_hz: float) -> None:
        self.server = LiveServer(host, port)
        self.camera_hz = camera_hz
        self.tap: CameraTap | None = None
        print(f"live: {self.server.url}  token {self.server.token}", flush=True)

    @property
    def line(self) -> str:
        """What the trainee's call log shows at the start of an attempt."""
        return f"LIVE {self.server.url}  TOKEN {self.server.token}"

    def begin(self, session: Session) -> None:
        self.server.begin(session.metadata, session.recording_path)

    def feed(self, feed: CameraFeed, telemetry: Callable[[], Telemetry | None]) -> CameraFeed:
        """``feed`` with the LEE camera tapped for the stream."""

        def time_ns() -> int:
            t = telemetry()
            return 0 if t is None else round(t.time_s * 1e9)

        self.tap = CameraTap(
            feed, self.server.publish_camera, self.server.camera_wanted, time_ns, self.camera_hz
        )
        return self.tap

    def before_tick(self, session: Session) -> None:
        self.server.before_tick(session)

    def end(self) -> None:
        self.server.end()

    def watching(self) -> int:
        return len(self.server.subscriptions)

    def close(self) -> None:
        self.server.stop()
