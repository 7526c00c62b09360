"""The one scenario loader (docs/STYLE.md §4, §5): ids and files in, frozen ``Scenario`` out.

A scenario is named by its id (a file ``scenarios/<id>.yaml`` shipped with the trainer,
``canadarm-trainer list`` shows them) or by a path to a YAML file. Files are read with
``yaml.safe_load`` only, a variant's ``extends:`` is resolved (``trainer.scenario.extends``),
and the result is checked once by ``trainer.scenario.schema``; every problem is
one line ``file: key.path: what is wrong, got VALUE`` and all problems of a file are
reported together.

| function              | returns                        | raises                                  |
|-----------------------|--------------------------------|-----------------------------------------|
| ``load_scenario(x)``  | the Scenario                   | ScenarioError (unknown id, unreadable), |
|                       |                                | ValidationError (invalid: ``problems``) |
| ``list_scenarios()``  | shipped scenarios, sorted by id | ValidationError if a shipped one is bad |
| ``validate_file(p)``  | the error lines, [] when valid | nothing for a bad file                  |

What a bad file can cost is bounded before and while it is parsed, so that a hostile or
mistaken file is refused in a fraction of a second with one line:

Bounds (``trainer.yamlfile`` counts them while reading):

| bound                  | value     | why                                                    |
|------------------------|-----------|--------------------------------------------------------|
| file size              | 256 KiB   | the shipped scenarios are ~4 KiB; 60x that is no scenario |
| nesting depth          | 20 levels | a scenario needs 5 (vehicle.dispersions.position_m[0]) |
| values, aliases expanded | 10,000  | a scenario has ~150; a "billion laughs" alias bomb is  |
|                        |           | refused at the alias that crosses the bound            |
| error lines shown      | 20        | a screenful, then "and N more" (``checks.MAX_LINES``)  |
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any

import yaml

from trainer.errors import ResourceError, ScenarioError, ValidationError
from trainer.resources import data_dir, scenarios_dir
from trainer.scenario import schema
from trainer.scenario.checks import Problems
from trainer.scenario.clearance import check_start_clearance
from trainer.scenario.extends import resolve_extends
from trainer.scenario.model import Scenario
from trainer.yamlfile import FileTooLargeError, YamlBoundError, parse_bounded, read_bounded

SUFFIXES = (".yaml", ".yml")
# robots/ folders that are not vehicles (the arm and the station it is mounted on).
_NOT_VEHICLES = ("ssrms", "station")
MAX_FILE_BYTES = 256 * 1024  # the shipped scenarios are ~4 KiB
MAX_DEPTH = 20  # a scenario needs 5: vehicle.dispersions.position_m[0]
MAX_VALUES = 10_000  # a scenario holds ~150


def scenario_ids() -> list[str]:
    """The ids of the shipped scenarios, sorted."""
    return sorted(path.stem for path in scenarios_dir().glob("*.yaml"))


def _looks_like_path(text: str) -> bool:
    return text.endswith(SUFFIXES) or "/" in text or os.sep in text


def resolve(id_or_path: str | Path) -> tuple[Path, str]:
    """The file of an id or path, and the label its error lines start with."""
    if isinstance(id_or_path, Path) or _looks_like_path(id_or_path):
        return Path(id_or_path), str(id_or_path)
    ids = scenario_ids()
    if id_or_path not in ids:
        close = difflib.get_close_matches(id_or_path, ids, n=1, cutoff=0.4)
        hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(ids)}"
        raise ScenarioError(
            f"unknown scenario {id_or_path!r}{hint} (`canadarm-trainer list` shows them all)"
        )
    return scenarios_dir() / f"{id_or_path}.yaml", f"{id_or_path}.yaml"


def _pose_names() -> list[str] | str:
    """Named arm poses from robots/ssrms/poses.yaml, or why they cannot be read."""
    try:
        path = data_dir("robots") / "ssrms" / "poses.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, ResourceError, yaml.YAMLError, UnicodeDecodeError) as exc:
        return f"robots/ssrms/poses.yaml cannot be read ({type(exc).__name__})"
    if not isinstance(data, dict):
        return "robots/ssrms/poses.yaml holds no named poses"
    return sorted(str(k) for k, v in data.items() if isinstance(v, dict))


def _vehicle_models() -> list[str] | None:
    """Folders ``robots/<name>/<name>.urdf`` other than the arm and the station."""
    try:
        robots = data_dir("robots")
    except ResourceError:
        return None
    return sorted(
        d.name
        for d in robots.iterdir()
        if d.is_dir() and d.name not in _NOT_VEHICLES and (d / f"{d.name}.urdf").is_file()
    )


def _read_yaml(path: Path, label: str, problems: Problems) -> Any:
    """The parsed document; raises ScenarioError if unreadable, records bad YAML syntax."""
    try:
        text = read_bounded(path, MAX_FILE_BYTES)
    except FileTooLargeError as exc:
        size = f"{exc.size:,} bytes is" if exc.size is not None else "it is"
        raise ScenarioError(
            f"{label}: (file): {size} too large for a scenario file (at most "
            f"{MAX_FILE_BYTES // 1024} KiB; the shipped ones are ~4 KiB)"
        ) from None
    except FileNotFoundError:
        raise ScenarioError(f"{label}: (file): cannot read: no such file") from None
    except IsADirectoryError:
        raise ScenarioError(f"{label}: (file): cannot read: is a directory") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"{label}: (file): not UTF-8 text (byte {exc.start}): is this a scenario file?"
        ) from None
    except OSError as exc:
        raise ScenarioError(f"{label}: (file): cannot read: {exc.strerror}") from None
    try:
        return parse_bounded(text, MAX_DEPTH, MAX_VALUES, "a scenario")
    except YamlBoundError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problems.add(where, exc.problem or "too large")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        what = exc.problem or exc.context or "syntax error"
        problems.add(where, f"invalid YAML syntax: {what}")
    except yaml.YAMLError as exc:
        problems.add("(file)", f"invalid YAML: {str(exc).splitlines()[0]}")
    return None


def _check(path: Path, label: str) -> tuple[Scenario | None, Problems]:
    problems = Problems(label)
    data = _read_yaml(path, label, problems)
    if not problems:
        data = resolve_extends(problems, data, path, lambda p, probs: _read_yaml(p, p.name, probs))
    if problems:
        return None, problems
    stem = path.stem if path.suffix in SUFFIXES else None
    ctx = schema.Context(stem, _pose_names(), _vehicle_models())
    scenario = _parse(problems, data, ctx, source_path=path)
    return scenario, problems


def _parse(
    problems: Problems, data: Any, ctx: schema.Context, source_path: Path | None = None
) -> Scenario | None:
    """The schema, then the start pose's clearance from the station and the arm."""
    scenario = schema.parse(problems, data, ctx, source_path=source_path)
    if scenario is None:
        return None
    try:
        robots = data_dir("robots")
    except ResourceError:
        return scenario  # the pose and model checks have said so already
    v = scenario.vehicle
    check_start_clearance(problems, v.model, v.position_m, scenario.arm.initial_pose, robots)
    return None if problems else scenario


def load_scenario(id_or_path: str | Path) -> Scenario:
    """Load and validate a scenario by id (``crs20-capture``) or by path to a YAML file."""
    path, label = resolve(id_or_path)
    scenario, problems = _check(path, label)
    if scenario is None:
        raise ValidationError(problems.lines, problems.count)
    return scenario


def list_scenarios() -> list[Scenario]:
    """Every shipped scenario, sorted by id."""
    return [load_scenario(scenario_id) for scenario_id in scenario_ids()]


def scenario_from_json(data: Any, label: str) -> Scenario:
    """A resolved scenario as a recording holds it (``scenario_to_json``), checked like a
    file: a recording replays with the numbers it was flown with, never trusted blindly."""
    problems = Problems(label)
    ctx = schema.Context(None, _pose_names(), _vehicle_models())
    # a fresh copy: parsing must not share lists with the caller's metadata
    scenario = _parse(problems, json.loads(json.dumps(data)), ctx)
    if scenario is None:
        raise ValidationError(problems.lines, problems.count)
    return scenario


def validate_file(path: str | Path) -> list[str]:
    """The problems of one scenario file, one line each; an empty list when it is valid."""
    try:
        _, problems = _check(Path(path), str(path))
    except ScenarioError as exc:
        return [str(exc)]
    return problems.lines
