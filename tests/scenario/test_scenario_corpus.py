"""A corpus of broken scenario files, built here: every one is refused with lines naming
the file, nothing raises, and a representative handful is refused by the real command
line well inside a 5 s subprocess timeout (docs/DESIGN.md §5). The per-key mutations run in
process: the command line around them is the same for all."""

from __future__ import annotations

import copy
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from trainer.resources import scenarios_dir
from trainer.scenario import schema
from trainer.scenario.checks import MAX_LINES, Problems
from trainer.scenario.loader import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_VALUES,
    _pose_names,
    _vehicle_models,
    validate_file,
)

GOOD_TEXT = (scenarios_dir() / "crs20-capture.yaml").read_text(encoding="utf-8")
GOOD: dict[str, Any] = yaml.safe_load(GOOD_TEXT)


def _bomb(levels: int = 9) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]")
    return "\n".join(lines) + "\n"


CORPUS: dict[str, bytes] = {
    "empty": b"",
    "only-a-comment": b"# nothing here\n",
    "binary": bytes(range(256)) * 4,
    "nul-bytes": b"id: x\x00\x00\n",
    "utf-16": GOOD_TEXT.encode("utf-16"),
    "latin-1": "title: caf\xe9\n".encode("latin-1"),
    "a-list": b"- id: crs20-capture\n- version: 1\n",
    "a-scalar": b"42\n",
    "deep-flow": ("x: " + "[" * 5000 + "]" * 5000 + "\n").encode(),
    "deep-block": "".join(f"{' ' * i}k{i}:\n" for i in range(3000)).encode(),
    "yaml-bomb": _bomb().encode(),
    "recursive-alias": b"a: &a [1, *a]\n",
    "multi-megabyte": b"junk: " + b"x" * (3 * 1024 * 1024) + b"\n",
    "many-keys": "\n".join(f"k{i}: {i}" for i in range(12_000)).encode(),
    "python-tag": b"id: !!python/object/apply:os.system ['echo pwned']\n",
    "python-name": b"id: !!python/name:os.system\n",
    "nan-and-inf": GOOD_TEXT.replace("altitude_km: 421.5", "altitude_km: .nan")
    .replace("position_m: [8.5, 0.0, -11.0]", "position_m: [.inf, -.inf, .NaN]")
    .encode(),
    "two-documents": (GOOD_TEXT + "\n---\nid: other\n").encode(),
    "tabs": b"id:\tcrs20-capture\nvehicle:\n\tmodel: dragon\n",
    "unclosed": b"title: [unclosed\n",
}


def _write(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(CORPUS[name])
    return path


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_broken_file_is_refused_with_a_screenful_at_most(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, name)
    problems = validate_file(path)
    assert problems, f"{name} must be refused"
    assert len(problems) <= MAX_LINES + 1
    for line in problems:
        assert line.startswith(str(path)), line
        assert "\n" not in line and len(line) < 400, line


def test_the_bounds_are_what_the_corpus_crosses() -> None:
    assert len(CORPUS["multi-megabyte"]) > MAX_FILE_BYTES
    assert CORPUS["deep-flow"].count(b"[") > MAX_DEPTH
    assert MAX_VALUES < 10**9  # the bomb expands to 10**9 strings


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("binary", ["not UTF-8"]),
        ("utf-16", ["not UTF-8"]),
        ("nul-bytes", ["NUL"]),
        ("a-list", ["must be a mapping"]),
        ("empty", ["must be a mapping"]),
        ("deep-flow", ["nested more than 20 levels"]),
        ("yaml-bomb", ["more than 10,000 values"]),
        ("recursive-alias", ["recursive"]),
        ("multi-megabyte", ["too large", "256 KiB"]),
        ("many-keys", ["more than 10,000 values"]),
        ("python-tag", ["python/object/apply"]),
        ("nan-and-inf", ["orbit.altitude_km", ".nan", "vehicle.position_m[0]", ".inf"]),
        ("two-documents", ["YAML"]),
    ],
)
def test_the_refusal_names_the_cause(tmp_path: Path, name: str, words: list[str]) -> None:
    text = " ".join(validate_file(_write(tmp_path, name)))
    for word in words:
        assert word in text, (word, text)


SUBPROCESS_CASES = ["binary", "deep-flow", "yaml-bomb", "multi-megabyte", "python-tag", "utf-16"]


def test_the_command_line_refuses_a_handful_quickly_and_cleanly(tmp_path: Path) -> None:
    paths = [str(_write(tmp_path, name)) for name in SUBPROCESS_CASES]
    for path in paths:
        # 5 s for a whole interpreter start plus the refusal: a bad file costs nothing
        result = subprocess.run(
            [sys.executable, "-m", "trainer.cli", "validate", path],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(path), result.stderr
        assert result.stdout == ""


# ------------------------------------------------------------------ per-key mutations
def _leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, (*path, i))


def _wrong_type(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes"
    if isinstance(value, int | float):
        return "fast"
    if isinstance(value, str):
        return 12345
    if isinstance(value, list):
        return {"not": "a list"}
    if isinstance(value, dict):
        return ["not", "a", "mapping"]
    raise AssertionError(value)


MUTATIONS = [
    (".".join(str(p) for p in path), path)
    for path, value in _leaves(GOOD)
    if path and value is not None
]


def _parse(data: Any) -> list[str]:
    problems = Problems("mutated.yaml")
    schema.parse(problems, data, schema.Context(None, _pose_names(), _vehicle_models()))
    return problems.lines


def test_the_unmutated_scenario_is_valid() -> None:
    assert _parse(copy.deepcopy(GOOD)) == []
    assert len(MUTATIONS) > 60


@pytest.mark.parametrize(("label", "path"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_every_key_mutated_to_a_wrong_type_is_refused(label: str, path: tuple[Any, ...]) -> None:
    data = copy.deepcopy(GOOD)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = _wrong_type(parent[path[-1]])
    lines = _parse(data)
    assert lines, f"{label} mutated to a wrong type was accepted"
    assert all(line.startswith("mutated.yaml: ") for line in lines)
