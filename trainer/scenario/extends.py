"""Scenario variants: a file that says ``extends: <base id>`` states only what differs from
its base (docs/DESIGN.md §8). The loader resolves it before the schema sees it, so a
variant is checked, loaded and recorded as the full scenario it stands for (the recording
holds the resolved scenario, never the ``extends`` line).

Resolution, key by key, of the variant over its base (itself resolved first):

| variant value                  | result                                            |
|--------------------------------|---------------------------------------------------|
| a mapping, base has a mapping  | merged key by key (recursively)                    |
| ``{append: [items]}``          | the base's list and the items; a timeline (items with ``time_s``) stays in time order, an added event after the base's of the same time |
| anything else                  | replaces the base's value (lists included)        |

The base is named by its id: ``<id>.yaml`` beside the variant first, then the shipped
scenarios. Chains are followed up to ``MAX_CHAIN`` files; a cycle is an error. Every
problem is one line ``file: extends: what`` (or the key path of a bad ``append``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from trainer.errors import ResourceError
from trainer.resources import scenarios_dir
from trainer.validate import MISSING, Problems, join, show, suggestion

EXTENDS = "extends"
APPEND = "append"
MAX_CHAIN = 8
# Reads a base file: its parsed YAML, or MISSING with its problems in the Problems given.
Reader = Callable[[Path, Problems], Any]


def resolve_extends(problems: Problems, data: Any, path: Path, read: Reader) -> Any:
    """``data`` (the parsed file at ``path``) with its ``extends`` chain resolved; MISSING
    when it cannot be (the problems say why). A file without ``extends`` is returned as is."""
    return _resolve(problems, data, path, read, [path.resolve()])


def _resolve(problems: Problems, data: Any, path: Path, read: Reader, chain: list[Path]) -> Any:
    if not isinstance(data, dict) or EXTENDS not in data:
        return data
    ref = data[EXTENDS]
    if not isinstance(ref, str) or not ref.strip():
        problems.add(EXTENDS, f"must be the id of a base scenario, got {show(ref)}")
        return MISSING
    base_path = _base_path(ref, path)
    if base_path is None:
        known = _known_ids(path)
        problems.add(
            EXTENDS,
            f"unknown base scenario {ref!r}{suggestion(ref, known)}; known: {', '.join(known)}",
        )
        return MISSING
    if base_path.resolve() in chain:
        names = " -> ".join(p.stem for p in [*chain, base_path.resolve()])
        problems.add(EXTENDS, f"scenarios extend each other in a circle: {names}")
        return MISSING
    if len(chain) >= MAX_CHAIN:
        problems.add(EXTENDS, f"more than {MAX_CHAIN} scenarios extend one another")
        return MISSING
    base_problems = Problems(base_path.name)
    base = read(base_path, base_problems)
    if base_problems.lines or not isinstance(base, dict):
        why = base_problems.lines[0] if base_problems.lines else "not a scenario mapping"
        problems.add(EXTENDS, f"the base scenario {ref!r} cannot be used: {why}")
        return MISSING
    base = _resolve(base_problems, base, base_path, read, [*chain, base_path.resolve()])
    if base_problems.lines:
        problems.add(EXTENDS, f"the base scenario {ref!r} cannot be used: {base_problems.lines[0]}")
        return MISSING
    variant = {k: v for k, v in data.items() if k != EXTENDS}
    return _merge(problems, base, variant, "")


def _merge(problems: Problems, base: Any, over: Any, path: str) -> Any:
    if isinstance(over, dict) and set(over) == {APPEND}:
        items = over[APPEND]
        if not isinstance(base, list) or not isinstance(items, list):
            problems.add(
                join(path, APPEND),
                "appends a list to a list of the base scenario; got "
                f"{show(items)} onto {show(base) if base is not MISSING else 'nothing'}",
            )
            return base
        merged = [*base, *items]
        if all(_timed(x) for x in merged):  # a timeline stays in time order (stable)
            merged.sort(key=lambda event: float(event["time_s"]))
        return merged
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = _merge(problems, base.get(key, MISSING), value, join(path, str(key)))
        return out
    return over


def _timed(item: Any) -> bool:
    t = item.get("time_s") if isinstance(item, dict) else None
    return isinstance(t, int | float) and not isinstance(t, bool)


def _base_path(ref: str, variant: Path) -> Path | None:
    beside = variant.parent / f"{ref}.yaml"
    if beside.is_file():
        return beside
    try:
        shipped = scenarios_dir() / f"{ref}.yaml"
    except ResourceError:
        return None
    return shipped if shipped.is_file() else None


def _known_ids(variant: Path) -> list[str]:
    ids = {p.stem for p in variant.parent.glob("*.yaml")}
    with contextlib.suppress(ResourceError):
        ids |= {p.stem for p in scenarios_dir().glob("*.yaml")}
    return sorted(ids - {variant.stem})
