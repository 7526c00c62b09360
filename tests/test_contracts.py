"""The import rules of the design (docs/DESIGN.md §2), checked by parsing every module of
``trainer/`` (any import anywhere in a module counts, also inside functions), plus a
subprocess that proves scoring loads without a physics engine.

| room             | never imports                                                  |
|------------------|----------------------------------------------------------------|
| trainer/sim      | trainer.ui, trainer.input, trainer.scoring, trainer.record, trainer.render, pygame, moderngl |
| trainer/control  | trainer.ui, trainer.scoring, trainer.record, pygame              |
| trainer/tasks    | trainer.ui, trainer.session, trainer.record, pygame              |
| trainer/scoring  | pybullet (not even through what it imports), pygame              |
| trainer/input    | trainer.sim, pybullet                                            |
| trainer/record   | pygame; of trainer.sim only its pure records (capture_state, joints, metrics) |
| trainer/render   | pygame                                                           |
| trainer/ui       | pybullet                                                         |
| trainer/campaign | trainer.ui, pygame                                               |
| everywhere else  | pygame outside input/ and ui/; moderngl outside render/; dask and distributed outside campaign/dask_backend.py |
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

TRAINER = Path(__file__).resolve().parents[1] / "trainer"

NEVER: dict[str, tuple[str, ...]] = {
    "trainer.sim": (
        "trainer.ui",
        "trainer.input",
        "trainer.scoring",
        "trainer.record",
        "trainer.render",
        "pygame",
        "moderngl",
    ),
    "trainer.control": ("trainer.ui", "trainer.scoring", "trainer.record", "pygame"),
    "trainer.tasks": ("trainer.ui", "trainer.session", "trainer.record", "pygame"),
    "trainer.scoring": ("pybullet", "pygame"),
    "trainer.input": ("trainer.sim", "pybullet"),
    "trainer.record": ("pygame",),
    "trainer.render": ("pygame",),
    "trainer.ui": ("pybullet",),
    "trainer.campaign": ("trainer.ui", "pygame"),
}
ONLY_IN: dict[str, tuple[str, ...]] = {
    "pygame": ("trainer.input", "trainer.ui"),
    "moderngl": ("trainer.render",),
    # the cluster engine behind one module (docs/DESIGN.md §12): the rest sees an executor
    "dask": ("trainer.campaign.dask_backend",),
    "distributed": ("trainer.campaign.dask_backend",),
}
RECORD_MAY_USE_FROM_SIM = ("trainer.sim.capture_state", "trainer.sim.joints", "trainer.sim.metrics")


def _module_name(path: Path) -> str:
    parts = path.relative_to(TRAINER.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(TRAINER.rglob("*.py")):
        if "_data" not in path.parts:
            yield _module_name(path), path


def _imports(name: str, path: Path) -> set[str]:
    """Every module ``path`` imports (``from a import b`` counts as a and a.b)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            out.add(base)
            out.update(f"{base}.{alias.name}" for alias in node.names)
    return out


def _within(module: str, room: str) -> bool:
    return module == room or module.startswith(room + ".")


MODULES = dict(_modules())
IMPORTS = {name: _imports(name, path) for name, path in MODULES.items()}


def test_the_parser_sees_the_rooms() -> None:
    """Guard against a rule that can never fail: the walk finds the rooms and their
    imports (the session imports the world, the world imports pybullet)."""
    assert "trainer.session.core" in IMPORTS and "trainer.sim.world" in IMPORTS
    assert "pybullet" in IMPORTS["trainer.sim.world"]
    assert "trainer.sim.world" in IMPORTS["trainer.session.core"]
    assert any(_within(m, "pygame") for m in IMPORTS["trainer.input.gamepad"])


@pytest.mark.parametrize("room", sorted(NEVER))
def test_each_room_keeps_out_what_it_must_never_import(room: str) -> None:
    broken = sorted(
        f"{name} imports {imported}"
        for name, imported_set in IMPORTS.items()
        if _within(name, room)
        for imported in imported_set
        for banned in NEVER[room]
        if _within(imported, banned)
    )
    assert not broken, broken


@pytest.mark.parametrize("library", sorted(ONLY_IN))
def test_a_library_appears_only_in_its_rooms(library: str) -> None:
    broken = sorted(
        f"{name} imports {imported}"
        for name, imported_set in IMPORTS.items()
        if not any(_within(name, room) for room in ONLY_IN[library])
        for imported in imported_set
        if _within(imported, library)
    )
    assert not broken, broken


def test_record_uses_only_the_pure_records_of_sim() -> None:
    broken = sorted(
        f"{name} imports {imported}"
        for name, imported_set in IMPORTS.items()
        if _within(name, "trainer.record")
        for imported in imported_set
        if _within(imported, "trainer.sim")
        and not any(_within(imported, ok) for ok in RECORD_MAY_USE_FROM_SIM)
    )
    assert not broken, broken


def test_scoring_the_judge_and_the_snapshot_load_without_pybullet() -> None:
    """Not only no direct import: nothing scoring pulls in loads the physics engine."""
    code = (
        "import sys\n"
        "import trainer.scoring.report, trainer.scoring.judge, trainer.scoring.accumulate\n"
        "import trainer.telemetry, trainer.observation, trainer.record.schemas\n"
        "import trainer.scenario.loader, trainer.sim.rotation, trainer.clock\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('pybullet', 'pygame'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "", f"loaded: {result.stdout.strip()}"
