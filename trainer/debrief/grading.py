"""The graded report (docs/DESIGN.md §6) of a recording.

``grade`` stores its whole report in the recording's ``canadarm-trainer.summary`` metadata;
that report is used as it is. A recording without one (a session cut off by a crash, or
written by a trainer that did not store it) is flown again from its own scenario, seed and
inputs (trainer/refly/loop.py) and graded as ``grade`` would; a session cut off before
it ended is graded as stopped at the cut, and says so. The stored
report is also set aside, and the recording flown again, when its /input stream is not the
one the report graded (an edited recording: the summary keeps the stream's digest).
"""

from __future__ import annotations

from typing import Any

from trainer.errors import RecordingError
from trainer.record.decode import json_shape_problem
from trainer.record.inputs import InputCheck
from trainer.record.seek import IndexedRecording
from trainer.refly.loop import fly_again

REPORT_MAX_DEPTH = 12  # report.json nests 4 levels (score.components.NAME); E: 3x that
REPORT_MAX_VALUES = 100_000  # ~300 in a report; the rest is room for long event lists


def stored_report(recording: IndexedRecording) -> dict[str, Any] | None:
    report = (recording.summary or {}).get("report")
    if not isinstance(report, dict) or not isinstance(report.get("score"), dict):
        return None
    problem = json_shape_problem(report, REPORT_MAX_DEPTH, REPORT_MAX_VALUES)
    if problem is not None:  # before json.dumps or the page walk it (RecursionError)
        raise RecordingError(f"recording {recording.path}: the report stored in it {problem}")
    return report


STORED = "recording summary"
REFLOWN = "re-flown from the recording"
INPUTS_CHANGED = "re-flown: the recording's inputs are not those its stored report graded"


def report_of(recording: IndexedRecording, inputs: InputCheck) -> tuple[dict[str, Any], str]:
    """(the graded report, where it came from: STORED, REFLOWN or INPUTS_CHANGED).
    ``inputs``: the check that has seen every /input message (the check ``grade --pilot``
    and ``--verify`` use; a damaged recording was refused by it, RecordingError); a stored
    report is used only if the /input stream is the one it graded (the summary's
    ``inputs_digest``; a recording without one predates the digest and is taken as it
    is)."""
    stored = stored_report(recording)
    if stored is None:
        return fly_again(recording), REFLOWN
    digest = (recording.summary or {}).get("inputs_digest")
    if digest is None or digest == inputs.digest:
        return stored, STORED
    return fly_again(recording), INPUTS_CHANGED
