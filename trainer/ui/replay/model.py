"""What the replay viewer knows about a recording, gathered once when it opens.

Two passes with the seeking reader (trainer/record/seek.py; /input, 60 Hz, is read only
at the instant shown): ``open_model`` reads /events (a few chunks: the window opens at
once), ``scan_states`` reads every /state (10 Hz; seconds for a 30-minute session, so the
window runs it in the background and ``absorb``s the result). Together they give:

- the event markers of the timeline (free drift, calls, trigger, contacts, snare and
  rigidize phases, faults, abort, caution and warning alarms, pauses, the end) and the
  instructor's actions of a live session (/instructor, docs/DESIGN.md §12);
- the call log as the window wrote it: Houston's calls and the session's events from
  /events, and M2's calls re-derived from each /state snapshot exactly as ``fly`` makes
  them (M2 reads the displays at 10 Hz, trainer/ui/calls.py; none with aids ``none``);
- the pause and camera-loss intervals, and the contact times (the C&W panel's CONTACT);
- the plot strip's series: range, range rate and lateral offset at every /state.

Then ``snapshot_at(t)`` rebuilds the snapshot shown at any instant from two seeks
(trainer/record/snapshot.py); nothing is re-simulated. Events, the hand controllers and
the aid level are read by the one decoder of a recording (trainer/record/decode.py). No
pygame here.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from trainer.clock import CONTROL_TICK_S
from trainer.input.state import HandControllerState
from trainer.record.decode import NS_PER_S, aid_level
from trainer.record.instructor import describe as action_text
from trainer.record.schemas import INSTRUCTOR_TOPIC, STATE_TOPIC
from trainer.record.seek import IndexedRecording
from trainer.record.snapshot import shaft_tip_offset_from_tf, snapshot_from_state
from trainer.scenario.model import Scenario
from trainer.telemetry import Telemetry, Vec3
from trainer.ui.aids import AidLevel
from trainer.ui.alerts import Alert, Level, MasterAlarm, alerts
from trainer.ui.calls import M2Caller

FloatArray = npt.NDArray[np.float64]

# Marker categories, in the order the timeline's legend lists them.
CATEGORIES: tuple[str, ...] = (
    "drift",
    "call",
    "trigger",
    "capture",
    "contact",
    "fault",
    "abort",
    "alarm",
    "pause",
    "end",
    "other",
    "note",
    "instructor",
)
_EVENT_CATEGORY = {
    "free_drift_start": "drift",
    "go_for_capture": "drift",
    "call": "call",
    "trigger": "trigger",
    "miss": "trigger",
    "snares_open": "capture",
    "snare_closed": "capture",
    "rigidize_start": "capture",
    "rigid": "capture",
    "release": "capture",
    "contact": "contact",
    "fault": "fault",
    "fault_cleared": "fault",
    "device_unplugged": "fault",
    "device_plugged": "fault",
    "abort": "abort",
    "vehicle_command": "abort",
    "pause": "pause",
    "resume": "pause",
    "end": "end",
    # the approach procedure and the drills (trainer/tasks/procedure.py, trainer/tasks/drill.py)
    "crew_free_drift": "drift",
    "go_no_go": "drift",
    "vehicle_arrived": "drift",
    "cue": "call",
    "cue_answered": "abort",
    "vehicle_response": "abort",
    "cue_missed": "fault",
    "procedure_violation": "fault",
    "arm_safed": "fault",
    "offset_grapple": "capture",
    # a berthing (trainer/tasks/berthing.py): its steps, the RTLs, the bolts, an abort
    "berthing_phase": "drift",
    "berthing_handover": "drift",
    "rtl_made": "trigger",
    "rtl": "trigger",
    "bolt_driven": "capture",
    "berthing_abort": "abort",
}
NOT_MARKED = frozenset({"realtime_slowed"})  # the window's pacing, not the trainee's session
_UNPLUGGED = HandControllerState(connected=False)  # the status display's HC LOST while unplugged


@dataclass(frozen=True, slots=True)
class Marker:
    time_s: float
    category: str
    label: str


@dataclass(frozen=True, slots=True)
class LogLine:
    time_s: float
    text: str
    category: str  # "m2", "call", "fault", "contact", "capture", "device"


@dataclass
class PlotSeries:
    t_s: FloatArray
    range_m: FloatArray
    range_rate_m_s: FloatArray
    lateral_m: FloatArray


@dataclass
class ReplayModel:
    recording: IndexedRecording
    scenario: Scenario
    aids: AidLevel
    shaft_tip_frgf_m: Vec3
    start_s: float
    end_s: float
    markers: list[Marker]
    log: list[LogLine]
    pauses: list[tuple[float, float]]
    camera_loss: list[tuple[str, float, float]]
    contacts: list[float]
    series: PlotSeries
    events: list[dict[str, Any]] = field(default_factory=list)
    pending: bool = False  # the /state pass (plots, M2's calls, C&W alarms) is still due
    _log_times: list[float] = field(default_factory=list)
    _marker_times: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.markers.sort(key=lambda m: m.time_s)
        self.log.sort(key=lambda line: line.time_s)
        self._log_times = [line.time_s for line in self.log]
        self._marker_times = [m.time_s for m in self.markers]

    # ------------------------------------------------------------------ at an instant
    def paused_at(self, t: float) -> bool:
        return any(a <= t < b for a, b in self.pauses)

    def cameras_lost_at(self, t: float) -> tuple[str, ...]:
        return tuple(sorted({c for c, a, b in self.camera_loss if a <= t < b}))

    def last_contact_before(self, t: float) -> float | None:
        i = bisect.bisect_right(self.contacts, t)
        return self.contacts[i - 1] if i else None

    def snapshot_at(self, t: float) -> Telemetry | None:
        """The snapshot recorded at or last before ``t`` with the stick deflections of the
        /input message at ``t`` (None for a recording without /state)."""
        state = self.recording.state_at(t)
        if state is None:
            return None
        state_t = state.get("time_s")
        shown_t = float(state_t) if isinstance(state_t, int | float) else t
        return snapshot_from_state(
            state,
            max(shown_t, min(t, self.end_s)),
            hand_controller=self.recording.input_at(t),
            shaft_tip_frgf_m=self.shaft_tip_frgf_m,
            paused=self.paused_at(t),
            cameras_lost=self.cameras_lost_at(t),
        )

    def log_at(self, t: float, last: int = 60) -> list[LogLine]:
        """The call log as it read at ``t`` (its last ``last`` lines)."""
        i = bisect.bisect_right(self._log_times, t + 1e-9)
        return self.log[max(0, i - last) : i]

    def alerts_at(self, snapshot: Telemetry) -> tuple[list[Alert], MasterAlarm]:
        """The C&W items lit at the snapshot and the master alarm light. The trainee's
        acknowledgements are not recorded: the light shows whether a warning (alarm) or a
        caution is lit at that instant."""
        items = alerts(snapshot, self.last_contact_before(snapshot.time_s))
        alarm = MasterAlarm()
        alarm.alarm = any(a.level is Level.WARNING for a in items)
        alarm.caution = not alarm.alarm and bool(items)
        return items, alarm

    def next_marker(self, t: float) -> Marker | None:
        i = bisect.bisect_right(self._marker_times, t + 1e-6)
        return self.markers[i] if i < len(self.markers) else None

    def previous_marker(self, t: float) -> Marker | None:
        i = bisect.bisect_left(self._marker_times, t - 1e-6)
        return self.markers[i - 1] if i else None

    def add_note(self, time_s: float, text: str) -> None:
        self.markers.append(Marker(time_s, "note", text))
        self.__post_init__()

    def absorb(self, scan: StateScan) -> None:
        """Add the /state pass's results (see ``scan_states``)."""
        self.series = scan.series
        self.log.extend(scan.log)
        self.markers.extend(scan.markers)
        self.pending = False
        self.__post_init__()

    def clamp(self, t: float) -> float:
        return min(max(t, self.start_s), self.end_s)

    def snap_to_tick(self, t: float) -> float:
        return self.clamp(round(t / CONTROL_TICK_S) * CONTROL_TICK_S)


def _event_text(event: dict[str, Any]) -> tuple[str, str]:
    """(log text, log category) of an event, as the window's call log writes it."""
    kind = str(event.get("kind", "?"))
    if kind == "call":
        return str(event.get("text", "")), "call"
    if kind in ("fault", "fault_cleared"):
        what = ", ".join(f"{k} {v}" for k, v in event.items() if k not in ("kind", "time_s"))
        return f"{'FAULT' if kind == 'fault' else 'cleared'}: {what}", "fault"
    if kind == "contact":
        return f"CONTACT {event.get('bodies', '')}", "contact"
    if kind in ("device_unplugged", "device_plugged", "pause", "resume"):
        return kind.replace("_", " ").upper(), "device"
    detail = next(
        (
            str(event[k])
            for k in (
                *("reason", "tier", "outcome", "decision", "cue", "answer", "command", "cause"),
                *("phase", "switch", "bolt"),  # a berthing's (trainer/tasks/berthing.py)
            )
            if event.get(k)
        ),
        "",
    )
    return f"{kind.replace('_', ' ').upper()} {detail}".strip(), "capture"


event_text = _event_text  # the live console's call log reads events the same way


def _intervals(
    events: Sequence[dict[str, Any]], start: str, stop: str, end_s: float
) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    since: float | None = None
    for e in events:
        if e.get("kind") == start and since is None:
            since = float(e["time_s"])
        elif e.get("kind") == stop and since is not None:
            out.append((since, float(e["time_s"])))
            since = None
    if since is not None:
        out.append((since, end_s + 1.0))
    return out


def _camera_loss(events: Sequence[dict[str, Any]], end_s: float) -> list[tuple[str, float, float]]:
    out: list[tuple[str, float, float]] = []
    lost: dict[str, float] = {}
    for e in events:
        if e.get("fault") != "camera_loss":
            continue
        camera = str(e.get("camera", ""))
        if e.get("kind") == "fault":
            lost.setdefault(camera, float(e["time_s"]))
        elif e.get("kind") == "fault_cleared" and camera in lost:
            out.append((camera, lost.pop(camera), float(e["time_s"])))
    out.extend((camera, since, end_s + 1.0) for camera, since in lost.items())
    return out


def instructor_actions(recording: IndexedRecording) -> list[dict[str, Any]]:
    """The /instructor messages of a recording (an instructor acted in a live session);
    the /input check has refused a recording whose actions are not the schema's."""
    return [
        m.payload
        for m in recording.messages([INSTRUCTOR_TOPIC])
        if isinstance(m.payload.get("time_s"), int | float)
    ]


def aid_level_of(metadata: dict[str, Any]) -> AidLevel:
    """The aid level the displays are drawn with: the recorded one (trainer/record/decode.py
    `aid_level`); a recording that names none (a ``grade`` run, which has no window) is
    drawn with every aid, showing every number (the panel says "not recorded")."""
    try:
        return AidLevel(aid_level(metadata))
    except ValueError:  # NOT_RECORDED, or a level of another trainer version
        return AidLevel.GUIDED


@dataclass
class StateScan:
    """What the pass over /state adds: the plot series, M2's calls, the C&W alarms."""

    series: PlotSeries
    log: list[LogLine]
    markers: list[Marker]


def open_model(recording: IndexedRecording, scenario: Scenario) -> ReplayModel:
    """The model from the events alone (fast: a few chunks): markers of the events, the
    log of the events, the intervals; ``pending`` until ``absorb(scan_states(...))``."""
    aids = aid_level_of(recording.metadata)
    start_s, end_s = recording.start_time_s, recording.end_time_s
    events = recording.events()
    markers: list[Marker] = []
    log: list[LogLine] = []
    for e in events:
        kind = str(e.get("kind"))
        category = _EVENT_CATEGORY.get(kind, "other")  # a kind of a newer trainer: still shown
        text, log_category = _event_text(e)
        if kind not in NOT_MARKED:
            markers.append(Marker(float(e["time_s"]), category, text))
            log.append(LogLine(float(e["time_s"]), text, log_category))
    for action in instructor_actions(recording):  # a live session's (docs/DESIGN.md §12)
        markers.append(Marker(float(action["time_s"]), "instructor", action_text(action)))
    empty = np.zeros(0)
    return ReplayModel(
        recording=recording,
        scenario=scenario,
        aids=aids,
        shaft_tip_frgf_m=shaft_tip_offset_from_tf(recording.transforms_at(start_s)),
        start_s=start_s,
        end_s=end_s,
        markers=markers,
        log=log,
        pauses=_intervals(events, "pause", "resume", end_s),
        camera_loss=_camera_loss(events, end_s),
        contacts=sorted(float(e["time_s"]) for e in events if e.get("kind") == "contact"),
        series=PlotSeries(empty, empty, empty, empty),
        events=events,
        pending=True,
    )


def scan_states(
    recording: IndexedRecording,
    model: ReplayModel,
    progress: Callable[[float], None] | None = None,
) -> StateScan:
    """One pass over /state: each message rebuilt into the snapshot ``fly`` showed, fed
    to M2 (10 Hz, as ``fly``) and to the C&W items (a newly lit item is an alarm marker),
    and its range, range rate and lateral offset kept for the plots. ``recording`` may
    be another handle on the model's file (a background thread's own)."""
    connected = _intervals(model.events, "device_unplugged", "device_plugged", model.end_s)
    caller = M2Caller(model.scenario.envelope)
    t_list: list[float] = []
    rng: list[float] = []
    range_rate: list[float] = []
    lateral: list[float] = []
    log: list[LogLine] = []
    markers: list[Marker] = []
    lit: set[str] = set()
    span_ns = max(model.end_s - model.start_s, 1e-9) * NS_PER_S
    for i, message in enumerate(recording.messages([STATE_TOPIC])):
        payload, log_ns = message.payload, message.log_time_ns
        t = log_ns / NS_PER_S
        hc = _UNPLUGGED if any(a <= t < b for a, b in connected) else None
        snap = snapshot_from_state(
            payload,
            t,
            hand_controller=hc,
            shaft_tip_frgf_m=model.shaft_tip_frgf_m,
            paused=model.paused_at(t),
        )
        t_list.append(t)
        rng.append(snap.range_m)
        range_rate.append(snap.range_rate_m_s)
        lateral.append(snap.metrics.lateral_offset_m)
        if model.aids.m2_calls:
            log.extend(LogLine(c.time_s, c.text, "m2") for c in caller.update(snap))
        items = alerts(snap, model.last_contact_before(t))
        for item in items:
            if item.key not in lit:
                level = "WARNING" if item.level is Level.WARNING else "CAUTION"
                markers.append(Marker(t, "alarm", f"{level}: {item.text}"))
        lit = {a.key for a in items}
        if progress is not None and i % 200 == 0:
            progress((log_ns - model.start_s * NS_PER_S) / span_ns)
    series = PlotSeries(*(np.array(v, dtype=float) for v in (t_list, rng, range_rate, lateral)))
    return StateScan(series, log, markers)


def build_model(recording: IndexedRecording, scenario: Scenario) -> ReplayModel:
    """Read everything the viewer needs from ``recording`` at once (see the module
    docstring); the window does the /state pass in the background instead."""
    model = open_model(recording, scenario)
    model.absorb(scan_states(recording, model))
    return model
