"""The capture envelope: which tier a set of capture metrics falls in, and why.

Tiers (docs/REFERENCE.md §4): "full" (full credit), "allowed" (the capture succeeds), "outside"
(a miss). A quantity exactly on a limit is inside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.scenario.model import Envelope, RangeTier, Tier
from trainer.sim.metrics import CAPTURE_QUANTITIES, CaptureMetrics

FULL, ALLOWED, OUTSIDE = "full", "allowed", "outside"
_ORDER = {FULL: 0, ALLOWED: 1, OUTSIDE: 2}

# (metric attribute, label for sentences, unit, format): trainer/sim/metrics.py's table
QUANTITIES: tuple[tuple[str, str, str, str], ...] = tuple(
    (q.name, q.words, q.unit, q.fmt) for q in CAPTURE_QUANTITIES
)


@dataclass(frozen=True, slots=True)
class QuantityJudgement:
    name: str
    value: float
    tier: str
    # How far into the allowed band the value sits: 0 at the full-credit limit, 1 at the
    # allowed limit (above 1 outside); used for the score.
    excess: float
    sentence: str | None  # set when the quantity is not in the full tier


@dataclass(frozen=True, slots=True)
class EnvelopeJudgement:
    tier: str
    quantities: tuple[QuantityJudgement, ...]

    def reasons(self, tier: str = ALLOWED) -> list[str]:
        """Sentences for every quantity worse than ``tier``."""
        return [q.sentence for q in self.quantities if _ORDER[q.tier] > _ORDER[tier] and q.sentence]


def _fmt(value: float, unit: str, fmt: str) -> str:
    return f"{value:{fmt}} {unit}" if unit != "°" else f"{value:{fmt}}°"


def _judge_upper(
    name: str, label: str, unit: str, fmt: str, value: float, tier: Tier
) -> QuantityJudgement:
    if value <= tier.full:
        return QuantityJudgement(name, value, FULL, 0.0, None)
    span = max(tier.allowed - tier.full, 1e-12)
    excess = (value - tier.full) / span
    if value <= tier.allowed:
        sentence = (
            f"{label} {_fmt(value, unit, fmt)} is above the full-credit limit "
            f"{_fmt(tier.full, unit, fmt)} (allowed up to {_fmt(tier.allowed, unit, fmt)})"
        )
        return QuantityJudgement(name, value, ALLOWED, excess, sentence)
    sentence = (
        f"{label} {_fmt(value, unit, fmt)} exceeds the allowed {_fmt(tier.allowed, unit, fmt)}"
    )
    return QuantityJudgement(name, value, OUTSIDE, excess, sentence)


def _judge_range(
    name: str, label: str, unit: str, fmt: str, value: float, tier: RangeTier
) -> QuantityJudgement:
    lo_full, hi_full = tier.full
    lo_allowed, hi_allowed = tier.allowed
    if lo_full <= value <= hi_full:
        return QuantityJudgement(name, value, FULL, 0.0, None)
    if value < lo_full:
        excess = (lo_full - value) / max(lo_full - lo_allowed, 1e-12)
        word, limit = "shallower than", lo_allowed
        full_limit = lo_full
    else:
        excess = (value - hi_full) / max(hi_allowed - hi_full, 1e-12)
        word, limit = "deeper than", hi_allowed
        full_limit = hi_full
    if lo_allowed <= value <= hi_allowed:
        sentence = (
            f"{label} {_fmt(value, unit, fmt)} is outside the full-credit window "
            f"{_fmt(lo_full, unit, fmt)}–{_fmt(hi_full, unit, fmt)} "
            f"(nearest full-credit limit {_fmt(full_limit, unit, fmt)})"
        )
        return QuantityJudgement(name, value, ALLOWED, excess, sentence)
    sentence = f"{label} {_fmt(value, unit, fmt)} is {word} the allowed {_fmt(limit, unit, fmt)}"
    if value < 0.0 and word == "shallower than":
        sentence += " (the shaft tip was still outside the LEE mouth)"
    return QuantityJudgement(name, value, OUTSIDE, excess, sentence)


def judge(metrics: CaptureMetrics, envelope: Envelope) -> EnvelopeJudgement:
    """Classify ``metrics`` against ``envelope``: the worst quantity decides the tier."""
    out = []
    for name, label, unit, fmt in QUANTITIES:
        value = float(getattr(metrics, name))
        limits = getattr(envelope, name)
        if isinstance(limits, RangeTier):
            out.append(_judge_range(name, label, unit, fmt, value, limits))
        else:
            out.append(_judge_upper(name, label, unit, fmt, value, limits))
    worst = max(out, key=lambda q: _ORDER[q.tier]).tier
    return EnvelopeJudgement(worst, tuple(out))


def tier_of(metrics: CaptureMetrics, envelope: Envelope) -> str:
    return judge(metrics, envelope).tier
