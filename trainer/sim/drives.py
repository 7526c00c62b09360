"""The SSRMS joint drives and brakes, as pybullet motors (docs/REFERENCE.md §1, docs/PYBULLET_NOTES.md).

* A free joint is a VELOCITY_CONTROL motor at its rate demand with the real joint torque
  (URDF velocity and effort limits are ignored by the motors, so the rate is clamped here
  to ±4 °/s and cut to zero at the ±270° stops).
* A braked joint is a POSITION_CONTROL motor holding the angle where the brake gripped,
  with at most the slip torque: a zero-rate velocity motor lets a loaded joint creep
  (≈0.1° in 2 s under 100 N at the tip, measured). A brake that slipped grips again where
  the joint now is; a stuck brake (a scenario fault) stays on whatever is commanded.

Motor targets persist in pybullet until changed, so a command is sent only when the demand
or the brakes change: the controller repeats itself every tick (docs/DESIGN.md §9 budget).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pybullet as pb

from trainer.errors import SimulationDivergedError
from trainer.sim.joints import (
    JOINT_LIMIT_RAD,
    JOINT_NAMES,
    JOINT_RATE_LIMIT_RAD_S,
    JOINT_TORQUE_LIMIT_NM,
)

# Brake slip torque: no public number (E). The brakes must hold the arm against its own
# drives, so they are set 1.5x the drive torque; a harder load (an impact) slips them.
BRAKE_SLIP_TORQUE_NM = 1.5 * JOINT_TORQUE_LIMIT_NM
# Past this much motion from where it gripped, a brake has slipped (E: well above the
# position motor's steady-state error, well below anything a crew would not notice).
BRAKE_SLIP_REARM_RAD = math.radians(0.05)
# Keep a small margin from the hard stop: the rate command is cut so that one control tick
# at full rate cannot cross it.
JOINT_LIMIT_MARGIN_RAD = math.radians(0.5)
# A limp arm (first-stage capture of a berthing, docs/REFERENCE.md §10): each free drive
# holds zero rate with at most this torque, so it yields to any real load instead of
# fighting the capture latches (E: 5 % of the 2,332 N·m drive torque keeps the joints
# from wandering under the solver's noise; the latches need ≈ 15-60 N at the LEE, ≈ 8 m
# from the shoulder, to move it).
LIMP_TORQUE_NM = 0.05 * JOINT_TORQUE_LIMIT_NM


class JointDrives:
    """The seven drives of one arm body; the World owns one and delegates to it."""

    def __init__(self, client: int, arm: int, joint_indices: Sequence[int]) -> None:
        self._client = client
        self._arm = arm
        self._joints = list(joint_indices)
        n = len(JOINT_NAMES)
        self._rate_command = [0.0] * n
        self._brakes = [False] * n
        self._brake_stuck = [False] * n
        self._brake_angle: list[float | None] = [None] * n
        self._limp = False
        self._send()

    def command(self, q_rad: Sequence[float], rates_rad_s: Sequence[float]) -> None:
        """Set the rate demand (rad/s), held until the next command; ``q_rad`` are the
        joint angles now (for the cut at the stops)."""
        if len(rates_rad_s) != len(JOINT_NAMES):
            raise ValueError(f"expected {len(JOINT_NAMES)} joint rates, got {len(rates_rad_s)}")
        edge = JOINT_LIMIT_RAD - JOINT_LIMIT_MARGIN_RAD
        limit = JOINT_RATE_LIMIT_RAD_S
        rates = [float(rate) for rate in rates_rad_s]
        if not math.isfinite(sum(rates)):  # one check while every term is finite
            for i, r in enumerate(rates):
                if not math.isfinite(r):
                    raise SimulationDivergedError(
                        f"joint rate command for {JOINT_NAMES[i]} is not finite ({r})"
                    )
        out = [-limit if r < -limit else limit if r > limit else r for r in rates]
        if max(map(abs, q_rad)) >= edge:  # a joint at a stop: no rate further into it
            for i, r in enumerate(out):
                if (r > 0.0 and q_rad[i] >= edge) or (r < 0.0 and q_rad[i] <= -edge):
                    out[i] = 0.0
        if out != self._rate_command:
            self._rate_command = out
            self._send()

    def set_brakes(self, engaged: bool | Sequence[bool]) -> None:
        """Apply or release the brakes (all joints, or one flag per joint)."""
        flags = [bool(engaged)] * 7 if isinstance(engaged, bool) else [bool(b) for b in engaged]
        if len(flags) != len(JOINT_NAMES):
            raise ValueError(f"expected {len(JOINT_NAMES)} brake flags, got {len(flags)}")
        if flags != self._brakes:
            self._brakes = flags
            self._send()

    def set_limp(self, limp: bool) -> None:
        """Make the free drives yield (``LIMP_TORQUE_NM``, zero rate) or drive again."""
        if limp is not self._limp:
            self._limp = limp
            self._send()

    @property
    def limp(self) -> bool:
        return self._limp

    def set_brake_stuck(self, joint: str, stuck: bool = True) -> None:
        self._brake_stuck[JOINT_NAMES.index(joint)] = stuck
        self._send()

    def engaged(self) -> tuple[bool, ...]:
        return tuple(b or s for b, s in zip(self._brakes, self._brake_stuck, strict=True))

    def commanded_rates(self) -> tuple[float, ...]:
        """The rate demand actually sent (after clamping and brakes)."""
        return tuple(
            0.0 if b or self._limp else r
            for r, b in zip(self._rate_command, self.engaged(), strict=True)
        )

    def _angles(self) -> list[float]:
        states = pb.getJointStates(self._arm, self._joints, physicsClientId=self._client)
        return [s[0] for s in states]

    def _send(self) -> None:
        braked = self.engaged()
        q: list[float] | None = None
        free = [i for i, b in enumerate(braked) if not b]
        held = [i for i, b in enumerate(braked) if b]
        for i in held:
            if self._brake_angle[i] is None:
                if q is None:
                    q = self._angles()
                self._brake_angle[i] = float(q[i])
        for i in free:
            self._brake_angle[i] = None
        c = self._client
        if free and self._limp:
            pb.setJointMotorControlArray(
                self._arm,
                [self._joints[i] for i in free],
                pb.VELOCITY_CONTROL,
                targetVelocities=[0.0] * len(free),
                forces=[LIMP_TORQUE_NM] * len(free),
                physicsClientId=c,
            )
        elif free:
            pb.setJointMotorControlArray(
                self._arm,
                [self._joints[i] for i in free],
                pb.VELOCITY_CONTROL,
                targetVelocities=[self._rate_command[i] for i in free],
                forces=[JOINT_TORQUE_LIMIT_NM] * len(free),
                physicsClientId=c,
            )
        if held:
            pb.setJointMotorControlArray(
                self._arm,
                [self._joints[i] for i in held],
                pb.POSITION_CONTROL,
                targetPositions=[self._brake_angle[i] for i in held],
                targetVelocities=[0.0] * len(held),
                forces=[BRAKE_SLIP_TORQUE_NM] * len(held),
                physicsClientId=c,
            )

    def rearm_slipped_brakes(self) -> None:
        """After a step: a brake that slipped grips again where the joint now is (it does
        not pull back)."""
        if not any(a is not None for a in self._brake_angle):
            return
        q = self._angles()
        slipped = False
        for i, angle in enumerate(self._brake_angle):
            if angle is not None and abs(q[i] - angle) > BRAKE_SLIP_REARM_RAD:
                self._brake_angle[i] = float(q[i])
                slipped = True
        if slipped:
            self._send()
