"""Keyboard events give the same states as the equivalent full stick deflections."""

from __future__ import annotations

import pygame
import pytest

from trainer.input.bindings import load_bindings, parse_bindings
from trainer.input.gamepad import GamepadInput
from trainer.input.keyboard import KeyboardInput
from trainer.input.source import AutoInput
from trainer.input.state import Button, HandControllerState
from trainer.input.virtual import VirtualJoystick

pytestmark = pytest.mark.usefixtures("clean_queue")


def down(name: str) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=pygame.key.key_code(name))


def up(name: str) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYUP, key=pygame.key.key_code(name))


# (keys held, gamepad controls (name, value) giving the same state)
EQUIVALENT = [
    (["w"], [("lefty", -1.0)]),
    (["s", "d"], [("lefty", 1.0), ("leftx", 1.0)]),
    (["r"], [("righttrigger", 1.0)]),
    (["f"], [("lefttrigger", 1.0)]),
    (["i", "l"], [("righty", -1.0), ("rightx", 1.0)]),
    (["k", "j"], [("righty", 1.0), ("rightx", -1.0)]),
    (["o"], [("rightshoulder", 1.0)]),
    (["u", "a"], [("leftshoulder", 1.0), ("leftx", -1.0)]),
    (["1", "2"], [("x", 1.0), ("y", 1.0)]),
]


@pytest.mark.parametrize("keys, controls", EQUIVALENT)
def test_keys_equal_full_stick_deflections(
    keys: list[str], controls: list[tuple[str, float]]
) -> None:
    bindings = load_bindings(use_user_file=False)
    keyboard = KeyboardInput(bindings)
    pad = GamepadInput(bindings)
    with VirtualJoystick("gamecontroller") as stick:
        pad.poll(pygame.event.get())
        for name, value in controls:
            if name in ("x", "y", "leftshoulder", "rightshoulder"):
                stick.set_button(name, value > 0)
            else:
                stick.set_axis(name, value)
        pad_state = pad.poll(pygame.event.get())
    key_state = keyboard.poll([down(k) for k in keys])
    assert key_state.thc == pytest.approx(pad_state.thc, abs=1e-4)
    assert key_state.rhc == pytest.approx(pad_state.rhc, abs=1e-4)
    assert key_state.buttons == pad_state.buttons
    assert key_state.connected and pad_state.connected


def test_keys_held_release_and_cancel() -> None:
    keyboard = KeyboardInput(load_bindings(use_user_file=False))
    assert keyboard.poll([down("w")]).thc == (1.0, 0.0, 0.0)
    assert keyboard.poll([]).thc == (1.0, 0.0, 0.0)  # still held
    assert keyboard.poll([down("s")]).thc == (0.0, 0.0, 0.0)  # opposite keys cancel
    assert keyboard.poll([up("w")]).thc == (-1.0, 0.0, 0.0)
    assert keyboard.poll([up("s")]).is_neutral


def test_focus_loss_releases_every_key() -> None:
    keyboard = KeyboardInput(load_bindings(use_user_file=False))
    keyboard.poll([down("w"), down("i")])
    assert keyboard.poll([pygame.event.Event(pygame.WINDOWFOCUSLOST)]).is_neutral


def test_tap_within_one_tick_is_latched() -> None:
    keyboard = KeyboardInput(load_bindings(use_user_file=False))
    state = keyboard.poll([down("3"), up("3")])
    assert state.buttons == {Button.RATE_SCALE}
    assert keyboard.poll([]).buttons == frozenset()


def test_ramp() -> None:
    keyboard = KeyboardInput(parse_bindings("keyboard: {ramp_s: 0.1}"))
    values = [keyboard.poll([down("w")] if i == 0 else []).thc[0] for i in range(8)]
    assert values[0] == pytest.approx(1 / 6)
    assert values[5:] == [1.0, 1.0, 1.0]
    assert keyboard.poll([up("w")]).thc[0] == 0.0


def hold_capture(source: KeyboardInput, ticks: int) -> list[bool]:
    out = [Button.CAPTURE in source.poll([down("space")]).buttons]
    out += [Button.CAPTURE in source.poll([]).buttons for _ in range(ticks - 1)]
    source.poll([up("space")])
    return out


def test_capture_guard_brief_tap_does_not_capture() -> None:
    keyboard = KeyboardInput(load_bindings(use_user_file=False))
    assert not any(
        Button.CAPTURE in keyboard.poll([down("space"), up("space")]).buttons for _ in range(1)
    )
    assert not any(hold_capture(keyboard, 14))  # 0.23 s: still not a capture


def test_capture_guard_deliberate_hold_captures() -> None:
    keyboard = KeyboardInput(load_bindings(use_user_file=False))
    held = hold_capture(keyboard, 30)
    assert held.index(True) == 14 and all(held[14:])  # from the 15th tick (0.25 s) on


def test_repeated_taps_do_not_add_up() -> None:
    keyboard = KeyboardInput(load_bindings(use_user_file=False))
    for _ in range(20):
        assert not any(hold_capture(keyboard, 5))


def test_abort_needs_half_a_second() -> None:
    keyboard = KeyboardInput(load_bindings(use_user_file=False))
    states = [keyboard.poll([down("b")])] + [keyboard.poll([]) for _ in range(40)]
    first = next(i for i, s in enumerate(states) if Button.ABORT in s.buttons)
    assert first == 29  # 0.5 s = 30 ticks


def _state_of(source: AutoInput, events: list[pygame.event.Event]) -> HandControllerState:
    return source.poll(events + pygame.event.get())


def test_auto_input_pad_plus_keyboard_and_safing_after_unplug() -> None:
    auto = AutoInput(load_bindings(use_user_file=False))
    assert _state_of(auto, [down("w")]).thc == (1.0, 0.0, 0.0)  # keyboard, no pad
    _state_of(auto, [up("w")])
    with VirtualJoystick("gamecontroller") as stick:
        stick.set_axis("leftx", 1.0)
        state = _state_of(auto, [down("4")])  # a workstation key while the pad flies
        assert state.connected and state.thc == pytest.approx((0.0, -1.0, 0.0))
        assert Button.BRAKES in state.buttons
        stick.detach()
        state = _state_of(auto, [up("4"), down("w")])
        assert not state.connected and state.is_neutral  # safing: keyboard axes ignored
        state = _state_of(auto, [down("return")])
        assert state.connected and Button.RESUME in state.buttons
        assert state.thc == (1.0, 0.0, 0.0)  # flying on with the keyboard
