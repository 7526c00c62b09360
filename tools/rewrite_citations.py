"""Rewrite citations of the documentation into their ``docs/`` form, in place.

``REFERENCE §4`` becomes ``docs/REFERENCE.md §4``, ``(DESIGN §7)`` becomes
``(docs/DESIGN.md §7)``, a bare ``PYBULLET_NOTES`` becomes ``docs/PYBULLET_NOTES.md``, and a
path to the documents outside the repository (``/any/where/shared/REFERENCE.md``,
``../shared/STYLE.md``) becomes the ``docs/`` path. Citations already written as
``docs/X.md`` are left alone, as are identifiers that merely contain a name
(``PAYLOAD_REFERENCE_MASS_KG``).

Run from the repository root: ``python tools/rewrite_citations.py [PATH...]`` (default:
trainer, robots, tests, bench, scenarios, tools, README.md). Prints each file it changed.
Generated robot files change with their generators; ``tests/test_docs.py`` checks the
result.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

NAMES = ("REFERENCE", "DESIGN", "PYBULLET_NOTES", "STYLE")
DEFAULT_PATHS = ("trainer", "robots", "tests", "bench", "scenarios", "tools", "README.md")
SUFFIXES = {".py", ".md", ".yaml", ".yml", ".urdf", ".toml", ".sh", ".txt", ".cfg"}
SKIP = {Path("tools/rewrite_citations.py"), Path("tests/test_docs.py")}

_NAME = "|".join(NAMES)
# A path to the documents outside the repository: anything ending in shared/NAME.md.
_OUTSIDE = re.compile(rf"(?<![\w.])(?:[\w.~-]*/)*shared/({_NAME})\.md")
# A bare name, optionally with .md, not part of a path or an identifier.
_BARE = re.compile(rf"(?<![\w/.-])({_NAME})(?:\.md)?(?![\w])")


def rewrite(text: str) -> str:
    text = _OUTSIDE.sub(lambda m: f"docs/{m.group(1)}.md", text)
    return _BARE.sub(lambda m: f"docs/{m.group(1)}.md", text)


def files(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_file():
            out.append(path)
        elif path.is_dir():
            out += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix in SUFFIXES and "__pycache__" not in p.parts
            )
    return [p for p in out if p not in SKIP]


def main(argv: list[str]) -> int:
    for path in files(argv or list(DEFAULT_PATHS)):
        text = path.read_text(encoding="utf-8")
        new = rewrite(text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
