"""Arm control modes: hand-controller state in, joint rate commands out (docs/DESIGN.md §2).

The session calls ``ArmController.tick(hc, world, payload_mass_kg, paused)``
(``trainer.control.controller``) once per control tick (1/60 s) and applies the returned
``ControlOutput`` with ``trainer.control.controller.apply``.

This package initialiser re-exports only the pure records of ``trainer.control.telemetry``
(no pybullet), because the telemetry snapshot carries them and scoring, the pilots and the
window read it without a physics engine. Import the controller, the modes and the
parameters from their modules.
"""

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
    "ControlOutput",
    "ControlTelemetry",
    "ControlWarning",
    "Frame",
    "ModeName",
    "RateScale",
    "WarningKind",
]
