"""``canadarm-trainer report RECORDING [--out DIR]``: write ``debrief.html`` and
``report.json`` for a recorded session (docs/DESIGN.md §5, §6).

``report.json`` is the graded report of docs/DESIGN.md §6 (the one ``grade`` wrote, or
rebuilt by re-flying the recording, trainer/debrief/grading.py) with a ``debrief`` block
added: the aid level, the three lesson marks with their metrics, the hand-controller
metrics, the instructor's notes, and where the report came from. Both files are written
atomically into DIR (default: the recording's folder); a bad recording or folder writes
nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from trainer.debrief import plots
from trainer.debrief.grading import INPUTS_CHANGED, REFLOWN, report_of, stored_report
from trainer.debrief.page import Figure, PageFacts, render_page
from trainer.debrief.series import METRIC_KEYS, read_series
from trainer.debrief.technique import hand_controller_metrics, lesson_marks
from trainer.errors import TrainerError
from trainer.record.decode import recording_info
from trainer.record.inputs import InputCheck
from trainer.record.instructor import describe
from trainer.record.notes import notes_path, read_notes
from trainer.record.schemas import INSTRUCTOR_TOPIC
from trainer.record.seek import IndexedRecording, open_recording
from trainer.safeio import (
    FolderLock,
    check_output_folder,
    make_folder,
    remove_leftovers,
    write_together,
)
from trainer.scenario.model import Scenario


def inputs_changed_remark(recording: IndexedRecording, report: dict[str, Any]) -> str:
    """What the debrief and the terminal say when the recording's inputs do not reproduce
    its stored report."""
    stored = stored_report(recording) or {}
    return (
        "The recording's inputs are not the ones its stored report graded (changed after "
        f"it was graded): the stored report said {str(stored.get('outcome'))[:20]!r}; "
        f"flown again from these inputs it is {str(report.get('outcome'))[:20]!r}, the "
        "report shown here."
    )


def build_debrief(recording: IndexedRecording) -> tuple[dict[str, Any], str]:
    """(report.json's content, debrief.html's text) of an opened recording."""
    info = recording_info(recording.path, recording.metadata)
    scenario = info.scenario
    inputs = InputCheck(recording.path)
    series = read_series(recording, inputs)  # every /input checked on the way
    report, source = report_of(recording, inputs)
    events = recording.events()
    actions = [m.payload for m in recording.messages([INSTRUCTOR_TOPIC])]  # a live session's
    notes, skipped, omitted = read_notes(recording.path)
    hc = hand_controller_metrics(series, report)
    areas = lesson_marks(report, series, scenario, hc)
    trigger = report.get("trigger") if isinstance(report.get("trigger"), dict) else None
    drift = report.get("free_drift_start_s")
    drift_s = float(drift) if isinstance(drift, int | float) else None
    figures = [
        Figure(
            "Final approach",
            plots.final_approach_plot(series, scenario.envelope, trigger),
            wide=True,
        ),
        Figure("Range", plots.range_plot(series, trigger, drift_s)),
    ]
    figures += [
        Figure(key, plots.envelope_plot(series, key, scenario.envelope, trigger, drift_s))
        for key in METRIC_KEYS
    ]
    if isinstance(report.get("berthing"), dict):
        figures = _berthing_figures(recording, report, scenario, figures if trigger else [])
    figures.append(Figure("Joint angles", plots.joints_plot(series, trigger, drift_s)))
    figures.append(
        Figure("Hand controllers", plots.hand_controller_plot(series, trigger, drift_s), wide=True)
    )
    figures.append(
        Figure(
            "Event timeline",
            plots.timeline_plot(events, notes, max(series.duration_s, recording.end_time_s)),
            wide=True,
        )
    )
    remarks = []
    if source == REFLOWN:
        remarks.append(
            "The recording holds no graded report (it was not closed by a grade run), so "
            "it was flown again from its scenario, seed and inputs and graded here."
        )
    elif source == INPUTS_CHANGED:
        remarks.append(inputs_changed_remark(recording, report))
    if recording.notice:
        remarks.append(f"Note: {recording.notice}.")
    aids = info.aids
    debrief = {
        "aids": aids,
        "report_source": source,
        "lesson_marks": [a.to_dict() for a in areas],
        "hand_controller": hc.to_dict(),
        "annotations": [
            {"time_s": n.time_s, "text": n.text, "author": n.author, "created_utc": n.created_utc}
            for n in notes
        ],
        "annotations_file": notes_path(recording.path).name,
        "instructor_actions": [
            {
                "time_s": float(a.get("time_s", 0.0)),
                "action": str(a.get("action", "?")),
                "detail": describe(a),
            }
            for a in actions
        ],
        "recording_notice": recording.notice,
    }
    full = {**report, "recording": recording.path.name, "debrief": debrief}
    page = render_page(
        PageFacts(
            report=report,
            scenario=scenario,
            metadata=recording.metadata,
            aids=aids,
            areas=areas,
            hand_controller=hc,
            figures=figures,
            events=events,
            actions=actions,
            notes=notes,
            notes_skipped=skipped,
            notes_omitted=omitted,
            recording_name=recording.path.name,
            duration_s=recording.duration_s,
            remarks=remarks,
        )
    )
    return full, page


def _berthing_figures(
    recording: IndexedRecording,
    report: dict[str, Any],
    scenario: Scenario,
    capture: list[Figure],
) -> list[Figure]:
    """A berthing's figures (trainer/debrief/berthing.py) after the capture's, if any."""
    from trainer.debrief import berthing

    block = report["berthing"]
    series = berthing.read_berthing_series(recording)
    figures = [*capture]
    figures.append(
        Figure("Berthing: separation", berthing.separation_plot(series, block), wide=True)
    )
    if scenario.berthing is not None:
        figures += [
            Figure(label, berthing.rtl_plot(series, q, scenario.berthing.envelope, block))
            for q, label, _unit in berthing.QUANTITIES
        ]
    return figures


REPORT_NAMES = ("report.json", "debrief.html")


def run_report_command(path: Path, out: Path | None) -> int:
    """Check the output folder first (before any work), then the recording; the folder is
    held for the run (trainer/safeio.FolderLock) and both files appear together."""
    out_dir = out if out is not None else path.parent
    check_output_folder(out_dir, REPORT_NAMES)
    with open_recording(path) as recording:
        make_folder(out_dir, "--out")
        with FolderLock(out_dir, "--out"):
            remove_leftovers(out_dir, REPORT_NAMES)
            if recording.notice:
                print(f"note: {recording.notice}", file=sys.stderr)
            report, page = build_debrief(recording)
            if report["debrief"]["report_source"] == INPUTS_CHANGED:
                print(f"note: {inputs_changed_remark(recording, report)}", file=sys.stderr)
            try:
                write_together(
                    out_dir,
                    {"report.json": json.dumps(report, indent=2) + "\n", "debrief.html": page},
                )
            except OSError as exc:
                raise TrainerError(
                    f"cannot write the debrief into {out_dir}: {exc.strerror or exc}"
                ) from None
    print(f"debrief: {out_dir / 'debrief.html'}")
    print(f"report: {out_dir / 'report.json'}")
    return 0
