"""The graded report (docs/DESIGN.md §6) of a recording.

``grade`` stores its whole report in the recording's ``canadarm-trainer.summary`` metadata;
that report is used as it is. A recording without one (a session cut off by a crash, or
written by a trainer that did not store it) is flown again from its own scenario, seed and
inputs (trainer/replay/refly.py) and graded as ``grade`` would; a session cut off before
it ended is graded as stopped at the cut, and says so.
"""

from __future__ import annotations

from typing import Any

from trainer.record.seek import IndexedRecording
from trainer.replay.refly import fly_again


def stored_report(recording: IndexedRecording) -> dict[str, Any] | None:
    report = (recording.summary or {}).get("report")
    if isinstance(report, dict) and isinstance(report.get("score"), dict):
        return report
    return None


def report_of(recording: IndexedRecording) -> tuple[dict[str, Any], bool]:
    """(the graded report, True when it was rebuilt by re-flying the recording)."""
    stored = stored_report(recording)
    if stored is not None:
        return stored, False
    return fly_again(recording), True
