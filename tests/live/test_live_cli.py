"""Bad input to ``fly --live`` and ``instruct`` is one line on stderr and exit status 2
(docs/DESIGN.md §5, §12), in a subprocess as a user meets it: an address that is not
one, a port out of range, a port in use, a URL that is not ws://, a server that is not
there."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from trainer.errors import TrainerError
from trainer.live.protocol import new_token, parse_address, parse_url

CLI = [sys.executable, "-m", "trainer.cli"]


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A loopback port another program listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("fly", "crs20-capture", "--live", "example.org:8765"), "--live: expected ADDRESS:PORT"),
        (("fly", "crs20-capture", "--live", "127.0.0.1:99999"), "--live: expected ADDRESS:PORT"),
        (("fly", "crs20-capture", "--live", "127.0.0.1"), "--live: expected ADDRESS:PORT"),
        (("instruct", "http://127.0.0.1:8765"), "instruct: expected ws://ADDRESS:PORT"),
        (("instruct", "ws://127.0.0.1:8765/path"), "instruct: expected ws://ADDRESS:PORT"),
        (("instruct", "ws://nowhere:8765"), "instruct: expected ADDRESS:PORT"),
    ],
)
def test_a_bad_address_or_url_is_one_line_and_exit_2(args: tuple[str, ...], said: str) -> None:
    done = _run(*args)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and said in lines[0], done.stderr
    assert done.stdout == ""


def test_a_port_in_use_is_refused_before_a_window_opens(busy_port: int, tmp_path: Path) -> None:
    done = subprocess.run(
        [*CLI, "fly", "crs20-capture", "--out", str(tmp_path), "--live", f"127.0.0.1:{busy_port}"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"},
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"--live 127.0.0.1:{busy_port}: cannot listen there: " in lines[0]
    assert "Address already in use" in lines[0]


def test_an_unreachable_server_is_one_line_and_exit_2(busy_port: int) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    done = _run("instruct", f"ws://127.0.0.1:{port}")  # nothing listens there now
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and f"cannot reach ws://127.0.0.1:{port}" in lines[0], done.stderr
    # something listens but does not speak the protocol (it never answers the handshake)
    done = _run("instruct", f"ws://127.0.0.1:{busy_port}")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_addresses_and_tokens() -> None:
    assert parse_address("127.0.0.1:8765") == ("127.0.0.1", 8765)
    assert parse_address("[::1]:0") == ("::1", 0)
    assert parse_address("localhost:9000") == ("127.0.0.1", 9000)
    assert parse_url("ws://0.0.0.0:8765/") == ("0.0.0.0", 8765)
    for bad in ("127.0.0.1:", ":8765", "1.2.3.4:65536", "1.2.3:80", "127.0.0.1:-1"):
        with pytest.raises(TrainerError):
            parse_address(bad)
    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(t) == 14 and t.count("-") == 2 and not set(t) & set("ILOU") for t in tokens)
