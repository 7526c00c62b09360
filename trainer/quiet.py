"""Keeping C libraries' own messages off the terminal.

Some libraries the trainer loads write to file descriptor 2 from C, below Python's
``sys.stderr``, so no ``contextlib.redirect_stderr`` can catch them: pybullet prints its
build banner when first imported, and ALSA lists a dozen configuration errors when SDL's
mixer opens on a machine without a sound card. On a terminal these lines would come before
a command's own one-line messages (docs/STYLE.md §5). ``fd2_silenced`` points descriptor 2
at /dev/null for the duration of such a call only.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def fd2_silenced() -> Iterator[None]:
    """Descriptor 2 to /dev/null inside the block (nothing happens without a descriptor 2)."""
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no descriptor 2 at all: nothing to protect
        yield
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(devnull)
    finally:
        os.close(saved)
