"""The offset-grapple drill (docs/REFERENCE.md §3, S: ESA logbook): the arm set up about 5 m from
a fixed fixture, started deliberately misaligned, the snares disabled on the hand
controllers; the trainee flies the LEE into alignment in front of the fixture and holds it.
Graded on alignment only (docs/DESIGN.md §11: the task ``offset-grapple-drill``).

| what       | beyond the capture task                                                   |
|------------|---------------------------------------------------------------------------|
| timeline   | ``offset_grapple``: the drill starts (its hold time, the call)            |
| buttons    | CAPTURE does nothing: the snares are disabled (logged as such)            |
| end        | alignment held (aligned), or none within the hard limit (timeout)         |
| report     | the ``drill`` block: hold time, when alignment was held and the alignment then |

The drill is passed ("aligned") once the LEE has held, for ``hold_s`` seconds without a
break, every alignment quantity inside the scenario envelope's full-credit tier (lateral
offset, pitch/yaw, roll, relative speed and rate) with the shaft tip in front of the mouth
and no further than ``STANDOFF_MAX_M`` from it: ``OffsetGrappleDrill``, pure bookkeeping
over ``CaptureMetrics``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from trainer.scenario.model import Envelope, Scenario
from trainer.sim.metrics import CaptureMetrics
from trainer.tasks.base import TaskHost
from trainer.tasks.capture import CaptureTask
from trainer.telemetry import Telemetry

# E: three seconds steady is a deliberate hold, not a pass through the tolerances.
DEFAULT_HOLD_S = 3.0
# E: "at the fixture": the shaft tip within a metre in front of the LEE mouth (the
# autopilot's alignment standoff is 0.45 m); inside the mouth would be a grapple.
STANDOFF_MAX_M = 1.0


@dataclass
class OffsetGrappleDrill:
    envelope: Envelope
    start_s: float
    hold_s: float
    aligned_since_s: float | None = None
    aligned_at_s: float | None = None
    best: dict[str, float] | None = None

    @staticmethod
    def from_scenario(scenario: Scenario) -> OffsetGrappleDrill:
        """The drill of a scenario; its ``offset_grapple`` event starts it (at t = 0 with
        the default hold when the timeline has none)."""
        events = scenario.events("offset_grapple")
        start_s = events[0].time_s if events else 0.0
        hold = events[0].params.get("hold_s", DEFAULT_HOLD_S) if events else DEFAULT_HOLD_S
        return OffsetGrappleDrill(scenario.envelope, start_s, float(hold))

    def aligned(self, m: CaptureMetrics) -> bool:
        e = self.envelope
        return (
            -STANDOFF_MAX_M <= m.axial_depth_m <= 0.0
            and m.lateral_offset_m <= e.lateral_offset_m.full
            and m.pitch_yaw_misalignment_deg <= e.pitch_yaw_misalignment_deg.full
            and m.roll_misalignment_deg <= e.roll_misalignment_deg.full
            and m.relative_speed_m_s <= e.relative_speed_m_s.full
            and m.relative_rate_deg_s <= e.relative_rate_deg_s.full
        )

    def update(self, now_s: float, m: CaptureMetrics) -> None:
        """One tick's metrics."""
        if now_s < self.start_s or self.aligned_at_s is not None:
            return
        if self.best is None or m.lateral_offset_m < self.best["lateral_offset_m"]:
            self.best = {
                "lateral_offset_m": m.lateral_offset_m,
                "pitch_yaw_misalignment_deg": m.pitch_yaw_misalignment_deg,
                "roll_misalignment_deg": m.roll_misalignment_deg,
            }
        if not self.aligned(m):
            self.aligned_since_s = None
            return
        if self.aligned_since_s is None:
            self.aligned_since_s = now_s
        if now_s - self.aligned_since_s >= self.hold_s - 1e-9:
            self.aligned_at_s = now_s
            self.best = {
                "lateral_offset_m": m.lateral_offset_m,
                "pitch_yaw_misalignment_deg": m.pitch_yaw_misalignment_deg,
                "roll_misalignment_deg": m.roll_misalignment_deg,
            }

    def to_dict(self) -> dict[str, Any]:
        return {
            "hold_s": self.hold_s,
            "aligned_at_s": self.aligned_at_s,
            "alignment": self.best,
        }


class OffsetGrappleDrillTask(CaptureTask):
    """See the module docstring."""

    name: ClassVar[str] = "offset-grapple-drill"
    EVENT_KINDS: ClassVar[frozenset[str]] = frozenset({"offset_grapple"})

    def __init__(self, host: TaskHost) -> None:
        super().__init__(host)
        self.drill = OffsetGrappleDrill.from_scenario(host.scenario)

    def on_timeline(self, kind: str, params: Mapping[str, Any]) -> None:
        if kind != "offset_grapple":
            super().on_timeline(kind, params)
            return
        self.host.event("offset_grapple")
        self.host.say(
            str(params.get("call", "Offset grapple: align the LEE on the fixture and hold."))
        )

    def trigger(self) -> None:
        self.host.event("vehicle_command", command="capture", effect="none: snares disabled")

    def after_step(self, telemetry: Telemetry) -> None:
        super().after_step(telemetry)
        self.drill.update(telemetry.time_s, telemetry.metrics)

    def free_flight_end(self, telemetry: Telemetry) -> tuple[str, str] | None:
        drill = self.drill
        if drill.aligned_at_s is not None:
            return "aligned", f"the LEE held alignment for {drill.hold_s:.0f} s"
        limit = self.host.scenario.time_limits.hard_limit_s
        if limit is not None and telemetry.time_s >= limit:
            return "timeout", f"no alignment held within the hard limit of {limit:.0f} s"
        return None

    def report_blocks(self) -> dict[str, Any]:
        return {**super().report_blocks(), "drill": self.drill.to_dict()}
