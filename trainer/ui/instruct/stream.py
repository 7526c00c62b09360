"""What a console knows of the live session, built from the stream alone (docs/DESIGN.md
§12): nothing is simulated here, as nothing is in the replay viewer.

The attempt's setup comes once from the server's info service (the recording's metadata:
the resolved scenario, seed, aids, trainee; trainer/record/decode.py checks it as it checks
a recording's) with the events and actions so far. Then each message is folded in:

| channel       | gives                                                            |
|---------------|------------------------------------------------------------------|
| /state        | the snapshot shown (trainer/record/snapshot.py) and M2's calls,  |
|               | made from it as ``fly`` makes them (trainer/ui/calls.py)          |
| /input        | the stick deflections shown                                      |
| /events       | the call log, paused and lost cameras, contacts                  |
| /instructor   | the instructor's actions, in the call log                        |
| /tf           | the shaft tip's offset on the fixture (once)                      |

Malformed JSON from the stream is skipped and counted, never fatal: the console is a
viewer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from trainer.input.state import HandControllerState
from trainer.record.decode import InputError, aid_level, input_state, recording_info
from trainer.record.instructor import describe as action_text
from trainer.record.snapshot import (
    DEFAULT_SHAFT_TIP_FRGF_M,
    shaft_tip_offset_from_tf,
    snapshot_from_state,
)
from trainer.scenario.model import Scenario
from trainer.telemetry import Telemetry, Vec3
from trainer.ui.aids import AidLevel
from trainer.ui.alerts import Alert, Level, MasterAlarm, alerts
from trainer.ui.calls import M2Caller
from trainer.ui.replay.model import event_text

LOG_LINES = 200


@dataclass
class LiveStream:
    """One attempt as streamed; ``absorb(topic, data)`` folds a message in."""

    scenario: Scenario
    metadata: dict[str, Any]
    recording: str | None
    aids: AidLevel
    snapshot: Telemetry | None = None
    hand_controller: HandControllerState | None = None
    shaft_tip_frgf_m: Vec3 = DEFAULT_SHAFT_TIP_FRGF_M
    log: list[tuple[float, str, str]] = field(default_factory=list)  # time, text, category
    actions: list[dict[str, Any]] = field(default_factory=list)
    paused: bool = False
    frozen: bool = False  # by an instructor's freeze (its /instructor action)
    cameras_lost: set[str] = field(default_factory=set)
    last_contact_s: float | None = None
    ended: str | None = None
    skipped: int = 0
    states: int = 0
    _state: dict[str, Any] | None = None
    _caller: M2Caller | None = None
    _tf_seen: bool = False

    @classmethod
    def from_info(cls, info: dict[str, Any]) -> LiveStream:
        """The attempt from the info service's answer (RecordingError when its metadata
        is not a recording's: the same check as a recording's)."""
        metadata = info.get("metadata") if isinstance(info, dict) else None
        metadata = metadata if isinstance(metadata, dict) else {}
        where = Path("live session")
        scenario = recording_info(where, metadata).scenario
        try:
            aids = AidLevel(aid_level(metadata))
        except ValueError:
            aids = AidLevel.GUIDED
        recording = info.get("recording")
        stream = cls(scenario, metadata, recording if isinstance(recording, str) else None, aids)
        stream._caller = M2Caller(scenario.envelope)
        for item in info.get("history", []):
            if isinstance(item, dict):
                stream.absorb_json(str(item.pop("topic", "")), item)
        return stream

    # ------------------------------------------------------------------ folding in
    def absorb(self, topic: str, data: bytes) -> None:
        try:
            message = orjson.loads(data)
        except orjson.JSONDecodeError:
            self.skipped += 1
            return
        if not isinstance(message, dict):
            self.skipped += 1
            return
        self.absorb_json(topic, message)

    def absorb_json(self, topic: str, message: dict[str, Any]) -> None:
        try:
            if topic == "/state":
                self._state_message(message)
            elif topic == "/input":
                self.hand_controller = input_state(message)
            elif topic == "/events":
                self._event(message)
            elif topic == "/instructor":
                self._action(message)
            elif topic == "/tf" and not self._tf_seen:
                self.shaft_tip_frgf_m = shaft_tip_offset_from_tf(message)
                self._tf_seen = True
        except (InputError, KeyError, TypeError, ValueError):
            self.skipped += 1

    def _time(self, message: dict[str, Any]) -> float:
        t = message.get("time_s")
        return float(t) if isinstance(t, int | float) else 0.0

    def _state_message(self, message: dict[str, Any]) -> None:
        self._state = message
        self.states += 1
        self.snapshot = self.rebuild()
        if self._caller is not None and self.aids.m2_calls and self.snapshot is not None:
            for call in self._caller.update(self.snapshot):
                self._log(call.time_s, call.text, "m2")

    def rebuild(self) -> Telemetry | None:
        """The snapshot of the last /state with the latest sticks and lost cameras."""
        if self._state is None:
            return None
        return snapshot_from_state(
            self._state,
            self._time(self._state),
            hand_controller=self.hand_controller,
            shaft_tip_frgf_m=self.shaft_tip_frgf_m,
            paused=self.paused,
            cameras_lost=tuple(sorted(self.cameras_lost)),
        )

    def _event(self, event: dict[str, Any]) -> None:
        kind = str(event.get("kind", "?"))
        t = self._time(event)
        if kind == "pause":
            self.paused = True
        elif kind == "resume":
            self.paused = False
        elif kind == "contact":
            self.last_contact_s = t
        elif kind == "end":
            self.ended = str(event.get("reason") or event.get("outcome") or "ended")
        if event.get("fault") == "camera_loss":
            camera = str(event.get("camera", ""))
            if kind == "fault":
                self.cameras_lost.add(camera)
            elif kind == "fault_cleared":
                self.cameras_lost.discard(camera)
        if kind == "realtime_slowed":
            return
        text, category = event_text(event)
        self._log(t, text, category)

    def _action(self, action: dict[str, Any]) -> None:
        self.actions.append(action)
        if action.get("action") in ("freeze", "resume"):
            self.frozen = action.get("action") == "freeze"
        t = self._time(action)
        self._log(t, action_text(action), "instructor")

    def _log(self, t: float, text: str, category: str) -> None:
        self.log.append((t, text, category))
        del self.log[:-LOG_LINES]

    def alerts_now(self) -> tuple[list[Alert], MasterAlarm]:
        """The C&W items lit by the snapshot shown, and the master alarm light."""
        alarm = MasterAlarm()
        if self.snapshot is None:
            return [], alarm
        items = alerts(self.snapshot, self.last_contact_s)
        alarm.alarm = any(a.level is Level.WARNING for a in items)
        alarm.caution = not alarm.alarm and bool(items)
        return items, alarm
