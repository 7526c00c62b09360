"""Arm control modes: hand-controller state in, joint rate commands out (DESIGN §2).

The session calls ``ArmController.tick(hc, world, payload_mass_kg, paused)`` once per
control tick (1/60 s) and applies the returned ``ControlOutput`` with ``apply``.
"""

from trainer.control.controller import ArmController, apply
from trainer.control.modes import (
    CartesianRateMode,
    ControlMode,
    ModeCommand,
    PositionHoldMode,
    SingleJointMode,
    TickContext,
)
from trainer.control.params import DEFAULT_PARAMETERS, ControlParameters
from trainer.control.telemetry import (
    ControlOutput,
    ControlTelemetry,
    ControlWarning,
    Frame,
    ModeName,
    RateScale,
    WarningKind,
)

__all__ = [
    "DEFAULT_PARAMETERS",
    "ArmController",
    "CartesianRateMode",
    "ControlMode",
    "ControlOutput",
    "ControlParameters",
    "ControlTelemetry",
    "ControlWarning",
    "Frame",
    "ModeCommand",
    "ModeName",
    "PositionHoldMode",
    "RateScale",
    "SingleJointMode",
    "TickContext",
    "WarningKind",
    "apply",
]
