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

import pybullet as pb

from trainer.fixedmath import (
    Vec3,
    cholesky,
    cholesky_solve,
    columns_times,
    cross3,
    dot,
    norm3,
    rows3_times,
    rows3_transpose_times,
    rows_times,
)
from trainer.sim.rotation import rows_from_quat

if TYPE_CHECKING:
    from trainer.sim.state import TickStartMotion
    from trainer.sim.world import World

_ZERO3: Vec3 = (0.0, 0.0, 0.0)


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
    normal_world: Vec3 = _ZERO3


def _link_name(world: World, body: int, link: int) -> str:
    if link < 0:
        return world.body_names.get(body, "base")
    return world.link_names.get(body, {}).get(link, str(link))


def _point_velocity(world: World, body: int, link: int, point: Sequence[float]) -> Vec3:
    """Velocity of a body's material point now (after the step)."""
    c = world.client
    if body == world.station:
        return _ZERO3
    if link < 0:
        pos, _ = pb.getBasePositionAndOrientation(body, physicsClientId=c)
        v, w = pb.getBaseVelocity(body, physicsClientId=c)
    else:
        s = pb.getLinkState(body, link, computeLinkVelocity=1, physicsClientId=c)
        pos, v, w = s[0], s[6], s[7]
    return _rigid_point_velocity(v, w, pos, point)


def _rigid_point_velocity(
    v: Sequence[float], w: Sequence[float], origin: Sequence[float], point: Sequence[float]
) -> Vec3:
    """v + ω × (point − origin)."""
    wr = cross3(w, (point[0] - origin[0], point[1] - origin[1], point[2] - origin[2]))
    return (v[0] + wr[0], v[1] + wr[1], v[2] + wr[2])


def _point_velocity_before(
    world: World, motion: TickStartMotion, body: int, link: int, point: Sequence[float]
) -> Vec3:
    """Velocity the body's material point at ``point`` had before the last ``step()``."""
    if body == world.vehicle:
        # One rigid body (its links are fixed to it).
        return _rigid_point_velocity(
            motion.vehicle_velocity_m_s,
            motion.vehicle_angular_velocity_rad_s,
            motion.vehicle_position_m,
            point,
        )
    if body != world.arm or link < 0:
        return _ZERO3  # the station; the arm's base is bolted to it
    q = [float(s[0]) for s in motion.joint_states]
    rates = [float(s[1]) for s in motion.joint_states]
    vx, vy, vz = rows_times(_arm_point_jacobian(world, link, point, q), rates)
    return (vx, vy, vz)


def _arm_point_jacobian(
    world: World, link: int, point: Sequence[float], q: list[float]
) -> tuple[tuple[float, ...], ...]:
    """(3, 7) linear Jacobian, world frame, of the arm's material point at ``point`` on
    ``link`` with the joints at ``q``, as its three rows."""
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
    # Returned in the arm's base frame (World.lee_jacobian): R J, column by column.
    rot = world.base_rotation_rows
    columns = [rows3_times(rot, column) for column in zip(*lin, strict=True)]
    return tuple(zip(*columns, strict=True))


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
                normal: Vec3 = pt[7]  # on b, pointing from b towards a
            elif pt[1] == b and pt[2] == a:
                link_a, link_b, on_a, on_b = pt[4], pt[3], pt[6], pt[5]
                normal = (-pt[7][0], -pt[7][1], -pt[7][2])
            else:
                continue
            va = _point_velocity(world, a, link_a, on_a)
            vb = _point_velocity(world, b, link_b, on_b)
            before_a = _point_velocity_before(world, motion, a, link_a, on_a)
            before_b = _point_velocity_before(world, motion, b, link_b, on_b)
            closing = (
                before_a[0] - before_b[0],
                before_a[1] - before_b[1],
                before_a[2] - before_b[2],
            )
            out.append(
                Contact(
                    body_a=world.body_names[a],
                    link_a=_link_name(world, a, link_a),
                    body_b=world.body_names[b],
                    link_b=_link_name(world, b, link_b),
                    position_world_m=(float(on_a[0]), float(on_a[1]), float(on_a[2])),
                    normal_force_n=float(pt[9]),
                    relative_speed_m_s=norm3((va[0] - vb[0], va[1] - vb[1], va[2] - vb[2])),
                    approach_speed_m_s=max(0.0, -dot(closing, normal)),
                    ids=(a, link_a, b, link_b),
                    points_world_m=(tuple(on_a), tuple(on_b)),
                    normal_world=(float(normal[0]), float(normal[1]), float(normal[2])),
                )
            )
    return out


def _mobility(world: World, body: int, link: int, point: Sequence[float], n: Vec3) -> float:
    """1 / the mass a body shows at ``point`` along the unit normal ``n`` (1/kg): how much
    its point's normal speed changes per unit impulse there. The vehicle, a rigid body:
    1/m + (r × n)ᵀ I⁻¹ (r × n); the arm, as the chain it is: nᵀ J M⁻¹ Jᵀ n with its
    joint-space inertia M (symmetric positive definite: solved through its Cholesky
    factor, fixed-order arithmetic, docs/DESIGN.md §10)."""
    c = world.client
    if body == world.vehicle:
        pos, orn = pb.getBasePositionAndOrientation(body, physicsClientId=c)
        info = pb.getDynamicsInfo(body, -1, physicsClientId=c)
        r = (point[0] - pos[0], point[1] - pos[1], point[2] - pos[2])
        local = rows3_transpose_times(rows_from_quat(orn), cross3(r, n))  # COM frame axes
        inertia = info[2]
        mass_kg = float(info[0])
        return 1.0 / mass_kg + dot(local, [x / i for x, i in zip(local, inertia, strict=True)])
    if body != world.arm or link < 0:
        return 0.0  # the station, the arm's base bolted to it
    q = world.joint_angles_rad().tolist()
    jn = columns_times(_arm_point_jacobian(world, link, point, q), n)  # Jᵀ n
    lower = cholesky(pb.calculateMassMatrix(world.arm, q, physicsClientId=c))
    if lower is None:
        raise ValueError("the arm's mass matrix is not positive definite")
    return dot(jn, cholesky_solve(lower, jn))


def effective_mass_kg(world: World, contact: Contact) -> float:
    """The mass an impact at this contact stops (kg), along its normal. A vehicle is
    stopped by a structure that holds: the station, or the arm, whose drives hold its
    joints against an impact at its end (a few kN at the LEE through the wrist's short
    levers) as the 2,200 N limit's derivation assumes (docs/REFERENCE.md §4.1); so it is the
    vehicle's own effective mass at the point, rotation included. The arm against the
    station: the arm's, through its links' inertia. Infinite for two bodies that cannot
    move (the arm's base on the station)."""
    a, link_a, b, link_b = contact.ids
    n = contact.normal_world
    points = contact.points_world_m
    if world.vehicle in (a, b):
        moving, link, point = (
            (a, link_a, points[0]) if a == world.vehicle else (b, link_b, points[1])
        )
    else:
        moving, link, point = (a, link_a, points[0]) if a == world.arm else (b, link_b, points[1])
    w = _mobility(world, moving, link, point, n)
    return float("inf") if w <= 0.0 else 1.0 / w
