"""Contact detection between the arm, the vehicle and the station, after a step: which
named links touch, how hard, and how fast they came together (for the event log, scoring
and collisions).

An impact is judged by the relative normal speed just before the contact began, not by the
bodies' speed after the step: by then the solver has already stopped them (measured: a
0.1 m/s impact reads 2.5 mm/s and 12.5 kN after the step, docs/PYBULLET_NOTES.md), and how
much of the approach speed is left after one step depends on the step. The world keeps how
everything moved before its last ``step()`` (``World.tick_start_motion``: the vehicle's
velocity and the joint rates, read anyway for the CW force and the next rate command); a
contact seen after a tick is judged by the velocities its two points had at the start of
that tick, at most 1/60 s before the touch. The arm's point velocities come from its
Jacobian at the contact point with the joint rates then, the vehicle's from its rigid-body
motion; the station does not move.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pybullet as pb

if TYPE_CHECKING:
    from trainer.sim.state import TickStartMotion
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
    # Speed of the two points relative to each other after the step (what is left).
    relative_speed_m_s: float
    # Speed at which the two came together along the contact normal, before the step
    # (module docstring): the one to judge an impact by. Zero when they were separating.
    approach_speed_m_s: float
    # What ``effective_mass_kg`` needs: the bodies' ids and links, the point on each and
    # the normal (from b towards a), in the world frame.
    ids: tuple[int, int, int, int] = (0, 0, 0, 0)
    points_world_m: tuple[tuple[float, ...], tuple[float, ...]] = ((), ())
    normal_world: tuple[float, ...] = ()


def _link_name(world: World, body: int, link: int) -> str:
    if link < 0:
        return world.body_names.get(body, "base")
    return world.link_names.get(body, {}).get(link, str(link))


def _point_velocity(world: World, body: int, link: int, point: Sequence[float]) -> FloatArray:
    """Velocity of a body's material point now (after the step)."""
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


def _point_velocity_before(
    world: World, motion: TickStartMotion, body: int, link: int, point: Sequence[float]
) -> FloatArray:
    """Velocity the body's material point at ``point`` had before the last ``step()``."""
    if body == world.vehicle:
        # One rigid body (its links are fixed to it).
        v = np.asarray(motion.vehicle_velocity_m_s)
        w = np.asarray(motion.vehicle_angular_velocity_rad_s)
        r = np.asarray(point) - np.asarray(motion.vehicle_position_m)
        return np.asarray(v + np.cross(w, r), dtype=float)
    if body != world.arm:
        return np.zeros(3)  # the station
    q = [float(s[0]) for s in motion.joint_states]
    rates = np.array([float(s[1]) for s in motion.joint_states])
    if link < 0:
        return np.zeros(3)  # the arm's base is bolted to the station
    return np.asarray(_arm_point_jacobian(world, link, point, q) @ rates, dtype=float)


def _arm_point_jacobian(
    world: World, link: int, point: Sequence[float], q: list[float]
) -> FloatArray:
    """(3, 7) linear Jacobian, world frame, of the arm's material point at ``point`` on
    ``link`` with the joints at ``q``."""
    c = world.client
    # The Jacobian's local position is taken from the URDF link frame (state index 4/5),
    # not the COM (docs/PYBULLET_NOTES.md); lists, not numpy arrays (bullet3 #3033).
    s = pb.getLinkState(world.arm, link, computeForwardKinematics=1, physicsClientId=c)
    inv_p, inv_q = pb.invertTransform(s[4], s[5])
    local, _ = pb.multiplyTransforms(inv_p, inv_q, list(point), [0.0, 0.0, 0.0, 1.0])
    zeros = [0.0] * len(q)
    lin, _ang = pb.calculateJacobian(
        world.arm, link, list(local), q, zeros, zeros, physicsClientId=c
    )
    # Returned in the arm's base frame (World.lee_jacobian).
    return np.asarray(world.base_rotation @ np.array(lin), dtype=float)


def detect_contacts(world: World) -> list[Contact]:
    """Contacts between the arm and the vehicle or the station, and the vehicle and the
    station, after the last step, grouped in that pair order.

    One query for every contact in the world (usually none) instead of one per pair: this
    runs every control tick of a headless grade."""
    c = world.client
    points = pb.getContactPoints(physicsClientId=c)
    if not points:
        return []
    motion = world.tick_start_motion
    pairs = [(world.arm, world.vehicle)]
    if world.station is not None:
        pairs += [(world.arm, world.station), (world.vehicle, world.station)]
    out: list[Contact] = []
    for a, b in pairs:
        for pt in points:
            if pt[1] == a and pt[2] == b:
                link_a, link_b, on_a, on_b = pt[3], pt[4], pt[5], pt[6]
                normal = np.asarray(pt[7])  # on b, pointing from b towards a
            elif pt[1] == b and pt[2] == a:
                link_a, link_b, on_a, on_b = pt[4], pt[3], pt[6], pt[5]
                normal = -np.asarray(pt[7])
            else:
                continue
            va = _point_velocity(world, a, link_a, on_a)
            vb = _point_velocity(world, b, link_b, on_b)
            closing = _point_velocity_before(world, motion, a, link_a, on_a) - (
                _point_velocity_before(world, motion, b, link_b, on_b)
            )
            out.append(
                Contact(
                    body_a=world.body_names[a],
                    link_a=_link_name(world, a, link_a),
                    body_b=world.body_names[b],
                    link_b=_link_name(world, b, link_b),
                    position_world_m=(float(on_a[0]), float(on_a[1]), float(on_a[2])),
                    normal_force_n=float(pt[9]),
                    relative_speed_m_s=float(np.linalg.norm(va - vb)),
                    approach_speed_m_s=max(0.0, -float(closing @ normal)),
                    ids=(a, link_a, b, link_b),
                    points_world_m=(tuple(on_a), tuple(on_b)),
                    normal_world=tuple(float(v) for v in normal),
                )
            )
    return out


def _mobility(world: World, body: int, link: int, point: Sequence[float], n: FloatArray) -> float:
    """1 / the mass a body shows at ``point`` along the unit normal ``n`` (1/kg): how much
    its point's normal speed changes per unit impulse there. The vehicle, a rigid body:
    1/m + (r × n)ᵀ I⁻¹ (r × n); the arm, as the chain it is: nᵀ J M⁻¹ Jᵀ n with its
    joint-space inertia M."""
    c = world.client
    if body == world.vehicle:
        pos, orn = pb.getBasePositionAndOrientation(body, physicsClientId=c)
        info = pb.getDynamicsInfo(body, -1, physicsClientId=c)
        rot = np.array(pb.getMatrixFromQuaternion(orn)).reshape(3, 3)  # COM frame axes
        local = rot.T @ np.cross(np.asarray(point) - np.asarray(pos), n)
        return float(1.0 / info[0] + local @ (local / np.asarray(info[2])))
    if body != world.arm or link < 0:
        return 0.0  # the station, the arm's base bolted to it
    q = world.joint_angles_rad().tolist()
    jn = _arm_point_jacobian(world, link, point, q).T @ n  # Jᵀ n
    inertia = np.array(pb.calculateMassMatrix(world.arm, q, physicsClientId=c))
    return float(jn @ np.linalg.solve(inertia, jn))


def effective_mass_kg(world: World, contact: Contact) -> float:
    """The mass an impact at this contact stops (kg), along its normal. A vehicle is
    stopped by a structure that holds: the station, or the arm, whose drives hold its
    joints against an impact at its end (a few kN at the LEE through the wrist's short
    levers) as the 2,200 N limit's derivation assumes (docs/REFERENCE.md §4.1); so it is the
    vehicle's own effective mass at the point, rotation included. The arm against the
    station: the arm's, through its links' inertia. Infinite for two bodies that cannot
    move (the arm's base on the station)."""
    a, link_a, b, link_b = contact.ids
    n = np.asarray(contact.normal_world)
    points = contact.points_world_m
    if world.vehicle in (a, b):
        moving, link, point = (
            (a, link_a, points[0]) if a == world.vehicle else (b, link_b, points[1])
        )
    else:
        moving, link, point = (a, link_a, points[0]) if a == world.arm else (b, link_b, points[1])
    w = _mobility(world, moving, link, point, n)
    return float("inf") if w <= 0.0 else 1.0 / w
