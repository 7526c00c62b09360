"""The controlled stop: how the arm comes to rest when the hand controller is lost.

On safing (the device unplugged or silent, the window losing focus, the session paused),
the hand controllers' demand is ignored from that very tick; the arm must then stop
*along its path* and only then brake. Applying the brakes at once is what a real joint
brake does, but each joint then stops on its own time: a pure rotation about the LEE,
whose joint rates cancel at the tip, turns into a tip lunge (measured: 0.24 → 72 mm/s
on the first tick, three times the 0.03 m/s allowed capture speed, docs/REFERENCE.md §4),
and a full-rate translation coasts 76 mm with its speed rising again mid-way.

So the stop starts from the motion the arm *has* (its measured joint rates q̇₀ and the
twist they give, ξ₀ = J(q₀) q̇₀: the LEE's velocity and angular velocity, base frame) and
scales that twist down as a whole with a constant deceleration:

    ξ(k) = s(k) ξ₀,   s(k) = 1 − k / N,   k = 1 … N
    q̇(k) = s(k) (q̇₀ + J⁺(q̂ₖ) (ξ₀ − J(q̂ₖ) q̇₀))

The joint rates are the arm's own, plus the smallest change that gives them the same twist
at the pose q̂ₖ the arm will have at the end of the tick (where the next speed is read),
so the null-space share of the rates (the arm angle) is not re-solved and cannot jump.
Scaling q̇₀ alone is not enough: the Jacobian of a turn about the LEE changes as the wrist
turns, and the same joint rates 0.8 s later move the LEE at 3.5 mm/s (measured). Starting
from the commanded rates instead of the measured ones is not either: the command carries
the pose feedback's correction of the drives' lag, and the LEE's speed jumps to it. After
a single-joint command the path is that joint's own arc, and the rates are scaled alone.

N is the shortest ramp every drive can follow: STOP_RAMP_S, or longer where the torque
M(q₀) q̇₀ / N of the deceleration (M the arm's joint-space inertia) would exceed
DRIVE_SHARE of a drive's 2,332 N·m. The stop is open loop along its path, so while it runs
the physics solver iterates to convergence (trainer.sim.scene.SOLVER_RESIDUAL_THRESHOLD):
at pybullet's default residual the drives miss their demand by 0.01 °/s at the shoulder,
2 mm/s at the LEE. Then the drives hold zero rate until the joints are at rest, and the
brakes go on. The ramp never advances while the session is paused (the world does not
step). A constant deceleration tracks better than a cosine ramp of the same length,
whose peak deceleration is π/2 higher (measured).

| parameter          | value     | why                                                     |
|--------------------|-----------|---------------------------------------------------------|
| STOP_RAMP_S        | 0.8 s     | E: the shortest ramp: 4 °/s → 0 is 0.087 rad/s², within |
|                    |           | what the wrist and elbow drives give; leaves 0.2 s of   |
|                    |           | the 1 s to settle                                       |
| DRIVE_SHARE        | 0.8       | E: of each drive's 2,332 N·m (docs/REFERENCE.md §1.3)   |
|                    |           | for the deceleration M q̇₀ / N; the rest for the Coriolis|
|                    |           | terms, the path correction and the first step's catch-up|
| REST_RATE_RAD_S    | 0.002 °/s | E: every joint; ≤ 0.6 mm/s at the LEE 17 m out: below   |
|                    |           | any motion a crew member could see on a camera          |
| STOP_LIMIT_S       | 1.0 s     | docs/REFERENCE.md §1.3: at rest within 1 s; brakes on by|
|                    |           | then whatever the joints still do (as real brakes would)|
| SETTLE_S           | 0.2 s     | E: after a ramp longer than 0.8 s, the time the joints  |
|                    |           | get to read at rest before the brakes go on regardless  |

What bounds the 1 s (D, from the arm's inertia at basic-drill's capture_ready, measured
with pybullet.calculateMassMatrix): the shoulder roll carries ≈ 70,000 kg·m², so its
2,332 N·m stop it from 2 °/s in no less than 1.06 s; full THC along y (0.37 m/s, the
shoulder roll at 2 °/s) needs a 1.29 s ramp and brakes at 1.33 s; full THC x or z, and
every RHC rotation, stop within 0.9 s.

Measured (basic-drill, capture_ready, unloaded; tests/control/test_controlled_stop.py):
sampled every tick from the unplug, the LEE's speed never rises (every tick-to-tick
change is a fall, the smallest 0.0003 mm/s, for full THC, RHC yaw, pitch, roll and
combinations); after a pure yaw the LEE ends within 0.2 mm of where it turned; the brakes
go on with every joint at rest. Scaling the joint rates alone let it drift at up to
2.3 mm/s; braking each joint on its own threw it at 72 mm/s.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from trainer.control.kinematics import Column6, Twist6, forward_kinematics, tip_twist
from trainer.control.resolved_rate import ResolvedRateSolver
from trainer.fixedmath import dot
from trainer.sim.joints import JOINT_TORQUE_LIMIT_NM

STOP_RAMP_S = 0.8
REST_RATE_RAD_S = math.radians(0.002)
STOP_LIMIT_S = 1.0
DRIVE_SHARE = 0.8
SETTLE_S = 0.2


def ramp_seconds(
    start_rates_rad_s: Sequence[float], mass_matrix: Sequence[Sequence[float]]
) -> float:
    """The ramp's length: STOP_RAMP_S, or longer when a drive could not give the constant
    deceleration q̈ = −q̇₀ / T within DRIVE_SHARE of its torque: T ≥ |M q̇₀|ᵢ / (share τ_max)."""
    peak = max((abs(dot(row, start_rates_rad_s)) for row in mass_matrix), default=0.0)
    return max(STOP_RAMP_S, peak / (DRIVE_SHARE * JOINT_TORQUE_LIMIT_NM))


class ControlledStop:
    """One stop in progress. Per control tick: ``advance(q)`` (not while paused), then
    ``joint_rates()``; ``done`` once the joints are at rest (or the time limit is
    reached): the brakes go on then.

    ``path_twist`` is ξ₀, the twist the start rates give (base frame, kinematics.tip_twist);
    with it and a ``solver`` the stop keeps the LEE on that twist; without (a single-joint
    command) the start rates are scaled as they are. ``mass_matrix`` (the arm's inertia
    now) sets the ramp (``ramp_seconds``); without it the ramp is STOP_RAMP_S."""

    def __init__(
        self,
        start_rates_rad_s: Sequence[float],
        tick_s: float,
        path_twist: Twist6 | None = None,
        solver: ResolvedRateSolver | None = None,
        mass_matrix: Sequence[Sequence[float]] = (),
    ) -> None:
        self._start = tuple(float(r) for r in start_rates_rad_s)
        if (path_twist is None) != (solver is None):
            raise ValueError("a Cartesian path needs both its twist and a solver")
        self._path_twist = path_twist
        self._solver = solver
        self._tick_s = tick_s
        self.ramp_s = ramp_seconds(self._start, mass_matrix)
        self._ramp_ticks = max(1, math.ceil(self.ramp_s / tick_s - 1e-9))
        limit_s = max(STOP_LIMIT_S, self._ramp_ticks * tick_s + SETTLE_S)
        self._limit_ticks = max(self._ramp_ticks, round(limit_s / tick_s))
        self._k = 0
        self._scale = 1.0
        self._rates = self._start  # the unscaled rates for the pose now
        self._q_now: list[float] = []
        self.done = not any(self._start)  # an arm at rest brakes at once
        self.elapsed_s = 0.0

    def advance(self, q_rad: Sequence[float]) -> None:
        """One control tick of the stop; ``q_rad`` are the joint angles now."""
        if self.done:
            return
        q = [float(v) for v in q_rad]
        if self._q_now and self._k >= self._ramp_ticks:
            moving = max(abs(a - b) for a, b in zip(q, self._q_now, strict=True))
            if moving / self._tick_s < REST_RATE_RAD_S or self._k >= self._limit_ticks:
                self.done = True  # the brakes go on at the start of this tick
                self.elapsed_s = self._k * self._tick_s
                return
        self._q_now = q
        self._k += 1
        self.elapsed_s = self._k * self._tick_s
        self._scale = self.scale()
        if self._scale > 0.0 and self._path_twist is not None and self._solver is not None:
            # The twist is read at the end of the tick: solve at the pose the arm will have
            # then (last tick's rates carried on), not at the one it has now. The Jacobian
            # of a 4 °/s turn moves the LEE 0.1 mm/s further each tick (measured).
            step = self._scale * self._tick_s
            ahead = [a + r * step for a, r in zip(q, self._rates, strict=True)]
            jacobian_n = forward_kinematics(ahead)[2]
            self._rates = self._on_path(ahead, jacobian_n, self._path_twist, self._solver)

    def _on_path(
        self, q: list[float], jacobian_n: Sequence[Column6], xi0: Twist6, solver: ResolvedRateSolver
    ) -> tuple[float, ...]:
        """q̇₀ + J⁺(q)(ξ₀ − J(q) q̇₀): the start rates, corrected to give ξ₀ at ``q``."""
        now = tip_twist(jacobian_n, self._start)
        error = (
            xi0[0] - now[0],
            xi0[1] - now[1],
            xi0[2] - now[2],
            xi0[3] - now[3],
            xi0[4] - now[4],
            xi0[5] - now[5],
        )
        correction = solver.solve(q, jacobian_n, error, 0.0).joint_rates_rad_s
        return tuple(a + b for a, b in zip(self._start, correction, strict=True))

    def scale(self) -> float:
        """s(k): 1 at the start, falling linearly to 0 over the ramp."""
        if self.done or self._k >= self._ramp_ticks:
            return 0.0
        return 1.0 - self._k / self._ramp_ticks

    def joint_rates(self) -> tuple[float, ...]:
        """This tick's joint rates (rad/s): the path's rates scaled by s(k)."""
        s = self._scale
        if self.done or s == 0.0:  # ramp over: the drives hold zero rate until rest
            return (0.0,) * len(self._start)
        return tuple(s * r for r in self._rates)
