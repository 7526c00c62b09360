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
pose times the inverse of its inertial offset.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pybullet as pb

if TYPE_CHECKING:
    from trainer.sim.world import World

Vec3 = tuple[float, float, float]
Quat = tuple[float, float, float, float]
Pose = tuple[Vec3, Quat]
Transform = tuple[str, str, Vec3, Quat]
"""(parent frame, child frame, translation of the child in the parent, rotation x, y, z, w)."""

ROOT_FRAME = "lvlh"
_IDENTITY: Pose = ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0, 1.0))


def _pose(position: Sequence[float], orientation: Sequence[float]) -> Pose:
    # pybullet's link frames are single precision: 1 µm and 1e-7 of a quaternion are below
    # their noise, and shorter numbers keep the /tf channel small
    p = [round(float(v), 7) for v in position]
    q = [round(float(v), 8) for v in orientation]
    return (p[0], p[1], p[2]), (q[0], q[1], q[2], q[3])


def _relative(parent: Pose, child: Pose) -> Pose:
    inv_p, inv_q = pb.invertTransform(parent[0], parent[1])
    p, q = pb.multiplyTransforms(inv_p, inv_q, child[0], child[1])
    return _pose(p, q)


class FrameTree:
    """Reads the frame tree of one world (see the module docstring); built once per session."""

    def __init__(self, world: World) -> None:
        self._world = world
        c = world.client
        self._client = c
        self._arm = world.arm
        self._vehicle = world.vehicle
        self._station = world.station
        self._vehicle_name = world.spec.vehicle_model
        names = {v: k for k, v in world.arm_links.items()}
        self._arm_links = sorted(names)  # link indices, base to tip (URDF order)
        self._arm_names = names
        base_name = pb.getBodyInfo(self._arm, physicsClientId=c)[0].decode()
        self._arm_base_name = base_name
        self._arm_parent: dict[int, str] = {}
        for link in self._arm_links:
            parent = int(pb.getJointInfo(self._arm, link, physicsClientId=c)[16])
            self._arm_parent[link] = base_name if parent < 0 else names[parent]
        self._vehicle_links = {world.frgf_link: "frgf", world.frgf_tip_link: "frgf_tip"}
        self._vehicle_parent = {
            link: self._vehicle_name
            if int(pb.getJointInfo(self._vehicle, link, physicsClientId=c)[16]) < 0
            else "frgf"
            for link in self._vehicle_links
        }
        self._arm_base = self._base_link_frame(self._arm)
        self._station_pose = (
            self._base_link_frame(self._station) if self._station is not None else None
        )

    def _base_link_frame(self, body: int) -> Pose:
        c = self._client
        com_p, com_q = pb.getBasePositionAndOrientation(body, physicsClientId=c)
        info = pb.getDynamicsInfo(body, -1, physicsClientId=c)
        inv_p, inv_q = pb.invertTransform(info[3], info[4])
        p, q = pb.multiplyTransforms(com_p, com_q, inv_p, inv_q)
        return _pose(p, q)

    def transforms(self) -> list[Transform]:
        """Every frame relative to its parent, now."""
        c = self._client
        out: list[Transform] = []
        world_pose: dict[str, Pose] = {ROOT_FRAME: _IDENTITY}
        arm_parent = ROOT_FRAME
        if self._station_pose is not None:
            out.append((ROOT_FRAME, "station", *self._station_pose))
            world_pose["station"] = self._station_pose
            arm_parent = "station"
        world_pose[self._arm_base_name] = self._arm_base
        out.append(
            (arm_parent, self._arm_base_name, *_relative(world_pose[arm_parent], self._arm_base))
        )
        states = pb.getLinkStates(
            self._arm, self._arm_links, computeForwardKinematics=1, physicsClientId=c
        )
        for link, state in zip(self._arm_links, states, strict=True):
            name = self._arm_names[link]
            pose = _pose(state[4], state[5])
            world_pose[name] = pose
            parent = self._arm_parent[link]
            out.append((parent, name, *_relative(world_pose[parent], pose)))
        vehicle = self._base_link_frame(self._vehicle)
        world_pose[self._vehicle_name] = vehicle
        out.append((ROOT_FRAME, self._vehicle_name, *vehicle))
        links = sorted(self._vehicle_links)
        states = pb.getLinkStates(
            self._vehicle, links, computeForwardKinematics=1, physicsClientId=c
        )
        for link, state in zip(links, states, strict=True):
            name = self._vehicle_links[link]
            pose = _pose(state[4], state[5])
            world_pose[name] = pose
            parent = self._vehicle_parent[link]
            out.append((parent, name, *_relative(world_pose[parent], pose)))
        return out
