"""The physical joint of a capture: the constraint the LEE's snares and carriage put
between the tip LEE frame and the FRGF frame.

``LeeCapture`` (capture.py) decides *when* to snare, rigidize and release; this module is
*how* pybullet holds the vehicle, in two stages:

* the grip (grip.py): while the wires close, a spring-damper between the LEE and the FRGF
  takes the vehicle's residual motion out over the snare time;
* the hold: once the two move together (``settled``), a fixed constraint is created at
  their pose then (a soft capture: not yet seated), whose held pose then follows the draw
  (``CarriageDraw``): the carriage pulls the fixture to the seated pose over the rigidize
  time, smoothstep in position (centring the shaft on the boresight too), slerp in
  attitude (docs/PYBULLET_NOTES.md: slew the child frame; ends exact).

The held pose is re-set before every physics step, not once per control tick. Measured
(fixture drawn 0.17 m over 17.5 s, arm drives holding still): moving the pose in 1/60 s
jumps made the solver yank at each jump, with ~900 N through the constraint and the joint
drives at their 2,332 N·m limit for 13 s; per step, ~10–50 N and ≤ 273 N·m, the ~24 N
that accelerating a 7.2 t Dragon along the smoothstep needs plus solver noise.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import pybullet as pb

from trainer.sim.grip import (
    SETTLED_RATE_RAD_S,
    SETTLED_SPEED_M_S,
    GripGains,
    GripWrench,
    apply_grip,
    grip_fraction,
    grip_wrench,
)
from trainer.sim.hold import create_hold, move_hold

if TYPE_CHECKING:
    from trainer.sim.world import World


# After a release the LEE and fixture collide again only once no pair of their shapes is
# closer than this (D). Turning collisions on while shapes overlap makes the solver's
# penetration recovery push them apart, a kick nobody flew: measured with the base plate
# 5 mm into the snare ring faces, 2.4 cm/s on the 7.2 t Dragon model within a second
# (tests/sim/test_capture.py holds it below 1 mm/s).
REARM_CLEARANCE_M = 0.005

Vec3 = tuple[float, float, float]
Quat = tuple[float, float, float, float]  # x, y, z, w (pybullet order)
HeldPose = tuple[Vec3, Quat]  # the FRGF frame in the LEE frame
_ZERO3: Vec3 = (0.0, 0.0, 0.0)


def slerp(q0: Sequence[float], q1: Sequence[float], s: float) -> Quat:
    """Shortest-arc interpolation between unit quaternions, s ∈ [0, 1]."""
    a0, a1, a2, a3 = q0
    b0, b1, b2, b3 = q1
    d = a0 * b0 + a1 * b1 + a2 * b2 + a3 * b3
    if d < 0.0:
        b0, b1, b2, b3, d = -b0, -b1, -b2, -b3, -d
    if d > 0.9995:
        w0, w1 = 1.0 - s, s
    else:
        theta = math.acos(d)
        w0 = math.sin((1.0 - s) * theta) / math.sin(theta)
        w1 = math.sin(s * theta) / math.sin(theta)
    x, y, z, w = (w0 * a0 + w1 * b0, w0 * a1 + w1 * b1, w0 * a2 + w1 * b2, w0 * a3 + w1 * b3)
    n = math.sqrt(x * x + y * y + z * z + w * w)
    return (x / n, y / n, z / n, w / n)


def smoothstep(s: float) -> float:
    s = min(1.0, max(0.0, s))
    return s * s * (3.0 - 2.0 * s)


class HeldPoseMotion(Protocol):
    """Where the constraint holds the FRGF in the LEE frame as a function of time."""

    @property
    def end_s(self) -> float: ...

    def pose_at(self, t_s: float) -> HeldPose: ...


@dataclass(frozen=True, slots=True)
class CarriageDraw:
    """The carriage drawing the fixture from ``start`` to ``seated`` over ``duration_s``."""

    start_s: float
    duration_s: float
    start: HeldPose
    seated: HeldPose

    @property
    def end_s(self) -> float:
        return self.start_s + self.duration_s

    def pose_at(self, t_s: float) -> HeldPose:
        s = smoothstep((t_s - self.start_s) / self.duration_s)
        (p0, q0), (p1, q1) = self.start, self.seated
        position = (
            p0[0] + s * (p1[0] - p0[0]),
            p0[1] + s * (p1[1] - p0[1]),
            p0[2] + s * (p1[2] - p0[2]),
        )
        return position, slerp(q0, q1, s)


class SnareConstraint:
    """The LEE–FRGF constraint of one world; ``held`` while a vehicle is captured."""

    def __init__(self, world: World) -> None:
        self._world = world
        self._cid: int | None = None
        self._pose: HeldPose = ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0, 1.0))
        self._motion: HeldPoseMotion | None = None
        # Released, but the LEE–fixture collisions are still filtered (see settle()).
        self._rearm_pending = False
        # The grip while the wires close (grip.py): when it started, its gains, and what it
        # did in the last physics step.
        self._grip_start_s: float | None = None
        self._gains: GripGains | None = None
        self._wrench: GripWrench | None = None

    @property
    def held(self) -> bool:
        """True from the trigger (the wires grip) until the release."""
        return self._cid is not None or self._grip_start_s is not None

    @property
    def gripping(self) -> bool:
        """True while the wires' spring-damper holds the vehicle (before ``rigidize``)."""
        return self._grip_start_s is not None

    @property
    def collisions_filtered(self) -> bool:
        """True while the LEE and the fixture pass through each other (held, or released
        and not yet clear of each other)."""
        return self.held or self._rearm_pending

    def _link_pairs(self) -> list[tuple[int, int]]:
        w = self._world
        return [
            (arm_link, veh_link)
            for arm_link in (w.arm_links["tip_lee_housing"], w.tip_lee_link)
            for veh_link in (-1, w.frgf_link, w.frgf_tip_link)
        ]

    def _lee_fixture_collisions(self, enabled: bool) -> None:
        """LEE and fixture shapes overlap once snared: their collisions are filtered while
        the constraint holds them (an overlap explodes the solver, docs/PYBULLET_NOTES.md)."""
        w = self._world
        for arm_link, veh_link in self._link_pairs():
            pb.setCollisionFilterPair(
                w.arm, w.vehicle, arm_link, veh_link, int(enabled), physicsClientId=w.client
            )

    def _relative_pose(self) -> HeldPose:
        """Where the FRGF frame is in the LEE frame now."""
        w = self._world
        lee = w.lee()
        fix = w.fixture()
        inv_p, inv_q = pb.invertTransform(lee.position_m.tolist(), lee.orientation_xyzw.tolist())
        rel_p, rel_q = pb.multiplyTransforms(
            inv_p, inv_q, fix.position_m.tolist(), fix.orientation_xyzw.tolist()
        )
        return (rel_p[0], rel_p[1], rel_p[2]), (rel_q[0], rel_q[1], rel_q[2], rel_q[3])

    def attach(self, now_s: float) -> HeldPose:
        """The wires close on the shaft at ``now_s``: from the next physics step on, the grip
        takes out the relative motion (grip.py). Returns the FRGF's pose in the LEE frame
        now; already held: the held pose."""
        if self.held:
            return self._pose
        w = self._world
        self._lee_fixture_collisions(False)
        self._rearm_pending = False
        self._pose = self._relative_pose()
        info = pb.getDynamicsInfo(w.vehicle, -1, physicsClientId=w.client)
        self._gains = GripGains.for_vehicle(w.vehicle_mass_kg, info[2])
        self._grip_start_s = now_s
        self._wrench = None
        return self._pose

    @property
    def settled(self) -> bool:
        """True once the grip has taken the relative motion out (``rigidize`` may follow)."""
        wrench = self._wrench
        return (
            wrench is not None
            and wrench.relative_speed_m_s <= SETTLED_SPEED_M_S
            and wrench.relative_rate_rad_s <= SETTLED_RATE_RAD_S
        )

    def relative_motion(self) -> tuple[float, float] | None:
        """Relative speed (m/s) and rate (rad/s) the grip acted on in the last step."""
        wrench = self._wrench
        if wrench is None:
            return None
        return wrench.relative_speed_m_s, wrench.relative_rate_rad_s

    def rigidize(self) -> HeldPose:
        """The fixed constraint takes over from the grip, at the pose the FRGF has now in
        the LEE frame (no jump: the grip has stopped the relative motion). Returns it."""
        if self._cid is not None:
            return self._pose
        rel_p, rel_q = self._relative_pose()
        self._create(rel_p, rel_q)
        self._grip_start_s = None
        self._pose = (rel_p, rel_q)
        return self._pose

    def _create(self, rel_p: Sequence[float], rel_q: Sequence[float]) -> None:
        w = self._world
        # The FRGF held at "where it sits in the LEE" (trainer/sim/hold.py).
        self._cid = create_hold(
            w.client, (w.arm, w.tip_lee_link), (w.vehicle, w.frgf_link), rel_p, rel_q
        )

    @property
    def moving(self) -> bool:
        """True while the grip acts or the held pose follows a motion: ``before_step``
        must run before every physics step."""
        return self._motion is not None or self._grip_start_s is not None

    def before_step(self, t_s: float) -> None:
        """Called by World.step before each physics step, ``t_s`` the time at the step's
        end: apply the grip's forces, or move the held pose along its motion."""
        if self._grip_start_s is not None:
            self._grip(t_s)
        else:
            self.track(t_s)

    def _grip(self, t_s: float) -> None:
        w = self._world
        c = w.client
        assert self._gains is not None and self._grip_start_s is not None  # set by attach
        lee = pb.getLinkState(w.arm, w.tip_lee_link, 1, 1, physicsClientId=c)
        fix = pb.getLinkState(w.vehicle, w.frgf_link, 1, 1, physicsClientId=c)
        wrench = grip_wrench(
            self._gains,
            grip_fraction(t_s - self._grip_start_s),
            (lee[0], lee[6], lee[7]),
            (fix[0], fix[6], fix[7]),
        )
        apply_grip(c, w.arm, w.tip_lee_link, w.vehicle, w.spec.vehicle_fixed, wrench)
        self._wrench = wrench

    def follow(self, motion: HeldPoseMotion | None) -> None:
        """From the next physics step on, hold the FRGF where ``motion`` says (None: stay)."""
        self._motion = motion if self._cid is not None else None

    def track(self, t_s: float) -> None:
        """Set the held pose to the motion's pose at ``t_s`` (World.step calls this before
        each physics step with the time at the step's end); the motion ends at its end."""
        motion = self._motion
        if motion is None:
            return
        self.move(*motion.pose_at(t_s))
        if t_s >= motion.end_s:
            self._motion = None

    def move(
        self, position_in_lee_m: Sequence[float], orientation_in_lee_xyzw: Sequence[float]
    ) -> None:
        """Hold the FRGF at this pose in the LEE frame."""
        if self._cid is None:
            return
        move_hold(self._world.client, self._cid, position_in_lee_m, orientation_in_lee_xyzw)
        p, q = position_in_lee_m, orientation_in_lee_xyzw
        self._pose = ((p[0], p[1], p[2]), (q[0], q[1], q[2], q[3]))

    def pose_in_lee(self) -> HeldPose | None:
        """Where the grip or the constraint holds the FRGF frame in the LEE frame, or None
        when free."""
        return self._pose if self.held else None

    def load(self) -> tuple[Vec3, Vec3] | None:
        """Force (N) and torque (N·m) the constraint applies, or None when free."""
        if self._grip_start_s is not None:
            wrench = self._wrench
            if wrench is None:
                return _ZERO3, _ZERO3
            f, t = wrench.force_n, wrench.torque_n_m
            return (f[0], f[1], f[2]), (t[0], t[1], t[2])
        if self._cid is None:
            return None
        s = pb.getConstraintState(self._cid, physicsClientId=self._world.client)
        return (s[0], s[1], s[2]), (s[3], s[4], s[5])

    def release(self) -> None:
        """Open the snares: the vehicle is free; the LEE and fixture collide again once
        they are apart (``settle``)."""
        if not self.held:
            return
        if self._cid is not None:
            pb.removeConstraint(self._cid, physicsClientId=self._world.client)
        self._cid = None
        self._grip_start_s = None
        self._wrench = None
        self._motion = None
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
