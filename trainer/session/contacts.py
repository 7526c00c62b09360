"""Contacts during a session: each pair of bodies is logged when it comes into contact
(its fastest point and its force that tick), and an impact ends the attempt.

Both collision rules are judged from how the bodies came together, so that they mean the
same at any physics step (docs/REFERENCE.md §4.1):

* speed: the relative normal speed just before the contact began (trainer/sim/contacts.py);
* force: for a new contact, the force that stops that approach in IMPACT_DURATION_S,
  F = m_eff v / τ, m_eff the mass the impact stops at the point along the normal
  (``effective_mass_kg``: the vehicle's own, rotation included, against the station or
  the arm held by its drives; the arm's, through its links' inertia, when it is the arm
  that hits the station), the model the 2,200 N limit was derived with. The
  solver's own contact force on the step a contact begins is an impulse over that one
  step: a 0.02 m/s brush read 2,450 N when it began on a tick's last step and 0 N or
  715 N on the others (measured), so judging by it made a brush a collision one time in
  three. A contact that goes on is judged by the solver's force then: a steady push.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from trainer.sim.contacts import Contact, detect_contacts, effective_mass_kg
from trainer.sim.world import World

# A contact faster than this is an impact, not a brush: a collision ends the attempt
# (E: 3x the 0.03 m/s allowed capture speed of docs/REFERENCE.md §4).
COLLISION_SPEED_M_S = 0.09
# A contact with more force than this is an impact too (E: a 7.2 t vehicle stopped from
# 0.03 m/s in 0.1 s).
COLLISION_FORCE_N = 2_200.0
# The stopping time of that derivation: an impact's force is the approach it stops in it.
IMPACT_DURATION_S = 0.1
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


def impact_force_n(world: World, contact: Contact) -> float:
    """The force that stops this contact's approach in IMPACT_DURATION_S (N)."""
    if contact.approach_speed_m_s <= 0.0:
        return 0.0
    mass = effective_mass_kg(world, contact)
    if mass == float("inf"):  # two immovable bodies: only the solver knows
        return contact.normal_force_n
    return mass * contact.approach_speed_m_s / IMPACT_DURATION_S


class ContactWatch:
    """Which pairs of bodies touch, tick to tick."""

    def __init__(self) -> None:
        self._contacting: dict[tuple[str, str], float] = {}

    def update(self, world: World, holding: bool) -> list[PairContact]:
        """Every pair in contact now (new or continuing), in detection order."""
        now: dict[tuple[str, str], list[Contact]] = {}
        for c in detect_contacts(world):
            if holding and {c.link_a, c.link_b} & _CAPTURE_LINKS:
                continue
            now.setdefault((f"{c.body_a}/{c.link_a}", f"{c.body_b}/{c.link_b}"), []).append(c)
        pairs = []
        speeds: dict[tuple[str, str], float] = {}
        for key, points in now.items():
            new = key not in self._contacting
            # Judged by the speed they came together at (sim/contacts.py), not what the
            # solver has left of it after the step; the force as the module docstring says.
            speed = max(c.approach_speed_m_s for c in points)
            if new:
                force = max(impact_force_n(world, c) for c in points)
            else:
                force = math.fsum(c.normal_force_n for c in points)
            impact = None
            if speed > COLLISION_SPEED_M_S or force > COLLISION_FORCE_N:
                impact = (
                    f"collision between {key[0]} and {key[1]} at {speed:.3f} m/s ({force:.0f} N); "
                    f"an impact is above {COLLISION_SPEED_M_S} m/s or {COLLISION_FORCE_N:.0f} N"
                )
            pairs.append(PairContact(f"{key[0]} - {key[1]}", speed, force, new, impact))
            speeds[key] = speed
        self._contacting = speeds
        return pairs
