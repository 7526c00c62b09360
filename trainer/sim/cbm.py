"""The active Common Berthing Mechanism on Harmony's nadir port acting on a World: its
four ready-to-latch (RTL) switches, four capture latches and sixteen powered bolts
(docs/REFERENCE.md §10; every number: trainer/sim/cbm_geometry.py).

* RTL switches are plungers on the ACBM's face: one is made while the berthing Dragon's
  PCBM face is within its travel of the ACBM face above it (read from the PCBM's pose,
  trainer/sim/cbm_metrics.py ``rtl_separations``).
* First-stage capture: the four latches close and draw the PCBM from where it is to the
  first-stage gap, aligned with the port. Physically a fixed constraint between the ACBM
  ring and the PCBM, created at their pose then (no jump), whose held pose follows the
  draw and is moved before every physics step, as the LEE's carriage draw is
  (trainer/sim/snare.py; docs/PYBULLET_NOTES.md: a pose moved per tick makes the solver
  yank). A stalled latch stops the draw where it is.
* Second-stage capture: the sixteen bolts draw the rings together, one bolt after
  another, to the seated pose.
* While the latches hold, the rings' collisions are filtered: the mechanism, not the
  contact solver, decides where the PCBM sits (two bodies held into each other by a
  constraint would fight it). Released (an abort), collisions return once the rings are
  clear of each other, as after a snare release.

The arm that holds Dragon does not fight the latches: the berthing task makes it limp
(trainer/sim/drives.py). Nothing here imports the layers above (docs/DESIGN.md §2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pybullet as pb

from trainer.sim.cbm_metrics import rtl_separations
from trainer.sim.hold import create_hold, move_hold
from trainer.sim.snare import REARM_CLEARANCE_M, CarriageDraw, HeldPose

if TYPE_CHECKING:
    from trainer.sim.world import World

Vec3 = tuple[float, float, float]
# First stage leaves the rings this far apart for the bolts (E: the last centimetre is
# the bolts' preload stroke).
FIRST_STAGE_GAP_M = 0.01
# The PCBM in the port frame, mated: faces together, half a turn about the port's z.
SEATED: HeldPose = ((0.0, 0.0, 0.0), (0.0, 0.0, 1.0, 0.0))
FIRST_STAGE: HeldPose = ((FIRST_STAGE_GAP_M, 0.0, 0.0), (0.0, 0.0, 1.0, 0.0))


@dataclass(frozen=True, slots=True)
class HeldDraw:
    """A draw that may stop early: the held pose follows ``draw`` until ``stop_s``."""

    draw: CarriageDraw
    stop_s: float

    @property
    def end_s(self) -> float:
        return min(self.stop_s, self.draw.end_s)

    def pose_at(self, t_s: float) -> HeldPose:
        return self.draw.pose_at(min(t_s, self.stop_s))


class BerthingMechanism:
    """The ACBM of one world (module docstring). The World steps it while it moves."""

    def __init__(self, world: World) -> None:
        self._world = world
        self._ring = world.station_links["cbm_ring"]
        self._station_parts = [
            index for name, index in world.station_links.items() if name.startswith("cbm_")
        ]
        self._pcbm = world.vehicle_links["pcbm"]
        self._cid: int | None = None
        self._pose: HeldPose = SEATED
        self._motion: HeldDraw | None = None
        self._rearm_pending = False
        world.mechanisms.append(self)

    # ------------------------------------------------------------------ state
    @property
    def holding(self) -> bool:
        """True while the latches (and later the bolts) hold the PCBM."""
        return self._cid is not None

    @property
    def moving(self) -> bool:
        return self._motion is not None

    def pcbm(self) -> tuple[Vec3, tuple[float, float, float, float]]:
        """The PCBM frame in the world now (position m, orientation xyzw)."""
        pose = self._world.vehicle_link("pcbm")
        p, q = pose.position_m.tolist(), pose.orientation_xyzw.tolist()
        return (p[0], p[1], p[2]), (q[0], q[1], q[2], q[3])

    def rtl_separations(self) -> tuple[tuple[float, float], ...]:
        return rtl_separations(*self.pcbm())

    def held_pose(self) -> HeldPose | None:
        """Where the mechanism holds the PCBM in the port frame, or None when free."""
        return self._pose if self.holding else None

    # ------------------------------------------------------------------ commands
    def _relative_pose(self) -> HeldPose:
        """The PCBM frame in the port (ACBM ring) frame now."""
        w = self._world
        c = w.client
        assert w.station is not None  # the mechanism is built only with a station
        ring = pb.getLinkState(w.station, self._ring, computeForwardKinematics=1, physicsClientId=c)
        pcbm_p, pcbm_q = self.pcbm()
        inv_p, inv_q = pb.invertTransform(ring[0], ring[1])
        rel_p, rel_q = pb.multiplyTransforms(inv_p, inv_q, list(pcbm_p), list(pcbm_q))
        return (rel_p[0], rel_p[1], rel_p[2]), (rel_q[0], rel_q[1], rel_q[2], rel_q[3])

    def _collisions(self, enabled: bool) -> None:
        w = self._world
        assert w.station is not None
        for part in self._station_parts:
            for link in [-1, *w.vehicle_links.values()]:
                pb.setCollisionFilterPair(
                    w.station, w.vehicle, part, link, int(enabled), physicsClientId=w.client
                )

    def first_stage(self, now_s: float, duration_s: float, stall_fraction: float | None) -> None:
        """The capture latches close: from the next physics step they draw the PCBM to the
        first-stage gap over ``duration_s`` (stopping at ``stall_fraction`` of the draw
        when a latch stalls)."""
        if self._cid is not None:
            return
        w = self._world
        assert w.station is not None
        self._collisions(False)
        self._rearm_pending = False
        start = self._relative_pose()
        self._cid = create_hold(
            w.client, (w.station, self._ring), (w.vehicle, self._pcbm), start[0], start[1]
        )
        self._pose = start
        draw = CarriageDraw(now_s, duration_s, start, FIRST_STAGE)
        stop = draw.end_s if stall_fraction is None else now_s + stall_fraction * duration_s
        self._motion = HeldDraw(draw, stop)

    def second_stage(self, now_s: float, duration_s: float) -> None:
        """The bolts draw the rings together, from the held pose to seated."""
        if self._cid is None:
            return
        draw = CarriageDraw(now_s, duration_s, self._pose, SEATED)
        self._motion = HeldDraw(draw, draw.end_s)

    def before_step(self, t_s: float) -> None:
        """World.step calls this before each physics step (``t_s`` the step's end)."""
        motion = self._motion
        if motion is None or self._cid is None:
            return
        p, q = motion.pose_at(t_s)
        move_hold(self._world.client, self._cid, p, q)
        self._pose = (p, q)
        if t_s >= motion.end_s:
            self._motion = None

    def release(self) -> None:
        """The latches open (an abort): the PCBM is free; the rings collide again once
        they are clear of each other (``settle``)."""
        if self._cid is None:
            return
        pb.removeConstraint(self._cid, physicsClientId=self._world.client)
        self._cid = None
        self._motion = None
        self._rearm_pending = True
        self.settle()

    def settle(self) -> None:
        """After a release, turn the rings' collisions back on once no shapes are within
        ``REARM_CLEARANCE_M`` (call once per control tick)."""
        if not self._rearm_pending:
            return
        w = self._world
        assert w.station is not None
        for part in self._station_parts:
            if pb.getClosestPoints(
                w.station, w.vehicle, REARM_CLEARANCE_M, part, -1, physicsClientId=w.client
            ):
                return
            for link in w.vehicle_links.values():
                if pb.getClosestPoints(
                    w.station, w.vehicle, REARM_CLEARANCE_M, part, link, physicsClientId=w.client
                ):
                    return
        self._collisions(True)
        self._rearm_pending = False

    def load(self) -> tuple[Vec3, Vec3] | None:
        """Force (N) and torque (N·m) through the latches or bolts, or None when free."""
        if self._cid is None:
            return None
        s = pb.getConstraintState(self._cid, physicsClientId=self._world.client)
        return (s[0], s[1], s[2]), (s[3], s[4], s[5])
