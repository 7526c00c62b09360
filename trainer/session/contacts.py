"""Contacts during a session: each pair of bodies is logged when it comes into contact
(its fastest point and total force that tick), and an impact ends the attempt.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.sim.contacts import detect_contacts
from trainer.sim.world import World

# A contact faster than this is an impact, not a brush: a collision ends the attempt
# (E: 3x the 0.03 m/s allowed capture speed of docs/REFERENCE.md §4).
COLLISION_SPEED_M_S = 0.09
# A contact with more force than this is an impact too (E: a 7.2 t vehicle stopped from
# 0.03 m/s in 0.1 s).
COLLISION_FORCE_N = 2_200.0
# The snared fixture against its LEE is the capture, not a contact.
_CAPTURE_LINKS = frozenset({"tip_lee", "tip_lee_housing", "frgf", "frgf_tip"})


@dataclass(frozen=True, slots=True)
class PairContact:
    """One pair of bodies in contact this tick: ``new`` when it was not touching on the
    tick before, ``impact`` describing the collision when it is one (else None)."""

    bodies: str  # "body/link - body/link"
    speed_m_s: float
    force_n: float
    new: bool
    impact: str | None


class ContactWatch:
    """Which pairs of bodies touch, tick to tick."""

    def __init__(self) -> None:
        self._contacting: dict[tuple[str, str], float] = {}

    def update(self, world: World, holding: bool) -> list[PairContact]:
        """Every pair in contact now (new or continuing), in detection order."""
        now: dict[tuple[str, str], tuple[float, float]] = {}
        for c in detect_contacts(world):
            if holding and {c.link_a, c.link_b} & _CAPTURE_LINKS:
                continue
            key = (f"{c.body_a}/{c.link_a}", f"{c.body_b}/{c.link_b}")
            speed, force = now.get(key, (0.0, 0.0))
            # Judged by the speed they came together at (sim/contacts.py), not what the
            # solver has left of it after the step.
            now[key] = (max(speed, c.approach_speed_m_s), force + c.normal_force_n)
        pairs = []
        for key, (speed, force) in now.items():
            impact = None
            if speed > COLLISION_SPEED_M_S or force > COLLISION_FORCE_N:
                impact = (
                    f"collision between {key[0]} and {key[1]} at {speed:.3f} m/s ({force:.0f} N); "
                    f"an impact is above {COLLISION_SPEED_M_S} m/s or {COLLISION_FORCE_N:.0f} N"
                )
            pairs.append(
                PairContact(
                    f"{key[0]} - {key[1]}", speed, force, key not in self._contacting, impact
                )
            )
        self._contacting = {k: v[0] for k, v in now.items()}
        return pairs
