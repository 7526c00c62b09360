"""The documentation the code cites exists, and nothing points outside the repository.

Code, robot models, scenario files, tests and READMEs cite ``docs/REFERENCE.md §4``-style
sections (docs/README.md). A reader who clones the project must be able to follow every
such citation, so: each cited file exists, each cited section is a heading of that file,
every citation is written in the ``docs/`` form (``python tools/rewrite_citations.py``
rewrites old forms), and no file names a path on some build machine.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SCANNED = (
    "trainer",
    "canadarm_trainer",
    "robots",
    "tests",
    "bench",
    "examples",
    "scenarios",
    "tools",
    "docs",
    "README.md",
)
TEXT_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".urdf", ".toml", ".sh", ".txt", ".json"}
# This test and the rewriting tool spell out the old forms they look for.
NOT_SCANNED = {Path(__file__).resolve(), ROOT / "tools" / "rewrite_citations.py"}

NAMES = ("REFERENCE", "DESIGN", "PYBULLET_NOTES", "STYLE", "ENVIRONMENT")
_NAME = "|".join(NAMES)
SECTION = r"§\s*(\d+(?:\.\d+)*)"
# docs/X.md, then optionally "§N" and more sections: "§3, §4", "§3 and §4".
CITATION = re.compile(rf"docs/([A-Za-z_]+)\.md((?:\s*(?:,|and)?\s*{SECTION})*)")
SECTIONS_IN = re.compile(SECTION)
# A name cited without its docs/ path (the old form): "REFERENCE §4", "(DESIGN)".
BARE = re.compile(rf"(?<![\w/.\[-])({_NAME})(?:\.md)?(?![\w])")
HEADING = re.compile(r"^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s", re.MULTILINE)
MACHINE_PATHS = ("/tmp/", "/root/", "/home/", "/work/", "../shared")


def _scanned_files() -> list[Path]:
    out: list[Path] = []
    for name in SCANNED:
        path = ROOT / name
        if path.is_file():
            out.append(path)
        elif path.is_dir():
            out += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix in TEXT_SUFFIXES and "__pycache__" not in p.parts
            )
    return [p for p in out if p.resolve() not in NOT_SCANNED]


FILES = _scanned_files()


def _sections(doc: Path) -> list[str]:
    return HEADING.findall(doc.read_text(encoding="utf-8"))


def _where(path: Path, text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"{path.relative_to(ROOT)}:{line}"


def test_the_scan_sees_the_code_and_the_docs() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in FILES}
    assert "trainer/cli.py" in names
    assert "scenarios/crs20-capture.yaml" in names
    assert "robots/ssrms/ssrms.urdf" in names
    assert "docs/REFERENCE.md" in names


@pytest.mark.parametrize("name", NAMES)
def test_each_cited_document_exists_with_numbered_sections(name: str) -> None:
    doc = DOCS / f"{name}.md"
    assert doc.is_file(), f"docs/{name}.md is missing"
    sections = _sections(doc)
    assert sections, f"docs/{name}.md has no numbered section headings"
    duplicates = sorted({s for s in sections if sections.count(s) > 1})
    assert not duplicates, f"docs/{name}.md numbers two sections alike: {duplicates}"


def test_every_docs_citation_points_at_an_existing_section() -> None:
    sections: dict[str, set[str]] = {}
    broken: list[str] = []
    count = 0
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        for match in CITATION.finditer(text):
            count += 1
            name = match.group(1)
            doc = DOCS / f"{name}.md"
            if not doc.is_file():
                broken.append(f"{_where(path, text, match.start())}: docs/{name}.md does not exist")
                continue
            if name not in sections:
                sections[name] = set(_sections(doc))
            for number in SECTIONS_IN.findall(match.group(2)):
                if number not in sections[name]:
                    broken.append(
                        f"{_where(path, text, match.start())}: docs/{name}.md has no §{number}"
                    )
    assert count > 300, f"only {count} citations found: is the scan looking in the right place?"
    assert not broken, "\n".join(broken)


def test_citations_are_written_with_their_docs_path() -> None:
    bare: list[str] = []
    for path in FILES:
        if path.parent == DOCS:
            continue  # the documents name each other by file name
        text = path.read_text(encoding="utf-8")
        for match in BARE.finditer(text):
            snippet = text[max(0, match.start() - 20) : match.end() + 10].replace("\n", " ")
            bare.append(f"{_where(path, text, match.start())}: ...{snippet}...")
    assert not bare, (
        "cite docs/NAME.md (python tools/rewrite_citations.py rewrites these):\n" + "\n".join(bare)
    )


def test_no_file_names_a_path_of_a_build_machine() -> None:
    found: list[str] = []
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        for fragment in MACHINE_PATHS:
            offset = text.find(fragment)
            if offset >= 0:
                found.append(f"{_where(path, text, offset)}: {fragment}")
    assert not found, "\n".join(found)


def test_the_docs_index_lists_every_document() -> None:
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    missing = [p.name for p in sorted(DOCS.glob("*.md")) if p.name != "README.md"]
    missing = [name for name in missing if f"({name})" not in index]
    assert not missing, f"docs/README.md does not list {missing}"
