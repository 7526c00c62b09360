"""The physical joint of a capture: the constraint the LEE's snares and carriage put
between the tip LEE frame and the FRGF frame.

``LeeCapture`` (capture.py) decides *when* to snare, rigidize and release; this module is
*how* pybullet holds the vehicle: a fixed constraint created at the misaligned pose (a soft
capture), whose held pose is then slewed to the seated pose (PYBULLET_NOTES: ends exact).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pybullet as pb

if TYPE_CHECKING:
    from trainer.sim.world import World

FloatArray = npt.NDArray[np.float64]
# PYBULLET_NOTES: an explicit maxForce is in N and the default lets a 10 t vehicle slip
# 0.8 m; 1e9 N is far above any load a capture produces, i.e. effectively rigid.
CONSTRAINT_MAX_FORCE_N = 1e9
# After a release the LEE and fixture collide again only once no pair of their shapes is
# closer than this (D). Turning collisions on while shapes overlap makes the solver's
# penetration recovery push them apart, a kick nobody flew: measured with the base plate
# 5 mm into the snare ring faces, 2.4 cm/s on the 7.2 t Dragon model within a second
# (tests/sim/test_capture.py holds it below 1 mm/s).
REARM_CLEARANCE_M = 0.005


class SnareConstraint:
    """The LEE–FRGF constraint of one world; ``held`` while a vehicle is captured."""

    def __init__(self, world: World) -> None:
        self._world = world
        self._cid: int | None = None
        self._pose: tuple[tuple[float, ...], tuple[float, ...]] = (
            (0.0, 0.0, 0.0),
            (0.0, 0.0, 0.0, 1.0),
        )
        # Released, but the LEE–fixture collisions are still filtered (see settle()).
        self._rearm_pending = False

    @property
    def held(self) -> bool:
        return self._cid is not None

    @property
    def collisions_filtered(self) -> bool:
        """True while the LEE and the fixture pass through each other (held, or released
        and not yet clear of each other)."""
        return self._cid is not None or self._rearm_pending

    def _link_pairs(self) -> list[tuple[int, int]]:
        w = self._world
        return [
            (arm_link, veh_link)
            for arm_link in (w.arm_links["tip_lee_housing"], w.tip_lee_link)
            for veh_link in (-1, w.frgf_link, w.frgf_tip_link)
        ]

    def _lee_fixture_collisions(self, enabled: bool) -> None:
        """LEE and fixture shapes overlap once snared: their collisions are filtered while
        the constraint holds them (an overlap explodes the solver, PYBULLET_NOTES)."""
        w = self._world
        for arm_link, veh_link in self._link_pairs():
            pb.setCollisionFilterPair(
                w.arm, w.vehicle, arm_link, veh_link, int(enabled), physicsClientId=w.client
            )

    def attach(self) -> None:
        """Constrain the FRGF to the LEE at their current relative pose (a soft capture)."""
        if self._cid is not None:
            return
        w = self._world
        lee = w.lee()
        fix = w.fixture()
        # FRGF frame expressed in the LEE frame, now.
        inv_p, inv_q = pb.invertTransform(lee.position_m.tolist(), lee.orientation_xyzw.tolist())
        rel_p, rel_q = pb.multiplyTransforms(
            inv_p, inv_q, fix.position_m.tolist(), fix.orientation_xyzw.tolist()
        )
        self._lee_fixture_collisions(False)
        self._rearm_pending = False
        # Parent frame: the LEE frame itself; child frame: the LEE frame expressed in the FRGF
        # frame. changeConstraint can move only the child frame, so the rigidize slew is
        # written as the inverse of "where the FRGF sits in the LEE".
        child_p, child_q = pb.invertTransform(rel_p, rel_q)
        cid = pb.createConstraint(
            w.arm,
            w.tip_lee_link,
            w.vehicle,
            w.frgf_link,
            pb.JOINT_FIXED,
            [0, 0, 0],
            [0, 0, 0],
            child_p,
            parentFrameOrientation=[0, 0, 0, 1],
            childFrameOrientation=child_q,
            physicsClientId=w.client,
        )
        pb.changeConstraint(cid, maxForce=CONSTRAINT_MAX_FORCE_N, physicsClientId=w.client)
        self._cid = int(cid)
        self._pose = (tuple(rel_p), tuple(rel_q))

    def move(
        self, position_in_lee_m: Sequence[float], orientation_in_lee_xyzw: Sequence[float]
    ) -> None:
        """Slew the held FRGF pose in the LEE frame (the snares centre, the carriage seats)."""
        if self._cid is None:
            return
        child_p, child_q = pb.invertTransform(
            list(position_in_lee_m), list(orientation_in_lee_xyzw)
        )
        pb.changeConstraint(
            self._cid,
            jointChildPivot=child_p,
            jointChildFrameOrientation=child_q,
            maxForce=CONSTRAINT_MAX_FORCE_N,
            physicsClientId=self._world.client,
        )
        self._pose = (tuple(position_in_lee_m), tuple(orientation_in_lee_xyzw))

    def pose_in_lee(self) -> tuple[tuple[float, ...], tuple[float, ...]] | None:
        """Where the constraint holds the FRGF frame in the LEE frame, or None when free."""
        return self._pose if self._cid is not None else None

    def load(self) -> tuple[FloatArray, FloatArray] | None:
        """Force (N) and torque (N·m) the constraint applies, or None when free."""
        if self._cid is None:
            return None
        s = pb.getConstraintState(self._cid, physicsClientId=self._world.client)
        return np.array(s[:3]), np.array(s[3:6])

    def release(self) -> None:
        """Open the snares: the vehicle is free; the LEE and fixture collide again once
        they are apart (``settle``)."""
        if self._cid is None:
            return
        pb.removeConstraint(self._cid, physicsClientId=self._world.client)
        self._cid = None
        self._rearm_pending = True
        self.settle()

    def settle(self) -> None:
        """After a release, turn the LEE–fixture collisions back on as soon as none of
        their shapes are within ``REARM_CLEARANCE_M`` (call once per control tick; free
        when nothing is pending). getClosestPoints ignores the collision filter."""
        if not self._rearm_pending:
            return
        w = self._world
        for arm_link, veh_link in self._link_pairs():
            if pb.getClosestPoints(
                w.arm,
                w.vehicle,
                REARM_CLEARANCE_M,
                arm_link,
                veh_link,
                physicsClientId=w.client,
            ):
                return
        self._lee_fixture_collisions(True)
        self._rearm_pending = False
