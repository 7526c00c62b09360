"""Bindings: packaged defaults valid, errors pinned to file and key path, overrides apply."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.errors import BindingsError
from trainer.input.bindings import (
    DEFAULT_BINDINGS_PATH,
    AxisBinding,
    load_bindings,
    user_bindings_path,
)
from trainer.input.state import Button


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bindings.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(BindingsError) as info:
        load_bindings(path)
    message = str(info.value)
    assert message.startswith(f"{path}: "), message
    assert "\n" not in message
    return message


def test_defaults_are_valid_and_bind_every_action_on_the_keyboard() -> None:
    bindings = load_bindings(use_user_file=False)
    assert bindings.files == (DEFAULT_BINDINGS_PATH,)
    assert set(bindings.keyboard.buttons) == set(Button)
    assert bindings.guards_s[Button.CAPTURE] == 0.25
    assert bindings.gamepad.axes["thc_x"] == AxisBinding(axis="lefty", invert=True)


def test_user_path_is_in_the_user_config_dir() -> None:
    assert user_bindings_path().name == "bindings.yaml"
    assert "canadarm-trainer" in str(user_bindings_path())


def test_unknown_axis(tmp_path: Path) -> None:
    message = refused(tmp_path, "gamepad:\n  axes:\n    thc_x: {axis: leftx2}\n")
    assert message.endswith("bindings.yaml: gamepad.axes.thc_x: unknown axis 'leftx2'")


def test_unknown_action(tmp_path: Path) -> None:
    message = refused(tmp_path, "keyboard:\n  buttons:\n    fly: [q]\n")
    assert "bindings.yaml: keyboard.buttons.fly: unknown key; known keys: capture" in message


def test_unknown_hand_controller_axis(tmp_path: Path) -> None:
    message = refused(tmp_path, "gamepad:\n  axes:\n    thc_w: {axis: leftx}\n")
    assert ": gamepad.axes.thc_w: unknown key (did you mean 'thc_z'?)" in message


def test_duplicate_binding(tmp_path: Path) -> None:
    message = refused(tmp_path, "keyboard:\n  buttons:\n    mode: [w]\n")
    assert message.endswith(
        "bindings.yaml: keyboard.buttons.mode: key 'w' is already bound to keyboard.axes.thc_x"
    )


def test_duplicate_between_two_actions_of_the_override(tmp_path: Path) -> None:
    message = refused(tmp_path, "gamepad:\n  buttons:\n    mode: [x]\n    frame: [x]\n")
    assert ": gamepad.buttons.frame: source 'x' is already bound to gamepad.buttons.mode" in message


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "gamepad: {deadzone: 1.0}",
            "gamepad.deadzone: must be a finite number in [0, 1), got 1.0",
        ),
        (
            "gamepad: {deadzone: -0.1}",
            "gamepad.deadzone: must be a finite number in [0, 1), got -0.1",
        ),
        (
            "gamepad: {deadzone: .nan}",
            "gamepad.deadzone: must be a finite number in [0, 1), got .nan",
        ),
        ("gamepad: {expo: .inf}", "gamepad.expo: must be a finite number in [0, 1], got .inf"),
        (
            "gamepad: {deadzone: lots}",
            "gamepad.deadzone: must be a finite number in [0, 1), got 'lots'",
        ),
        (
            "joystick: {axes: {thc_x: {axis: axis40}}}",
            "joystick.axes.thc_x: axis index 40 out of range 0..31",
        ),
        (
            "joystick: {axes: {thc_x: {axis: button1}}}",
            "joystick.axes.thc_x: unknown axis 'button1'",
        ),
        (
            "joystick: {rest: {axis2: -1.5}}",
            "joystick.rest.axis2: must be a finite number in [-1, 1)",
        ),
        (
            "keyboard: {axes: {thc_z: {positive: notakey}}}",
            "keyboard.axes.thc_z: unknown key 'notakey'",
        ),
        (
            "keyboard: {axes: {thc_z: {axis: r}}}",
            "keyboard.axes.thc_z.axis: unknown key; known keys: positive, negative",
        ),
        ("guards: {capture: 9}", "guards.capture: must be a finite number in [0, 5], got 9"),
        (
            "gamepad: {axes: {thc_x: {axis: lefty, invert: maybe}}}",
            "gamepad.axes.thc_x.invert: must be true or false, got 'maybe'",
        ),
        (
            "devices: {silence_timeout_s: -1}",
            "devices.silence_timeout_s: must be a finite number in [0, inf), got -1",
        ),
    ],
)
def test_bad_values(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in refused(tmp_path, text)


def test_bad_yaml_syntax_names_file_and_line(tmp_path: Path) -> None:
    message = refused(tmp_path, "keyboard:\n  buttons:\n    mode: [1\n  frame: 2\n")
    assert "invalid YAML" in message and "line " in message


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    assert "the top level must be a mapping" in refused(tmp_path, "- w\n- s\n")


def test_missing_explicit_file(tmp_path: Path) -> None:
    with pytest.raises(BindingsError, match="bindings file not found"):
        load_bindings(tmp_path / "nope.yaml")


def test_valid_override_changes_a_binding_and_keeps_the_rest(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "keyboard:\n  buttons:\n    capture: [v]\ngamepad:\n  deadzone: 0.2\n"
        "  axes:\n    thc_z: {axis: righty}\n    rhc_pitch: null\n",
    )
    bindings = load_bindings(path)
    assert bindings.files == (DEFAULT_BINDINGS_PATH, path)
    assert bindings.keyboard.buttons[Button.CAPTURE] == ("v",)
    assert bindings.keyboard.buttons[Button.MODE] == ("1",)  # untouched default
    assert bindings.gamepad.deadzone == 0.2
    assert bindings.gamepad.axes["thc_z"] == AxisBinding(axis="righty")
    assert "rhc_pitch" not in bindings.gamepad.axes
    assert bindings.gamepad.axes["thc_x"] == AxisBinding(axis="lefty", invert=True)


@pytest.mark.usefixtures("sdl")
def test_override_changes_what_a_key_does(tmp_path: Path) -> None:
    import pygame

    from trainer.input.keyboard import KeyboardInput

    keyboard = KeyboardInput(
        load_bindings(
            write(tmp_path, "keyboard:\n  buttons:\n    capture: [v]\n    release: [space]\n")
        )
    )
    key = pygame.key.key_code
    state = keyboard.poll([pygame.event.Event(pygame.KEYDOWN, key=key("space"))])
    for _ in range(40):
        state = keyboard.poll([])
    assert state.buttons == {Button.RELEASE}


def test_empty_override_file_is_the_defaults(tmp_path: Path) -> None:
    assert (
        load_bindings(write(tmp_path, "")).keyboard == load_bindings(use_user_file=False).keyboard
    )
