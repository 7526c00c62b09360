"""The approach procedure around a capture (docs/REFERENCE.md §3; docs/DESIGN.md §11): the
capture task, with Dragon's approach between holds, the free-drift command in M2's hands
and cue drills with a response window (trainer/tasks/procedure.py flies them).

| what       | beyond the capture task                                                   |
|------------|---------------------------------------------------------------------------|
| timeline   | ``crew_free_drift`` (M2 sends FREE DRIFT, within a deadline), ``approach`` (go/no-go: Dragon flies to a hold point), ``retreat_cue`` (answer with RETREAT or ABORT in the window) |
| end        | a cue not answered in its window (timeout), free drift not commanded by its deadline (timeout) |
"""

from __future__ import annotations

from typing import ClassVar

from trainer.tasks.capture import CaptureTask
from trainer.telemetry import Telemetry


class ApproachTask(CaptureTask):
    """See the module docstring."""

    name: ClassVar[str] = "approach"
    EVENT_KINDS: ClassVar[frozenset[str]] = CaptureTask.EVENT_KINDS | {
        "crew_free_drift",
        "approach",
        "retreat_cue",
    }

    def free_flight_end(self, telemetry: Telemetry) -> tuple[str, str] | None:
        procedure = self.procedure
        cue = procedure.cue_missed
        if cue is not None:
            return "timeout", (
                f"no RETREAT or ABORT within the {cue.window_s:.0f} s response window after the "
                f"cue ({cue.cue.replace('_', ' ')}) at t = {cue.time_s:.1f} s"
            )
        deadline = procedure.free_drift_deadline_s
        if (
            deadline is not None
            and procedure.free_drift_requested_s is None
            and procedure.free_drift_confirmed_s is None
            and telemetry.time_s >= deadline
        ):
            return "timeout", (
                f"free drift was not commanded by t = {deadline:.0f} s (M2 sends it when the "
                "LEE is about 2 m from the fixture)"
            )
        return None
