"""``canadarm-trainer devices``: what SDL sees, and what the trainer makes of it.

``run_devices(once=True)`` lists the connected controllers and exits; otherwise the raw
axis and button values of every device and the ``HandControllerState`` they produce are
shown live, refreshed in the terminal, until Ctrl-C (exit status 0, no traceback). It runs
headless (``SDL_VIDEODRIVER=dummy``): no window is opened, so keyboard input is not shown.

| parameter     | meaning                                                   | units |
|---------------|-----------------------------------------------------------|-------|
| once          | list and exit                                             | bool  |
| bindings_path | override file (default: the user's, if present)           | path  |
| out           | where to write (default stdout)                           | —     |
| refresh_s     | live view refresh period                                  | s     |
| duration_s    | stop the live view after this long (None: until Ctrl-C)   | s     |

Raises BindingsError or DeviceError (the CLI prints them on one line).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO

import pygame

from trainer.clock import CONTROL_TICK_S
from trainer.input.bindings import load_bindings, user_bindings_path
from trainer.input.gamepad import DeviceInfo, GamepadInput
from trainer.input.state import HandControllerState

_CLEAR = "\x1b[H\x1b[2J"


def run_devices(
    once: bool = False,
    *,
    bindings_path: Path | str | None = None,
    out: TextIO | None = None,
    refresh_s: float = 0.1,
    duration_s: float | None = None,
) -> int:
    """List controllers (``once``) or show them live until Ctrl-C; returns the exit status."""
    stream = out if out is not None else sys.stdout
    bindings = load_bindings(bindings_path)
    pad = GamepadInput(bindings)
    state = pad.poll(pygame.event.get())
    header = _header(bindings.files)
    if once:
        stream.write(header + _listing(pad.devices()) + "\n")
        stream.flush()
        return 0
    live = stream.isatty()
    start = time.monotonic()
    next_tick = start
    next_draw = start
    try:
        while duration_s is None or time.monotonic() - start < duration_s:
            now = time.monotonic()
            if now < next_tick:
                time.sleep(next_tick - now)
            next_tick += CONTROL_TICK_S
            state = pad.poll(pygame.event.get())
            if time.monotonic() >= next_draw:
                next_draw += refresh_s
                frame = header + _listing(pad.devices(), values=True) + _state_text(state)
                stream.write((_CLEAR if live else "\n") + frame + "\n")
                stream.flush()
    except KeyboardInterrupt:
        stream.write("\n")
        stream.flush()
    return 0


def _header(files: tuple[Path, ...]) -> str:
    override = user_bindings_path()
    lines = [
        f"pygame {pygame.version.ver}, SDL {pygame.version.SDL}",
        "bindings: " + ", ".join(str(f) for f in files),
        f"user overrides go in: {override}",
        "",
    ]
    return "\n".join(lines) + "\n"


def _listing(devices: tuple[DeviceInfo, ...], *, values: bool = False) -> str:
    if not devices:
        return "no gamepad or joystick connected (the keyboard always works)\n"
    lines = [f"{len(devices)} device(s):"]
    for d in devices:
        kind = "game controller" if d.kind == "gamecontroller" else "raw joystick"
        section = "gamepad" if d.kind == "gamecontroller" else "joystick"
        active = "  (active)" if d.active else ""
        lines.append(f"  id {d.instance_id}: {d.name}  [{kind}, '{section}' bindings]{active}")
        lines.append(f"      guid {d.guid}")
        if values:
            axes = "  ".join(f"{name} {value:+.2f}" for name, value in d.axes)
            lines.append(f"      axes: {axes or '-'}")
            lines.append(f"      held: {' '.join(sorted(d.buttons)) or '-'}")
    return "\n".join(lines) + "\n"


def _state_text(state: HandControllerState) -> str:
    thc = "  ".join(f"{n} {v:+.2f}" for n, v in zip("xyz", state.thc, strict=True))
    rhc = "  ".join(
        f"{n} {v:+.2f}" for n, v in zip(("roll", "pitch", "yaw"), state.rhc, strict=True)
    )
    buttons = " ".join(sorted(b.value for b in state.buttons)) or "-"
    return (
        "\nHandControllerState (active device)\n"
        f"  THC  {thc}\n  RHC  {rhc}\n  buttons: {buttons}\n"
        f"  connected: {state.connected}\n  (Ctrl-C to quit)\n"
    )
