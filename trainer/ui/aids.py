"""Aid levels: how much capture guidance the window gives (chosen before an attempt,
recorded in the recording's metadata and in report.json under ``aids``).

| level  | shows                                                                       |
|--------|-----------------------------------------------------------------------------|
| guided | cameras, the overlay with its cues coloured by envelope tier, M2's calls,   |
|        | every capture number (range, range rate, offset, misalignment, rates)          |
| crew   | cameras, the overlay (uncoloured) and M2's calls, as on orbit               |
| none   | cameras only                                                                |

Flown from the ground (a berthing from Houston, docs/REFERENCE.md §11), guided and crew
also show the predictive display's ghost in the cameras; with no aids the trainee moves
and waits on the delayed video alone.

At every level the workstation's own switch states (mode, frame, rate scale, brakes,
capture state), joint angles, the hand controllers, Houston's calls and the caution and
warning system stay: they are the station's equipment, not a training aid.
"""

from __future__ import annotations

from enum import StrEnum


class AidLevel(StrEnum):
    GUIDED = "guided"
    CREW = "crew"
    NONE = "none"

    @property
    def overlay(self) -> bool:
        return self is not AidLevel.NONE

    @property
    def tier_colours(self) -> bool:
        return self is AidLevel.GUIDED

    @property
    def m2_calls(self) -> bool:
        return self is not AidLevel.NONE

    @property
    def predictive_display(self) -> bool:
        return self is not AidLevel.NONE

    @property
    def capture_numbers(self) -> bool:
        return self is AidLevel.GUIDED

    @property
    def description(self) -> str:
        return {
            AidLevel.GUIDED: "all numbers, tier colours and overlay cues",
            AidLevel.CREW: "cameras, overlay and M2's calls, as on orbit",
            AidLevel.NONE: "cameras only",
        }[self]


AID_LEVELS: tuple[str, ...] = tuple(a.value for a in AidLevel)
