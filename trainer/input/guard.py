"""Per-tick button handling shared by every device: the tap latch and the hold guard.

| stage  | rule                                                                           |
|--------|--------------------------------------------------------------------------------|
| latch  | a source pressed and released within one control tick still reads held for    |
|        | that tick, so a tap is never lost between two polls                            |
| guard  | a guarded action (``guards`` in the bindings: capture, release, retreat,       |
|        | abort) is produced only from the tick on which it has been held for            |
|        | ceil(hold_s / tick_s) consecutive ticks, and then for as long as it stays held |

The guard counts control ticks, not wall time, so it is deterministic and a replay of the
produced states reproduces it exactly. With the defaults a capture needs the button held
for 15 ticks (0.25 s): a brush of the A button or a tap of the space bar never closes the
snares.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from typing import Generic, TypeVar

from trainer.clock import CONTROL_TICK_S
from trainer.input.state import Button

SourceT = TypeVar("SourceT", bound=Hashable)


class Latch(Generic[SourceT]):
    """Held sources from down/up events, with presses latched until the end of the tick."""

    def __init__(self) -> None:
        self._held: set[SourceT] = set()
        self._tapped: set[SourceT] = set()

    def down(self, source: SourceT) -> None:
        self._held.add(source)
        self._tapped.add(source)

    def up(self, source: SourceT) -> None:
        self._held.discard(source)

    def clear(self) -> None:
        """Forget everything held (focus lost, device removed)."""
        self._held.clear()
        self._tapped.clear()

    def tick(self) -> frozenset[SourceT]:
        """Sources to treat as held for the tick just finished; resets the latch."""
        out = frozenset(self._held | self._tapped)
        self._tapped.clear()
        return out

    @property
    def held(self) -> frozenset[SourceT]:
        return frozenset(self._held)


def hold_ticks(hold_s: float, tick_s: float = CONTROL_TICK_S) -> int:
    """Number of consecutive ticks needed for a hold of ``hold_s`` (at least 1)."""
    return max(1, math.ceil(hold_s / tick_s - 1e-9))


class HoldGuard:
    """Passes unguarded actions through; passes a guarded one only after a long hold."""

    def __init__(self, guards_s: Mapping[Button, float], tick_s: float = CONTROL_TICK_S) -> None:
        self._needed = {b: hold_ticks(s, tick_s) for b, s in guards_s.items() if s > 0.0}
        self._count: dict[Button, int] = {}

    def needed_ticks(self, button: Button) -> int:
        return self._needed.get(button, 1)

    def reset(self) -> None:
        self._count.clear()

    def tick(
        self, raw: Iterable[Button], held_now: Iterable[Button] | None = None
    ) -> frozenset[Button]:
        """Guarded actions for this tick. ``raw``: actions held or latched this tick;
        ``held_now``: those still held at its end (a latched tap was released, so its
        count starts again: a release always restarts the hold)."""
        raw_set = frozenset(raw)
        still = raw_set if held_now is None else frozenset(held_now)
        out: set[Button] = set()
        for button in raw_set:
            needed = self._needed.get(button)
            if needed is None:
                out.add(button)
                continue
            count = self._count.get(button, 0) + 1
            self._count[button] = count
            if count >= needed:
                out.add(button)
        for button in list(self._count):
            if button not in raw_set or button not in still:
                del self._count[button]
        return frozenset(out)
