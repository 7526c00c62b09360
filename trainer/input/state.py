"""The one thing every input source produces: an immutable hand-controller state.

A person on a gamepad or keyboard, the autopilot, and a recording being replayed all hand
the session the same stream of ``HandControllerState``, one per control tick (1/60 s), so a
graded run exercises exactly the code a trainee uses (docs/DESIGN.md §2).

| field     | meaning                                                              | range   |
|-----------|----------------------------------------------------------------------|---------|
| thc       | translational hand controller (left hand): x, y, z rate demand       | [-1, 1] |
| rhc       | rotational hand controller (right hand): roll, pitch, yaw rate demand | [-1, 1] |
| buttons   | workstation buttons held during this tick                            | set     |
| connected | False when the active device is unplugged or silent (safing)         | bool    |

Axis semantics: in Cartesian rate mode, THC x/y/z and RHC roll/pitch/yaw are rates along
and about the x/y/z axes of the selected frame of resolution (base or LEE), as fractions
of the current rate scale's maximum. Buttons are *held* states, so a replayed stream
reproduces every press; what acts on a press reads the rising edges of a ``TickInput``,
computed once per tick by ``ButtonEdges`` (the session's) and read by the session, its
task, the arm controller and the window alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

AXIS_LIMIT = 1.0


class Button(StrEnum):
    """Workstation buttons (docs/REFERENCE.md §3: mode, frame of resolution, rate scale,
    single-joint select, brakes, safing; crew vehicle commands HOLD/RETREAT/ABORT)."""

    CAPTURE = "capture"  # RHC trigger: close the snares (guarded by the device layer)
    RELEASE = "release"  # open the LEE and release the payload
    MODE = "mode"  # cycle control mode: cartesian -> single joint -> position hold
    FRAME = "frame"  # toggle frame of resolution: base <-> LEE
    RATE_SCALE = "rate_scale"  # toggle coarse <-> vernier
    JOINT_NEXT = "joint_next"  # single-joint mode: select the next joint
    JOINT_PREV = "joint_prev"  # single-joint mode: select the previous joint
    BRAKES = "brakes"  # toggle brakes on/off
    HOLD = "hold"  # vehicle command: hold position
    RETREAT = "retreat"  # vehicle command: back away
    ABORT = "abort"  # vehicle command: abort (thrust away from the station)
    FREE_DRIFT = "free_drift"  # M2's command: the vehicle goes to free drift (docs/REFERENCE.md §3)
    PAUSE = "pause"  # pause / resume the session clock
    RESUME = "resume"  # deliberate action that clears safing after unplug or pause
    CAMERA = "camera"  # cycle the main camera monitor (UI only)


def _clamp_axes(values: tuple[float, float, float], name: str) -> tuple[float, float, float]:
    if len(values) != 3:
        raise ValueError(f"{name} must have 3 axes, got {len(values)}")
    out = []
    for v in values:
        f = float(v)
        if not math.isfinite(f):
            f = 0.0  # a non-finite axis reading is treated as centred, never propagated
        out.append(max(-AXIS_LIMIT, min(AXIS_LIMIT, f)))
    return (out[0], out[1], out[2])


@dataclass(frozen=True, slots=True)
class HandControllerState:
    """One control tick of hand-controller input (see module docstring)."""

    thc: tuple[float, float, float] = (0.0, 0.0, 0.0)
    rhc: tuple[float, float, float] = (0.0, 0.0, 0.0)
    buttons: frozenset[Button] = field(default_factory=frozenset)
    connected: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "thc", _clamp_axes(tuple(self.thc), "thc"))  # type: ignore[arg-type]
        object.__setattr__(self, "rhc", _clamp_axes(tuple(self.rhc), "rhc"))  # type: ignore[arg-type]
        object.__setattr__(self, "buttons", frozenset(Button(b) for b in self.buttons))

    @property
    def is_neutral(self) -> bool:
        """True when both hand controllers are centred."""
        return all(v == 0.0 for v in self.thc) and all(v == 0.0 for v in self.rhc)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form used by the recording's /input channel."""
        return {
            "thc": list(self.thc),
            "rhc": list(self.rhc),
            "buttons": sorted(b.value for b in self.buttons),
            "connected": self.connected,
        }


NEUTRAL = HandControllerState()


@dataclass(frozen=True, slots=True)
class TickInput:
    """One control tick's hand controllers with the buttons that went down this tick."""

    state: HandControllerState
    pressed: frozenset[Button]


NOTHING_PRESSED: frozenset[Button] = frozenset()


class ButtonEdges:
    """Rising edges from one tick's held buttons to the next: a button pressed this tick
    and not the one before (held for many ticks, it acts once)."""

    def __init__(self) -> None:
        self._held: frozenset[Button] = NOTHING_PRESSED

    def next(self, state: HandControllerState) -> TickInput:
        buttons = state.buttons
        pressed = buttons - self._held if buttons else NOTHING_PRESSED
        self._held = buttons
        return TickInput(state, pressed)
