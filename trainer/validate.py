"""The one validator of the trainer's YAML files (docs/STYLE.md §5): scenarios
(``trainer.scenario``), hand-controller bindings (``trainer.input.bindings``) and the
station layout (``trainer.sim.layout``) read their values through it.

Every reader takes the ``Problems`` of one file and a key path, returns the checked value
(plain Python types, ready to be stored in a recording) or ``None`` when the value is bad,
and records one line ``file: key.path: what is wrong, got VALUE`` per problem. A scenario
keeps reading after a problem so that one run reports every mistake in a file; bindings
and the layout stop at the first (``Problems(..., raise_as=SomeError)``). A reader given
``MISSING`` (an absent key, already reported by ``mapping``) returns None silently, so
that each mistake is reported once. Pure: yaml only.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from trainer.yamlfile import FileTooLargeError, YamlBoundError, parse_bounded, read_bounded

MISSING: Any = object()  # "key absent", distinct from an explicit YAML null


MAX_LINES = 20
"""At most a screenful of error lines per file; the rest is counted ("and N more")."""


class Problems:
    """The error lines of one file, in the order they were found.

    ``file_label`` names the file, or is a function of the key path when the values come
    from several files merged (bindings: a user's override over the defaults). With
    ``raise_as`` the first problem is raised as that error (its one line) instead of
    collected. The first ``MAX_LINES`` are kept and the others only counted, so a file of
    300,000 unknown keys costs a screenful; ``lines`` then ends with "and N more"."""

    def __init__(
        self,
        file_label: str | Callable[[str], object],
        *,
        raise_as: Callable[[str], Exception] | None = None,
    ) -> None:
        self.file_label = file_label
        self.raise_as = raise_as
        self._lines: list[str] = []
        self.count = 0

    def line(self, path: str, message: str) -> str:
        """One problem as it is shown: ``file: key.path: what``."""
        label = self.file_label(path) if callable(self.file_label) else self.file_label
        return f"{label}: {path or '(top level)'}: {message}"

    def error(self, path: str, message: str) -> Exception:
        """The ``raise_as`` error of one problem, for ``raise problems.error(...)``."""
        if self.raise_as is None:
            raise TypeError("Problems.error needs raise_as")
        return self.raise_as(self.line(path, message))

    def add(self, path: str, message: str) -> None:
        if self.raise_as is not None:
            raise self.error(path, message)
        self.count += 1
        if len(self._lines) < MAX_LINES:
            self._lines.append(self.line(path, message))

    @property
    def lines(self) -> list[str]:
        """The kept lines, then ``FILE: and N more problems`` when some were dropped."""
        more = self.count - len(self._lines)
        if more <= 0:
            return list(self._lines)
        label = self.file_label("") if callable(self.file_label) else self.file_label
        return [*self._lines, f"{label}: and {more:,} more problem{'s' if more > 1 else ''}"]

    @property
    def full(self) -> bool:
        """A screenful is kept: further problems are only counted (skip costly hints)."""
        return len(self._lines) >= MAX_LINES

    def __bool__(self) -> bool:
        return self.count > 0


def show(value: Any, limit: int = 60) -> str:
    """A value as the user wrote it in YAML (``.nan``, ``true``, ``null``), shortened."""
    if value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        if math.isnan(value):
            text = ".nan"
        elif math.isinf(value):
            text = ".inf" if value > 0 else "-.inf"
        else:
            text = repr(value)
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, str):
        text = repr(value)
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(show(v, limit) for v in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {show(v, limit)}" for k, v in value.items()) + "}"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def yaml_type(value: Any) -> str:
    """The YAML name of a value's type, for 'wrong type' messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__  # e.g. date: YAML reads 2020-03-09 as a date


def wrong(problems: Problems, path: str, expected: str, value: Any) -> None:
    problems.add(path, f"must be {expected}, got {show(value)} ({yaml_type(value)})")


def suggestion(word: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest known word, or an empty string."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def mapping(
    problems: Problems,
    node: Any,
    path: str,
    required: Sequence[str],
    optional: Sequence[str] = (),
    *,
    closed: bool = True,
) -> dict[str, Any] | None:
    """Check that ``node`` is a mapping with every required key and, when ``closed``, no
    unknown key (an open mapping names things freely: poses, mounts).

    Returns the mapping (even when keys are missing or unknown, so that the known keys are
    still checked), or None when it is not a mapping at all."""
    if node is MISSING:
        return None
    if not isinstance(node, dict):
        wrong(problems, path, "a mapping", node)
        return None
    known = [*required, *optional]
    missing = [key for key in required if key not in node]
    for key in node:
        if not isinstance(key, str):
            problems.add(join(path, str(key)), f"keys must be strings, got {show(key)}")
        elif closed and key not in known and problems.full:
            problems.add(join(path, key), "unknown key")  # only counted: no hint to compute
        elif closed and key not in known:
            hint = suggestion(key, known)
            close = difflib.get_close_matches(key, missing, n=1, cutoff=0.6)
            if close:  # a misspelt required key: one line, not "unknown" plus "missing"
                missing.remove(close[0])
                hint = f" (did you mean {close[0]!r}? it is required)"
            problems.add(join(path, key), f"unknown key{hint}; known keys: {', '.join(known)}")
    for key in missing:
        problems.add(join(path, key), "required key is missing")
    return node


def number(
    problems: Problems,
    value: Any,
    path: str,
    *,
    sign: str = "any",
    nullable: bool = False,
    within: tuple[float, float] | None = None,
    open_high: bool = False,
) -> float | None:
    """A finite number (bool is not a number). ``sign``: any, positive or non-negative;
    ``within``: [low, high] (or [low, high) with ``open_high``)."""
    what = {
        "any": "a finite number",
        "positive": "a positive finite number",
        "non-negative": "a non-negative finite number",
    }[sign]
    if within is not None:
        what += f" in [{within[0]:g}, {within[1]:g}{')' if open_high else ']'}"
    if nullable:
        what += " or null"
    if value is MISSING:
        return None
    if value is None and nullable:
        return None
    if isinstance(value, str) and _looks_numeric(value):
        why = (
            "YAML reads an exponent without a decimal point and sign, such as 1e3, as text; "
            "write 1000.0 or 1.0e+3"
            if "e" in value.lower()
            else "quoted text; remove the quotes"
        )
        problems.add(path, f"must be {what}, got {show(value)} ({why})")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        wrong(problems, path, what, value)
        return None
    number_value = float(value)
    bad = (
        not math.isfinite(number_value)
        or (sign == "positive" and number_value <= 0.0)
        or (sign == "non-negative" and number_value < 0.0)
        or (within is not None and number_value < within[0])
        or (within is not None and number_value > within[1])
        or (within is not None and open_high and number_value == within[1])
    )
    if bad:
        problems.add(path, f"must be {what}, got {show(value)}")
        return None
    return number_value


def vector(
    problems: Problems, value: Any, path: str, *, sign: str = "any", length: int = 3
) -> list[float] | None:
    """A list of ``length`` finite numbers; each bad element is reported on its own path."""
    if value is MISSING:
        return None
    if not isinstance(value, list) or len(value) != length:
        wrong(problems, path, f"a list of {length} numbers", value)
        return None
    out = [number(problems, v, join(path, i), sign=sign) for i, v in enumerate(value)]
    if any(v is None for v in out):
        return None
    return [v for v in out if v is not None]


def string(problems: Problems, value: Any, path: str, *, nonempty: bool = True) -> str | None:
    if value is MISSING:
        return None
    if not isinstance(value, str) or (nonempty and not value.strip()):
        wrong(problems, path, "a non-empty string" if nonempty else "a string", value)
        return None
    return value


def boolean(problems: Problems, value: Any, path: str) -> bool | None:
    if value is MISSING:
        return None
    if not isinstance(value, bool):
        wrong(problems, path, "true or false", value)
        return None
    return value


def choice(
    problems: Problems, value: Any, path: str, known: Sequence[str], what: str
) -> str | None:
    """A string from ``known``; an unknown one names the closest."""
    if value is MISSING:
        return None
    if not isinstance(value, str):
        wrong(problems, path, f"a {what} ({', '.join(known)})", value)
        return None
    if value not in known:
        problems.add(
            path,
            f"unknown {what} {value!r}{suggestion(value, known)}; known: {', '.join(known)}",
        )
        return None
    return value


def get(node: Mapping[str, Any] | None, key: str, default: Any = MISSING) -> Any:
    """``node[key]``; ``default`` when absent (or when the parent mapping was bad)."""
    if node is None:
        return MISSING
    return node.get(key, default)


def present(value: Any) -> bool:
    return value is not MISSING


def _looks_numeric(text: str) -> bool:
    """A decimal number written as text (not nan or inf, which YAML spells .nan, .inf)."""
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


# What any YAML file the trainer reads may cost (trainer.yamlfile counts while parsing);
# a caller with a smaller kind of file passes tighter bounds (scenarios, bindings).
MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_VALUES = 100_000


def parse_yaml(
    problems: Problems,
    text: str,
    *,
    max_depth: int = MAX_DEPTH,
    max_values: int = MAX_VALUES,
    what: str = "a trainer file",
) -> Any:
    """``yaml.safe_load`` of ``text`` within bounds on nesting and values (aliases
    expanded: an alias bomb is refused at the alias that crosses them); a syntax error or
    a bound crossed is a problem at its line and column (then MISSING is returned)."""
    try:
        return parse_bounded(text, max_depth, max_values, what)
    except YamlBoundError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problems.add(where, exc.problem or "too large")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problems.add(where, f"invalid YAML syntax: {exc.problem or exc.context or 'syntax error'}")
    except yaml.YAMLError as exc:
        problems.add("(file)", f"invalid YAML: {str(exc).splitlines()[0]}")
    return MISSING


def read_yaml(
    problems: Problems,
    path: Path,
    *,
    max_bytes: int = MAX_FILE_BYTES,
    max_depth: int = MAX_DEPTH,
    max_values: int = MAX_VALUES,
    what: str = "a trainer file",
) -> Any:
    """The parsed YAML file, read and parsed within bounds; an unreadable or oversized
    file is a problem at ``(file)``."""
    try:
        text = read_bounded(path, max_bytes)
    except FileTooLargeError as exc:
        size = f"{exc.size:,} bytes is" if exc.size is not None else "it is"
        problems.add("(file)", f"{size} too large for {what} (at most {max_bytes // 1024} KiB)")
        return MISSING
    except UnicodeDecodeError as exc:
        problems.add("(file)", f"not UTF-8 text (byte {exc.start})")
        return MISSING
    except OSError as exc:
        problems.add("(file)", f"cannot read: {exc.strerror or exc}")
        return MISSING
    return parse_yaml(problems, text, max_depth=max_depth, max_values=max_values, what=what)
