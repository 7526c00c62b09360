"""The import rules of the design, read from their one source: the table of rooms in
docs/DESIGN.md §2 (its "Room", "May import" and "Never imports" columns, and the line
naming the foundations every room may import). Every module of ``trainer/`` is parsed
(any import anywhere in a module counts, also inside functions), and:

| rule                                   | checked                                             |
|----------------------------------------|-----------------------------------------------------|
| every module belongs to a room         | each file of trainer/ falls under a row of the table |
| a room imports only what it may        | its own room, the foundations, the standard library |
|                                        | and the rooms, modules and libraries its "May       |
|                                        | import" cell names (a library too: pygame only in   |
|                                        | input and ui, moderngl only in render, dask and     |
|                                        | distributed only in campaign/dask_backend.py)       |
| a room never imports what it must not  | nothing its "Never imports" cell names              |
| no cycles between rooms                | the rooms' import graph has none                    |
| the table names only what exists       | every room and module in it is a module of trainer, |
|                                        | every library one this environment can find         |

A cell is a list separated by commas or semicolons; an item's leading name in backticks
is what it allows or bans (`sim`: the room; `sim.metrics`: that module; `numpy`: a
library: a name that is not a module of trainer); a remark in parentheses and an item
without a leading name (prose: "BLAS") are not read. A subprocess also proves that
scoring, the telemetry, the scenario loader and the recording's decoder load without a
physics engine, which no parse of direct imports can.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TRAINER = ROOT / "trainer"
TABLE_FILE = ROOT / "docs/DESIGN.md"  # its §2
HEADER = "| Room | Holds | May import | Never imports |"
FOUNDATIONS_LINE = "Every room may also import"


# ------------------------------------------------------------------ the code
def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(TRAINER.rglob("*.py")):
        if "_data" not in path.parts:
            yield _module_name(path), path


MODULES = dict(_modules())
PACKAGES = {name for name, path in MODULES.items() if path.name == "__init__.py"}


def imports_of(name: str, source: str) -> set[str]:
    """Every module ``source`` (the module ``name``) imports. ``from a import b`` counts
    as ``a.b`` when that is a module of the trainer, else as ``a``."""
    package = name if name in PACKAGES else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            submodules = {f"{base}.{a.name}" for a in node.names} & MODULES.keys()
            out.update(submodules or {base})
    return out


IMPORTS = {
    name: imports_of(name, path.read_text(encoding="utf-8")) for name, path in MODULES.items()
}


# ------------------------------------------------------------------ the table
@dataclass(frozen=True)
class Room:
    paths: tuple[str, ...]  # as the table writes them: trainer/sim/, trainer/clock.py
    may: tuple[str, ...]
    never: tuple[str, ...]

    @property
    def name(self) -> str:
        return ", ".join(self.paths)


def _split(cell: str) -> list[str]:
    """A cell's items: separated by commas or semicolons outside parentheses."""
    items, depth, current = [], 0, ""
    for char in cell:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char in ",;" and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    return [*items, current]


def names_in(cell: str) -> tuple[str, ...]:
    """The leading backticked name of each item of a cell (see the module docstring)."""
    out = []
    for item in _split(cell):
        found = re.match(r"\s*`([^`]+)`", item)
        if found:
            out.append(found.group(1))
    return tuple(out)


def _table_lines(text: str) -> list[str]:
    section = text[text.index("\n## 2.") : text.index("\n## 3.")]
    lines = section.splitlines()
    start = lines.index(HEADER) + 2  # the header and its |---| line
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def read_table(text: str) -> tuple[list[Room], tuple[str, ...]]:
    rooms = []
    for line in _table_lines(text):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        assert len(cells) == 4, f"docs/DESIGN.md §2: a row of {len(cells)} cells: {line[:60]}"
        paths = tuple(re.findall(r"`(trainer/[^`]*)`", cells[0]))
        rooms.append(Room(paths, names_in(cells[2]), names_in(cells[3])))
    section = text[text.index("\n## 2.") : text.index("\n## 3.")]
    line = next(ln for ln in section.splitlines() if ln.startswith(FOUNDATIONS_LINE))
    return rooms, tuple(re.findall(r"`([^`]+)`", line))


ROOMS, FOUNDATIONS = read_table(TABLE_FILE.read_text(encoding="utf-8"))


def _path_module(path: str) -> str:
    """trainer/sim/ -> trainer.sim; trainer/clock.py -> trainer.clock."""
    return _module_name(ROOT / path) if path.endswith(".py") else path.strip("/").replace("/", ".")


def _target(name: str) -> str:
    """A name of the table as a module (``sim.metrics`` -> trainer.sim.metrics; ``trainer``:
    the package itself), or the library's own name."""
    if name == "trainer":
        return "trainer"
    dotted = f"trainer.{name}"
    return dotted if dotted in MODULES else name


def matches(module: str, name: str) -> bool:
    """``module`` is what ``name`` (a table name) covers: itself or, for a package other
    than the trainer itself, anything inside it."""
    target = _target(name)
    if module == target:
        return True
    return target != "trainer" and module.startswith(target + ".")


def room_of(module: str) -> Room | None:
    """The room of a module of the trainer: the row whose path holds it most closely."""
    best: tuple[int, Room] | None = None
    for room in ROOMS:
        for path in room.paths:
            target = _path_module(path)
            inside = module == target or (
                not path.endswith(".py") and module.startswith(target + ".")
            )
            if inside and (best is None or len(target) > best[0]):
                best = (len(target), room)
    return best[1] if best is not None else None


def _is_stdlib(module: str) -> bool:
    return module.split(".")[0] in sys.stdlib_module_names or module == "__future__"


def broken_rules(room: Room, imports: dict[str, set[str]]) -> list[str]:
    """What the modules of ``room`` import against its row and the foundations."""
    broken = []
    for name, imported_set in sorted(imports.items()):
        if room_of(name) is not room:
            continue
        for imported in sorted(imported_set):
            banned = [n for n in room.never if matches(imported, n)]
            if banned:
                broken.append(f"{name} imports {imported}, which it never may ({banned[0]})")
                continue
            inside = imported.split(".")[0] == "trainer"
            if inside and room_of(imported) is room:
                continue
            if not inside and _is_stdlib(imported):
                continue
            if any(matches(imported, n) for n in (*room.may, *FOUNDATIONS)):
                continue
            broken.append(f"{name} imports {imported}, not in its May import")
    return broken


def room_graph(imports: dict[str, set[str]]) -> dict[str, set[str]]:
    """Room -> the rooms its modules import (by the rooms' names)."""
    graph: dict[str, set[str]] = {}
    for name, imported_set in imports.items():
        source = room_of(name)
        if source is None:
            continue
        for imported in imported_set:
            target = room_of(imported) if imported.split(".")[0] == "trainer" else None
            if target is not None and target is not source:
                graph.setdefault(source.name, set()).add(target.name)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` (its rooms in order, the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found is not None:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found is not None:
                return found
    return None


# ------------------------------------------------------------------ guards
def test_the_parser_sees_the_rooms_and_the_table() -> None:
    """Guard against rules that can never fail: the walk finds the modules and their
    imports, and the table is read with its rows, cells and foundations."""
    assert "pybullet" in IMPORTS["trainer.sim.world"]
    assert "trainer.sim.world" in IMPORTS["trainer.session.core"]
    assert any(m.startswith("pygame") for m in IMPORTS["trainer.input.gamepad"])
    assert len(ROOMS) >= 30
    assert {"errors", "clock"} <= set(FOUNDATIONS)
    sim = room_of("trainer.sim.world")
    assert sim is not None and "pybullet" in sim.may and "ui" in sim.never
    assert room_of("trainer.ui.replay.model") is not room_of("trainer.ui.app")
    assert room_of("trainer.clock") is not None and room_of("trainer.clockwork") is None


def test_a_cell_is_read_item_by_item() -> None:
    assert names_in("`sim` (accessors, `sim.world`), `input.state`; numpy's sums, `numpy`") == (
        "sim",
        "input.state",
        "numpy",
    )
    assert names_in("–") == ()


def test_a_broken_rule_is_found() -> None:
    """The checker fails on imports the table does not allow or bans."""
    sim = room_of("trainer.sim.world")
    assert sim is not None
    fake = {"trainer.sim.world": {"pygame", "trainer.ui.app", "trainer.tasks", "math"}}
    found = broken_rules(sim, fake)
    assert any("pygame" in f and "never" in f for f in found)
    assert any("trainer.ui.app" in f for f in found)
    assert any("trainer.tasks" in f and "May import" in f for f in found)
    assert not any("math" in f for f in found)


def test_a_cycle_is_found() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


# ------------------------------------------------------------------ the rules
def test_every_module_is_in_a_room() -> None:
    homeless = sorted(name for name in MODULES if room_of(name) is None)
    assert not homeless, f"not in the table of docs/DESIGN.md §2: {homeless}"


def test_the_table_names_only_what_exists() -> None:
    unknown = []
    for room in ROOMS:
        unknown += [p for p in room.paths if not (ROOT / p).exists()]
        for name in (*room.may, *room.never):
            target = _target(name)
            if target.startswith("trainer"):
                continue  # a module of the trainer (_target found it)
            if not _is_stdlib(target) and importlib.util.find_spec(target) is None:
                unknown.append(name)
    for name in FOUNDATIONS:
        if not _target(name).startswith("trainer"):
            unknown.append(name)
    assert not unknown, f"docs/DESIGN.md §2 names what does not exist: {unknown}"


def test_no_room_may_import_what_it_never_may() -> None:
    both = [f"{room.name}: {n}" for room in ROOMS for n in room.may if n in room.never]
    assert not both


@pytest.mark.parametrize("room", ROOMS, ids=lambda room: room.name)
def test_each_room_imports_only_what_it_may(room: Room) -> None:
    broken = broken_rules(room, IMPORTS)
    assert not broken, broken


def test_no_cycles_between_rooms() -> None:
    cycle = find_cycle(room_graph(IMPORTS))
    assert cycle is None, " -> ".join(cycle or [])


@pytest.mark.parametrize(
    ("library", "only_in"),
    [
        ("pygame", ("trainer.input", "trainer.ui")),
        ("moderngl", ("trainer.render",)),
        # the cluster engine behind one module (docs/DESIGN.md §12): the rest sees an executor
        ("dask", ("trainer.campaign.dask_backend",)),
        ("distributed", ("trainer.campaign.dask_backend",)),
    ],
)
def test_a_library_kept_in_its_rooms_is_used_there_only(
    library: str, only_in: tuple[str, ...]
) -> None:
    """What the table's May import cells imply, said once more for the libraries kept
    behind a room or a module, and proven not vacuous: they are imported there."""
    users = {
        name
        for name, imported in IMPORTS.items()
        if any(i == library or i.startswith(library + ".") for i in imported)
    }
    assert users, f"nothing imports {library}: the rule would be vacuous"
    outside = sorted(u for u in users if not any(u == o or u.startswith(o + ".") for o in only_in))
    assert not outside, f"{library} imported outside {only_in}: {outside}"


def test_scoring_the_judge_and_the_decoders_load_without_pybullet() -> None:
    """Not only no direct import: nothing these pull in loads the physics engine."""
    code = (
        "import sys\n"
        "import trainer.scoring.report, trainer.scoring.judge, trainer.scoring.accumulate\n"
        "import trainer.telemetry, trainer.observation, trainer.record.schemas\n"
        "import trainer.record.decode, trainer.record.snapshot, trainer.record.seek\n"
        "import trainer.scenario.loader, trainer.sim.rotation, trainer.clock\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('pybullet', 'pygame'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "", f"loaded: {result.stdout.strip()}"
