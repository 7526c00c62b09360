"""Loading the physics engine without its build banner on the terminal.

pybullet's C module writes ``pybullet build time: ...`` to file descriptor 2 when it is
first imported, below Python's ``sys.stderr``, so no ``contextlib.redirect_stderr`` can
catch it; on a terminal it would come before a command's own one-line error (docs/STYLE.md §5).
``import_pybullet_quietly`` imports it once with descriptor 2 pointed at /dev/null;
every later ``import pybullet`` finds the module loaded and prints nothing. The command
line calls it before any command that builds a world.
"""

from __future__ import annotations

import sys

from trainer.quiet import fd2_silenced


def import_pybullet_quietly() -> None:
    """Import pybullet with fd 2 silenced for the duration of the import only."""
    if "pybullet" in sys.modules:
        return
    with fd2_silenced():
        import pybullet  # noqa: F401
