"""The names a hand-controller binding may give its sources (docs/STYLE.md §7: strings in
every layer above ``trainer/input``, resolved to pygame key codes and SDL numbers here):

| device    | names                                                                    |
|-----------|--------------------------------------------------------------------------|
| keyboard  | pygame key names: ``w``, ``space``, ``return``, ``[``, ``left shift``, ... |
| gamepad   | SDL GameController axes and buttons, in SDL's own order (an index is      |
|           | SDL's number)                                                            |
| joystick  | ``axis0``-``axis31``, ``button0``-``button127``, ``hat0_up``-``hat7_right`` |
"""

from __future__ import annotations

import re
import warnings

import pygame

GAMEPAD_AXES = ("leftx", "lefty", "rightx", "righty", "lefttrigger", "righttrigger")
GAMEPAD_TRIGGERS = ("lefttrigger", "righttrigger")
GAMEPAD_STICKS = (("leftx", "lefty"), ("rightx", "righty"))
GAMEPAD_BUTTONS = (
    "a", "b", "x", "y", "back", "guide", "start", "leftstick", "rightstick",
    "leftshoulder", "rightshoulder", "dpup", "dpdown", "dpleft", "dpright",
    "misc1", "paddle1", "paddle2", "paddle3", "paddle4", "touchpad",
)  # fmt: skip
"""In SDL_GameControllerButton order: the index of a name is SDL's button number."""

RAW_MAX_AXES = 32
RAW_MAX_BUTTONS = 128
RAW_MAX_HATS = 8
HAT_DIRECTIONS = ("up", "down", "left", "right")
_RAW_AXIS = re.compile(r"axis(\d+)")
_RAW_BUTTON = re.compile(r"button(\d+)")
_RAW_HAT = re.compile(r"hat(\d+)_(up|down|left|right)")


def key_code(name: str) -> int | None:
    """pygame's key code for a key name, None for an unknown name."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "pygame.init() has not been called": names work
        try:
            return int(pygame.key.key_code(name))
        except ValueError:
            return None


def raw_source_kind(name: str) -> tuple[str, int, str] | None:
    """Parse a raw-joystick source: ('axis', 3, ''), ('button', 0, ''), ('hat', 0, 'up')."""
    if m := _RAW_AXIS.fullmatch(name):
        return ("axis", int(m.group(1)), "")
    if m := _RAW_BUTTON.fullmatch(name):
        return ("button", int(m.group(1)), "")
    if m := _RAW_HAT.fullmatch(name):
        return ("hat", int(m.group(1)), m.group(2))
    return None
