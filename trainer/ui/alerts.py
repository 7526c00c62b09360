"""Caution and warning: what the workstation's C&W panel lights, and the master alarm.

Items are computed from the snapshot (and the contact events of the session's event
stream) each frame. A *warning* (red) is a hazard to the station or vehicle now; a
*caution* (amber) needs attention. A new item lights MASTER ALARM (warnings, with a tone)
or MASTER CAUTION (cautions) until the trainee acknowledges with a key; the items
themselves stay lit while their condition holds.

| item              | level   | condition                                                   |
|-------------------|---------|-------------------------------------------------------------|
| JOINT NEAR LIMIT  | caution | a joint within ``JOINT_MARGIN_DEG`` of its ±270° stop, or the controller's joint-limit advisory |
| NEAR SINGULARITY  | caution | the controller's singularity advisory                       |
| TIP FAST NEAR VEH | warning | tip above 0.1 m/s within 1.5 m of the fixture (the scoring rule) |
| CONTACT           | warning | a contact event in the last ``CONTACT_HOLD_S``              |
| NO FREE DRIFT     | warning | LEE within 1.5 m of the fixture before free drift is confirmed (not while it holds the vehicle: a berthing) |
| HC LOST           | warning | the active hand controller is unplugged or silent           |
| ARM SAFED         | caution | the controller has safed the arm                            |
| VIDEO LOST        | caution | a camera's video is lost (a scenario fault)                 |
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from trainer.scoring.accumulate import NEAR_VEHICLE_RANGE_M, NEAR_VEHICLE_TIP_SPEED_M_S
from trainer.sim.joints import JOINT_LIMIT_RAD, JOINT_NAMES
from trainer.telemetry import Telemetry

# E: 15° of the 270° travel is about four seconds at the 4°/s joint-rate limit.
JOINT_MARGIN_DEG = 15.0
# The approach gate before free drift (the brief: 1.5 m, the near-vehicle zone of scoring).
APPROACH_GATE_M = NEAR_VEHICLE_RANGE_M
CONTACT_HOLD_S = 3.0


class Level(StrEnum):
    CAUTION = "caution"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Alert:
    key: str
    level: Level
    text: str


def alerts(t: Telemetry, last_contact_s: float | None = None) -> list[Alert]:
    """The C&W items lit by snapshot ``t`` (warnings first)."""
    out: list[Alert] = []
    if not t.hand_controller.connected:
        out.append(Alert("hc_lost", Level.WARNING, "HAND CONTROLLER LOST: ARM STOPPING"))
    if last_contact_s is not None and t.time_s - last_contact_s <= CONTACT_HOLD_S:
        out.append(Alert("contact", Level.WARNING, "CONTACT"))
    if (
        t.range_m <= NEAR_VEHICLE_RANGE_M
        and t.capture_state == "open"
        and t.lee_speed_m_s > NEAR_VEHICLE_TIP_SPEED_M_S
    ):
        out.append(Alert("tip_fast", Level.WARNING, "TIP TOO FAST NEAR VEHICLE"))
    if (
        t.free_drift_elapsed_s is None
        and t.range_m < APPROACH_GATE_M
        and not t.capture_state.holding
    ):
        out.append(Alert("no_free_drift", Level.WARNING, "INSIDE 1.5 m BEFORE FREE DRIFT"))
    kinds = {w.kind.value for w in t.control.warnings} if t.control is not None else set()
    margin = JOINT_LIMIT_RAD - math.radians(JOINT_MARGIN_DEG)
    near = [
        name for name, q in zip(JOINT_NAMES, t.joint_angles_rad, strict=False) if abs(q) >= margin
    ]
    if near or kinds & {"joint_limit", "joint_stopped"}:
        joints = ", ".join(n.replace("_", " ").upper() for n in near) if near else ""
        out.append(Alert("joint_limit", Level.CAUTION, f"JOINT NEAR LIMIT {joints}".rstrip()))
    if "singularity" in kinds:
        out.append(Alert("singularity", Level.CAUTION, "NEAR SINGULARITY"))
    if t.control is not None and t.control.safed:
        out.append(Alert("safed", Level.CAUTION, "ARM SAFED"))
    for camera in t.cameras_lost:
        out.append(Alert(f"video_{camera}", Level.CAUTION, f"{camera.upper()} VIDEO LOST"))
    return out


class MasterAlarm:
    """Latches on every newly lit item until acknowledged (see the module docstring)."""

    def __init__(self) -> None:
        self._lit: set[str] = set()
        self.alarm = False  # MASTER ALARM (a warning is new)
        self.caution = False  # MASTER CAUTION (a caution is new)

    def update(self, items: list[Alert]) -> bool:
        """Feed this frame's items; True when the alarm has just been set (start a tone)."""
        keys = {a.key for a in items}
        new = [a for a in items if a.key not in self._lit]
        self._lit = keys
        rang = False
        for item in new:
            if item.level is Level.WARNING:
                rang = rang or not self.alarm
                self.alarm = True
            else:
                self.caution = True
        return rang

    def acknowledge(self) -> None:
        self.alarm = False
        self.caution = False
