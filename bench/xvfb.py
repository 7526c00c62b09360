"""A private Xvfb for the window benchmarks (bench_window.py, bench_viewer.py): the display
number is chosen by Xvfb itself (-displayfd), so a benchmark never collides with another X
server on a shared machine."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def start_xvfb(screen: str, bench: str) -> tuple[subprocess.Popen[bytes], str]:
    """Xvfb with one screen ``screen`` (e.g. ``1280x800x24``) and its DISPLAY name; without
    Xvfb, ``bench`` (the script's name) exits with one line saying so."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        sys.exit(f"{bench}: Xvfb is not installed (tools/system-deps.sh installs it)")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [xvfb, "-displayfd", str(write_fd), "-screen", "0", screen, "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as f:
        return proc, f":{f.readline().strip()}"
