"""SDL virtual joysticks for end-to-end input tests and demos.

An SDL virtual joystick (attached through ctypes to the SDL library inside the pygame
wheel, ``sdl.py``) is a real device to SDL: plugging it in, moving it and unplugging it
produce the same device-added, axis, button and device-removed events as hardware
(docs/PYBULLET_NOTES.md).

| layout           | SDL call                     | seen by the trainer as                   |
|------------------|------------------------------|------------------------------------------|
| "gamecontroller" | SDL_JoystickAttachVirtualEx  | a game controller (``gamepad`` bindings), |
|                  | with full axis/button masks  | axis and button numbers = SDL's enums    |
| "joystick"       | SDL_JoystickAttachVirtual,   | a raw joystick (``joystick`` bindings)   |
|                  | type flight stick            |                                          |

If the SDL build lacks SDL_JoystickAttachVirtualEx (SDL < 2.24), "gamecontroller" is not
available and ``VirtualJoystick.gamecontroller_supported()`` says so; the raw layout always
works. Values are set with ``set_axis`` (sticks in [-1, 1], controller triggers in [0, 1])
and ``set_button``; SDL applies them at the next event pump (``pygame.event.get``).

The virtual device must be used after ``init_pygame_input()`` (SDL's joystick subsystem
must be running) and detached before ``pygame.quit()``.
"""

from __future__ import annotations

import ctypes
from types import TracebackType
from typing import Literal

from trainer.errors import DeviceError
from trainer.input.names import GAMEPAD_AXES, GAMEPAD_BUTTONS, GAMEPAD_TRIGGERS
from trainer.input.sdl import sdl_library

Layout = Literal["gamecontroller", "joystick"]
_SDL_JOYSTICK_TYPE_GAMECONTROLLER = 1
_SDL_JOYSTICK_TYPE_FLIGHT_STICK = 4
_SDL_VIRTUAL_JOYSTICK_DESC_VERSION = 1
_CONTROLLER_BUTTONS = 15  # a .. dpright: the buttons every mapped pad has


class _VirtualJoystickDesc(ctypes.Structure):
    """SDL_VirtualJoystickDesc (SDL 2.24+, SDL_joystick.h)."""

    _fields_ = [
        ("version", ctypes.c_uint16),
        ("type", ctypes.c_uint16),
        ("naxes", ctypes.c_uint16),
        ("nbuttons", ctypes.c_uint16),
        ("nhats", ctypes.c_uint16),
        ("vendor_id", ctypes.c_uint16),
        ("product_id", ctypes.c_uint16),
        ("padding", ctypes.c_uint16),
        ("button_mask", ctypes.c_uint32),
        ("axis_mask", ctypes.c_uint32),
        ("name", ctypes.c_char_p),
        ("userdata", ctypes.c_void_p),
        ("Update", ctypes.c_void_p),
        ("SetPlayerIndex", ctypes.c_void_p),
        ("Rumble", ctypes.c_void_p),
        ("RumbleTriggers", ctypes.c_void_p),
        ("SetLED", ctypes.c_void_p),
        ("SendEffect", ctypes.c_void_p),
    ]


def _bind(lib: ctypes.CDLL) -> ctypes.CDLL:
    lib.SDL_JoystickAttachVirtual.argtypes = [ctypes.c_int] * 4
    lib.SDL_JoystickAttachVirtual.restype = ctypes.c_int
    lib.SDL_JoystickDetachVirtual.argtypes = [ctypes.c_int]
    lib.SDL_JoystickDetachVirtual.restype = ctypes.c_int
    lib.SDL_JoystickOpen.argtypes = [ctypes.c_int]
    lib.SDL_JoystickOpen.restype = ctypes.c_void_p
    lib.SDL_JoystickClose.argtypes = [ctypes.c_void_p]
    lib.SDL_JoystickClose.restype = None
    lib.SDL_JoystickInstanceID.argtypes = [ctypes.c_void_p]
    lib.SDL_JoystickInstanceID.restype = ctypes.c_int32
    lib.SDL_NumJoysticks.argtypes = []
    lib.SDL_NumJoysticks.restype = ctypes.c_int
    lib.SDL_JoystickGetDeviceInstanceID.argtypes = [ctypes.c_int]
    lib.SDL_JoystickGetDeviceInstanceID.restype = ctypes.c_int32
    lib.SDL_JoystickSetVirtualAxis.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int16]
    lib.SDL_JoystickSetVirtualAxis.restype = ctypes.c_int
    lib.SDL_JoystickSetVirtualButton.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint8]
    lib.SDL_JoystickSetVirtualButton.restype = ctypes.c_int
    lib.SDL_JoystickSetVirtualHat.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint8]
    lib.SDL_JoystickSetVirtualHat.restype = ctypes.c_int
    lib.SDL_GetError.argtypes = []
    lib.SDL_GetError.restype = ctypes.c_char_p
    if hasattr(lib, "SDL_JoystickAttachVirtualEx"):
        lib.SDL_JoystickAttachVirtualEx.argtypes = [ctypes.POINTER(_VirtualJoystickDesc)]
        lib.SDL_JoystickAttachVirtualEx.restype = ctypes.c_int
    return lib


_HAT_VALUES = {"centered": 0, "up": 1, "right": 2, "down": 4, "left": 8}


class VirtualJoystick:
    """One SDL virtual joystick; a context manager that detaches it on exit.

    | parameter | meaning                                               |
    |-----------|-------------------------------------------------------|
    | layout    | "gamecontroller" or "joystick" (see module docstring) |
    | name      | the device name SDL reports                           |
    | axes, buttons, hats | raw layout only: how many of each           |
    """

    def __init__(
        self,
        layout: Layout = "gamecontroller",
        name: str = "Canadarm trainer virtual pad",
        *,
        axes: int = 4,
        buttons: int = 12,
        hats: int = 1,
    ) -> None:
        self._lib = _bind(sdl_library())
        self.layout: Layout = layout
        self._name = name.encode()
        if layout == "gamecontroller":
            if not self.gamecontroller_supported():
                raise DeviceError(
                    "this SDL has no SDL_JoystickAttachVirtualEx: use layout='joystick'"
                )
            desc = _VirtualJoystickDesc(
                version=_SDL_VIRTUAL_JOYSTICK_DESC_VERSION,
                type=_SDL_JOYSTICK_TYPE_GAMECONTROLLER,
                naxes=len(GAMEPAD_AXES),
                nbuttons=_CONTROLLER_BUTTONS,
                nhats=0,
                button_mask=(1 << _CONTROLLER_BUTTONS) - 1,
                axis_mask=(1 << len(GAMEPAD_AXES)) - 1,
                name=self._name,
            )
            index = self._lib.SDL_JoystickAttachVirtualEx(ctypes.byref(desc))
        else:
            index = self._lib.SDL_JoystickAttachVirtual(
                _SDL_JOYSTICK_TYPE_FLIGHT_STICK, axes, buttons, hats
            )
        if index < 0:
            raise DeviceError(f"cannot attach an SDL virtual joystick: {self._error()}")
        self._joystick = self._lib.SDL_JoystickOpen(index)
        if not self._joystick:
            raise DeviceError(f"cannot open the SDL virtual joystick: {self._error()}")
        self.instance_id = int(self._lib.SDL_JoystickInstanceID(self._joystick))
        if layout == "gamecontroller":
            for trigger in GAMEPAD_TRIGGERS:  # released: SDL's raw trigger rest is -32768
                self.set_axis(trigger, 0.0)

    def gamecontroller_supported(self) -> bool:
        return hasattr(self._lib, "SDL_JoystickAttachVirtualEx")

    def _error(self) -> str:
        message = self._lib.SDL_GetError()
        return message.decode(errors="replace") if message else "unknown SDL error"

    def _attached(self) -> ctypes.c_void_p:
        if not self._joystick:
            raise DeviceError("the virtual joystick has been detached")
        return self._joystick  # type: ignore[no-any-return]

    def set_axis(self, axis: str | int, value: float) -> None:
        """Set an axis: a controller name ("leftx", "righttrigger") or a raw index.

        Sticks and raw axes take [-1, 1]; controller triggers take [0, 1] (0 = released).
        """
        if isinstance(axis, str):
            if axis not in GAMEPAD_AXES:
                raise DeviceError(f"unknown virtual axis {axis!r}")
            number = GAMEPAD_AXES.index(axis)
            if axis in GAMEPAD_TRIGGERS:
                value = 2.0 * max(0.0, min(1.0, value)) - 1.0
        else:
            number = axis
        clamped = max(-1.0, min(1.0, float(value)))
        raw = -32768 if clamped <= -1.0 else round(clamped * 32767)
        self._lib.SDL_JoystickSetVirtualAxis(self._attached(), number, raw)

    def set_button(self, button: str | int, pressed: bool) -> None:
        """Press or release a button: a controller name ("a", "start") or a raw index."""
        if isinstance(button, str):
            if button not in GAMEPAD_BUTTONS[:_CONTROLLER_BUTTONS]:
                raise DeviceError(f"unknown virtual button {button!r}")
            number = GAMEPAD_BUTTONS.index(button)
        else:
            number = button
        self._lib.SDL_JoystickSetVirtualButton(self._attached(), number, 1 if pressed else 0)

    def set_hat(self, hat: int, direction: str) -> None:
        """Raw layout: set a hat to "centered", "up", "down", "left" or "right"."""
        self._lib.SDL_JoystickSetVirtualHat(self._attached(), hat, _HAT_VALUES[direction])

    def detach(self) -> None:
        """Unplug: SDL posts device-removed at the next event pump. Idempotent."""
        if not self._joystick:
            return
        joystick, self._joystick = self._joystick, None
        self._lib.SDL_JoystickClose(joystick)
        for index in range(self._lib.SDL_NumJoysticks()):
            if self._lib.SDL_JoystickGetDeviceInstanceID(index) == self.instance_id:
                self._lib.SDL_JoystickDetachVirtual(index)
                return

    def __enter__(self) -> VirtualJoystick:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.detach()
