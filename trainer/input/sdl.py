"""The SDL library inside the pygame wheel, reached through ctypes, and input start-up.

pygame does not expose SDL hints or virtual joysticks, so this module loads *the same*
``libSDL2`` that pygame's extension modules already use (a second copy of SDL would be a
second, empty joystick subsystem) and checks that it is the same instance by asking it
whether it was initialised.

Environment set before ``pygame.init()`` (docs/PYBULLET_NOTES.md, pygame rows):

| variable                               | value | why                                   |
|----------------------------------------|-------|---------------------------------------|
| SDL_JOYSTICK_ALLOW_BACKGROUND_EVENTS   | 1     | SDL drops pad input to unfocused windows |
| SDL_GAMECONTROLLER_USE_BUTTON_LABELS   | 0     | Nintendo pads use the positional layout, |
|                                        |       | so "a" is the bottom face button on every pad |
"""

from __future__ import annotations

import ctypes
import os
import warnings
from functools import lru_cache
from pathlib import Path

import pygame
from pygame._sdl2 import controller as sdl_controller

from trainer.errors import DeviceError

SDL_HINTS = {
    "SDL_JOYSTICK_ALLOW_BACKGROUND_EVENTS": "1",
    "SDL_GAMECONTROLLER_USE_BUTTON_LABELS": "0",
}


def _candidate_paths() -> list[Path]:
    package_dir = Path(pygame.__file__).resolve().parent
    folders = [package_dir.parent / "pygame.libs", package_dir / ".dylibs", package_dir]
    found: list[Path] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for pattern in ("libSDL2-2*.so*", "libSDL2*.so*", "libSDL2*.dylib", "SDL2.dll"):
            found.extend(sorted(folder.glob(pattern)))
    # SDL2_image, SDL2_mixer and SDL2_ttf match the looser patterns: drop them.
    return [p for p in found if not any(s in p.name for s in ("_image", "_mixer", "_ttf"))]


@lru_cache(maxsize=1)
def sdl_library() -> ctypes.CDLL:
    """Return the SDL2 library bundled with pygame (DeviceError if it cannot be found)."""
    candidates = _candidate_paths()
    if not candidates:
        raise DeviceError(
            f"the SDL2 library bundled with pygame was not found near {pygame.__file__}; "
            "virtual joysticks and SDL hints need a pygame wheel"
        )
    try:
        lib = ctypes.CDLL(str(candidates[0]))
    except OSError as exc:
        raise DeviceError(f"{candidates[0]}: cannot load SDL2: {exc}") from exc
    lib.SDL_WasInit.argtypes = [ctypes.c_uint32]
    lib.SDL_WasInit.restype = ctypes.c_uint32
    lib.SDL_SetHint.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    lib.SDL_SetHint.restype = ctypes.c_int
    if pygame.get_init() and lib.SDL_WasInit(0) == 0:
        raise DeviceError(
            f"{candidates[0]}: this SDL2 is not the one pygame uses (it reports no "
            "initialised subsystem); virtual joysticks would be invisible to pygame"
        )
    return lib


def init_pygame_input() -> None:
    """Initialise pygame for hand-controller input; call it instead of ``pygame.init()``.

    Idempotent. Sets the SDL hints above first (and, if pygame was already initialised by
    someone else, sets them again through ``SDL_SetHint`` so SDL's hint callbacks run).
    Raises DeviceError when SDL's joystick or game-controller subsystem cannot start.
    """
    already = pygame.get_init()
    for name, value in SDL_HINTS.items():
        os.environ.setdefault(name, value)
    try:
        if not already:
            pygame.init()
        if not pygame.display.get_init():
            pygame.display.init()  # the event queue needs the video subsystem
        pygame.joystick.init()
        sdl_controller.init()
    except pygame.error as exc:
        raise DeviceError(f"SDL joystick subsystem failed to start: {exc}") from exc
    if already:
        try:
            lib = sdl_library()
        except DeviceError as exc:
            warnings.warn(str(exc), RuntimeWarning, stacklevel=2)
            return
        for name in SDL_HINTS:
            lib.SDL_SetHint(name.encode(), os.environ[name].encode())
