"""``canadarm-trainer instruct ws://HOST:PORT``: connect to a live session, fetch the
attempt it flies, open the console (docs/DESIGN.md §5, §12).

What refuses, before a window opens, as one line on stderr and exit 2 (trainer/cli.py):
a URL that is not ws://ADDRESS:PORT (trainer/live/protocol.py), a server that cannot be
reached or does not speak the protocol, an attempt whose metadata is not a recording's.
"""

from __future__ import annotations

from trainer.errors import RecordingError
from trainer.live.client import LiveClient, LiveError
from trainer.live.protocol import INFO_SERVICE


def run_console(
    host: str, port: int, *, token: str | None = None, size: tuple[int, int] | None = None
) -> int:
    client = LiveClient(host, port)
    try:
        from trainer.ui.instruct.stream import LiveStream

        info = client.call(INFO_SERVICE, {})
        try:
            stream = LiveStream.from_info(info)
        except RecordingError as exc:
            raise LiveError(f"{client.url}: the session's metadata: {exc}") from None
        from trainer.ui.instruct.app import run_console_window

        return run_console_window(client, stream, token=token, size=size)
    finally:
        client.close()
