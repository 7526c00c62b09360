"""The ``list`` and ``validate`` subcommands (docs/DESIGN.md §5): print, and return the exit status.

The CLI module parses the arguments and calls these; nothing here raises for bad input.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from trainer.errors import ScenarioError, ValidationError
from trainer.scenario.loader import scenario_ids, validate_file
from trainer.scenario.model import Scenario

EXIT_OK = 0
EXIT_INVALID = 2


def format_table(scenarios: Sequence[Scenario]) -> list[str]:
    """Rows ``id  version  title  tags`` with aligned columns, a header first."""
    rows = [("ID", "VERSION", "TITLE", "TAGS")]
    rows += [(s.id, str(s.version), s.title, ", ".join(s.tags)) for s in scenarios]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths, strict=True)) + "  " + row[3]
        for row in rows
    ]


def run_list() -> int:
    """Print the shipped scenarios; a broken shipped file is reported on stderr (exit 2)."""
    from trainer.scenario.loader import load_scenario

    scenarios: list[Scenario] = []
    status = EXIT_OK
    for scenario_id in scenario_ids():
        try:
            scenarios.append(load_scenario(scenario_id))
        except ValidationError as exc:
            for line in exc.problems:
                print(line, file=sys.stderr)
            status = EXIT_INVALID
        except ScenarioError as exc:
            print(exc, file=sys.stderr)
            status = EXIT_INVALID
    for line in format_table(scenarios):
        print(line.rstrip())
    return status


def run_validate(paths: Sequence[str]) -> int:
    """Check each file: its error lines on stderr, ``ok: FILE`` on stdout when it is valid."""
    status = EXIT_OK
    for path in paths:
        problems = validate_file(path)
        for line in problems:
            print(line, file=sys.stderr)
        if problems:
            status = EXIT_INVALID
        else:
            print(f"ok: {path}")
    return status
