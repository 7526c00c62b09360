"""Loading the physics engine without its build banner on the terminal.

pybullet's C module writes ``pybullet build time: ...`` to file descriptor 2 when it is
first imported, below Python's ``sys.stderr``, so no ``contextlib.redirect_stderr`` can
catch it; on a terminal it would come before a command's own one-line error (docs/STYLE.md §5).
``import_pybullet_quietly`` imports it once with descriptor 2 pointed at /dev/null;
every later ``import pybullet`` finds the module loaded and prints nothing. The command
line calls it before any command that builds a world.
"""

from __future__ import annotations

import os
import sys


def import_pybullet_quietly() -> None:
    """Import pybullet with fd 2 silenced for the duration of the import only."""
    if "pybullet" in sys.modules:
        return
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no descriptor 2 at all: nothing to protect
        import pybullet

        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 2)
            import pybullet  # noqa: F401
        finally:
            os.dup2(saved, 2)
            os.close(devnull)
    finally:
        os.close(saved)
