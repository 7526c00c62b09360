"""What the workstation shows of a berthing's mechanism and procedure (pure data, carried
in ``Telemetry.berthing`` and the /state record; docs/DESIGN.md §7, §11).

| field            | meaning                                                          |
|------------------|------------------------------------------------------------------|
| phase            | the procedure's step (``PHASES``)                                |
| rtl_made         | the four ready-to-latch indicators as lit (a failed one never lights) |
| latches          | each capture latch's travel, 0 open to 1 closed (a stalled one stops) |
| bolts_driven     | powered bolts driven home, 0 to 16                               |
| arm_limp         | the arm's drives yield (first stage until the brakes go on)      |
| round_trip_s     | the command-to-video delay the ground flies with (0 from the Cupola) |
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The berthing procedure's steps, in order (docs/REFERENCE.md §10; trainer/tasks/berthing.py):
# moving to pre-install setup, the camcorder survey there, moving to pre-install, the CBCS
# check, the final approach into the guides, first stage (latches), second stage (bolts),
# brakes on, waiting for MCC's GO for release, berthed; or backing out after an abort.
PHASES: tuple[str, ...] = (
    "to_setup",
    "survey",
    "to_pre_install",
    "cbcs_check",
    "final_approach",
    "first_stage",
    "second_stage",
    "brakes",
    "release",
    "berthed",
    "back_out",
)


@dataclass(frozen=True, slots=True)
class BerthingStatus:
    """See the module docstring."""

    phase: str
    rtl_made: tuple[bool, bool, bool, bool]
    latches: tuple[float, float, float, float]
    bolts_driven: int
    arm_limp: bool
    round_trip_s: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "rtl_made": list(self.rtl_made),
            "latches": list(self.latches),
            "bolts_driven": self.bolts_driven,
            "arm_limp": self.arm_limp,
            "round_trip_s": self.round_trip_s,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BerthingStatus:
        rtl = [bool(x) for x in data["rtl_made"]]
        latches = [float(x) for x in data["latches"]]
        return cls(
            phase=str(data["phase"]),
            rtl_made=(rtl[0], rtl[1], rtl[2], rtl[3]),
            latches=(latches[0], latches[1], latches[2], latches[3]),
            bolts_driven=int(data["bolts_driven"]),
            arm_limp=bool(data["arm_limp"]),
            round_trip_s=float(data["round_trip_s"]),
        )
