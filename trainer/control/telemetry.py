"""What one control tick produces: the joint command, brake flags and a telemetry record.

All frozen and built from tuples of floats, so a snapshot handed to the UI or the
recorder can never change under it; ``to_dict()`` gives the JSON-ready form for the
recording (docs/DESIGN.md §7).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class ModeName(StrEnum):
    """Control modes, in the order Button.MODE cycles them (docs/REFERENCE.md §3)."""

    CARTESIAN = "cartesian"
    SINGLE_JOINT = "single_joint"
    POSITION_HOLD = "position_hold"


class Frame(StrEnum):
    """Frame of resolution for Cartesian rate mode (docs/REFERENCE.md §3)."""

    BASE = "base"  # the arm's root frame (base LEE interface plane), +x the q = 0 arm direction
    LEE = "lee"  # the tip LEE (camera) frame, docs/DESIGN.md §3: +x boresight, +z camera up


class RateScale(StrEnum):
    COARSE = "coarse"
    VERNIER = "vernier"  # docs/REFERENCE.md §3, E: 0.1 x coarse


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
    """The control state after one tick (carried typed in ``trainer.telemetry.Telemetry``).

    Names follow the snapshot's rule: the arm's end effector is the LEE (``lee_*``), the
    frame is in the name (``_world``), the unit last.

    | field                                    | unit  | meaning                              |
    |------------------------------------------|-------|--------------------------------------|
    | mode, frame, rate_scale                  |       | the workstation selections           |
    | selected_joint                           |       | joint driven in single-joint mode    |
    | brakes_on                                |       | the operator's brake selection       |
    | safed, safed_reason                      |       | safing state and why (None if not)   |
    | stopping                                 |       | controlled stop in progress (stop.py)|
    | warnings                                 |       | advisories this tick                 |
    | manipulability                           | 1     | sqrt(det(Jn Jn^T)), normalised Jacobian (kinematics.py); NaN if unknown |
    | lee_velocity_command_world_m_s           | m/s   | commanded LEE origin velocity, world |
    | lee_angular_velocity_command_world_rad_s | rad/s | commanded LEE angular velocity, world |
    | lee_speed_limit_m_s                      | m/s   | LEE speed cap (scale, payload)       |
    | lee_rate_limit_rad_s                     | rad/s | LEE angular rate cap (scale, payload) |
    | payload_mass_kg                          | kg    | what the controller was told         |
    """

    mode: ModeName
    frame: Frame
    rate_scale: RateScale
    selected_joint: str
    brakes_on: bool
    safed: bool
    safed_reason: str | None
    warnings: tuple[ControlWarning, ...]
    manipulability: float
    lee_velocity_command_world_m_s: tuple[float, float, float]
    lee_angular_velocity_command_world_rad_s: tuple[float, float, float]
    lee_speed_limit_m_s: float
    lee_rate_limit_rad_s: float
    payload_mass_kg: float
    stopping: bool = False  # a controlled stop in progress (trainer.control.stop)

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
            "lee_velocity_command_world_m_s": list(self.lee_velocity_command_world_m_s),
            "lee_angular_velocity_command_world_rad_s": list(
                self.lee_angular_velocity_command_world_rad_s
            ),
            "lee_speed_limit_m_s": self.lee_speed_limit_m_s,
            "lee_rate_limit_rad_s": self.lee_rate_limit_rad_s,
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
    # Once per safing, when the controlled stop has the arm at rest with its brakes on:
    # (the safing's first cause, the stop's duration in s); the session logs arm_safed.
    safed_event: tuple[str | None, float] | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "joint_rates_rad_s": list(self.joint_rates_rad_s),
            "brakes": list(self.brakes),
            "telemetry": self.telemetry.to_dict(),
        }
