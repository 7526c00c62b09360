"""``replay RECORDING`` without ``--verify``: the instructor's viewer (docs/DESIGN.md §1).

The interactive window (scrubbing with a free camera, the events and the envelope plots)
is built on `trainer.record.seek.IndexedRecording`: ``open_recording(path)`` gives the
metadata, ``duration_s``, ``events()``, and ``state_at(t)`` / ``input_at(t)`` in a few
milliseconds. Until that window exists, `run_viewer` opens the recording (so a bad file
still gets its one-line error and exit status 2), prints what it holds, and says how to
check or debrief it. The window replaces the body of `run_viewer`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from trainer.record.seek import open_recording


def run_viewer(path: Path) -> int:
    with open_recording(path) as recording:
        meta = recording.metadata
        summary = recording.summary or {}
        events = recording.events()
        outcome = summary.get("outcome") or next(
            (e.get("outcome") for e in reversed(events) if e.get("kind") == "end"), None
        )
        if recording.notice:
            print(f"note: {recording.notice}", file=sys.stderr)
        print(
            f"{path}: scenario {meta.get('scenario_id', '?')} "
            f"v{meta.get('scenario_version', '?')}, seed {meta.get('seed', '?')}, "
            f"pilot {meta.get('pilot', '?')}, {recording.duration_s:.1f} s, "
            f"{len(events)} events, outcome {outcome or 'not recorded'}"
        )
    print(
        "The interactive replay viewer is not part of this version: "
        f"`canadarm-trainer replay {path} --verify` re-simulates it, "
        f"`canadarm-trainer report {path}` writes its debrief."
    )
    return 0
