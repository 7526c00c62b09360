"""The renderer's only per-frame input: where every link is (``ScenePoses``).

A ``ScenePoses`` maps ``"role/link"`` (see ``trainer.render.scene``) to a world-frame
pose: position (m) and orientation quaternion (x, y, z, w), docs/DESIGN.md §3. Three ways to fill
one, all through the same forward kinematics of the URDF joint tree:

| function                 | source                                                        |
|--------------------------|---------------------------------------------------------------|
| ``poses_from_world``     | a live ``World`` through its named accessors (no pybullet call here) |
| ``poses_from_state``     | a recording's ``/state`` message (vehicle pose, joint angles) |
| ``poses_from_telemetry`` | the session's ``Telemetry`` snapshot (what the window draws)  |
| ``poses_from_joints``    | an arm base pose, seven joint angles and a vehicle COM pose   |

The arm's link frames follow from its base mount (``robots/station/mounts.yaml``) and the
joint angles; the vehicle's from its centre-of-mass pose (what the world and the recording
report) and the URDF's fixed joints; the station sits at the world origin.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from trainer.render.geometry import (
    FloatArray,
    Quat,
    Vec3,
    axis_angle_matrix,
    invert_rigid,
    matrix_to_quat,
    pose_matrix,
    rpy_to_matrix,
    transform,
)
from trainer.render.scene import Body, Scene
from trainer.sim.joints import JOINT_NAMES

if TYPE_CHECKING:
    from trainer.sim.world import World
    from trainer.telemetry import Telemetry


class LinkPose(NamedTuple):
    """A link frame in the world: position (m) and orientation (x, y, z, w)."""

    position_m: Vec3
    orientation_xyzw: Quat

    def matrix(self) -> FloatArray:
        return pose_matrix(self.position_m, self.orientation_xyzw)


@dataclass(frozen=True)
class ScenePoses:
    """World poses of the scene's links, keyed ``"role/link"``. A link without a pose is
    not drawn (e.g. a scene without the station)."""

    links: Mapping[str, LinkPose]

    def __getitem__(self, key: str) -> LinkPose:
        return self.links[key]

    def __contains__(self, key: object) -> bool:
        return key in self.links


def _pose(m: FloatArray) -> LinkPose:
    p = m[:3, 3]
    return LinkPose((float(p[0]), float(p[1]), float(p[2])), matrix_to_quat(m[:3, :3]))


def body_link_frames(
    body: Body, root_frame: FloatArray, joint_angles_rad: Mapping[str, float]
) -> dict[str, FloatArray]:
    """Every link frame of ``body`` (4x4, world) from its root link frame and the angles of
    its moving joints (by joint name; a missing one reads 0)."""
    frames = {body.root_link: root_frame}
    for j in body.joints:
        m = frames[j.parent] @ j.origin
        if j.kind in ("revolute", "continuous"):
            q = float(joint_angles_rad.get(j.name, 0.0))
            m = m @ transform(axis_angle_matrix(j.axis, q), (0.0, 0.0, 0.0))
        frames[j.child] = m
    return frames


def poses_from_joints(
    scene: Scene,
    *,
    arm_base_position_m: Sequence[float],
    arm_base_orientation_xyzw: Sequence[float],
    joint_angles_rad: Sequence[float],
    vehicle_position_m: Sequence[float],
    vehicle_orientation_xyzw: Sequence[float],
) -> ScenePoses:
    """The poses of every link: the arm from its base link frame and its seven joint
    angles (base to tip, ``trainer.sim.joints.JOINT_NAMES``), the vehicle from its
    centre-of-mass pose, the station at the origin."""
    if len(joint_angles_rad) != len(JOINT_NAMES):
        raise ValueError(f"expected {len(JOINT_NAMES)} joint angles, got {len(joint_angles_rad)}")
    out: dict[str, LinkPose] = {}
    angles = dict(zip(JOINT_NAMES, (float(q) for q in joint_angles_rad), strict=True))
    for body in scene.bodies:
        if body.role == "arm":
            root = pose_matrix(arm_base_position_m, arm_base_orientation_xyzw)
        elif body.role == "vehicle":
            com = pose_matrix(vehicle_position_m, vehicle_orientation_xyzw)
            root = com @ invert_rigid(body.root_inertial)
        else:
            root = np.eye(4)
        for link, m in body_link_frames(body, root, angles).items():
            out[body.key(link)] = _pose(m)
    return ScenePoses(out)


def poses_from_world(world: World, scene: Scene) -> ScenePoses:
    """The poses of a live world, read through its named accessors (joint angles, vehicle
    state) and the arm base mount it was built with."""
    vehicle = world.vehicle_state()
    spec = world.spec
    return poses_from_joints(
        scene,
        arm_base_position_m=spec.arm_base_position_m,
        arm_base_orientation_xyzw=spec.arm_base_orientation_xyzw,
        joint_angles_rad=world.joint_angles_rad().tolist(),
        vehicle_position_m=vehicle.position_m.tolist(),
        vehicle_orientation_xyzw=vehicle.orientation_xyzw.tolist(),
    )


@functools.cache
def _default_arm_base() -> tuple[Vec3, Quat]:
    """The SSRMS base mount of robots/station/mounts.yaml (``ssrms_base``), read once and
    here rather than through ``trainer.sim.layout``, which loads pybullet: the replay
    viewer draws a recording without the physics engine."""
    import yaml

    from trainer.errors import ModelError
    from trainer.resources import data_dir

    path = data_dir("robots") / "station" / "mounts.yaml"
    try:
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))["ssrms_base"]
        position = [float(v) for v in entry["position_m"]]
        rpy_deg = [float(v) for v in entry["rpy_deg"]]
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{path}: ssrms_base: cannot read the arm base mount ({exc})") from None
    if len(position) != 3 or len(rpy_deg) != 3:
        raise ModelError(f"{path}: ssrms_base: expected three numbers in position_m and rpy_deg")
    rotation = rpy_to_matrix([math.radians(a) for a in rpy_deg])
    return (position[0], position[1], position[2]), matrix_to_quat(rotation)


def poses_from_telemetry(
    telemetry: Telemetry,
    scene: Scene,
    *,
    arm_base_position_m: Sequence[float] | None = None,
    arm_base_orientation_xyzw: Sequence[float] | None = None,
) -> ScenePoses:
    """The poses of a ``Telemetry`` snapshot (joint angles and vehicle pose), so the window
    draws its cameras from the snapshot it shows, never from the world (docs/DESIGN.md §2).
    The arm base defaults to robots/station/mounts.yaml, as every scenario mounts it."""
    default_position, default_orientation = _default_arm_base()
    return poses_from_joints(
        scene,
        arm_base_position_m=arm_base_position_m or default_position,
        arm_base_orientation_xyzw=arm_base_orientation_xyzw or default_orientation,
        joint_angles_rad=telemetry.joint_angles_rad,
        vehicle_position_m=telemetry.vehicle_position_world_m,
        vehicle_orientation_xyzw=telemetry.vehicle_orientation_world_xyzw,
    )


def poses_from_state(
    state: Mapping[str, Any],
    scene: Scene,
    *,
    arm_base_position_m: Sequence[float] | None = None,
    arm_base_orientation_xyzw: Sequence[float] | None = None,
) -> ScenePoses:
    """The poses of a recording's ``/state`` message (``Telemetry.state_record``): vehicle
    COM pose and joint angles; the arm base defaults to ``robots/station/mounts.yaml``.
    Raises ValueError naming the missing field."""
    default_position, default_orientation = _default_arm_base()
    arm_base_position_m = arm_base_position_m or default_position
    arm_base_orientation_xyzw = arm_base_orientation_xyzw or default_orientation
    try:
        vehicle = state["vehicle"]
        return poses_from_joints(
            scene,
            arm_base_position_m=arm_base_position_m,
            arm_base_orientation_xyzw=arm_base_orientation_xyzw,
            joint_angles_rad=state["joints"]["angles_rad"],
            vehicle_position_m=vehicle["position_m"],
            vehicle_orientation_xyzw=vehicle["orientation_xyzw"],
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"/state message lacks {exc}") from None


def ghost_poses(
    scene: Scene,
    seen: ScenePoses,
    lee_position_m: Sequence[float],
    lee_orientation_xyzw: Sequence[float],
    vehicle_position_m: Sequence[float],
    vehicle_orientation_xyzw: Sequence[float],
) -> ScenePoses:
    """The predictive display's ghost (trainer/prediction.py): the vehicle's links at its
    predicted centre-of-mass pose and the LEE's (its housing and frame) moved with the
    predicted LEE frame, from the poses of the snapshot ``seen``."""
    out: dict[str, LinkPose] = {}
    if scene.has("vehicle"):
        body = scene.body("vehicle")
        com = pose_matrix(vehicle_position_m, vehicle_orientation_xyzw)
        for link, m in body_link_frames(body, com @ invert_rigid(body.root_inertial), {}).items():
            out[body.key(link)] = _pose(m)
    if "arm/tip_lee" in seen:
        move = pose_matrix(lee_position_m, lee_orientation_xyzw) @ invert_rigid(
            seen["arm/tip_lee"].matrix()
        )
        for key in ("arm/tip_lee_housing", "arm/tip_lee"):
            if key in seen:
                out[key] = _pose(move @ seen[key].matrix())
    return ScenePoses(out)
