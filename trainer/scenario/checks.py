"""Typed readers for YAML values that collect problems instead of raising (STYLE §5).

Every reader takes the ``Problems`` of one file and a key path, returns the checked value
(plain Python types, ready to be stored in a recording) or ``None`` when the value is bad,
and records one line ``file: key.path: what is wrong, got VALUE`` per problem. The loader
keeps reading after a problem so that one run reports every mistake in a file. A reader
given ``MISSING`` (an absent key, already reported by ``mapping``) returns None silently,
so that each mistake is reported once.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

MISSING: Any = object()  # "key absent", distinct from an explicit YAML null


class Problems:
    """The error lines of one file, in the order they were found."""

    def __init__(self, file_label: str) -> None:
        self.file_label = file_label
        self.lines: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.lines.append(f"{self.file_label}: {path or '(top level)'}: {message}")

    def __bool__(self) -> bool:
        return bool(self.lines)


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
) -> dict[str, Any] | None:
    """Check that ``node`` is a mapping with every required key and no unknown key.

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
        elif key not in known:
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
) -> float | None:
    """A finite number (bool is not a number). ``sign``: any, positive or non-negative."""
    what = {
        "any": "a finite number",
        "positive": "a positive finite number",
        "non-negative": "a non-negative finite number",
    }[sign]
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
