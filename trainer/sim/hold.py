"""A fixed constraint that holds one body's link at a pose in another's, and moves that
pose: the snares' carriage (trainer/sim/snare.py) and the CBM's latches
(trainer/sim/cbm.py) hold a vehicle this way.

pybullet's ``changeConstraint`` can move only the child frame, so the held pose ("where
the child link sits in the parent link's frame") is written as its inverse: the parent's
frame expressed in the child's. The force limit is explicit (docs/PYBULLET_NOTES.md: an
explicit ``maxForce`` is in N, and the default lets a 10 t vehicle slip 0.8 m).
"""

from __future__ import annotations

from collections.abc import Sequence

import pybullet as pb

# 1e9 N is far above any load a capture or a berthing produces: effectively rigid.
CONSTRAINT_MAX_FORCE_N = 1e9


def create_hold(
    client: int,
    parent: tuple[int, int],
    child: tuple[int, int],
    position_m: Sequence[float],
    orientation_xyzw: Sequence[float],
) -> int:
    """A fixed constraint holding ``child`` (body, link) at this pose in ``parent``'s
    link frame; its id."""
    child_p, child_q = pb.invertTransform(position_m, orientation_xyzw)
    cid = pb.createConstraint(
        parent[0],
        parent[1],
        child[0],
        child[1],
        pb.JOINT_FIXED,
        [0, 0, 0],
        [0, 0, 0],
        child_p,
        parentFrameOrientation=[0, 0, 0, 1],
        childFrameOrientation=child_q,
        physicsClientId=client,
    )
    pb.changeConstraint(cid, maxForce=CONSTRAINT_MAX_FORCE_N, physicsClientId=client)
    return int(cid)


def move_hold(
    client: int, cid: int, position_m: Sequence[float], orientation_xyzw: Sequence[float]
) -> None:
    """Hold the child at this pose in the parent's link frame from the next step on."""
    child_p, child_q = pb.invertTransform(position_m, orientation_xyzw)
    pb.changeConstraint(
        cid,
        jointChildPivot=child_p,
        jointChildFrameOrientation=child_q,
        maxForce=CONSTRAINT_MAX_FORCE_N,
        physicsClientId=client,
    )
