"""Hand controllers: devices (gamepad, keyboard, scripted pilots) produce only
``HandControllerState``; pygame never leaves this room and ``trainer/ui``.

The session builds one source with ``make_input("auto" | "gamepad" | "keyboard")`` and
calls its ``poll(events)`` once per control tick. Importing the device modules imports
pygame, so they are not imported here: ``trainer.input`` itself stays pygame-free for the
core (pilots, replay, scoring) that only needs the state.
"""

import os

# pygame prints a banner on import; the trainer's CLI output (devices, errors) stays clean.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from trainer.input.state import AXIS_LIMIT, Button, HandControllerState

__all__ = ["AXIS_LIMIT", "Button", "HandControllerState"]
