"""Fly a recording again, headless, and grade it: the graded report (docs/DESIGN.md §6)
its own scenario, seed and inputs produce today. Used by ``report`` for a recording that
holds no stored report, and by ``replay --verify`` to tell whether a recording that
diverged still reaches its recorded result (trainer/replay/verdict.py).

A session the trainee ended has no input that says so: when the inputs run out before the
session ends, it is stopped with the recorded end reason; a session cut off by a crash is
stopped at the cut, and its report says so.
"""

from __future__ import annotations

from typing import Any

from trainer.record.seek import IndexedRecording
from trainer.replay.source import recorded_inputs, replay_source
from trainer.scoring.report import build_report
from trainer.session import Session


def fly_again(recording: IndexedRecording) -> dict[str, Any]:
    """The report of ``recording`` flown again (module docstring)."""
    source = replay_source(recording)
    inputs = recorded_inputs(recording)  # streamed
    ends = [e for e in recording.events() if e.get("kind") == "end"]
    session = Session(source.scenario, source.seed, pilot=source.pilot)
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
        return build_report(session.facts(recording.path.name))
    finally:
        session.close()
