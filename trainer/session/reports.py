"""The end of a graded session, the same for ``grade`` and ``fly`` (docs/DESIGN.md §5, §6,
§7): its facts for the report, the recording closed with its summary (the whole graded
report and the digest of the /input stream it graded), and ``report.json`` and
``report.md`` written whole into the output folder.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from trainer.record.writer import RecordingWriter
from trainer.safeio import write_atomically
from trainer.scenario.model import Scenario
from trainer.scoring.report import SessionFacts, build_report, report_markdown
from trainer.session.core import Session
from trainer.signals import deferred

SESSION_OUTPUTS = ("report.json", "report.md", "session.mcap")
"""The files a graded session leaves in its output folder."""


def session_facts(
    session: Session, recording: str | None, notices: Sequence[str] = ()
) -> SessionFacts:
    """The facts of a finished session for its report (``recording``: the file name),
    with the notices the reader must see first."""
    facts = session.facts(recording)
    return replace(facts, notices=list(notices)) if notices else facts


def closing_summary(session: Session, report: dict[str, Any]) -> dict[str, Any]:
    """The recording's ``canadarm-trainer.summary`` (docs/DESIGN.md §7): the outcome, the
    whole graded report (so `report` need not re-simulate) and the digest of the /input
    stream it graded (so `report` can tell inputs changed since, trainer/record/inputs.py)."""
    summary: dict[str, Any] = {
        "outcome": report["outcome"],
        "passed": report["passed"],
        "report": report,
    }
    writer = session.recorder.writer if session.recorder is not None else None
    if isinstance(writer, RecordingWriter):
        summary["inputs_digest"] = writer.input_digest
    return summary


def write_session_reports(
    session: Session, out_dir: Path, *, aids: str | None = None, trainee: str | None = None
) -> dict[str, Any]:
    """Grade a finished (or stopped) session: close its recording with the outcome and
    write ``report.json`` and ``report.md`` into ``out_dir``, with the window's aid level
    and the trainee's name when ``fly`` gives them. Returns the report."""
    if not session.finished:
        session.stop()
    recording = session.recording_path.name if session.recording_path is not None else None
    facts = replace(session_facts(session, recording), aids=aids, trainee=trainee)
    report = build_report(facts)
    with deferred():  # a signal now waits for the recording's footer
        # the whole graded report rides in the recording, so `report` need not re-simulate
        session.close(summary=closing_summary(session, report))
    write_reports(out_dir, report, session.scenario, facts.events)
    return report


def write_reports(
    out_dir: Path, report: dict[str, Any], scenario: Scenario, events: list[dict[str, Any]]
) -> None:
    """``report.json`` and the Markdown debrief ``report.md``, each written whole."""
    write_atomically(out_dir / "report.json", json.dumps(report, indent=2) + "\n")
    write_atomically(out_dir / "report.md", report_markdown(report, scenario, events))
