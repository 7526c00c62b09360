"""Gains and limits of the arm's control modes, as data with provenance (docs/STYLE.md §8).

Tags as in docs/REFERENCE.md: **S** sourced, **D** derived from sourced numbers, **E** engineering
estimate. Every E and D value below says why.

Payload speed law (E, derived from docs/REFERENCE.md §1 S numbers)
-----------------------------------------------------------
The maximum tip speed falls with payload mass m as

    v_max(m) = v0 / sqrt(1 + m / m_ref),   v0 = 0.37 m/s (S, unloaded)

Rationale: the drives and brakes stop the payload with a bounded force F at the tip, so
its stopping distance is d = m v² / (2F); holding d constant gives v ∝ 1/sqrt(m) once the
payload dominates the arm's own inertia, and v → v0 unloaded. m_ref is fixed by the
second sourced point, 0.02 m/s for station assembly with payloads up to 116,000 kg:
m_ref = 116,000 / ((0.37 / 0.02)² − 1) = 340 kg (D). Check against the other published
figures: a 7,200 kg cargo Dragon gets 0.078 m/s; a 100 t orbiter 0.021 m/s, above the
0.012 m/s published for orbiter berthing, and the law reaches 0.15 m/s (EVA support) only
at 1,730 kg, far above an EVA crew member's mass: both of those are task limits (berthing
precision, crew safety) set by procedure, not by mass, so a session can impose them
separately through ``task_tip_speed_limit_m_s``. The angular tip rate cap uses the same
factor (E: same stopping argument with the payload's inertia growing with its mass).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from trainer.clock import CONTROL_TICK_S
from trainer.sim.world import JOINT_LIMIT_MARGIN_RAD

UNLOADED_TIP_SPEED_M_S = 0.37  # docs/REFERENCE.md §1, S (CSA)
ASSEMBLY_TIP_SPEED_M_S = 0.02  # docs/REFERENCE.md §1, S (CSA): station assembly
ASSEMBLY_PAYLOAD_KG = 116_000.0  # docs/REFERENCE.md §1, S: payload capacity
# D: fitted through the two sourced points above (module docstring).
PAYLOAD_REFERENCE_MASS_KG = ASSEMBLY_PAYLOAD_KG / (
    (UNLOADED_TIP_SPEED_M_S / ASSEMBLY_TIP_SPEED_M_S) ** 2 - 1.0
)


@dataclass(frozen=True, slots=True)
class ControlParameters:
    """Every gain and limit the control modes use. Defaults carry their provenance."""

    # --- timing
    control_tick_s: float = CONTROL_TICK_S  # trainer/clock.py: 1/60 s, 4 physics steps

    # --- arm limits
    joint_rate_limit_rad_s: float = math.radians(4.0)  # docs/REFERENCE.md §1, S (low confidence)
    joint_limit_rad: float = math.radians(270.0)  # docs/REFERENCE.md §1, S
    # E: the controller stops driving a joint toward its stop 2° before it; the world's own
    # last-resort cut is at 0.5° (sim.world.JOINT_LIMIT_MARGIN_RAD), so the controller
    # acts first and keeps the tip direction (it re-solves without that joint). At 1° the
    # elbow's servo overshoot (≈ 0.6° from 4 °/s) reached the world's cut.
    joint_stop_margin_rad: float = 4.0 * JOINT_LIMIT_MARGIN_RAD
    # E: warn the operator 15° before a stop: ~4 s of travel at the 4 °/s joint limit,
    # time enough to react.
    joint_limit_warning_margin_rad: float = math.radians(15.0)

    # --- tip speed and rate scales
    unloaded_tip_speed_m_s: float = UNLOADED_TIP_SPEED_M_S  # docs/REFERENCE.md §1, S
    # E: one joint's rate limit, so a single wrist joint can deliver the full rate about
    # its own axis; no public SSRMS number.
    unloaded_tip_rate_rad_s: float = math.radians(4.0)
    payload_reference_mass_kg: float = PAYLOAD_REFERENCE_MASS_KG  # D, module docstring
    # Procedural ceiling a session may impose (orbiter berthing 0.012 m/s, EVA support
    # 0.15 m/s, docs/REFERENCE.md §1 S); None = only the mass law.
    task_tip_speed_limit_m_s: float | None = None
    vernier_factor: float = 0.1  # docs/REFERENCE.md §3, E: vernier = 0.1 x coarse
    # E: the commanded tip velocity is slewed at these accelerations, unloaded; a payload
    # divides them by (1 + m/m_ref) (same bounded force as the speed law, a = F/m). Set
    # from the drives: 2,332 N·m on the shoulder's ≈ 5e4 kg·m² unloaded arm gives
    # ≈ 0.05 rad/s², ≈ 0.25–0.7 m/s² at the tip depending on the lever (measured lag in
    # the world); 0.25 m/s² reaches the coarse 0.37 m/s in 1.5 s and the vernier in 0.15 s.
    tip_acceleration_limit_m_s2: float = 0.25
    tip_angular_acceleration_limit_rad_s2: float = math.radians(4.0)

    # --- damped least squares (docs/PYBULLET_NOTES.md: λ ≈ 0.02–0.05)
    # Adaptive damping (Maciejewski & Klein 1988): λ² = λ_max² (1 − (σ_min/σ_ε)²) when the
    # smallest singular value of the normalised Jacobian falls below σ_ε, else 0 (exact
    # pseudo-inverse: no tracking error away from singularities).
    damping_max: float = 0.05  # docs/PYBULLET_NOTES.md upper end, in normalised units
    # E: σ_min of the normalised Jacobian is 0.46 at capture_ready and 0.078 with the elbow
    # 10° from straight (measured on kinematics.forward_kinematics); damp below 0.1.
    damping_singular_value: float = 0.1
    # E: normalised manipulability sqrt(det(Jn Jn^T)) is 1.2 at capture_ready, 0.56 with the
    # elbow 10° from straight, 0.16 straight; warn below 0.5.
    manipulability_warning: float = 0.5

    # --- redundancy (null-space projection of a secondary objective's gradient)
    # E: the joint-limit potential 0.5 Σ ((m_act − m_i)/m_act)² acts within 60° of a stop
    # (15 s of travel at 4 °/s) so the self-motion has room to work before the warning.
    joint_limit_activation_margin_rad: float = math.radians(60.0)
    joint_limit_weight: float = 1.0  # E: relative weight of the joint-limit gradient (1/rad)
    singularity_weight: float = 0.2  # E: relative weight of d log(w)/dq (1/rad)
    # E: rad/s of self-motion per unit gradient, capped at 1.5 °/s (38% of the joint rate
    # limit) so the operator's command keeps most of the rate budget. Tuned in the world:
    # shoulder_roll started 15° from its stop gains 2.6° of margin over 6 s of full THC
    # x at capture_ready (it loses 3.3° with the null-space term off); 0.05 / 1 °/s was
    # too weak to reverse the loss.
    null_space_gain_rad2_s: float = 0.3
    null_space_rate_max_rad_s: float = math.radians(1.5)

    # --- Cartesian reference tracking (E)
    # The commanded tip pose is integrated each tick and the drift of the real tip from it
    # (servo lag, discretisation) is fed back at 2/s: a 1 cm error is removed at 2 cm/s
    # (time constant 0.5 s, well inside the 1/60 s tick's stability bound of 120/s).
    pose_feedback_gain_per_s: float = 2.0
    # Errors larger than this are not drift but a disturbance (contact, payload load): the
    # reference is re-seated at the real pose instead of being chased. Above the servo lag
    # measured at full coarse rate (≈ 6 cm, 2°) so that lag is corrected, not accepted.
    pose_error_reset_m: float = 0.15
    pose_error_reset_rad: float = math.radians(5.0)

    def payload_speed_factor(self, payload_mass_kg: float) -> float:
        """1 / sqrt(1 + m / m_ref): the payload law (module docstring), 1.0 unloaded."""
        if not (math.isfinite(payload_mass_kg) and payload_mass_kg >= 0.0):
            # A bad mass must never loosen the limit: refuse it (a programming error).
            raise ValueError(f"payload mass must be a finite number >= 0 kg, got {payload_mass_kg}")
        return 1.0 / math.sqrt(1.0 + payload_mass_kg / self.payload_reference_mass_kg)

    def tip_speed_limit_m_s(self, payload_mass_kg: float) -> float:
        """Coarse-scale maximum tip speed with this payload (m/s)."""
        v = self.unloaded_tip_speed_m_s * self.payload_speed_factor(payload_mass_kg)
        if self.task_tip_speed_limit_m_s is not None:
            v = min(v, self.task_tip_speed_limit_m_s)
        return v

    def acceleration_factor(self, payload_mass_kg: float) -> float:
        """1 / (1 + m / m_ref): bounded force, a = F / m (E)."""
        return self.payload_speed_factor(payload_mass_kg) ** 2

    def tip_rate_limit_rad_s(self, payload_mass_kg: float) -> float:
        """Coarse-scale maximum LEE angular rate with this payload (rad/s)."""
        return self.unloaded_tip_rate_rad_s * self.payload_speed_factor(payload_mass_kg)


DEFAULT_PARAMETERS = ControlParameters()
