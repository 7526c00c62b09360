"""Test helper shared by the contact tests of the world and of the session: the vehicle
aimed straight at the arm's nearest point, a little short of it."""

from __future__ import annotations

import numpy as np
import pybullet as pb

from trainer.sim.world import World


def aim_vehicle_at_the_arm(world: World, speed_m_s: float, gap_m: float = 0.02) -> None:
    """Place the vehicle ``gap_m`` short of the arm's nearest point, moving at it at
    ``speed_m_s`` without rotating."""
    c = world.client
    nearest = min(
        pb.getClosestPoints(world.vehicle, world.arm, 20.0, physicsClientId=c),
        key=lambda pt: pt[8],
    )
    on_vehicle, on_arm = np.asarray(nearest[5]), np.asarray(nearest[6])
    direction = (on_arm - on_vehicle) / np.linalg.norm(on_arm - on_vehicle)
    pos, orn = pb.getBasePositionAndOrientation(world.vehicle, physicsClientId=c)
    start = np.asarray(pos) + direction * (float(nearest[8]) - gap_m)
    pb.resetBasePositionAndOrientation(world.vehicle, start.tolist(), orn, physicsClientId=c)
    pb.resetBaseVelocity(
        world.vehicle, (direction * speed_m_s).tolist(), [0, 0, 0], physicsClientId=c
    )
