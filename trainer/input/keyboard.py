"""Keyboard hand controllers: full THC and RHC plus every workstation button.

Built on KEYDOWN/KEYUP events with its own held-key state (``event.post`` does not change
``key.get_pressed``, docs/PYBULLET_NOTES.md). A held key gives a full deflection, ±1, on its axis,
so a key produces exactly the state of the equivalent full stick deflection; opposite keys
held together cancel. Two keys of one pad stick (THC x and y; RHC pitch and yaw) held
together give the pad's full diagonal, magnitude 1 (0.707 each), not a faster corner. With ``keyboard.ramp_s`` > 0 the deflection ramps from 0 to 1 over
that time while the key is held (and drops to 0 at once on release: a rate demand must
stop when the hand comes off). Losing window focus releases every key, so a key released
in another window never stays stuck.

Default keys (``default_bindings.yaml``; senses in the LEE frame, +y image-left):

| axis / action   | +           | −           | why                                   |
|-----------------|-------------|-------------|---------------------------------------|
| THC x           | W (forward) | S (back)    | left hand WASD, forward = toward target|
| THC y           | A (left)    | D (right)   | +y is image-left in the LEE frame      |
| THC z           | R (up)      | F (down)    | "rise / fall", next to WASD            |
| RHC roll        | O (right)   | U (left)    | right hand, above the I/J/K/L cluster  |
| RHC pitch       | I (nose down) | K (nose up) | I = stick forward                    |
| RHC yaw         | J (nose left) | L (nose right) |                                   |

| key      | action      | key    | action                   |
|----------|-------------|--------|--------------------------|
| Space    | capture (held 0.25 s) | 1 | mode                  |
| G        | release (held 0.5 s)  | 2 | frame of resolution   |
| H        | hold (vehicle)        | 3 | rate scale            |
| T        | retreat (held 0.25 s) | 4 | brakes                |
| B        | abort (held 0.5 s)    | [ / ] | previous / next joint |
| P        | pause                 | Return | resume (after safing) |
| C        | camera                |        |                       |

| parameter | meaning                                  | range / units |
|-----------|------------------------------------------|---------------|
| bindings  | validated ``Bindings`` (defaults if None) | —             |
| tick_s    | control tick; one ``poll`` per tick      | s, 1/60       |
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pygame

from trainer.clock import CONTROL_TICK_S
from trainer.input.bindings import AXIS_NAMES, Bindings, load_bindings
from trainer.input.guard import HoldGuard, Latch
from trainer.input.state import Button, HandControllerState

_STICK_PAIRS = ((0, 1), (4, 5))  # THC x/y share the left stick, RHC pitch/yaw the right
_FOCUS_LOST = {getattr(pygame, "WINDOWFOCUSLOST", -1)}


class KeyboardInput:
    """An ``InputSource`` for the keyboard (see the module docstring)."""

    def __init__(self, bindings: Bindings | None = None, tick_s: float = CONTROL_TICK_S) -> None:
        self.bindings = bindings if bindings is not None else load_bindings()
        kb = self.bindings.keyboard
        self._tick_s = tick_s
        self._ramp_s = kb.ramp_s
        code = _codes(name for b in kb.axes.values() for name in b.sources())
        code |= _codes(name for names in kb.buttons.values() for name in names)
        self._axis_keys: list[tuple[int | None, int | None]] = []
        for axis in AXIS_NAMES:
            binding = kb.axes.get(axis)
            if binding is None:
                self._axis_keys.append((None, None))
            else:
                positive = None if binding.positive is None else code[binding.positive]
                negative = None if binding.negative is None else code[binding.negative]
                self._axis_keys.append((positive, negative))
        self._button_keys = {code[n]: action for action, names in kb.buttons.items() for n in names}
        self._latch: Latch[int] = Latch()
        self._guard = HoldGuard(self.bindings.guards_s, tick_s)
        self._ramp = [0.0] * len(AXIS_NAMES)
        self._ramp_sign = [0] * len(AXIS_NAMES)

    def handle(self, event: pygame.event.Event) -> None:
        """Feed one pygame event (poll calls this for every event of the tick)."""
        if event.type == pygame.KEYDOWN:
            self._latch.down(int(event.key))
        elif event.type == pygame.KEYUP:
            self._latch.up(int(event.key))
        elif event.type in _FOCUS_LOST:
            self._latch.clear()

    def poll(self, events: Iterable[pygame.event.Event]) -> HandControllerState:
        for event in events:
            self.handle(event)
        held = self._latch.tick()
        values: list[float] = []
        for i, (positive, negative) in enumerate(self._axis_keys):
            sign = int(positive in held) - int(negative in held)
            values.append(self._ramped(i, sign))
        for a, b in _STICK_PAIRS:  # two keys of one stick: a diagonal, magnitude 1 like a pad
            radius = math.hypot(values[a], values[b])
            if radius > 1.0:
                values[a], values[b] = values[a] / radius, values[b] / radius
        raw = {self._button_keys[k] for k in held if k in self._button_keys}
        buttons = self._guard.tick(raw, self.held_buttons())
        return HandControllerState(
            thc=(values[0], values[1], values[2]),
            rhc=(values[3], values[4], values[5]),
            buttons=buttons,
            connected=True,
        )

    def _ramped(self, i: int, sign: int) -> float:
        if sign == 0 or self._ramp_s <= 0.0:
            self._ramp[i], self._ramp_sign[i] = 0.0, sign
            return float(sign)
        if sign != self._ramp_sign[i]:
            self._ramp[i], self._ramp_sign[i] = 0.0, sign
        self._ramp[i] = self._ramp[i] + self._tick_s / self._ramp_s
        if self._ramp[i] > 1.0 - 1e-9:
            self._ramp[i] = 1.0
        return sign * self._ramp[i]

    def held_buttons(self) -> frozenset[Button]:
        """Actions whose keys are down now, before the guard (for displays)."""
        return frozenset(self._button_keys[k] for k in self._latch.held if k in self._button_keys)


def _codes(names: Iterable[str]) -> dict[str, int]:
    import warnings

    out: dict[str, int] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # key names resolve without pygame.init()
        for name in names:
            out[name] = int(pygame.key.key_code(name))
    return out
