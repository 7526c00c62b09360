"""The scene's frame tree, for the recording's /tf channel (docs/DESIGN.md §7): each frame
given relative to its parent, so that Foxglove or Lichtblick draw the arm as the chain it
is and the vehicle as a body in LVLH.

| frame                      | parent            | what                                          |
|----------------------------|-------------------|-----------------------------------------------|
| ``lvlh``                   | (root)            | the world frame: LVLH at the ISS reference     |
| ``station``                | ``lvlh``          | the station model's base frame                 |
| ``base_lee``               | ``station``       | the SSRMS base LEE on its grapple fixture      |
| each SSRMS link            | its URDF parent   | shoulder ... wrist, ``tip_lee_housing``        |
| ``tip_lee``                | ``tip_lee_housing`` | the LEE frame of docs/DESIGN.md §3           |
| ``lee_camera``, ``elbow_camera`` | their links | camera mounts                                  |
| the vehicle (``dragon``)   | ``lvlh``          | the vehicle's base frame (its centre of mass)  |
| ``frgf``, ``frgf_tip``     | vehicle, ``frgf`` | the grapple fixture and its shaft's ball       |

Link frames come from pybullet's link-frame pose (indices 4 and 5 of getLinkState), not the
centre-of-mass pose: a boom's COM sits half-way along it. A base's link frame is its COM
pose times the inverse of its inertial offset. One such reading when the tree is built
gives every constant of the tree; each 10 Hz message then needs only the seven joint
angles and the vehicle's pose (``FrameTree.transforms``: 21 µs, where reading every link
frame and relating them took 163 µs, and ~60 µs vectorised; measured, and checked against
that reading in tests/sim/test_frames.py). Rotations are normalised with w ≥ 0: q and −q
are one rotation, and one sign keeps the channel stable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pybullet as pb

if TYPE_CHECKING:
    from trainer.sim.world import World

Vec3 = tuple[float, float, float]
Quat = tuple[float, float, float, float]
Pose = tuple[Vec3, Quat]
Transform = tuple[str, str, Vec3, Quat]
"""(parent frame, child frame, translation of the child in the parent, rotation x, y, z, w)."""

ROOT_FRAME = "lvlh"
_IDENTITY = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0)
# pybullet's link frames are single precision: 0.1 µm and 1e-8 of a quaternion are below
# their noise, and shorter numbers keep the /tf channel small.
_POSITION_DECIMALS = 7
_ROTATION_DECIMALS = 8


def relative_poses(
    parents: npt.NDArray[np.float64], children: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Each child's pose in its parent's frame, rows [x, y, z, qx, qy, qz, qw] (n, 7) in,
    (n, 7) out: p = R(q_p)ᵀ (p_c − p_p), q = q_p* q_c normalised with qw ≥ 0, all rows at
    once (column arithmetic: np.cross costs more than the whole product on 15 rows)."""
    ux, uy, uz, uw = -parents[:, 3], -parents[:, 4], -parents[:, 5], parents[:, 6]
    vx, vy, vz, vw = children[:, 3], children[:, 4], children[:, 5], children[:, 6]
    out = np.empty_like(children)
    qx = uw * vx + ux * vw + uy * vz - uz * vy
    qy = uw * vy - ux * vz + uy * vw + uz * vx
    qz = uw * vz + ux * vy - uy * vx + uz * vw
    qw = uw * vw - ux * vx - uy * vy - uz * vz
    # pybullet's link frames are single precision: renormalise, one sign for one rotation
    scale = np.copysign(1.0, qw) / np.sqrt(qx * qx + qy * qy + qz * qz + qw * qw)
    out[:, 3] = qx * scale
    out[:, 4] = qy * scale
    out[:, 5] = qz * scale
    out[:, 6] = qw * scale
    # the offset d turned by q_p*: d + w t + u × t, t = 2 u × d, u the vector part
    dx = children[:, 0] - parents[:, 0]
    dy = children[:, 1] - parents[:, 1]
    dz = children[:, 2] - parents[:, 2]
    tx = 2.0 * (uy * dz - uz * dy)
    ty = 2.0 * (uz * dx - ux * dz)
    tz = 2.0 * (ux * dy - uy * dx)
    out[:, 0] = dx + uw * tx + uy * tz - uz * ty
    out[:, 1] = dy + uw * ty + uz * tx - ux * tz
    out[:, 2] = dz + uw * tz + ux * ty - uy * tx
    return out


def _axis_angle(axis: tuple[float, float, float], angle: float) -> Quat:
    h = 0.5 * angle
    sin_h = math.sin(h)
    return (axis[0] * sin_h, axis[1] * sin_h, axis[2] * sin_h, math.cos(h))


def _product(a: Sequence[float], b: Sequence[float]) -> Quat:
    """a ⊗ b, quaternions (x, y, z, w)."""
    ax, ay, az, aw = a
    bx, by, bz, bw = b
    return (
        aw * bx + ax * bw + ay * bz - az * by,
        aw * by - ax * bz + ay * bw + az * bx,
        aw * bz + ax * by - ay * bx + az * bw,
        aw * bw - ax * bx - ay * by - az * bz,
    )


def _rounded(q: Sequence[float]) -> Quat:
    """Normalised with w ≥ 0 (one sign for one rotation), rounded as the channel stores it."""
    x, y, z, w = q
    scale = math.copysign(1.0, w) / math.sqrt(x * x + y * y + z * z + w * w)
    d = _ROTATION_DECIMALS
    return (round(x * scale, d), round(y * scale, d), round(z * scale, d), round(w * scale, d))


class FrameTree:
    """Reads the frame tree of one world (see the module docstring); built once per session."""

    def __init__(self, world: World) -> None:
        self._world = world
        c = world.client
        self._client = c
        self._arm = world.arm
        self._vehicle = world.vehicle
        self._station = world.station
        vehicle_name = world.spec.vehicle_model
        names = {v: k for k, v in world.arm_links.items()}
        self._arm_links = sorted(names)  # link indices, base to tip (URDF order)
        arm_base = pb.getBodyInfo(self._arm, physicsClientId=c)[0].decode()
        vehicle_links = {world.frgf_link: "frgf", world.frgf_tip_link: "frgf_tip"}
        self._vehicle_links = sorted(vehicle_links)
        # The frames in output order, each with its parent; the station and the arm's base
        # do not move, so their world poses are read once.
        frames: list[tuple[str, str]] = []
        static: list[tuple[float, ...]] = []
        arm_parent = ROOT_FRAME
        if self._station is not None:
            frames.append((ROOT_FRAME, "station"))
            static.append(self._base_link_frame(self._station))
            arm_parent = "station"
        frames.append((arm_parent, arm_base))
        static.append(self._base_link_frame(self._arm))
        for link in self._arm_links:
            parent = int(pb.getJointInfo(self._arm, link, physicsClientId=c)[16])
            frames.append((arm_base if parent < 0 else names[parent], names[link]))
        frames.append((ROOT_FRAME, vehicle_name))
        for link in self._vehicle_links:
            parent = int(pb.getJointInfo(self._vehicle, link, physicsClientId=c)[16])
            frames.append((vehicle_name if parent < 0 else "frgf", vehicle_links[link]))
        self._frames = frames
        self._static = static
        row = {child: i + 1 for i, (_parent, child) in enumerate(frames)}
        row[ROOT_FRAME] = 0
        self._parent_rows = np.array([row[parent] for parent, _child in frames])
        inertial = pb.getDynamicsInfo(self._vehicle, -1, physicsClientId=c)
        self._vehicle_com_inverse = pb.invertTransform(inertial[3], inertial[4])
        self._init_joint_frames(names)

    def _init_joint_frames(self, names: dict[int, str]) -> None:
        """What changes from tick to tick, and how. A revolute joint's child frame sits at
        the joint's origin in its parent, turned about the joint axis by the joint angle:
        its translation is constant and its rotation is q_origin ⊗ q_axis(angle). Fixed
        links, the station and the arm's base do not move relative to their parents, and
        the vehicle moves as one body. So one reading now gives every constant, and a tick
        needs only the seven joint angles and the vehicle's pose (see ``transforms``)."""
        c = self._client
        now = self.measured_transforms()
        self._constant: list[Transform] = list(now)
        row_of = {child: i for i, (_parent, child, _p, _q) in enumerate(now)}
        self._vehicle_row = row_of[self._world.spec.vehicle_model]
        revolute: list[tuple[int, int, tuple[float, float, float], Quat]] = []
        for link in self._arm_links:
            info = pb.getJointInfo(self._arm, link, physicsClientId=c)
            if info[2] == pb.JOINT_FIXED:
                continue
            if info[2] != pb.JOINT_REVOLUTE:  # pragma: no cover - the SSRMS has none other
                raise ValueError(f"joint {info[1].decode()}: only revolute and fixed joints")
            angle = float(pb.getJointState(self._arm, link, physicsClientId=c)[0])
            axis = (float(info[13][0]), float(info[13][1]), float(info[13][2]))
            row = row_of[names[link]]
            # q_origin = q(angle) ⊗ q_axis(angle)*, from the reading now
            origin = _product(now[row][3], _axis_angle(axis, -angle))
            revolute.append((row, link, axis, origin))
        self._revolute = revolute
        # Where each revolute joint's angle sits in the world's joint order: the angles are
        # the ones the world read after its last step (no query of its own).
        self._angle_slots = [self._world.joint_indices.index(link) for _r, link, _a, _o in revolute]

    def transforms(self) -> list[Transform]:
        """Every frame relative to its parent, now: the joint angles and the vehicle's pose
        on the constants of ``_init_joint_frames`` (a third of the cost of
        ``measured_transforms``; the constants carry that one reading's float32 precision,
        the angles are exact)."""
        c = self._client
        out = list(self._constant)
        angles = self._world.joint_angles_after_step()
        for (row, _link, axis, origin), slot in zip(self._revolute, self._angle_slots, strict=True):
            parent, child, position, _rotation = out[row]
            out[row] = (
                parent,
                child,
                position,
                _rounded(_product(origin, _axis_angle(axis, angles[slot]))),
            )
        com_p, com_q = pb.getBasePositionAndOrientation(self._vehicle, physicsClientId=c)
        p, q = pb.multiplyTransforms(com_p, com_q, *self._vehicle_com_inverse)
        parent, child, _position, _rotation = out[self._vehicle_row]
        out[self._vehicle_row] = (
            parent,
            child,
            (
                round(p[0], _POSITION_DECIMALS),
                round(p[1], _POSITION_DECIMALS),
                round(p[2], _POSITION_DECIMALS),
            ),
            _rounded((q[0], q[1], q[2], q[3])),
        )
        return out

    def _base_link_frame(self, body: int) -> tuple[float, ...]:
        """A base's link frame: its COM pose times the inverse of its inertial offset."""
        c = self._client
        com_p, com_q = pb.getBasePositionAndOrientation(body, physicsClientId=c)
        info = pb.getDynamicsInfo(body, -1, physicsClientId=c)
        inv_p, inv_q = pb.invertTransform(info[3], info[4])
        p, q = pb.multiplyTransforms(com_p, com_q, inv_p, inv_q)
        return (*p, *q)

    def measured_transforms(self) -> list[Transform]:
        """Every frame relative to its parent, from the links' world poses now (pybullet's
        forward kinematics): what ``transforms`` is built on and checked against."""
        c = self._client
        rows: list[tuple[float, ...]] = [_IDENTITY, *self._static]
        states = pb.getLinkStates(
            self._arm, self._arm_links, computeForwardKinematics=1, physicsClientId=c
        )
        rows.extend((*state[4], *state[5]) for state in states)
        com_p, com_q = pb.getBasePositionAndOrientation(self._vehicle, physicsClientId=c)
        p, q = pb.multiplyTransforms(com_p, com_q, *self._vehicle_com_inverse)
        rows.append((*p, *q))
        states = pb.getLinkStates(
            self._vehicle, self._vehicle_links, computeForwardKinematics=1, physicsClientId=c
        )
        rows.extend((*state[4], *state[5]) for state in states)
        world = np.array(rows)
        relative = relative_poses(world[self._parent_rows], world[1:])
        positions = np.round(relative[:, :3], _POSITION_DECIMALS).tolist()
        rotations = np.round(relative[:, 3:], _ROTATION_DECIMALS).tolist()
        return [
            (parent, child, (p[0], p[1], p[2]), (q[0], q[1], q[2], q[3]))
            for (parent, child), p, q in zip(self._frames, positions, rotations, strict=True)
        ]
