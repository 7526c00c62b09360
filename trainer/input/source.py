"""The one object the session polls: an ``InputSource``.

The session calls ``poll(events)`` exactly once per control tick (1/60 s) with the pygame
events of that tick (all of them: each source picks what it needs) and gets one
``HandControllerState``. Pilots (trainer/pilots/) hand the session the same states.

| class         | ``--input`` | connected                                               |
|---------------|-------------|---------------------------------------------------------|
| KeyboardInput | keyboard    | always                                                  |
| GamepadInput  | gamepad     | while the active pad is present and not silent          |
| AutoInput     | auto        | see below                                               |

``AutoInput`` flies the pad when one is active and keyboard otherwise; the keyboard works
throughout (its axes add to the pad's, clamped to ±1, and its buttons join the pad's, so a
workstation key can be pressed while flying the pad). If the active pad is lost (unplugged
or silent) the state is ``connected=False`` with zero axes (safing) until either a pad is
active again or RESUME is pressed on the keyboard; the keyboard's buttons still come
through meanwhile, so that RESUME is seen.

The window's focus is not a source's business: the keyboard releases its keys when the
focus goes (keyboard.py), and ``fly`` itself reads the hand controllers as centred, with
no buttons, while its window is not focused (trainer/ui/app.py; tests/ui/test_window.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal, Protocol, runtime_checkable

import pygame

from trainer.clock import CONTROL_TICK_S
from trainer.errors import DeviceError
from trainer.input.bindings import Bindings, load_bindings
from trainer.input.gamepad import GamepadInput
from trainer.input.keyboard import KeyboardInput
from trainer.input.state import Button, HandControllerState

InputKind = Literal["auto", "gamepad", "keyboard"]
INPUT_KINDS: tuple[InputKind, ...] = ("auto", "gamepad", "keyboard")


@runtime_checkable
class InputSource(Protocol):
    """Produces one HandControllerState per control tick from that tick's events."""

    def poll(self, events: Iterable[pygame.event.Event]) -> HandControllerState: ...


class AutoInput:
    """Gamepad when one is active, keyboard always (see the module docstring)."""

    def __init__(self, bindings: Bindings | None = None, tick_s: float = CONTROL_TICK_S) -> None:
        self.bindings = bindings if bindings is not None else load_bindings()
        self.gamepad = GamepadInput(self.bindings, tick_s)
        self.keyboard = KeyboardInput(self.bindings, tick_s)
        self._pad_was_connected = False
        self._lost = False

    def poll(self, events: Iterable[pygame.event.Event]) -> HandControllerState:
        batch: Sequence[pygame.event.Event] = list(events)
        pad = self.gamepad.poll(batch)
        keys = self.keyboard.poll(batch)
        if pad.connected:
            self._pad_was_connected, self._lost = True, False
            return HandControllerState(
                thc=_sum(pad.thc, keys.thc),
                rhc=_sum(pad.rhc, keys.rhc),
                buttons=pad.buttons | keys.buttons,
                connected=True,
            )
        if self._pad_was_connected:
            self._pad_was_connected, self._lost = False, True
        if self._lost:
            if Button.RESUME in keys.buttons:
                self._lost = False  # deliberate: fly on with the keyboard
                return keys
            return HandControllerState(buttons=keys.buttons, connected=False)
        return keys


def _sum(
    a: tuple[float, float, float], b: tuple[float, float, float]
) -> tuple[float, float, float]:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])  # HandControllerState clamps to ±1


def make_input(
    kind: str, bindings: Bindings | None = None, tick_s: float = CONTROL_TICK_S
) -> InputSource:
    """Build the source for ``--input KIND`` (auto, gamepad, keyboard)."""
    if kind == "auto":
        return AutoInput(bindings, tick_s)
    if kind == "gamepad":
        return GamepadInput(bindings, tick_s, require=True)
    if kind == "keyboard":
        return KeyboardInput(bindings, tick_s)
    raise DeviceError(f"unknown input {kind!r}; expected one of {', '.join(INPUT_KINDS)}")
