"""End-to-end pad tests on SDL virtual joysticks: real device events, no hardware."""

from __future__ import annotations

import pygame
import pytest

from trainer.input.bindings import load_bindings, parse_bindings
from trainer.input.gamepad import GamepadInput
from trainer.input.shaping import shape_stick
from trainer.input.state import Button, HandControllerState
from trainer.input.virtual import VirtualJoystick

pytestmark = pytest.mark.usefixtures("clean_queue")


def poll(source: GamepadInput) -> HandControllerState:
    return source.poll(pygame.event.get())


def test_no_device_is_disconnected() -> None:
    pad = GamepadInput(load_bindings(use_user_file=False))
    state = poll(pad)
    assert not state.connected and state.is_neutral


def test_plug_deflect_unplug() -> None:
    pad = GamepadInput(load_bindings(use_user_file=False))
    assert not poll(pad).connected
    with VirtualJoystick("gamecontroller") as stick:
        events = pygame.event.get()
        assert pygame.CONTROLLERDEVICEADDED in {e.type for e in events}
        state = pad.poll(events)
        assert state.connected and state.is_neutral and not state.buttons
        assert [d.kind for d in pad.devices()] == ["gamecontroller"]

        stick.set_axis("lefty", -1.0)  # stick fully up: forward, +x
        state = poll(pad)
        assert state.thc == pytest.approx((1.0, 0.0, 0.0))

        stick.set_axis("lefty", 0.0)
        stick.set_axis("leftx", 1.0)  # fully right: -y (image right, LEE frame)
        assert poll(pad).thc == pytest.approx((0.0, -1.0, 0.0))

        stick.set_axis("leftx", 0.1)  # inside the 0.15 radial deadzone: exactly 0
        assert poll(pad).thc == (0.0, 0.0, 0.0)

        stick.set_axis("leftx", 0.0)
        stick.set_axis("lefty", -0.5)  # half up: rescaled from the deadzone edge, with expo
        table = pad.bindings.gamepad
        expected = -shape_stick(0.0, -16384 / 32767, table.deadzone, table.expo)[1]
        thc = poll(pad).thc
        assert thc[0] == pytest.approx(expected, abs=1e-9)
        assert 0.3 < thc[0] < 0.5

        stick.set_axis("lefty", 0.0)
        stick.set_axis("righttrigger", 1.0)  # RT: up, +z
        assert poll(pad).thc == pytest.approx((0.0, 0.0, 1.0))
        stick.set_axis("righttrigger", 0.0)
        stick.set_axis("lefttrigger", 1.0)
        assert poll(pad).thc == pytest.approx((0.0, 0.0, -1.0))
        stick.set_axis("lefttrigger", 0.0)

        stick.set_axis("righty", -1.0)  # right stick forward: nose down, +pitch
        stick.set_button("rightshoulder", True)  # roll right
        state = poll(pad)
        assert state.rhc == pytest.approx((1.0, 1.0, 0.0))
        assert state.thc == (0.0, 0.0, 0.0)  # released triggers rest at 0

        stick.set_button("x", True)
        state = poll(pad)
        assert Button.MODE in state.buttons

        stick.detach()
        state = poll(pad)  # the very next poll after unplugging
        assert not state.connected
        assert state.thc == (0.0, 0.0, 0.0) and state.rhc == (0.0, 0.0, 0.0)
        assert not state.buttons
        assert pad.devices() == ()


def test_a_tap_within_one_tick_is_latched() -> None:
    pad = GamepadInput(load_bindings(use_user_file=False))
    with VirtualJoystick("gamecontroller") as stick:
        poll(pad)
        stick.set_button("y", True)
        pygame.event.pump()  # SDL sees the press ...
        stick.set_button("y", False)
        pygame.event.pump()  # ... and the release, both before the next tick
        assert Button.FRAME in poll(pad).buttons
        assert Button.FRAME not in poll(pad).buttons


def test_capture_guard_on_the_pad() -> None:
    pad = GamepadInput(load_bindings(use_user_file=False))
    with VirtualJoystick("gamecontroller") as stick:
        poll(pad)
        stick.set_button("a", True)
        brief = [Button.CAPTURE in poll(pad).buttons for _ in range(5)]
        stick.set_button("a", False)
        brief += [Button.CAPTURE in poll(pad).buttons for _ in range(3)]
        assert not any(brief)
        stick.set_button("a", True)
        held = [Button.CAPTURE in poll(pad).buttons for _ in range(20)]
        assert held == [False] * 14 + [True] * 6  # 0.25 s = 15 ticks at 60 Hz


def test_silence_timeout_disconnects() -> None:
    bindings = parse_bindings("devices: {silence_timeout_s: 0.1}")
    pad = GamepadInput(bindings)
    with VirtualJoystick("gamecontroller") as stick:
        poll(pad)
        stick.set_axis("lefty", -1.0)
        assert poll(pad).thc[0] == pytest.approx(1.0)
        states = [poll(pad) for _ in range(8)]  # 0.1 s = 6 ticks without an event
        assert states[0].connected and not states[-1].connected
        assert states[-1].is_neutral
        stick.set_axis("lefty", -0.9)  # it speaks again
        assert poll(pad).connected


def test_raw_joystick_fallback_mapping() -> None:
    bindings = parse_bindings(
        """
joystick:
  rest: {axis3: -1.0}
  sticks: [[axis0, axis1]]
  axes:
    thc_z: {axis: axis3}
    rhc_pitch: null
"""
    )
    pad = GamepadInput(bindings)
    with VirtualJoystick("joystick", "Virtual flight stick", axes=4, buttons=12, hats=1) as stick:
        events = pygame.event.get()
        assert pygame.JOYDEVICEADDED in {e.type for e in events}
        stick.set_axis(3, -1.0)  # a raw trigger at rest
        state = pad.poll(events + pygame.event.get())
        assert state.connected and state.is_neutral
        assert [d.kind for d in pad.devices()] == ["joystick"]

        stick.set_axis(1, -1.0)
        stick.set_axis(3, 1.0)
        stick.set_hat(0, "right")
        stick.set_button(5, True)
        state = poll(pad)
        assert state.thc == pytest.approx((1.0, 0.0, 1.0))
        assert state.rhc == pytest.approx((1.0, 0.0, 0.0))
        assert Button.JOINT_NEXT in state.buttons

        stick.detach()
        state = poll(pad)
        assert not state.connected and state.is_neutral


def test_second_pad_waits_for_a_deliberate_press() -> None:
    pad = GamepadInput(load_bindings(use_user_file=False))
    with (
        VirtualJoystick("gamecontroller", "first") as first,
        VirtualJoystick("gamecontroller", "second") as second,
    ):
        assert poll(pad).connected
        assert [d.active for d in pad.devices()] == [True, False]
        first.detach()
        assert not poll(pad).connected
        second.set_axis("lefty", -1.0)
        assert not poll(pad).connected  # a stick nudge does not take over
        second.set_button("back", True)
        state = poll(pad)
        assert state.connected and Button.RESUME in state.buttons
        assert state.thc[0] == pytest.approx(1.0)
