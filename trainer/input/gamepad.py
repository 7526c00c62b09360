"""Gamepads and joysticks: SDL GameController layout first, raw joystick as the fallback.

Every pad SDL knows (Xbox, PlayStation, Switch, most others) is opened through SDL's
GameController API (``pygame._sdl2.controller``), so all share one positional layout
("a" is the bottom face button on every pad; Nintendo labels are switched off in
``sdl.py``) and triggers rest at 0. A device SDL has no mapping for (flight stick, 3D
mouse) is opened as a raw joystick and read through the ``joystick`` section of the
bindings (axisN / buttonN / hatN_dir; raw triggers rest at −1: calibrate them with
``joystick.rest``). State is built from events with its own tables (``event.post`` does
not move ``get_axis``); devices are keyed by SDL instance id and hot-plugged from
CONTROLLERDEVICEADDED/REMOVED and JOYDEVICEADDED/REMOVED.

Default gamepad map (``default_bindings.yaml``; senses in the LEE frame, docs/DESIGN.md §3: +x
boresight into the image, +z image-up, so +y is image-left):

| control              | produces                          | why                                  |
|----------------------|-----------------------------------|--------------------------------------|
| left stick up/down   | THC x + / − (toward/away target)  | push forward = fly forward           |
| left stick right/left| THC y − / + (image right/left)    | push right = fly right               |
| right / left trigger | THC z + / − (image up/down)       | analog, on the left-hand controller's|
|                      |                                   | own axis; right = up like a throttle |
| right stick up/down  | RHC pitch + / − (nose down/up)    | aircraft stick: forward = nose down  |
| right stick right/left | RHC yaw − / + (nose right/left) | push right = turn right              |
| RB / LB              | RHC roll + / − (roll right/left)  | the shoulder on the roll side        |
| A (Cross)            | capture, held 0.25 s              | bottom face = the RHC trigger        |
| B (Circle)           | release, held 0.5 s               |                                      |
| X (Square)           | mode                              |                                      |
| Y (Triangle)         | frame of resolution               |                                      |
| d-pad up / down      | rate scale / brakes               |                                      |
| d-pad left / right   | previous / next joint             | single-joint mode                    |
| left stick click     | HOLD (vehicle)                    |                                      |
| right stick click    | RETREAT, held 0.25 s              |                                      |
| Start / Back(Select) | pause / resume                    | resume is deliberate after safing    |
| Guide (Xbox/PS/Home) | ABORT, held 0.5 s                 | some systems take Guide: use keyboard B |
| touchpad / misc1     | camera                            |                                      |

Radial deadzone 0.15 with rescaling, trigger deadzone 0.05, expo 0.2 (``shaping.py``).

Connection (the ``connected`` field):

| situation                                        | state                              |
|--------------------------------------------------|------------------------------------|
| active device present                            | connected, axes and buttons        |
| active device removed                            | connected=False, zero axes, from   |
|                                                  | the very next poll                 |
| no event from it for ``devices.silence_timeout_s``| connected=False, zero axes (off by |
|                                                  | default: a still pad sends nothing)|
| no active device                                 | connected=False, zero axes         |

The first device present, or a device plugged in while none is active, becomes active; a
remaining second device becomes active only when one of its buttons is pressed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import pygame
from pygame._sdl2 import controller as sdl_controller

from trainer.clock import CONTROL_TICK_S
from trainer.errors import DeviceError
from trainer.input.bindings import (
    AXIS_NAMES,
    AxisBinding,
    Bindings,
    DeviceBindings,
    load_bindings,
)
from trainer.input.guard import HoldGuard, Latch
from trainer.input.names import GAMEPAD_AXES, GAMEPAD_BUTTONS
from trainer.input.sdl import init_pygame_input
from trainer.input.shaping import calibrate_rest, shape_axis, shape_stick
from trainer.input.state import HandControllerState

DeviceKind = Literal["gamecontroller", "joystick"]
_HAT_BITS = (("up", 1, 1), ("down", 1, -1), ("left", 0, -1), ("right", 0, 1))
_DISCONNECTED = HandControllerState(connected=False)


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """A snapshot of one device for displays: raw axis values and held buttons."""

    instance_id: int
    kind: DeviceKind
    name: str
    guid: str
    active: bool
    axes: tuple[tuple[str, float], ...]
    buttons: frozenset[str]


@dataclass(slots=True)
class _Device:
    instance_id: int
    kind: DeviceKind
    name: str
    guid: str
    handle: sdl_controller.Controller | pygame.joystick.JoystickType
    axes: dict[str, float] = field(default_factory=dict)
    latch: Latch[str] = field(default_factory=Latch)
    last_event_tick: int = 0


class GamepadInput:
    """An ``InputSource`` for gamepads and joysticks (see the module docstring).

    | parameter | meaning                                                   | units   |
    |-----------|-----------------------------------------------------------|---------|
    | bindings  | validated ``Bindings``; the packaged defaults if None      | —       |
    | tick_s    | control tick; ``poll`` is called once per tick             | s, 1/60 |
    | require   | raise DeviceError if no device is connected at start       | bool    |

    Initialises pygame's joystick and game-controller subsystems (``init_pygame_input``).
    """

    def __init__(
        self,
        bindings: Bindings | None = None,
        tick_s: float = CONTROL_TICK_S,
        *,
        require: bool = False,
    ) -> None:
        init_pygame_input()
        self.bindings = bindings if bindings is not None else load_bindings()
        self._tick_s = tick_s
        self._tick = 0
        self._devices: dict[int, _Device] = {}
        self._active: int | None = None
        self._guard = HoldGuard(self.bindings.guards_s, tick_s)
        timeout = self.bindings.silence_timeout_s
        self._silence_ticks = None if timeout is None else max(1, round(timeout / tick_s))
        for index in range(pygame.joystick.get_count()):
            self._open(index)
        if require and not self._devices:
            raise DeviceError(
                "no gamepad or joystick is connected; plug one in, or use --input keyboard "
                "(`canadarm-trainer devices --once` lists what SDL sees)"
            )

    # -- devices -------------------------------------------------------------------------
    def _open(self, index: int) -> _Device | None:
        try:
            joy = pygame.joystick.Joystick(index)
            iid = int(joy.get_instance_id())
            if iid in self._devices:
                return None  # already open: the second ADDED event of a game controller
            if sdl_controller.is_controller(index):
                pad = sdl_controller.Controller(index)
                device = _Device(iid, "gamecontroller", pad.name, joy.get_guid(), pad)
                for number, name in enumerate(GAMEPAD_AXES):
                    device.axes[name] = _controller_axis(pad.get_axis(number))
                for number, name in enumerate(GAMEPAD_BUTTONS):
                    if pad.get_button(number):
                        device.latch.down(name)
            else:
                device = _Device(iid, "joystick", joy.get_name(), joy.get_guid(), joy)
                device.axes = {f"axis{i}": float(joy.get_axis(i)) for i in range(joy.get_numaxes())}
                for i in range(joy.get_numbuttons()):
                    if joy.get_button(i):
                        device.latch.down(f"button{i}")
        except pygame.error:
            return None  # unplugged between the event and the open: its REMOVED follows
        device.last_event_tick = self._tick
        self._devices[iid] = device
        if self._active is None:
            self._activate(iid)
        return device

    def _activate(self, iid: int | None) -> None:
        self._active = iid
        self._guard.reset()

    def _remove(self, iid: int) -> None:
        device = self._devices.pop(iid, None)
        if device is None:
            return
        if iid == self._active:
            self._activate(None)

    # -- events --------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        """Feed one pygame event (poll calls this for every event of the tick)."""
        kind = event.type
        if kind in (pygame.CONTROLLERDEVICEADDED, pygame.JOYDEVICEADDED):
            self._open(int(event.device_index))
            return
        if kind in (pygame.CONTROLLERDEVICEREMOVED, pygame.JOYDEVICEREMOVED):
            self._remove(int(event.instance_id))
            return
        iid = getattr(event, "instance_id", None)
        device = self._devices.get(int(iid)) if iid is not None else None
        if device is None:
            return
        controller_event = kind in (
            pygame.CONTROLLERAXISMOTION, pygame.CONTROLLERBUTTONDOWN, pygame.CONTROLLERBUTTONUP,
        )  # fmt: skip
        joystick_event = kind in (
            pygame.JOYAXISMOTION, pygame.JOYBUTTONDOWN, pygame.JOYBUTTONUP, pygame.JOYHATMOTION,
        )  # fmt: skip
        if device.kind == "gamecontroller" and controller_event:
            if kind == pygame.CONTROLLERAXISMOTION:
                if 0 <= event.axis < len(GAMEPAD_AXES):
                    device.axes[GAMEPAD_AXES[event.axis]] = _controller_axis(event.value)
            elif 0 <= event.button < len(GAMEPAD_BUTTONS):
                self._button(
                    device, GAMEPAD_BUTTONS[event.button], kind == pygame.CONTROLLERBUTTONDOWN
                )
        elif device.kind == "joystick" and joystick_event:
            if kind == pygame.JOYAXISMOTION:
                device.axes[f"axis{event.axis}"] = max(-1.0, min(1.0, float(event.value)))
            elif kind == pygame.JOYHATMOTION:
                for direction, component, sign in _HAT_BITS:
                    name = f"hat{event.hat}_{direction}"
                    if event.value[component] == sign:
                        if name not in device.latch.held:
                            self._button(device, name, True)
                    elif name in device.latch.held:
                        self._button(device, name, False)
            else:
                self._button(device, f"button{event.button}", kind == pygame.JOYBUTTONDOWN)
        else:
            return
        device.last_event_tick = self._tick

    def _button(self, device: _Device, name: str, down: bool) -> None:
        if down:
            device.latch.down(name)
            if self._active is None:
                self._activate(device.instance_id)  # a deliberate press picks a spare pad
        else:
            device.latch.up(name)

    # -- the tick ------------------------------------------------------------------------
    def poll(self, events: Iterable[pygame.event.Event]) -> HandControllerState:
        """One control tick: apply this tick's events and return the state."""
        self._tick += 1
        for event in events:
            self.handle(event)
        held_by_device = {iid: d.latch.tick() for iid, d in self._devices.items()}
        device = self._devices.get(self._active) if self._active is not None else None
        if device is None or self._silent(device):
            self._guard.reset()
            return _DISCONNECTED
        table = self.bindings.gamepad if device.kind == "gamecontroller" else self.bindings.joystick
        held = held_by_device[device.instance_id]
        values = _shaped(device, table, held)
        axes = [_axis_value(table.axes.get(name), values) for name in AXIS_NAMES]
        raw = {a for a, sources in table.buttons.items() if any(s in held for s in sources)}
        still = device.latch.held
        held_now = {a for a, sources in table.buttons.items() if any(s in still for s in sources)}
        return HandControllerState(
            thc=(axes[0], axes[1], axes[2]),
            rhc=(axes[3], axes[4], axes[5]),
            buttons=self._guard.tick(raw, held_now),
            connected=True,
        )

    def _silent(self, device: _Device) -> bool:
        if device.kind == "gamecontroller":
            handle = device.handle
            if isinstance(handle, sdl_controller.Controller) and not handle.attached():
                return True
        if self._silence_ticks is None:
            return False
        return self._tick - device.last_event_tick > self._silence_ticks

    # -- views ---------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        """True when a device is active (it may still be silent)."""
        return self._active is not None and self._active in self._devices

    def devices(self) -> tuple[DeviceInfo, ...]:
        """Every open device, in instance-id order, with its raw values."""
        return tuple(
            DeviceInfo(
                instance_id=d.instance_id,
                kind=d.kind,
                name=d.name,
                guid=d.guid,
                active=d.instance_id == self._active,
                axes=tuple(sorted(d.axes.items(), key=lambda kv: _axis_order(kv[0]))),
                buttons=d.latch.held,
            )
            for _, d in sorted(self._devices.items())
        )


def _controller_axis(value: int) -> float:
    return max(-1.0, min(1.0, value / 32767.0))


def _axis_order(name: str) -> tuple[int, str]:
    if name in GAMEPAD_AXES:
        return (GAMEPAD_AXES.index(name), name)
    digits = "".join(ch for ch in name if ch.isdigit())
    return (int(digits) if digits else 0, name)


def _shaped(device: _Device, table: DeviceBindings, held: frozenset[str]) -> dict[str, float]:
    """Every source of the device as a shaped value: sticks, single axes, buttons (0/1)."""
    raw = {
        name: calibrate_rest(value, table.rest.get(name, 0.0))
        for name, value in device.axes.items()
    }
    out: dict[str, float] = {}
    for a, b in table.sticks:
        out[a], out[b] = shape_stick(raw.get(a, 0.0), raw.get(b, 0.0), table.deadzone, table.expo)
    for name, value in raw.items():
        if name not in out:
            out[name] = shape_axis(value, table.axis_deadzone, table.expo)
    for name in held:
        out[name] = 1.0
    return out


def _axis_value(binding: AxisBinding | None, values: dict[str, float]) -> float:
    if binding is None:
        return 0.0
    if binding.axis is not None:
        value = values.get(binding.axis, 0.0)
        return -value if binding.invert else value
    positive = values.get(binding.positive, 0.0) if binding.positive else 0.0
    negative = values.get(binding.negative, 0.0) if binding.negative else 0.0
    return max(0.0, positive) - max(0.0, negative)
