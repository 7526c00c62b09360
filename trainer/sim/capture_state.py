"""The phases of the LEE's capture mechanism, as plain names (no pybullet), so the
telemetry snapshot, scoring, the pilots and the window can carry and compare them typed.
The mechanism that moves between them is ``trainer.sim.capture.LeeCapture``.
"""

from __future__ import annotations

from enum import StrEnum


class CaptureState(StrEnum):
    """Where the tip LEE's snares and carriage are (docs/REFERENCE.md §1.2: snare → rigidize).

    The string values are what the recording's /state ``capture_state`` holds."""

    OPEN = "open"  # snares open, ready for a trigger
    SNARING = "snaring"  # wires closing and centring the shaft (soft capture)
    CAPTURED = "captured"  # snares closed around the shaft
    RIGIDIZING = "rigidizing"  # the carriage draws the fixture onto the LEE face
    RIGID = "rigid"  # seated: the vehicle is rigidly held
    MISSED = "missed"  # the wires closed outside the envelope; they reopen shortly

    @property
    def holding(self) -> bool:
        """True while the snares hold the vehicle (soft or rigid)."""
        return self in HOLDING


HOLDING = frozenset(
    {CaptureState.SNARING, CaptureState.CAPTURED, CaptureState.RIGIDIZING, CaptureState.RIGID}
)
"""The phases in which the vehicle is held by the arm."""
