"""End-to-end window tests under a real X server: a private Xvfb per test and screenshots
of its root window. Without Xvfb or imagemagick's ``import`` a test skips, unless CI is
set: then it fails (CI installs them through tools/system-deps.sh)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pygame
import pytest


def need(tool: str) -> str:
    """The path of ``tool``; a skip without it, or a failure in CI."""
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is needed in CI (tools/system-deps.sh installs it)")
        pytest.skip(f"{tool} is not installed")
    return path


@contextmanager
def xvfb_display(screen: str) -> Iterator[str]:
    """A private Xvfb with one screen ``screen`` (e.g. ``1280x800x24``): its DISPLAY name,
    the display number chosen by Xvfb itself (-displayfd) so parallel runs never collide."""
    xvfb = need("Xvfb")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [xvfb, "-displayfd", str(write_fd), "-screen", "0", screen, "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as f:
        number = f.readline().strip()
    try:
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def screenshot(display: str, path: Path) -> np.ndarray:  # type: ignore[type-arg]
    """The X screen saved to ``path`` (PNG) and returned as rows x columns x RGB."""
    tool = need("import")
    subprocess.run(
        [tool, "-display", display, "-window", "root", str(path)], check=True, timeout=30
    )
    return np.array(pygame.surfarray.array3d(pygame.image.load(str(path)))).swapaxes(0, 1)
