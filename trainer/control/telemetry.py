"""What one control tick produces: the joint command, brake flags and a telemetry record.

All frozen and built from tuples of floats, so a snapshot handed to the UI or the
recorder can never change under it; ``to_dict()`` gives the JSON-ready form for the
recording (DESIGN §7).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class ModeName(StrEnum):
    """Control modes, in the order Button.MODE cycles them (REFERENCE §3)."""

    CARTESIAN = "cartesian"
    SINGLE_JOINT = "single_joint"
    POSITION_HOLD = "position_hold"


class Frame(StrEnum):
    """Frame of resolution for Cartesian rate mode (REFERENCE §3)."""

    BASE = "base"  # the arm's root frame (base LEE interface plane), +x the q = 0 arm direction
    LEE = "lee"  # the tip LEE (camera) frame, DESIGN §3: +x boresight, +z camera up


class RateScale(StrEnum):
    COARSE = "coarse"
    VERNIER = "vernier"  # REFERENCE §3, E: 0.1 x coarse


class WarningKind(StrEnum):
    JOINT_LIMIT = "joint_limit"  # a joint within the warning margin of its ±270° stop
    JOINT_STOPPED = "joint_stopped"  # a joint at its stop margin, no longer driven toward it
    SINGULARITY = "singularity"  # manipulability below the warning threshold
    RATE_SATURATION = "rate_saturation"  # the joint-rate vector was scaled to fit 4 °/s
    TIP_SPEED_CAPPED = "tip_speed_capped"  # the demanded tip speed or rate exceeded its cap
    NOT_NEUTRAL = "hand_controllers_not_neutral"  # after RESUME: centre the sticks first


@dataclass(frozen=True, slots=True)
class ControlWarning:
    """One advisory for the operator. ``value`` is the quantity in SI units (the joint's
    margin in rad, the manipulability, the scale factor applied)."""

    kind: WarningKind
    message: str
    joint: str | None = None
    value: float | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "message": self.message,
            "joint": self.joint,
            "value": _json_float(self.value) if self.value is not None else None,
        }


def _json_float(value: float) -> float | None:
    return value if math.isfinite(value) else None


@dataclass(frozen=True, slots=True)
class ControlTelemetry:
    """The control state after one tick.

    | field                                  | meaning                                        |
    |----------------------------------------|------------------------------------------------|
    | mode, frame, rate_scale                | the workstation selections                     |
    | selected_joint                         | joint name driven in single-joint mode         |
    | brakes_on                              | the operator's brake selection (toggle)        |
    | safed, safed_reason                    | safing state and why (None when not safed)     |
    | stopping                               | a controlled stop is in progress (control/stop)|
    | warnings                               | advisories this tick                           |
    | manipulability                         | sqrt(det(Jn Jn^T)), normalised Jacobian (kinematics.py) |
    | tip_velocity_world_m_s                 | commanded LEE origin velocity, world frame     |
    | tip_angular_velocity_world_rad_s       | commanded LEE angular velocity, world frame    |
    | tip_speed_limit_m_s, tip_rate_limit_rad_s | the current scale's caps with this payload  |
    | payload_mass_kg                        | what the controller was told                   |
    """

    mode: ModeName
    frame: Frame
    rate_scale: RateScale
    selected_joint: str
    brakes_on: bool
    safed: bool
    safed_reason: str | None
    stopping: bool
    warnings: tuple[ControlWarning, ...]
    manipulability: float
    tip_velocity_world_m_s: tuple[float, float, float]
    tip_angular_velocity_world_rad_s: tuple[float, float, float]
    tip_speed_limit_m_s: float
    tip_rate_limit_rad_s: float
    payload_mass_kg: float

    def to_dict(self) -> dict[str, object]:
        """JSON-ready (NaN becomes null) for the recorder and the UI."""
        return {
            "mode": self.mode.value,
            "frame": self.frame.value,
            "rate_scale": self.rate_scale.value,
            "selected_joint": self.selected_joint,
            "brakes_on": self.brakes_on,
            "safed": self.safed,
            "safed_reason": self.safed_reason,
            "stopping": self.stopping,
            "warnings": [w.to_dict() for w in self.warnings],
            "manipulability": _json_float(self.manipulability),
            "tip_velocity_world_m_s": list(self.tip_velocity_world_m_s),
            "tip_angular_velocity_world_rad_s": list(self.tip_angular_velocity_world_rad_s),
            "tip_speed_limit_m_s": self.tip_speed_limit_m_s,
            "tip_rate_limit_rad_s": self.tip_rate_limit_rad_s,
            "payload_mass_kg": self.payload_mass_kg,
        }


@dataclass(frozen=True, slots=True)
class ControlOutput:
    """One tick's result: what to send to the world and what to show and record.

    ``joint_rates_rad_s`` (7, base to tip) already respects every limit; ``brakes`` has one
    flag per joint. Apply it with ``trainer.control.apply(output, world)``.
    """

    joint_rates_rad_s: tuple[float, ...]
    brakes: tuple[bool, ...]
    telemetry: ControlTelemetry

    def to_dict(self) -> dict[str, object]:
        return {
            "joint_rates_rad_s": list(self.joint_rates_rad_s),
            "brakes": list(self.brakes),
            "telemetry": self.telemetry.to_dict(),
        }
