"""The LEE camera's electronic overlay ("the cross and the bars", docs/REFERENCE.md §3),
drawn by the window over the camera image from the snapshot's LEE-frame view of the
fixture.

| element              | shows                                                          |
|----------------------|----------------------------------------------------------------|
| crosshair            | the camera boresight: centre the stand-off cross on it         |
| bottom / right bars  | lateral offset of the shaft's ball from the LEE boresight,     |
|                      | left-right and up-down (needle = where the ball is), ±``OFFSET_SCALE_M`` |
| P/Y box              | the pitch/yaw correction: fly the nose toward the dot          |
| wings                | the fixture's roll against the crosshair's level: level them   |
| range tape (left)    | range to the ball on a log scale 0.05–10 m, the trigger window  |
|                      | bracketed; range and range rate (RR) beneath in guided mode    |
| cue (top)            | IN RANGE when the depth is right to pull the trigger; in guided |
|                      | mode "CAPTURE GO" in the envelope tier's colour, or the worst  |
|                      | quantity to correct                                             |

Bars and readouts are coloured by their quantity's envelope tier in guided mode, plain
overlay green in crew mode; the overlay is absent with no aids.
"""

from __future__ import annotations

import math

import pygame

from trainer.scenario.model import Envelope
from trainer.scoring.envelope import OUTSIDE, judge
from trainer.sim.metrics import CAPTURE_QUANTITIES
from trainer.telemetry import Telemetry
from trainer.ui.aids import AidLevel
from trainer.ui.calls import in_depth_window
from trainer.ui.theme import OVERLAY, Colour, Fonts, tier_colour

# E: three times the allowed lateral offset of the CRS-20 envelope (0.10 m, docs/REFERENCE.md §4)
# fills a bar: fine resolution where it matters, and the needle pins beyond.
OFFSET_SCALE_M = 0.3
PY_SCALE_DEG = 15.0  # the P/Y box's half-width
RANGE_TAPE_M = (0.05, 10.0)


def _clamp(x: float, lo: float = -1.0, hi: float = 1.0) -> float:
    return lo if x < lo else hi if x > hi else x


def draw_overlay(
    surface: pygame.Surface,
    rect: pygame.Rect,
    t: Telemetry,
    envelope: Envelope,
    aids: AidLevel,
    fonts: Fonts,
) -> None:
    """Draw the overlay on the monitor area ``rect`` of ``surface``."""
    if not aids.overlay:
        return
    judgement = judge(t.metrics, envelope)
    tiers = {q.name: q.tier for q in judgement.quantities}
    coloured = aids.tier_colours

    def col(name: str) -> Colour:
        return tier_colour(tiers.get(name), coloured)

    cx, cy = rect.center
    unit = rect.h / 480.0
    thin = max(1, round(unit))
    # Crosshair with a gap in the middle, so the stand-off cross stays visible.
    gap, arm = 14 * unit, 70 * unit
    for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        pygame.draw.line(
            surface, OVERLAY, (cx + dx * gap, cy + dy * gap), (cx + dx * arm, cy + dy * arm), thin
        )
    for k in (-2, -1, 1, 2):  # ticks every 25 px (reference) along both arms
        d = 25 * unit * k
        pygame.draw.line(surface, OVERLAY, (cx + d, cy - 4 * unit), (cx + d, cy + 4 * unit), thin)
        pygame.draw.line(surface, OVERLAY, (cx - 4 * unit, cy + d), (cx + 4 * unit, cy + d), thin)

    # Roll wings: the fixture's up axis against the crosshair's level.
    roll = t.alignment_error_lee_rad[0]
    roll_colour = col("roll_misalignment_deg")
    for side in (-1, 1):
        r0, r1 = 85 * unit, 130 * unit
        a = (cx + side * r0 * math.cos(roll), cy + side * r0 * math.sin(roll))
        b = (cx + side * r1 * math.cos(roll), cy + side * r1 * math.sin(roll))
        pygame.draw.line(surface, roll_colour, a, b, max(2, round(3 * unit)))
        pygame.draw.line(
            surface, OVERLAY, (cx + side * r1, cy - 6 * unit), (cx + side * r1, cy + 6 * unit), thin
        )

    # Lateral offset bars: where the ball is, left-right (bottom) and up-down (right).
    tip = t.shaft_tip_position_lee_m
    lat_colour = col("lateral_offset_m")
    bar_half = 150 * unit
    by = rect.bottom - 24 * unit
    pygame.draw.line(surface, OVERLAY, (cx - bar_half, by), (cx + bar_half, by), thin)
    for k in (-1, 0, 1):
        pygame.draw.line(
            surface,
            OVERLAY,
            (cx + k * bar_half, by - 5 * unit),
            (cx + k * bar_half, by + 5 * unit),
            thin,
        )
    nx = cx + _clamp(-tip[1] / OFFSET_SCALE_M) * bar_half
    _needle(surface, (nx, by), lat_colour, unit, vertical=False)
    bx = rect.right - 24 * unit
    pygame.draw.line(surface, OVERLAY, (bx, cy - bar_half), (bx, cy + bar_half), thin)
    for k in (-1, 0, 1):
        pygame.draw.line(
            surface,
            OVERLAY,
            (bx - 5 * unit, cy + k * bar_half),
            (bx + 5 * unit, cy + k * bar_half),
            thin,
        )
    ny = cy - _clamp(tip[2] / OFFSET_SCALE_M) * bar_half
    _needle(surface, (bx, ny), lat_colour, unit, vertical=True)

    # Pitch/yaw box: fly the nose toward the dot (+z error = yaw left, +y = nose down).
    box = pygame.Rect(0, 0, round(70 * unit), round(70 * unit))
    box.topright = (round(rect.right - 46 * unit), round(rect.y + 12 * unit))
    pygame.draw.rect(surface, OVERLAY, box, thin)
    pygame.draw.line(surface, OVERLAY, (box.centerx, box.y), (box.centerx, box.bottom - 1), thin)
    pygame.draw.line(surface, OVERLAY, (box.x, box.centery), (box.right - 1, box.centery), thin)
    err = t.alignment_error_lee_rad
    yaw_dot = _clamp(-math.degrees(err[2]) / PY_SCALE_DEG)
    pitch_dot = _clamp(math.degrees(err[1]) / PY_SCALE_DEG)
    pygame.draw.circle(
        surface,
        col("pitch_yaw_misalignment_deg"),
        (box.centerx + yaw_dot * box.w / 2, box.centery + pitch_dot * box.h / 2),
        max(3, round(5 * unit)),
    )
    fonts.text(surface, "P/Y", (box.x, box.bottom + 2 * unit), 15, OVERLAY)

    # Range tape (log scale) with the trigger window.
    _range_tape(surface, rect, t, envelope, col("relative_speed_m_s"), fonts, unit, coloured)

    # The trigger cue.
    if in_depth_window(t, envelope) and t.capture_state == "open":
        if coloured:
            if judgement.tier == OUTSIDE:
                worst = next(q for q in judgement.quantities if q.tier == OUTSIDE)
                text, colour = f"IN RANGE: CORRECT {_short(worst.name)}", tier_colour(OUTSIDE, True)
            else:
                text, colour = "CAPTURE GO", tier_colour(judgement.tier, True)
        else:
            text, colour = "IN RANGE", OVERLAY
        label = fonts.get(26).render(text, True, (0, 0, 0))
        cue = label.get_rect(midtop=(cx, round(rect.y + 14 * unit))).inflate(16, 8)
        pygame.draw.rect(surface, colour, cue)
        surface.blit(label, label.get_rect(center=cue.center))


_SHORT = {q.name: q.short for q in CAPTURE_QUANTITIES}


def _short(name: str) -> str:
    return _SHORT[name]


def _needle(
    surface: pygame.Surface, at: tuple[float, float], colour: Colour, unit: float, *, vertical: bool
) -> None:
    x, y = at
    s = 8 * unit
    if vertical:
        points = [(x - s, y), (x - 2 * s, y - s), (x - 2 * s, y + s)]
    else:
        points = [(x, y - s), (x - s, y - 2 * s), (x + s, y - 2 * s)]
    pygame.draw.polygon(surface, colour, points)


def _log_pos(range_m: float) -> float:
    lo, hi = RANGE_TAPE_M
    r = min(max(range_m, lo), hi)
    return (math.log10(r) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))


def _range_tape(
    surface: pygame.Surface,
    rect: pygame.Rect,
    t: Telemetry,
    envelope: Envelope,
    colour: Colour,
    fonts: Fonts,
    unit: float,
    numbers: bool,
) -> None:
    x = rect.x + 30 * unit
    top, bottom = rect.y + 60 * unit, rect.bottom - 70 * unit
    height = bottom - top
    thin = max(1, round(unit))
    pygame.draw.line(surface, OVERLAY, (x, top), (x, bottom), thin)
    for mark in (0.1, 0.3, 1.0, 3.0, 10.0):
        y = bottom - _log_pos(mark) * height
        pygame.draw.line(surface, OVERLAY, (x, y), (x + 8 * unit, y), thin)
        fonts.text(surface, f"{mark:g}", (x + 11 * unit, y), 14, OVERLAY, anchor="midleft")
    lo, hi = envelope.axial_depth_m.allowed
    # The trigger window: with the ball d inside the mouth the range is about d.
    if hi > 0.0:
        y_hi = bottom - _log_pos(hi) * height
        y_lo = bottom - _log_pos(max(lo, RANGE_TAPE_M[0])) * height
        pygame.draw.rect(
            surface, OVERLAY, pygame.Rect(x - 6 * unit, y_hi, 6 * unit, y_lo - y_hi + 1), thin
        )
    y = bottom - _log_pos(t.range_m) * height
    pygame.draw.polygon(
        surface, colour, [(x, y), (x - 12 * unit, y - 7 * unit), (x - 12 * unit, y + 7 * unit)]
    )
    if not numbers:
        return  # crew: the numbers come from M2's calls, as on orbit
    fonts.text(
        surface, f"R {t.range_m:5.2f} m", (rect.x + 8 * unit, bottom + 10 * unit), 18, colour
    )
    fonts.text(
        surface,
        f"RR {t.range_rate_m_s:+.3f} m/s",
        (rect.x + 8 * unit, bottom + 28 * unit),
        18,
        colour,
    )
