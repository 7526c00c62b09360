"""Hand-controller bindings: YAML in, validated frozen dataclasses out.

The defaults ship inside the package (``default_bindings.yaml``, which documents every
key); a user's overrides live in ``platformdirs.user_config_dir("canadarm-trainer")/
bindings.yaml`` (or an explicit path). The override is merged into the defaults, then the
whole is validated once, here, at the boundary (docs/STYLE.md §5), with the trainer's one
validator (``trainer.validate``). The first problem is a ``BindingsError`` whose one line
names the file the value came from and the key path::

    bindings.yaml: gamepad.axes.thc_x: unknown axis 'leftx2'

Source names are strings in every layer above this module; pygame key codes and SDL
button numbers are resolved inside ``trainer/input`` only (docs/STYLE.md §7).

| section   | source names                                                             |
|-----------|--------------------------------------------------------------------------|
| keyboard  | pygame key names: ``w``, ``space``, ``return``, ``[``, ``left shift``, ... |
| gamepad   | SDL GameController names: axes ``leftx lefty rightx righty lefttrigger     |
|           | righttrigger``; buttons ``a b x y back guide start leftstick rightstick    |
|           | leftshoulder rightshoulder dpup dpdown dpleft dpright misc1 paddle1-4      |
|           | touchpad``                                                                 |
| joystick  | ``axis0``-``axis31``, ``button0``-``button127``, ``hat0_up``-``hat7_right``  |
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import platformdirs

from trainer.errors import BindingsError
from trainer.input.names import (
    GAMEPAD_AXES,
    GAMEPAD_BUTTONS,
    GAMEPAD_STICKS,
    RAW_MAX_AXES,
    RAW_MAX_BUTTONS,
    RAW_MAX_HATS,
    key_code,
    raw_source_kind,
)
from trainer.input.state import Button
from trainer.validate import Problems, boolean, mapping, number, parse_yaml, show
from trainer.yamlfile import FileTooLargeError, read_bounded

APP_NAME = "canadarm-trainer"
DEFAULT_BINDINGS_PATH = Path(__file__).resolve().parent / "default_bindings.yaml"
AXIS_NAMES = ("thc_x", "thc_y", "thc_z", "rhc_roll", "rhc_pitch", "rhc_yaw")
SECTIONS = ("keyboard", "gamepad", "joystick")

MAX_GUARD_S = 5.0


@dataclass(frozen=True, slots=True)
class AxisBinding:
    """One hand-controller axis: a bipolar ``axis`` or a ``positive``/``negative`` pair.

    A pair source may be a trigger/axis (its value, 0..1) or a button/key (0 or 1); the
    axis reads positive minus negative.
    """

    axis: str | None = None
    invert: bool = False
    positive: str | None = None
    negative: str | None = None

    def sources(self) -> tuple[str, ...]:
        return tuple(s for s in (self.axis, self.positive, self.negative) if s is not None)


@dataclass(frozen=True, slots=True)
class KeyboardBindings:
    axes: Mapping[str, AxisBinding]
    buttons: Mapping[Button, tuple[str, ...]]
    ramp_s: float


@dataclass(frozen=True, slots=True)
class DeviceBindings:
    """Gamepad (SDL GameController) or raw-joystick bindings."""

    axes: Mapping[str, AxisBinding]
    buttons: Mapping[Button, tuple[str, ...]]
    deadzone: float
    axis_deadzone: float
    expo: float
    sticks: tuple[tuple[str, str], ...]
    rest: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class Bindings:
    """The validated, merged bindings. ``files`` lists the files merged, defaults first."""

    guards_s: Mapping[Button, float]
    silence_timeout_s: float | None
    keyboard: KeyboardBindings
    gamepad: DeviceBindings
    joystick: DeviceBindings
    files: tuple[Path, ...]


def user_bindings_path() -> Path:
    """Where a user's override file is looked for."""
    return Path(platformdirs.user_config_dir(APP_NAME)) / "bindings.yaml"


def load_bindings(path: Path | str | None = None, *, use_user_file: bool = True) -> Bindings:
    """Load the packaged defaults merged with an override file.

    ``path`` names the override file explicitly (it must exist); otherwise the user's file
    is used when it exists and ``use_user_file`` is true. Raises BindingsError.
    """
    defaults = _read_yaml(DEFAULT_BINDINGS_PATH)
    files = [DEFAULT_BINDINGS_PATH]
    override: dict[str, Any] = {}
    override_file: Path | None = None
    if path is not None:
        override_file = Path(path)
        if not override_file.exists():
            raise BindingsError(f"{override_file}: bindings file not found")
    elif use_user_file and user_bindings_path().is_file():
        override_file = user_bindings_path()
    if override_file is not None:
        override = _read_yaml(override_file)
        files.append(override_file)
    merged = _merge(defaults, override, ())
    user_paths = _leaf_paths(override, ())

    def origin(key_path: str) -> Path:
        if override_file is None:
            return DEFAULT_BINDINGS_PATH
        for p in user_paths:
            if p == key_path or p.startswith(key_path + ".") or key_path.startswith(p + "."):
                return override_file
        return DEFAULT_BINDINGS_PATH

    return _Validator(origin).bindings(merged, tuple(files))


def parse_bindings(text: str, name: str = "bindings.yaml") -> Bindings:
    """Validate ``text`` as an override of the defaults (for tests and tools)."""
    defaults = _read_yaml(DEFAULT_BINDINGS_PATH)
    override = _parse_yaml(text, name)
    user_paths = _leaf_paths(override, ())

    def origin(key_path: str) -> Path:
        for p in user_paths:
            if p == key_path or p.startswith(key_path + ".") or key_path.startswith(p + "."):
                return Path(name)
        return DEFAULT_BINDINGS_PATH

    merged = _merge(defaults, override, ())
    return _Validator(origin).bindings(merged, (DEFAULT_BINDINGS_PATH, Path(name)))


# What a bindings file may cost to read (trainer.yamlfile): the packaged one is 4 KiB,
# 5 levels deep and ~300 values; well beyond that is no bindings file.
MAX_FILE_BYTES = 64 * 1024
MAX_DEPTH = 12
MAX_VALUES = 5_000


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = read_bounded(path, MAX_FILE_BYTES)
    except FileTooLargeError:
        raise BindingsError(
            f"{path}: too large for a bindings file (at most {MAX_FILE_BYTES // 1024} KiB)"
        ) from None
    except UnicodeDecodeError as exc:
        raise BindingsError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise BindingsError(f"{path}: cannot read bindings file: {exc.strerror or exc}") from None
    return _parse_yaml(text, str(path))


def _parse_yaml(text: str, name: str) -> dict[str, Any]:
    problems = Problems(name, raise_as=BindingsError)
    data = parse_yaml(
        problems, text, max_depth=MAX_DEPTH, max_values=MAX_VALUES, what="a bindings file"
    )
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.add("", "the top level must be a mapping of sections")
    return dict(data)


def _merge(base: Any, override: Any, key_path: tuple[str, ...]) -> Any:
    """Merge sections and their tables; an axis entry or a button list replaces whole."""
    if isinstance(base, dict) and isinstance(override, dict) and len(key_path) < 3:
        out = dict(base)
        for key, value in override.items():
            k = str(key)
            out[k] = _merge(base[k], value, (*key_path, k)) if k in base else value
        return out
    return override


def _leaf_paths(data: Any, key_path: tuple[str, ...]) -> list[str]:
    if isinstance(data, dict) and data and len(key_path) < 3:
        out: list[str] = []
        for key, value in data.items():
            out.extend(_leaf_paths(value, (*key_path, str(key))))
        return out
    return [".".join(key_path)] if key_path else []


class _Validator:
    """Checks the merged bindings through the shared validator (``trainer.validate``);
    the first problem is raised as a ``BindingsError`` naming the file it came from."""

    def __init__(self, origin: Callable[[str], Path]) -> None:
        self.problems = Problems(origin, raise_as=BindingsError)

    def fail(self, key_path: str, what: str) -> Exception:
        return self.problems.error(key_path, what)

    # -- generic helpers -------------------------------------------------------------
    def mapping(self, data: Any, key_path: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        if data is None:
            return {}
        table = mapping(self.problems, data, key_path, (), allowed)
        return {} if table is None else {str(k): v for k, v in table.items()}

    def number(
        self, value: Any, key_path: str, low: float, high: float, *, open_high: bool
    ) -> float:
        out = number(self.problems, value, key_path, within=(low, high), open_high=open_high)
        if out is None:  # not reached: a bad number has raised
            raise self.fail(key_path, "unreadable number")
        return out

    def boolean(self, value: Any, key_path: str) -> bool:
        out = boolean(self.problems, value, key_path)
        if out is None:  # not reached: a bad value has raised
            raise self.fail(key_path, "unreadable flag")
        return out

    def name(self, value: Any, key_path: str) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.fail(key_path, f"must be a key or button name, got {show(value)}")
        return str(value)

    # -- sections --------------------------------------------------------------------
    def bindings(self, data: dict[str, Any], files: tuple[Path, ...]) -> Bindings:
        top = self.mapping(data, "", ("version", "guards", "devices", *SECTIONS))
        if top.get("version", 1) != 1:
            raise self.fail("version", f"unsupported bindings version {top['version']!r}")
        guards: dict[Button, float] = {}
        for action, seconds in self.mapping(top.get("guards"), "guards", _ACTIONS).items():
            guards[Button(action)] = self.number(
                seconds, f"guards.{action}", 0.0, MAX_GUARD_S, open_high=False
            )
        devices = self.mapping(top.get("devices"), "devices", ("silence_timeout_s",))
        timeout = devices.get("silence_timeout_s")
        silence = (
            None
            if timeout is None
            else self.number(timeout, "devices.silence_timeout_s", 0.0, math.inf, open_high=True)
        )
        return Bindings(
            guards_s=MappingProxyType(guards),
            silence_timeout_s=silence if silence else None,
            keyboard=self.keyboard(top.get("keyboard")),
            gamepad=self.device(top.get("gamepad"), "gamepad"),
            joystick=self.device(top.get("joystick"), "joystick"),
            files=files,
        )

    def keyboard(self, data: Any) -> KeyboardBindings:
        section = self.mapping(data, "keyboard", ("ramp_s", "axes", "buttons"))
        ramp = self.number(
            section.get("ramp_s", 0.0), "keyboard.ramp_s", 0.0, 10.0, open_high=False
        )
        used: dict[str, str] = {}

        def check(value: Any, key_path: str) -> str:
            name = self.name(value, key_path)
            if key_code(name) is None:
                raise self.fail(key_path, f"unknown key {name!r}")
            return self.claim(used, name, key_path, "key")

        axes = self.axes(section.get("axes"), "keyboard", check, allow_axis=False)
        buttons = self.buttons(section.get("buttons"), "keyboard", check)
        return KeyboardBindings(axes=axes, buttons=buttons, ramp_s=ramp)

    def device(self, data: Any, section_name: str) -> DeviceBindings:
        allowed: tuple[str, ...] = ("deadzone", "expo", "axes", "buttons")
        allowed += ("trigger_deadzone",) if section_name == "gamepad" else ("sticks", "rest")
        section = self.mapping(data, section_name, allowed)
        deadzone = self.number(
            section.get("deadzone", 0.1), f"{section_name}.deadzone", 0.0, 1.0, open_high=True
        )
        expo = self.number(
            section.get("expo", 0.0), f"{section_name}.expo", 0.0, 1.0, open_high=False
        )
        used: dict[str, str] = {}
        raw = section_name == "joystick"

        def source(value: Any, key_path: str, *, want: str) -> str:
            name = self.name(value, key_path)
            if raw:
                parsed = raw_source_kind(name)
                if parsed is None:
                    raise self.fail(
                        key_path,
                        f"unknown {want} {name!r}; expected axisN, buttonN or hatN_up/down/left/right",
                    )
                kind, index, _ = parsed
                limit = {"axis": RAW_MAX_AXES, "button": RAW_MAX_BUTTONS, "hat": RAW_MAX_HATS}[kind]
                if index >= limit:
                    raise self.fail(key_path, f"{kind} index {index} out of range 0..{limit - 1}")
                if want == "axis" and kind != "axis":
                    raise self.fail(key_path, f"unknown axis {name!r}")
                if want == "button" and kind == "axis":
                    raise self.fail(key_path, f"{name!r} is an axis, not a button")
            else:
                pool = {"axis": GAMEPAD_AXES, "button": GAMEPAD_BUTTONS}.get(want)
                if pool is None:
                    pool = GAMEPAD_AXES + GAMEPAD_BUTTONS
                if name not in pool:
                    raise self.fail(key_path, f"unknown {want} {name!r}")
            return name

        def claim_source(value: Any, key_path: str, want: str = "source") -> str:
            return self.claim(used, source(value, key_path, want=want), key_path, "source")

        axes = self.axes(section.get("axes"), section_name, claim_source, allow_axis=True)
        buttons = self.buttons(
            section.get("buttons"), section_name, lambda v, p: claim_source(v, p, "button")
        )
        if raw:
            axis_deadzone = deadzone
            sticks_data = section.get("sticks", [])
            if not isinstance(sticks_data, list):
                raise self.fail("joystick.sticks", "expected a list of [axisN, axisM] pairs")
            sticks_list: list[tuple[str, str]] = []
            for i, pair in enumerate(sticks_data):
                p = f"joystick.sticks[{i}]"
                if not isinstance(pair, list) or len(pair) != 2:
                    raise self.fail(p, f"expected a pair [axisN, axisM], got {pair!r}")
                sticks_list.append(
                    (source(pair[0], p, want="axis"), source(pair[1], p, want="axis"))
                )
            rest: dict[str, float] = {}
            rest_data = section.get("rest") or {}
            if not isinstance(rest_data, dict):
                raise self.fail("joystick.rest", "expected a mapping axisN: resting value")
            for key, value in rest_data.items():
                p = f"joystick.rest.{key}"
                rest[source(key, p, want="axis")] = self.number(value, p, -1.0, 1.0, open_high=True)
            sticks = tuple(sticks_list)
        else:
            axis_deadzone = self.number(
                section.get("trigger_deadzone", 0.05),
                "gamepad.trigger_deadzone",
                0.0,
                1.0,
                open_high=True,
            )
            sticks = GAMEPAD_STICKS
            rest = {}
        return DeviceBindings(
            axes=axes, buttons=buttons, deadzone=deadzone, axis_deadzone=axis_deadzone,
            expo=expo, sticks=sticks, rest=MappingProxyType(rest),
        )  # fmt: skip

    def claim(self, used: dict[str, str], name: str, key_path: str, what: str) -> str:
        if name in used:
            raise self.fail(key_path, f"{what} {name!r} is already bound to {used[name]}")
        used[name] = key_path
        return name

    def axes(
        self, data: Any, section: str, check: Any, *, allow_axis: bool
    ) -> Mapping[str, AxisBinding]:
        table = self.mapping(data, f"{section}.axes", AXIS_NAMES)
        out: dict[str, AxisBinding] = {}
        for axis_name, entry in table.items():
            p = f"{section}.axes.{axis_name}"
            if entry is None:
                continue  # explicitly unbound
            keys: tuple[str, ...] = ("positive", "negative")
            if allow_axis:
                keys += ("axis", "invert")
            if not isinstance(entry, dict):
                raise self.fail(p, f"expected a mapping with {' or '.join(keys)}, got {entry!r}")
            e = self.mapping(entry, p, keys)
            if "axis" in e and ("positive" in e or "negative" in e):
                raise self.fail(p, "give either axis or positive/negative, not both")
            invert = self.boolean(e.get("invert", False), f"{p}.invert")
            if "axis" in e:
                out[axis_name] = AxisBinding(axis=check(e["axis"], p, "axis"), invert=invert)
                continue
            if "positive" not in e and "negative" not in e:
                raise self.fail(p, f"expected {' or '.join(keys)}")
            if invert:
                raise self.fail(
                    f"{p}.invert", "invert applies to axis only; swap positive/negative"
                )
            out[axis_name] = AxisBinding(
                positive=None if e.get("positive") is None else check(e["positive"], p),
                negative=None if e.get("negative") is None else check(e["negative"], p),
            )
        return MappingProxyType(out)

    def buttons(self, data: Any, section: str, check: Any) -> Mapping[Button, tuple[str, ...]]:
        table = self.mapping(data, f"{section}.buttons", _ACTIONS)
        out: dict[Button, tuple[str, ...]] = {}
        for action, entry in table.items():
            p = f"{section}.buttons.{action}"
            items = [] if entry is None else entry if isinstance(entry, list) else [entry]
            out[Button(action)] = tuple(check(item, p) for item in items)
        return MappingProxyType(out)


_ACTIONS = tuple(b.value for b in Button)
