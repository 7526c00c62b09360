"""The scenario's ``berthing`` section: how a berthing is flown and judged
(docs/DESIGN.md §8, §11; docs/REFERENCE.md §10 and §11 give every default's source).

| key                  | default          | meaning                                        |
|----------------------|------------------|------------------------------------------------|
| ``flown_from``       | ``crew``         | ``crew`` (the Cupola's hand controllers) or ``ground`` (Houston: every command and every camera frame delayed) |
| ``round_trip_s``     | 7.0 from the ground, 0 for the crew | command to the video of its effect (s); half each way |
| ``envelope``         | below            | the ready-to-latch envelope, judged when all four RTLs make |
| ``time_limits``      | below            | ``full_credit_s`` and ``penalty_until_s`` from pre-install to first stage, ``hard_limit_s`` the session's |

A section, once present, must be complete in the parts it gives (``envelope`` and
``time_limits`` whole or omitted), as every other scenario section.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

from trainer.scenario import checks
from trainer.scenario.checks import MISSING, Problems
from trainer.scenario.model import BerthingEnvelope, BerthingSpec, Tier

FLOWN_FROM = ("crew", "ground")
# D: the middle of the 6-8 s measured ISS-to-Houston round trip (docs/REFERENCE.md §11, S).
GROUND_ROUND_TRIP_S = 7.0
# E: no relay path to low Earth orbit takes longer (2-8 s in the literature, S); a larger
# number is a typo in milliseconds.
MAX_ROUND_TRIP_S = 30.0
# The ready-to-latch envelope (docs/REFERENCE.md §10 derives each number).
ENVELOPE: dict[str, Any] = {
    "lateral_offset_m": {"full": 0.015, "allowed": 0.035},
    "tilt_deg": {"full": 0.9, "allowed": 1.75},
    "roll_deg": {"full": 0.5, "allowed": 1.5},
    "axial_speed_m_s": {"full": 0.012, "allowed": 0.03},
    "rate_deg_s": {"full": 0.03, "allowed": 0.1},
}
TIME_LIMITS: dict[str, Any] = {
    "full_credit_s": 240.0,
    "penalty_until_s": 480.0,
    "hard_limit_s": 1500.0,
}
# E: an hour; longer than any berthing flown in the trainer, as the COTS-2 berthing's
# 37 min from the pre-latch manoeuvre to second stage (S) compressed.
MAX_HARD_LIMIT_S = 3600.0
BERTHING_TASKS = ("berthing", "capture-and-berth")


def defaults(flown_from: str = "crew") -> dict[str, Any]:
    return {
        "flown_from": flown_from,
        "round_trip_s": GROUND_ROUND_TRIP_S if flown_from == "ground" else 0.0,
        "envelope": copy.deepcopy(ENVELOPE),
        "time_limits": copy.deepcopy(TIME_LIMITS),
    }


def parse_berthing(p: Problems, node: Any, task: str | None) -> dict[str, Any] | None:
    """The checked section (defaults filled in) for a berthing task; None for other
    tasks, which may not have one."""
    if task not in BERTHING_TASKS:
        if node is not MISSING:
            p.add("berthing", f"only a berthing task has a berthing section (task is {task!r})")
        return None
    if node is MISSING:
        return defaults()
    b = checks.mapping(
        p, node, "berthing", (), ("flown_from", "round_trip_s", "envelope", "time_limits")
    )
    if b is None:
        return None
    flown = checks.choice(
        p, checks.get(b, "flown_from", "crew"), "berthing.flown_from", FLOWN_FROM, "operator"
    )
    out = defaults(flown or "crew")
    if "round_trip_s" in b:
        trip = checks.number(
            p, b["round_trip_s"], "berthing.round_trip_s", within=(0.0, MAX_ROUND_TRIP_S)
        )
        if trip is not None and flown == "crew" and trip > 0.0:
            p.add("berthing.round_trip_s", "the crew flies with no delay: only ground has one")
        elif trip is not None:
            out["round_trip_s"] = trip
    if "envelope" in b:
        e = checks.mapping(p, b["envelope"], "berthing.envelope", tuple(ENVELOPE))
        for key in ENVELOPE:
            path = f"berthing.envelope.{key}"
            t = checks.mapping(p, checks.get(e, key), path, ("full", "allowed"))
            full = checks.number(p, checks.get(t, "full"), f"{path}.full", sign="non-negative")
            allowed = checks.number(
                p, checks.get(t, "allowed"), f"{path}.allowed", sign="non-negative"
            )
            if full is not None and allowed is not None and full > allowed:
                p.add(path, f"full ({checks.show(full)}) must not exceed allowed "
                            f"({checks.show(allowed)})")  # fmt: skip
            out["envelope"][key] = {"full": full, "allowed": allowed}
    if "time_limits" in b:
        t = checks.mapping(p, b["time_limits"], "berthing.time_limits", tuple(TIME_LIMITS))
        for key in TIME_LIMITS:
            path = f"berthing.time_limits.{key}"
            nullable = key != "hard_limit_s"
            value = checks.number(
                p, checks.get(t, key), path, sign="positive", nullable=nullable,
                within=(0.0, MAX_HARD_LIMIT_S),
            )  # fmt: skip
            out["time_limits"][key] = value
        limits = out["time_limits"]
        order = [limits[k] for k in ("full_credit_s", "penalty_until_s", "hard_limit_s")]
        given = [v for v in order if v is not None]
        if any(a > b for a, b in itertools.pairwise(given)):
            p.add("berthing.time_limits", "must not decrease from full_credit_s to hard_limit_s")
    return out


def build_berthing(raw: dict[str, Any] | None) -> BerthingSpec | None:
    if raw is None:
        return None
    e = raw["envelope"]
    t = raw["time_limits"]
    return BerthingSpec(
        flown_from=raw["flown_from"],
        round_trip_s=raw["round_trip_s"],
        envelope=BerthingEnvelope(**{k: Tier(v["full"], v["allowed"]) for k, v in e.items()}),
        full_credit_s=t["full_credit_s"],
        penalty_until_s=t["penalty_until_s"],
        hard_limit_s=t["hard_limit_s"],
    )
