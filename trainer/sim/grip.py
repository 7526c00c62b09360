"""The snare wires' grip while they close: a spring-damper between the LEE and the FRGF
that takes the vehicle's residual motion over the snare time, so that the fixed constraint
(snare.py) only takes over once the two move together.

Why: a pybullet fixed constraint created between bodies that still move relative to each
other stops them within a few physics steps. Measured on crs20-capture seed 1 (relative
speed 6 mm/s at the trigger): ~400 N through the constraint and every graded capture, clean
or not, at the 2,332 N·m drive limit. In orbit the wires close over about 2 s (docs/REFERENCE.md
§1.2, E) and take the motion out over that time.

The model (all E: no public number for the LEE's snare dynamics):

* a damper on the relative velocity of the FRGF origin against the LEE point it sits at,
  and on the relative angular rate. No spring: a spring holding the FRGF where it was
  snared creeps it back after the damper has stopped it (measured with ω = 0.5 rad/s:
  ~1 mm/s of relative motion left for many seconds, the overdamped slow mode k/c), and the
  carriage draw seats it anyway;
* gains that grow as the wires close: smoothstep(t / ``GRIP_RAMP_S``) of their full value,
  so the grip starts at zero at the trigger instead of as a step;
* gains scaled by the vehicle's mass and inertia: the same closing motion for any vehicle.

Derivation of the damping rate (E): a damper ``c = m λ`` with the smoothstep ramp over
T = 2 s leaves ``v(T) = v0 exp(-λ T / 2)`` (the smoothstep integrates to T/2). With
λ = 8 /s a 7.2 t vehicle at the 3 cm/s edge of the allowed envelope keeps 0.03% of its
speed (10 µm/s) at the end of the snare, having moved 2.3 cm deeper into the LEE
(measured): stopped within the 5 cm between the full-credit depth (0.10 m) and the end of
the full-credit window (0.15 m), far from bottoming at 0.20 m (docs/REFERENCE.md §4). Measured
with the arm's drives holding it still in ``capture_ready`` (tests/sim/test_capture.py):
the grip peaks at 87 N and the joints at 438 N·m for a clean 1 cm/s capture, 270 N and
1,430 N·m at 3 cm/s, i.e. under half the 2,332 N·m drive limit when clean and above it at
the edge: what the graded post-capture loads tell apart.

Forces are applied equal and opposite to the vehicle and the tip LEE link before every
physics step (pybullet clears external forces after each step, docs/PYBULLET_NOTES.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pybullet as pb

from trainer.sim.metrics import cross, norm, sub

Vec3 = tuple[float, float, float]

# The wires close over the snare time (docs/REFERENCE.md §1.2, E: ≈ 2 s); the grip grows with them.
GRIP_RAMP_S = 2.0
# Full damping rate λ = c / m (E, module docstring): 8 /s.
GRIP_DAMPING_RATE_PER_S = 8.0
# The fixed constraint takes over once the relative motion is below these (E: at 0.1 mm/s
# a 7.2 t vehicle stopped within 3 physics steps takes ~60 N; 0.01 °/s is 1/10 of the
# full-credit rate and above the ~0.004 °/s the drives' servo leaves on a held LEE) ...
SETTLED_SPEED_M_S = 1e-4
SETTLED_RATE_RAD_S = math.radians(0.01)
# ... or at the latest this long after the snare time, whatever is left (E: the damper
# takes 0.1 mm/s down by e^-6 per second, so only a runaway vehicle reaches this).
SETTLE_TIMEOUT_S = 2.0


@dataclass(frozen=True, slots=True)
class GripGains:
    """Full-grip gains for one vehicle (module docstring for the derivation)."""

    damping_n_s_m: float
    angular_damping_n_m_s: float

    @staticmethod
    def for_vehicle(mass_kg: float, inertia_kg_m2: Sequence[float]) -> GripGains:
        # The largest principal moment: the rotation the damper must stop soonest.
        inertia = max(float(i) for i in inertia_kg_m2)
        return GripGains(mass_kg * GRIP_DAMPING_RATE_PER_S, inertia * GRIP_DAMPING_RATE_PER_S)


@dataclass(frozen=True, slots=True)
class GripWrench:
    """What the grip does this step: the force and torque on the vehicle (the arm gets the
    opposite), where the force acts, and the relative motion it acts on."""

    force_n: Vec3
    point_m: Vec3
    torque_n_m: Vec3
    relative_speed_m_s: float
    relative_rate_rad_s: float


def grip_fraction(elapsed_s: float) -> float:
    """How far the wires have closed: smoothstep over ``GRIP_RAMP_S``."""
    s = min(1.0, max(0.0, elapsed_s / GRIP_RAMP_S))
    return s * s * (3.0 - 2.0 * s)


def grip_wrench(
    gains: GripGains,
    fraction: float,
    lee: tuple[Sequence[float], Sequence[float], Sequence[float]],
    fixture: tuple[Sequence[float], Sequence[float], Sequence[float]],
) -> GripWrench:
    """The grip's wrench on the vehicle. ``lee`` and ``fixture`` are (position, linear
    velocity, angular velocity) of the two frames in the world; ``fraction`` how far the
    wires have closed."""
    p_l, v_l, w_l = lee
    p_f, v_f, w_f = fixture
    # Velocity of the FRGF origin against the LEE's material point at the same place.
    v_lee_point = cross(w_l, sub(p_f, p_l))
    v_rel = (
        v_f[0] - v_l[0] - v_lee_point[0],
        v_f[1] - v_l[1] - v_lee_point[1],
        v_f[2] - v_l[2] - v_lee_point[2],
    )
    w_rel = sub(w_f, w_l)
    c = gains.damping_n_s_m * fraction
    cr = gains.angular_damping_n_m_s * fraction
    return GripWrench(
        (-c * v_rel[0], -c * v_rel[1], -c * v_rel[2]),
        (p_f[0], p_f[1], p_f[2]),
        (-cr * w_rel[0], -cr * w_rel[1], -cr * w_rel[2]),
        norm(v_rel),
        norm(w_rel),
    )


def apply_grip(
    client: int, arm: int, lee_link: int, vehicle: int, fixed_vehicle: bool, w: GripWrench
) -> None:
    """Apply ``w`` to the vehicle and its opposite to the LEE (one-shot: every step)."""
    f, t = w.force_n, w.torque_n_m
    if not fixed_vehicle:
        pb.applyExternalForce(vehicle, -1, f, w.point_m, pb.WORLD_FRAME, physicsClientId=client)
        pb.applyExternalTorque(vehicle, -1, t, pb.WORLD_FRAME, physicsClientId=client)
    neg_f = (-f[0], -f[1], -f[2])
    neg_t = (-t[0], -t[1], -t[2])
    pb.applyExternalForce(arm, lee_link, neg_f, w.point_m, pb.WORLD_FRAME, physicsClientId=client)
    pb.applyExternalTorque(arm, lee_link, neg_t, pb.WORLD_FRAME, physicsClientId=client)
