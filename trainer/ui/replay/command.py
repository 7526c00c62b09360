"""``replay RECORDING`` without ``--verify``: open the instructor's viewer on a recording
(docs/DESIGN.md §1, §5).

Everything that can refuse the file happens here, before a window opens, as one line on
stderr and exit status 2 (trainer/cli.py): not a recording, another format version
(trainer/record/files.py), metadata out of bounds or no resolved scenario
(trainer/record/decode.py), an /input message the shared check refuses
(trainer/record/inputs.py), no /state message to show. A recording cut off by a crash
opens up to the cut, with a notice on stderr and in the window.
"""

from __future__ import annotations

import sys
from pathlib import Path

from trainer.errors import RecordingError
from trainer.record.decode import recording_info
from trainer.record.inputs import checked_input_stream
from trainer.record.seek import IndexedRecording, open_recording


def describe(recording: IndexedRecording) -> str:
    """One line about a recording: scenario, seed, pilot, length, events, outcome."""
    meta = recording.metadata
    summary = recording.summary or {}
    events = recording.events()
    outcome = summary.get("outcome") or next(
        (e.get("outcome") for e in reversed(events) if e["kind"] == "end"), None
    )
    return (
        f"{recording.path}: scenario {meta.get('scenario_id', '?')} "
        f"v{meta.get('scenario_version', '?')}, seed {meta.get('seed', '?')}, "
        f"pilot {meta.get('pilot', '?')}, {recording.duration_s:.1f} s, "
        f"{len(events)} events, outcome {outcome or 'not recorded'}"
    )


def run_viewer(
    path: Path, *, start_s: float | None = None, size: tuple[int, int] | None = None
) -> int:
    with open_recording(path) as recording:
        # the same checks as grade --pilot, --verify and report: metadata, every /input
        scenario = recording_info(recording.path, recording.metadata).scenario
        checked_input_stream(recording)
        if recording.state_at(recording.start_time_s) is None:
            raise RecordingError(f"recording {path} holds no /state message: nothing to show")
        if start_s is not None and not (0.0 <= start_s <= recording.end_time_s):
            raise RecordingError(
                f"--at {start_s:g}: outside the recording (0 to {recording.end_time_s:.1f} s)"
            )
        if recording.notice:
            print(f"note: {recording.notice}; shown up to the cut", file=sys.stderr)
        from trainer.ui.replay.window import run_replay_window

        return run_replay_window(
            recording, scenario, start_s=start_s, size=size, description=describe(recording)
        )
