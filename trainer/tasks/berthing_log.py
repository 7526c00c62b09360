"""What a berthing did, kept as it happens and handed to the report as plain data (the
report's ``berthing`` block, docs/DESIGN.md §6). Pure bookkeeping; the task that fills it
is trainer/tasks/berthing.py, the scoring that reads it trainer/scoring/berthing.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from trainer.scenario.model import BerthingEnvelope, Tier
from trainer.sim.cbm_metrics import BerthingMetrics

FULL, ALLOWED, OUTSIDE = "full", "allowed", "outside"
# The RTL envelope's quantities: (BerthingMetrics field, label, unit, format).
RTL_QUANTITIES: tuple[tuple[str, str, str, str], ...] = (
    ("lateral_offset_m", "lateral offset", "m", ".3f"),
    ("tilt_deg", "tilt", "°", ".2f"),
    ("roll_deg", "roll", "°", ".2f"),
    ("axial_speed_m_s", "axial speed", "m/s", ".4f"),
    ("rate_deg_s", "angular rate", "°/s", ".3f"),
)


def judged_value(metrics: BerthingMetrics, name: str) -> float:
    """The quantity the envelope judges: magnitudes (roll either way; an axial speed only
    toward the port)."""
    value = float(getattr(metrics, name))
    if name == "roll_deg":
        return abs(value)
    if name == "axial_speed_m_s":
        return max(0.0, value)
    return value


def tier_of(value: float, tier: Tier) -> str:
    if value <= tier.full:
        return FULL
    return ALLOWED if value <= tier.allowed else OUTSIDE


def rtl_tier(metrics: BerthingMetrics, envelope: BerthingEnvelope) -> str:
    """The worst quantity's tier (a value on a limit is inside it)."""
    order = {FULL: 0, ALLOWED: 1, OUTSIDE: 2}
    worst = FULL
    for name, _label, _unit, _fmt in RTL_QUANTITIES:
        t = tier_of(judged_value(metrics, name), getattr(envelope, name))
        if order[t] > order[worst]:
            worst = t
    return worst


@dataclass
class BerthingLog:
    """The facts of one berthing, as plain values (``to_dict`` is the report's block)."""

    flown_from: str
    round_trip_s: float
    phase: str = "to_setup"
    pre_install_setup_s: float | None = None
    pre_install_s: float | None = None
    go_for_final_s: float | None = None
    rtl: dict[str, Any] | None = None
    rtl_rejections: int = 0
    first_stage_s: float | None = None
    first_stage_complete_s: float | None = None
    second_stage_complete_s: float | None = None
    brakes_on_s: float | None = None
    go_for_release_s: float | None = None
    released_s: float | None = None
    guide_contacts: int = 0
    # The berthing's own contacts (any pair) and hand-controller reversals, set when the
    # facts are taken (a capture and berth's top-level metrics hold both halves').
    contacts: int = 0
    reversals: int = 0
    peak_guide_contact_speed_m_s: float = 0.0
    peak_guide_force_n: float = 0.0
    faults: list[str] = field(default_factory=list)
    violations: list[dict[str, Any]] = field(default_factory=list)
    abort: dict[str, Any] | None = None

    def violation(self, time_s: float, rule: str, detail: str) -> bool:
        """Record a procedure violation once per rule; True the first time."""
        if any(v["rule"] == rule for v in self.violations):
            return False
        self.violations.append({"time_s": time_s, "rule": rule, "detail": detail})
        return True

    @property
    def pre_install_to_first_stage_s(self) -> float | None:
        if self.pre_install_s is None or self.first_stage_s is None:
            return None
        return self.first_stage_s - self.pre_install_s

    def to_dict(self) -> dict[str, Any]:
        return {
            "flown_from": self.flown_from,
            "round_trip_s": self.round_trip_s,
            "phase_reached": self.phase,
            "pre_install_setup_s": self.pre_install_setup_s,
            "pre_install_s": self.pre_install_s,
            "go_for_final_approach_s": self.go_for_final_s,
            "rtl": self.rtl,
            "rtl_rejections": self.rtl_rejections,
            "first_stage_s": self.first_stage_s,
            "first_stage_complete_s": self.first_stage_complete_s,
            "pre_install_to_first_stage_s": self.pre_install_to_first_stage_s,
            "second_stage_complete_s": self.second_stage_complete_s,
            "brakes_on_s": self.brakes_on_s,
            "go_for_release_s": self.go_for_release_s,
            "released_s": self.released_s,
            "contacts": self.contacts,
            "reversals": self.reversals,
            "guide_contacts": self.guide_contacts,
            "peak_guide_contact_speed_m_s": self.peak_guide_contact_speed_m_s,
            "peak_guide_force_n": self.peak_guide_force_n,
            "faults": list(self.faults),
            "violations": [dict(v) for v in self.violations],
            "abort": None if self.abort is None else dict(self.abort),
        }
