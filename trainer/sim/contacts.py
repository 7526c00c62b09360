"""Contact detection between the arm, the vehicle and the station, after a step: which
named links touch, how hard and how fast (for the event log, scoring and collisions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pybullet as pb

if TYPE_CHECKING:
    from trainer.sim.world import World

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Contact:
    """One contact point between two named bodies after a step."""

    body_a: str
    link_a: str
    body_b: str
    link_b: str
    position_world_m: tuple[float, float, float]
    normal_force_n: float
    relative_speed_m_s: float


def _link_name(world: World, body: int, link: int) -> str:
    if link < 0:
        return world.body_names.get(body, "base")
    return world.link_names.get(body, {}).get(link, str(link))


def _point_velocity(world: World, body: int, link: int, point: Sequence[float]) -> FloatArray:
    c = world.client
    if body == world.station:
        return np.zeros(3)
    if link < 0:
        pos, _ = pb.getBasePositionAndOrientation(body, physicsClientId=c)
        v, w = pb.getBaseVelocity(body, physicsClientId=c)
    else:
        s = pb.getLinkState(body, link, computeLinkVelocity=1, physicsClientId=c)
        pos, v, w = s[0], s[6], s[7]
    return np.asarray(v) + np.cross(np.asarray(w), np.asarray(point) - np.asarray(pos))


def detect_contacts(world: World) -> list[Contact]:
    """Contacts between the arm and the vehicle or the station, and the vehicle and the
    station, after the last step, grouped in that pair order.

    One query for every contact in the world (usually none) instead of one per pair: this
    runs every control tick of a headless grade."""
    c = world.client
    points = pb.getContactPoints(physicsClientId=c)
    if not points:
        return []
    pairs = [(world.arm, world.vehicle)]
    if world.station is not None:
        pairs += [(world.arm, world.station), (world.vehicle, world.station)]
    out: list[Contact] = []
    for a, b in pairs:
        for pt in points:
            if pt[1] == a and pt[2] == b:
                link_a, link_b, on_a, on_b = pt[3], pt[4], pt[5], pt[6]
            elif pt[1] == b and pt[2] == a:
                link_a, link_b, on_a, on_b = pt[4], pt[3], pt[6], pt[5]
            else:
                continue
            va = _point_velocity(world, a, link_a, on_a)
            vb = _point_velocity(world, b, link_b, on_b)
            out.append(
                Contact(
                    body_a=world.body_names[a],
                    link_a=_link_name(world, a, link_a),
                    body_b=world.body_names[b],
                    link_b=_link_name(world, b, link_b),
                    position_world_m=(float(on_a[0]), float(on_a[1]), float(on_a[2])),
                    normal_force_n=float(pt[9]),
                    relative_speed_m_s=float(np.linalg.norm(va - vb)),
                )
            )
    return out
