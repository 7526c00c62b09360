"""The Latching End Effector's capture mechanism: snare, rigidize, release.

State machine (docs/REFERENCE.md §1.2: snare → rigidize → latch; cargo FRGFs have no latch)::

    open --trigger, inside envelope--> snaring --snare time--> captured --> rigidizing
      ^    \\--trigger, outside-------> missed --reset time--> open          |
      |                                                                     v
      +---------------------------- release <------------------------------ rigid

At the trigger the envelope decides (the judge is injected by the session, so this room
never learns the scoring tiers). Inside the allowed tier the snares catch the shaft: the
wires' grip takes the vehicle's residual motion out over the snare time (grip.py), a
fixed constraint takes over at the pose then (a soft capture, not yet seated) once the
relative motion is gone, and the carriage draws the fixture to the seated pose over the
rigidize time (the motion, and why the held pose moves every physics step: snare.py).
Outside it
the snares close on nothing, or bump the shaft if it is in the mouth (a small impulse on
the vehicle): a miss, after which the snares reopen.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pybullet as pb

from trainer.fixedmath import dot, norm3
from trainer.sim.capture_state import CaptureState
from trainer.sim.grip import SETTLE_TIMEOUT_S
from trainer.sim.metrics import CaptureMetrics
from trainer.sim.rotation import rows_from_quat
from trainer.sim.snare import CarriageDraw, HeldPose
from trainer.sim.world import World

# Timings (docs/REFERENCE.md §1.2, E): snare ≈ 2 s, rigidize ≈ 15–20 s (midpoint taken).
SNARE_TIME_S = 2.0
RIGIDIZE_TIME_S = 17.5
# After a miss the snare wires reopen before another attempt (E: same as closing).
MISS_RESET_TIME_S = SNARE_TIME_S
# The mouth's inner radius (robots/ssrms/README: 8 staves at r ≈ 0.21 m, E): a shaft tip
# inside this radius and past the mouth plane is in the snare ring when the wires close.
MOUTH_RADIUS_M = 0.21
# Snare-bump impulse on a miss (E): the wires closing on a shaft they cannot centre shove
# it sideways; 5 N·s gives Dragon (7.2 t) 0.7 mm/s, a visible but recoverable disturbance.
MISS_IMPULSE_N_S = 5.0
# Seated pose of the FRGF in the LEE frame: base plate drawn flush against the LEE face,
# shaft along the reversed boresight, FRGF +z on the LEE +z up to the cams' 120° symmetry.
SEATED_POSITION_LEE_M: tuple[float, float, float] = (0.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class CaptureEvent:
    """Something the mechanism did, for the session's event log."""

    kind: str  # trigger, snare_closed, miss, rigidize_start, rigid, release
    detail: dict[str, object]


def _seated_orientation(current_q: tuple[float, ...]) -> tuple[float, float, float, float]:
    """Seated FRGF orientation in the LEE frame nearest to ``current_q`` in roll.

    Base seat: FRGF x = -LEE x, FRGF z = LEE z (a half turn about z). The cams allow any
    multiple of 120° about the boresight; pick the one the current roll is closest to."""
    base = pb.getQuaternionFromAxisAngle([0, 0, 1], math.pi)
    best: tuple[float, float, float, float] = (base[0], base[1], base[2], base[3])
    best_dot = -1.0
    for k in range(3):
        roll = pb.getQuaternionFromAxisAngle([1, 0, 0], k * 2 * math.pi / 3)
        _, q = pb.multiplyTransforms([0, 0, 0], roll, [0, 0, 0], base)
        alike = abs(dot(q, current_q))
        if alike > best_dot:
            best_dot = alike
            best = (q[0], q[1], q[2], q[3])
    return best


class LeeCapture:
    """The tip LEE's snares and carriage acting on a World.

    ``judge(metrics)`` returns the envelope tier at the trigger: "full", "allowed" or
    "outside"; only "outside" misses.
    """

    def __init__(self, world: World, judge: Callable[[CaptureMetrics], str]) -> None:
        self.world = world
        self.judge = judge
        self.state = CaptureState.OPEN
        self._phase_start_s = 0.0
        self.trigger_metrics: CaptureMetrics | None = None
        self.trigger_tier: str | None = None

    @property
    def holding(self) -> bool:
        """True while the snares hold the vehicle (soft or rigid)."""
        return self.state.holding

    def trigger(self, now_s: float) -> list[CaptureEvent]:
        """The RHC trigger: close the snares. Ignored unless the LEE is open."""
        if self.state is not CaptureState.OPEN:
            return []
        metrics = self.world.capture_metrics()
        tier = self.judge(metrics)
        self.trigger_metrics = metrics
        self.trigger_tier = tier
        self._phase_start_s = now_s
        events = [CaptureEvent("trigger", {"tier": tier, **metrics.to_dict()})]
        if tier == "outside":
            self.state = CaptureState.MISSED
            events.append(CaptureEvent("miss", self._bump(metrics)))
            return events
        # The wires grip the shaft and take out its motion over the snare time (grip.py).
        self.world.snare.attach(now_s)
        self.state = CaptureState.SNARING
        return events

    def _bump(self, metrics: CaptureMetrics) -> dict[str, object]:
        """Snares closing outside the envelope: on nothing, or shoving the shaft sideways."""
        in_mouth = metrics.axial_depth_m > 0.0 and metrics.lateral_offset_m < MOUTH_RADIUS_M
        if not in_mouth:
            return {"contact": False, "impulse_n_s": 0.0}
        lee = self.world.lee()
        tip = self.world.shaft_tip().position_m.tolist()
        rot = rows_from_quat(lee.orientation_xyzw.tolist())
        boresight = (rot[0][0], rot[1][0], rot[2][0])  # the LEE's x axis in the world
        lee_pos = lee.position_m.tolist()
        offset = (tip[0] - lee_pos[0], tip[1] - lee_pos[1], tip[2] - lee_pos[2])
        along = dot(offset, boresight)
        radial = tuple(o - along * b for o, b in zip(offset, boresight, strict=True))
        norm = norm3(radial)
        direction = (
            tuple(r / norm for r in radial) if norm > 1e-6 else (rot[0][2], rot[1][2], rot[2][2])
        )
        self.world.apply_vehicle_impulse([MISS_IMPULSE_N_S * d for d in direction], tip)
        return {"contact": True, "impulse_n_s": MISS_IMPULSE_N_S}

    def hold_rigid(self, now_s: float) -> list[CaptureEvent]:
        """The vehicle is already rigidized on the LEE when the session starts (a berthing
        begins where a capture ends): the fixed constraint at the present pose, which is
        the seated one, with no snare or draw. Ignored unless the LEE is open."""
        if self.state is not CaptureState.OPEN:
            return []
        self.world.snare.attach(now_s)
        self.world.snare.rigidize()
        self.state = CaptureState.RIGID
        self._phase_start_s = now_s
        return [CaptureEvent("rigid", {})]

    def release(self, now_s: float) -> list[CaptureEvent]:
        """Open the snares and let the vehicle go."""
        if not self.holding:
            return []
        self.world.snare.release()
        self.state = CaptureState.OPEN
        self._phase_start_s = now_s
        return [CaptureEvent("release", {})]

    def update(self, now_s: float) -> list[CaptureEvent]:
        """Advance the mechanism to ``now_s`` (call once per control tick)."""
        self.world.snare.settle()
        elapsed = now_s - self._phase_start_s
        if self.state is CaptureState.MISSED and elapsed >= MISS_RESET_TIME_S:
            self.state = CaptureState.OPEN
            self._phase_start_s = now_s
            return [CaptureEvent("snares_open", {})]
        if self.state is CaptureState.SNARING and elapsed >= SNARE_TIME_S:
            # The fixed constraint takes over once the grip has stopped the relative
            # motion (a runaway: after the timeout, whatever is left).
            snare = self.world.snare
            if not snare.settled and elapsed < SNARE_TIME_S + SETTLE_TIMEOUT_S:
                return []
            motion = snare.relative_motion() or (0.0, 0.0)
            snare.rigidize()
            self.state = CaptureState.CAPTURED
            self._phase_start_s = now_s
            return [
                CaptureEvent(
                    "snare_closed",
                    {
                        "residual_speed_m_s": motion[0],
                        "residual_rate_deg_s": math.degrees(motion[1]),
                    },
                )
            ]
        elif self.state is CaptureState.CAPTURED:
            held = self.world.snare.pose_in_lee()
            assert held is not None  # held since the trigger
            seated: HeldPose = (SEATED_POSITION_LEE_M, _seated_orientation(held[1]))
            self.world.snare.follow(CarriageDraw(now_s, RIGIDIZE_TIME_S, held, seated))
            self.state = CaptureState.RIGIDIZING
            self._phase_start_s = now_s
            return [CaptureEvent("rigidize_start", {})]
        elif self.state is CaptureState.RIGIDIZING and elapsed >= RIGIDIZE_TIME_S:
            self.state = CaptureState.RIGID
            self._phase_start_s = now_s
            return [CaptureEvent("rigid", {})]
        return []
