"""The whole job in one session: the capture (trainer/tasks/capture.py), then, once the
snares have rigidized, the berthing (trainer/tasks/berthing.py) from where the capture
left Dragon (docs/DESIGN.md §11: the task ``capture-and-berth``).

| what      | how                                                                      |
|-----------|--------------------------------------------------------------------------|
| episode   | the capture's (Dragon keeps station, GO, free drift); at rigidize the berthing begins |
| timeline  | the capture's events and the berthing's faults (which act once berthing starts) |
| buttons   | the capture's until rigidize, the berthing's after                       |
| end       | the capture's failures (missed, timeout, aborted, retreated) end it; once captured, the berthing's outcomes (berthed, aborted, timeout) |
| report    | the capture's trigger and ``procedure``, the ``berthing`` block; the score is half each (trainer/scoring/berthing.py) |
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from trainer.input.state import Button, TickInput
from trainer.scoring.accumulate import ScoreAccumulator
from trainer.scoring.report import SessionFacts
from trainer.sim.capture import CaptureEvent
from trainer.sim.cbm_state import BerthingStatus
from trainer.sim.metrics import CaptureMetrics
from trainer.tasks.base import Task, TaskHost
from trainer.tasks.berthing import BerthingTask
from trainer.tasks.capture import CaptureTask
from trainer.telemetry import Telemetry


class CaptureAndBerthTask(Task):
    """See the module docstring."""

    name: ClassVar[str] = "capture-and-berth"
    EVENT_KINDS: ClassVar[frozenset[str]] = CaptureTask.EVENT_KINDS | BerthingTask.EVENT_KINDS

    def __init__(self, host: TaskHost) -> None:
        super().__init__(host)
        self.capture = CaptureTask(host)
        self.berthing = BerthingTask(host)
        self.captured = False

    @property
    def current(self) -> Task:
        return self.berthing if self.captured else self.capture

    def start(self) -> None:
        self.capture.start()

    def on_timeline(self, kind: str, params: Mapping[str, Any]) -> None:
        if kind in BerthingTask.EVENT_KINDS:
            self.berthing.on_timeline(kind, params)
        else:
            self.capture.on_timeline(kind, params)

    # Every hook goes to the task of the moment.
    def on_buttons(self, pressed: frozenset[Button]) -> None:
        self.current.on_buttons(pressed)

    def uplink(self, tick_input: TickInput) -> TickInput:
        return self.current.uplink(tick_input)

    def downlink(self, telemetry: Telemetry) -> Telemetry:
        return self.current.downlink(telemetry)

    def judge_trigger(self, metrics: CaptureMetrics) -> str:
        return self.capture.judge_trigger(metrics)

    def on_capture_event(self, event: CaptureEvent) -> None:
        self.current.on_capture_event(event)

    def on_contact(self, bodies: str, speed_m_s: float) -> None:
        self.current.on_contact(bodies, speed_m_s)

    def on_contact_force(self, bodies: str, force_n: float) -> None:
        self.current.on_contact_force(bodies, force_n)

    def berthing_status(self) -> BerthingStatus | None:
        return self.berthing.berthing_status()

    def after_step(self, telemetry: Telemetry) -> None:
        self.current.after_step(telemetry)

    def on_tick(self, telemetry: Telemetry) -> None:
        self.current.on_tick(telemetry)

    def check_end(self, telemetry: Telemetry) -> tuple[str, str] | None:
        if self.captured:
            return self.berthing.check_end(telemetry)
        end = self.capture.check_end(telemetry)
        if end is not None and end[0] == "captured":
            # The capture is done, not the session: the berthing begins from here.
            self.capture.finish(*end)
            self.captured = True
            self.host.event("berthing_handover", capture_reason=end[1])
            self.berthing.begin()
            return None
        return end

    @property
    def outcome(self) -> str | None:
        return self.berthing.outcome if self.captured else self.capture.outcome

    @property
    def outcome_reason(self) -> str | None:
        return self.berthing.outcome_reason if self.captured else self.capture.outcome_reason

    def finish(self, outcome: str, reason: str) -> bool:
        return self.current.finish(outcome, reason)

    @property
    def free_drift_start_s(self) -> float | None:
        return self.capture.free_drift_start_s

    @property
    def drift_origin_m(self) -> tuple[float, ...] | None:
        return self.capture.drift_origin_m

    def facts(
        self,
        *,
        seed: int,
        pilot: str,
        end_time_s: float,
        recording: str | None,
        events: Sequence[dict[str, Any]],
    ) -> SessionFacts:
        kwargs: dict[str, Any] = {
            "seed": seed,
            "pilot": pilot,
            "end_time_s": end_time_s,
            "recording": recording,
            "events": events,
        }
        capture = self.capture.facts(**kwargs)
        if not self.captured:
            return capture  # the capture failed: a capture's report, no berthing reached
        berthing = self.berthing.facts(**kwargs)
        # The berthing decides the outcome; the capture's trigger, misses, timing and
        # procedure stay (the scoring grades both halves: trainer/scoring/berthing.py).
        return dataclasses.replace(
            capture,
            accumulator=_merged(capture.accumulator, berthing.accumulator),
            outcome=berthing.outcome,
            outcome_reason=berthing.outcome_reason,
            aborted_at_s=berthing.aborted_at_s,
            abort_correct=berthing.abort_correct,
            berthing={**self.berthing.log.to_dict(), "capture_outcome": capture.outcome},
        )


def _merged(first: ScoreAccumulator, second: ScoreAccumulator) -> ScoreAccumulator:
    """The session's running metrics over both halves (the report's ``contacts`` and
    ``metrics``): counts and durations added, peaks the larger, contacts in order."""
    return dataclasses.replace(
        first,
        reversals=first.reversals + second.reversals,
        peak_joint_torque_nm=max(first.peak_joint_torque_nm, second.peak_joint_torque_nm),
        peak_tip_speed_near_vehicle_m_s=max(
            first.peak_tip_speed_near_vehicle_m_s, second.peak_tip_speed_near_vehicle_m_s
        ),
        near_vehicle_exceedance_s=first.near_vehicle_exceedance_s
        + second.near_vehicle_exceedance_s,
        min_manipulability=min(first.min_manipulability, second.min_manipulability),
        post_capture_peak_joint_torque_nm=max(
            first.post_capture_peak_joint_torque_nm, second.post_capture_peak_joint_torque_nm
        ),
        post_capture_peak_force_n=max(
            first.post_capture_peak_force_n, second.post_capture_peak_force_n
        ),
        post_capture_peak_torque_nm=max(
            first.post_capture_peak_torque_nm, second.post_capture_peak_torque_nm
        ),
        contacts=[*first.contacts, *second.contacts],
    )
