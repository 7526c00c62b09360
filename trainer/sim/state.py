"""What the world hands out: frozen records of poses, velocities and the per-tick snapshot,
in the world frame (docs/DESIGN.md §3). Built by ``trainer.sim.world.World``; read by the session,
the capture mechanism and the telemetry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from trainer.sim.metrics import Pose
from trainer.sim.rotation import matrix_from_quat

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class VehicleState:
    """Vehicle centre-of-mass state in the world frame."""

    position_m: FloatArray
    velocity_m_s: FloatArray
    orientation_xyzw: FloatArray
    angular_velocity_rad_s: FloatArray


@dataclass(frozen=True, slots=True)
class FramePose:
    """A named frame's pose and velocity in the world frame."""

    position_m: FloatArray
    orientation_xyzw: FloatArray
    linear_velocity_m_s: FloatArray
    angular_velocity_rad_s: FloatArray

    def pose(self) -> Pose:
        p = self.position_m
        q = self.orientation_xyzw
        return Pose(
            (float(p[0]), float(p[1]), float(p[2])),
            (float(q[0]), float(q[1]), float(q[2]), float(q[3])),
        )

    def rotation(self) -> FloatArray:
        return matrix_from_quat(self.orientation_xyzw)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything the session reads each control tick, as plain float tuples in the world
    frame, gathered with the fewest pybullet queries (one per link and one for the joints).
    Names follow ``trainer.telemetry`` (``shaft_tip`` is the FRGF ball centre, ``lee`` the
    tip LEE origin, ``frgf`` the fixture frame)."""

    lee_position_world_m: tuple[float, float, float]
    lee_orientation_world_xyzw: tuple[float, float, float, float]
    lee_velocity_world_m_s: tuple[float, float, float]
    lee_angular_velocity_world_rad_s: tuple[float, float, float]
    shaft_tip_position_world_m: tuple[float, float, float]
    shaft_tip_velocity_world_m_s: tuple[float, float, float]
    frgf_position_world_m: tuple[float, float, float]
    frgf_orientation_world_xyzw: tuple[float, float, float, float]
    vehicle_position_world_m: tuple[float, float, float]
    vehicle_orientation_world_xyzw: tuple[float, float, float, float]
    vehicle_velocity_world_m_s: tuple[float, float, float]
    vehicle_angular_velocity_world_rad_s: tuple[float, float, float]
    joint_angles_rad: tuple[float, ...]
    joint_rates_rad_s: tuple[float, ...]
    joint_torques_nm: tuple[float, ...]


Vec3Like = Sequence[float]


@dataclass(frozen=True, slots=True)
class TickStartMotion:
    """How the bodies moved before the last ``World.step()``: the vehicle's COM position,
    velocity and angular velocity and the arm's joint states (pybullet tuples), as read
    after the step before. Contacts are judged by these (trainer/sim/contacts.py): after
    the step the solver has already stopped the bodies."""

    vehicle_position_m: Vec3Like
    vehicle_velocity_m_s: Vec3Like
    vehicle_angular_velocity_rad_s: Vec3Like
    joint_states: Sequence[Sequence[float]]
