"""The one loop that flies a recording again (docs/DESIGN.md §5, §7): a session fed a
stream of hand-controller states, one a control tick, until it ends or the stream does.
``grade`` flies every session through it (a scripted pilot's stream never ends; a
recording's does, ``grade --pilot RECORDING``), ``replay --verify`` compares what it
writes (trainer/refly/verify.py), and `fly_again` grades a recording again with its own
scenario, seed and inputs: for ``report`` when the recording holds no stored report, and
for ``replay --verify``'s verdict after a divergence (trainer/refly/verdict.py).

A session the trainee ended has no input that says so: when the inputs run out before the
session ends, `fly_again` stops it with the recorded end reason, as the trainee stopped
it; a session cut off by a crash is stopped at the cut, and its report says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from trainer.errors import RecordingError
from trainer.record.decode import recording_info
from trainer.record.inputs import Instructed, TickFeed, recorded_inputs
from trainer.record.instructor import ActionError

__all__ = ["TickFeed", "fly", "fly_again", "recorded_end_reason"]
from trainer.record.seek import IndexedRecording
from trainer.scoring.report import build_report
from trainer.session import Session


def fly(session: Session, inputs: Iterable[TickFeed]) -> bool:
    """Tick ``session`` once with each state of ``inputs`` until it ends, an instructor's
    actions applied before the tick they were recorded before (docs/DESIGN.md §12); True
    when the inputs ran out first (the session still runs: the caller stops it, saying
    why)."""
    states = iter(inputs)
    while not session.finished:  # no input is read (nor checked) after the end
        item = next(states, None)
        if isinstance(item, Instructed):
            for action in item.actions:
                try:
                    session.instruct(action)
                except ActionError as exc:  # a fault of another task (a berthing's)
                    raise RecordingError(
                        f"an /instructor action before tick {session.tick_count} cannot act "
                        f"on this session: {exc}"
                    ) from None
            if session.finished:
                return False
            item = item.state
        if item is None:
            return True
        session.tick(item)
    return False


def recorded_end_reason(recording: IndexedRecording) -> str | None:
    """Why a whole recording's session was stopped when it outlives its inputs (the reason
    of its last ``end`` event); None for a recording cut off by a crash, or with no end."""
    if not recording.complete:
        return None
    ends = [e for e in recording.events() if e["kind"] == "end"]
    if not ends:
        return None
    reason = ends[-1].get("reason")
    return str(reason) if reason is not None else "stopped by the user"


def fly_again(recording: IndexedRecording) -> dict[str, Any]:
    """The graded report (docs/DESIGN.md §6) of ``recording`` flown again (module
    docstring); its /input stream is checked as it is flown (trainer/record/inputs.py)."""
    info = recording_info(recording.path, recording.metadata)
    session = Session(info.scenario, info.seed, pilot=info.pilot)
    try:
        if fly(session, recorded_inputs(recording)):
            session.stop(
                recorded_end_reason(recording)
                or f"the recording ends at t = {recording.end_time_s:.1f} s "
                "(cut off before the session ended)"
            )
        return build_report(session.facts(recording.path.name))
    finally:
        session.close()
