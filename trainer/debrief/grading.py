"""The graded report (docs/DESIGN.md §6) of a recording.

``grade`` stores its whole report in the recording's ``canadarm-trainer.summary`` metadata;
that report is used as it is. A recording without one (a session cut off by a crash, or
written by a trainer that did not store it) is flown again from its own scenario, seed and
inputs (the replay is exact, trainer/replay/verify.py) and graded as ``grade`` would; a
session cut off before it ended is graded as stopped at the cut, and says so.
"""

from __future__ import annotations

from typing import Any

from trainer.grade import session_facts
from trainer.record.seek import IndexedRecording
from trainer.replay.source import recorded_inputs, replay_source
from trainer.scenario.model import Scenario
from trainer.scoring.report import build_report
from trainer.session import Session


def stored_report(recording: IndexedRecording) -> dict[str, Any] | None:
    report = (recording.summary or {}).get("report")
    if isinstance(report, dict) and isinstance(report.get("score"), dict):
        return report
    return None


def regrade(recording: IndexedRecording, scenario: Scenario) -> dict[str, Any]:
    """Fly the recording again headless and grade it."""
    source = replay_source(recording)
    inputs = recorded_inputs(recording)  # streamed
    ends = [e for e in recording.events() if e.get("kind") == "end"]
    session = Session(scenario, source.seed, pilot=source.pilot)
    try:
        for state in inputs:
            if session.finished:
                break
            session.tick(state)
        if not session.finished:
            if ends and recording.complete:
                session.stop(str(ends[-1].get("reason", "stopped by the user")))
            else:
                session.stop(
                    f"the recording ends at t = {recording.end_time_s:.1f} s "
                    "(cut off before the session ended)"
                )
        return build_report(session_facts(session, recording.path.name))
    finally:
        session.close()


def report_of(recording: IndexedRecording) -> tuple[dict[str, Any], bool]:
    """(the graded report, True when it was rebuilt by re-flying the recording)."""
    stored = stored_report(recording)
    if stored is not None:
        return stored, False
    return regrade(recording, replay_source(recording).scenario), True
