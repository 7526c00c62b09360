"""Nothing on the simulation path (tests/test_determinism_rules.py's rooms) reads a socket
or the live server (docs/DESIGN.md §10, §12): an instructor's action reaches the session
only as a checked, recorded action at a tick boundary (``Session.instruct``), never
through an import of the network."""

from __future__ import annotations

import ast

from tests.test_determinism_rules import MODULES, TRAINER

NETWORK = ("socket", "websockets", "foxglove", "trainer.live", "asyncio", "ssl", "http")


def test_no_simulation_module_imports_the_network() -> None:
    assert len(MODULES) > 50
    found: list[str] = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                if any(name == n or name.startswith(n + ".") for n in NETWORK):
                    found.append(f"{path.relative_to(TRAINER.parent)}: {name}")
    assert not found, found
