"""One attempt in the window: its session, where its outputs go, what the call log shows
of its events, and how it is finalized (recording, reports, history).

Finalizing reuses ``grade``'s report writing (trainer/session/reports.py
``write_session_reports``), so a flown attempt and a graded one leave the same files, and
adds the attempt to the trainee's history (``trainer.history``); a history that cannot be written costs a warning,
never the attempt (its report is already on disk).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.history.store import HistoryError, record_attempt
from trainer.history.store import data_dir as history_data_dir
from trainer.pilots import Pilot
from trainer.safeio import FolderLock
from trainer.session import Session, SessionEvent
from trainer.session.reports import write_session_reports
from trainer.telemetry import Telemetry
from trainer.ui.aids import AidLevel
from trainer.ui.calls import M2Caller
from trainer.ui.feeds import CameraFeed, RenderedFeed, SchematicFeed
from trainer.ui.theme import AMBER, CYAN, READOUT, RED, TEXT, Colour

LOG_LINES = 200
FeedFactory = Callable[[Session, Callable[[], Telemetry | None]], tuple[CameraFeed, str]]


@dataclass
class Attempt:
    """One session in the window and what the window keeps about it."""

    session: Session
    out_dir: Path
    aids: AidLevel
    trainee: str
    pilot: Pilot | None  # the autopilot of a demonstration; None when a person flies
    caller: M2Caller
    scenario_ref: str = ""  # as given (an id or a YAML path): what "fly again" loads
    log: list[tuple[float, str, Colour]] = field(default_factory=list)
    last_contact_s: float | None = None
    report: dict[str, Any] | None = None
    slowed_reported_s: float = 0.0
    last_slow_event_s: float = -1e9
    history_error: str | None = None
    lock: FolderLock | None = None  # the output folder, held until the attempt is written

    def log_line(self, text: str, colour: Colour, time_s: float | None = None) -> None:
        t = self.session.time_s if time_s is None else time_s
        self.log.append((t, text, colour))
        del self.log[:-LOG_LINES]

    def on_event(self, ev: SessionEvent) -> None:
        """A session listener: the calls, faults and milestones into the call log."""
        if ev.kind == "contact":
            self.last_contact_s = ev.time_s
        line = event_line(ev)
        if line is not None:
            self.log_line(line[0], line[1], ev.time_s)

    def finalize(self) -> None:
        """Close the recording with the outcome, write report.json and report.md, and add
        the attempt to the trainee's history. The session must have ended."""
        session = self.session
        self.report = write_session_reports(
            session, self.out_dir, aids=self.aids.value, trainee=self.trainee or None
        )
        try:
            record_attempt(
                self.report,
                trainee=self.trainee or None,
                aids=self.aids.value,
                recording=session.recording_path,
            )
        except HistoryError as exc:
            self.history_error = str(exc)
            print(f"canadarm-trainer fly: warning: history not updated: {exc}", file=sys.stderr)


def event_line(ev: SessionEvent) -> tuple[str, Colour] | None:
    """What the call log shows of a session event (None: nothing)."""
    if ev.kind == "call":
        text = str(ev.detail.get("text", ""))
        return text, CYAN if text.startswith("M2: ") else TEXT  # an instructor's M2 call
    if ev.kind in ("fault", "fault_cleared"):
        what = ", ".join(f"{k} {v}" for k, v in ev.detail.items())
        return f"{'FAULT' if ev.kind == 'fault' else 'cleared'}: {what}", AMBER
    if ev.kind == "contact":
        return f"CONTACT {ev.detail.get('bodies', '')}", RED
    if ev.kind == "arm_safed":
        cause = ev.detail.get("cause") or "safing"
        return f"ARM SAFED ({cause}): stopped in {ev.detail.get('stop_s', 0.0):.1f} s", AMBER
    if ev.kind in ("trigger", "miss", "snare_closed", "rigidized", "end", "abort"):
        detail = ev.detail.get("reason") or ev.detail.get("tier") or ""
        return f"{ev.kind.replace('_', ' ').upper()} {detail}".strip(), READOUT
    if ev.kind in ("device_unplugged", "device_plugged", "pause", "resume"):
        return ev.kind.replace("_", " ").upper(), AMBER
    return None


def attempt_folder(out: Path | None, root: Path, n: int, scenario_id: str) -> Path:
    """The ``n``-th attempt's output folder: ``--out`` for the first and ``OUT-n`` for the
    next ones; without ``--out`` a new dated folder under ``root``."""
    if out is not None:
        return out if n == 1 else out.with_name(f"{out.name}-{n}")
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    path = root / f"{stamp}-{scenario_id}"
    k = 2
    while path.exists():
        path = root / f"{stamp}-{scenario_id}-{k}"
        k += 1
    return path


def default_data_dir() -> Path:
    """Where an attempt's folder goes without ``--out``: beside the trainee history, in
    the user's data folder (``$CANADARM_TRAINER_DATA_DIR`` first, trainer/history)."""
    return history_data_dir() / "sessions"


def schematic_feed(
    session: Session, telemetry: Callable[[], Telemetry | None]
) -> tuple[CameraFeed, str]:
    feed = SchematicFeed(telemetry)
    return feed, feed.label


def rendered_feed(
    session: Session, telemetry: Callable[[], Telemetry | None]
) -> tuple[CameraFeed, str]:
    """The renderer's camera images; the schematic views if no renderer can start at all
    (neither OpenGL nor pybullet's CPU renderer), said on screen."""
    try:
        feed = RenderedFeed(session.scenario, telemetry)
    except Exception as exc:  # the window still flies: the monitors become schematic
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        schematic = SchematicFeed(telemetry)
        return schematic, f"{schematic.label} ({first[:60]})"
    return feed, feed.label
