"""The CBCS monitor's data overlay (docs/REFERENCE.md §10.1: the centreline berthing camera
looks out through Harmony's hatch window at the target on Dragon's hatch, "with a data
overlay"), drawn by the window over the camera image from the snapshot's poses.

| element            | shows                                                             |
|--------------------|-------------------------------------------------------------------|
| reticle            | the port's axis: centre the target's cross on it                  |
| target bracket     | where the geometry puts the target's cross (trainer/sim/cbm_metrics.py ``cbcs_view``); the cross off the disk's centre is tilt (parallax of its 0.10 m standoff) |
| readouts (left)    | separation, axial speed toward the port (AXIAL; guided and crew); lateral offset, tilt, roll in guided, coloured by the RTL envelope's tier |
| RTL lights (top)   | the four ready-to-latch indicators, lit green when made (every aid level: station equipment) |
| mechanism (bottom) | the procedure's step, the latches' travel, bolts driven, LIMP     |
| GROUND             | the round trip, when the view is flown from Houston (its video is that old) |

The ghost of the predictive display is drawn into the image by the renderer (the feed).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pygame

from trainer.scenario.model import BerthingEnvelope, Scenario
from trainer.sim import cbm_geometry as geo
from trainer.sim.cbm_metrics import berthing_metrics, cbcs_view
from trainer.telemetry import Telemetry
from trainer.ui.aids import AidLevel
from trainer.ui.theme import AMBER, DIM, GREEN, OVERLAY, READOUT, TIER_COLOURS, Colour, Fonts

RTL_OFF: Colour = (40, 48, 44)
# The RTL envelope's tier colours the numbers only in the last stretch (E: twice the
# guides' 0.35 m): farther out the envelope judges nothing, and red there would alarm.
COLOUR_WITHIN_M = 2.0 * geo.GUIDE_HEIGHT_M


def target_pixel(t: Telemetry, size: tuple[int, int]) -> tuple[float, float] | None:
    """Where the CBCS image of ``size`` (width, height) shows the target's cross."""
    view = cbcs_view(t.vehicle_position_world_m, t.vehicle_orientation_world_xyzw)
    if not (math.isfinite(view.cross_right) and math.isfinite(view.cross_up)):
        return None
    w, h = size
    f = (h / 2.0) / math.tan(math.radians(geo.CBCS_FOV_DEG) / 2.0)
    return (w / 2.0 + f * view.cross_right, h / 2.0 - f * view.cross_up)


def rtl_light_radius(scale: float) -> int:
    return max(4, round(7 * scale))


def rtl_light_centres(rect: pygame.Rect, scale: float) -> list[tuple[int, int]]:
    """The pixel centres of the four RTL lights on a CBCS monitor at ``rect``."""
    r = rtl_light_radius(scale)
    step = 2.6 * r + 4 * scale
    y = round(rect.y + 6 * scale + r)
    return [(round(rect.right - (4 - i) * step), y) for i in range(4)]


def _tier(value: float, full: float, allowed: float) -> str:
    return "full" if value <= full else "allowed" if value <= allowed else "outside"


def draw_cbcs_overlay(
    surface: pygame.Surface,
    rect: pygame.Rect,
    t: Telemetry,
    envelope: BerthingEnvelope | None,
    aids: AidLevel,
    fonts: Fonts,
) -> None:
    """Draw the overlay on the monitor area ``rect`` of ``surface`` (module docstring)."""
    w, h = rect.size
    s = fonts.scale
    cx, cy = rect.x + w / 2, rect.y + h / 2
    if aids.overlay:
        arm = 0.12 * h
        gap = 0.03 * h
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            pygame.draw.line(
                surface, OVERLAY, (cx + dx * gap, cy + dy * gap), (cx + dx * arm, cy + dy * arm), 1
            )
        pygame.draw.circle(surface, OVERLAY, (round(cx), round(cy)), round(0.05 * h), 1)
        target = target_pixel(t, (w, h))
        if target is not None:
            tx, ty = rect.x + target[0], rect.y + target[1]
            b = max(6, round(0.04 * h))
            colour = AMBER
            for sx, sy in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                corner = (tx + sx * b, ty + sy * b)
                pygame.draw.line(surface, colour, corner, (corner[0] - sx * b // 2, corner[1]), 2)
                pygame.draw.line(surface, colour, corner, (corner[0], corner[1] - sy * b // 2), 2)
        m = berthing_metrics(
            t.vehicle_position_world_m,
            t.vehicle_orientation_world_xyzw,
            t.vehicle_velocity_world_m_s,
            t.vehicle_angular_velocity_world_rad_s,
        )
        rows: list[tuple[str, Colour]] = [
            (f"SEP   {m.separation_m:6.3f} m", OVERLAY),
            (f"AXIAL {m.axial_speed_m_s * 100:+6.2f} cm/s", OVERLAY),
        ]
        if aids.capture_numbers:
            coloured = (
                aids.tier_colours and envelope is not None and m.separation_m < COLOUR_WITHIN_M
            )

            def colour_of(value: float, name: str) -> Colour:
                if not coloured or envelope is None:
                    return OVERLAY
                tier = getattr(envelope, name)
                return TIER_COLOURS[_tier(value, tier.full, tier.allowed)]

            rows += [
                (
                    f"LAT   {m.lateral_offset_m * 100:6.1f} cm",
                    colour_of(m.lateral_offset_m, "lateral_offset_m"),
                ),
                (f"TILT  {m.tilt_deg:6.2f} deg", colour_of(m.tilt_deg, "tilt_deg")),
                (f"ROLL  {m.roll_deg:+6.2f} deg", colour_of(abs(m.roll_deg), "roll_deg")),
            ]
        y = rect.y + 30 * s
        for text, colour in rows:
            fonts.text(surface, text, (rect.x + 6 * s, y), 15, colour)
            y += 15 * s
    status = t.berthing
    if status is None:
        return
    # The four RTL lights along the top, numbered as the switches.
    r = rtl_light_radius(s)
    centres = rtl_light_centres(rect, s)
    for i, (made, (x, y)) in enumerate(zip(status.rtl_made, centres, strict=True)):
        pygame.draw.circle(surface, GREEN if made else RTL_OFF, (x, y), r)
        pygame.draw.circle(surface, DIM, (x, y), r, 1)
        fonts.text(surface, str(i + 1), (x, y + r + 1), 12, DIM, anchor="midtop")
    first = centres[0]
    fonts.text(surface, "RTL", (first[0] - r - 4 * s, rect.y + 6 * s), 13, DIM, anchor="topright")
    latch = min(status.latches)
    parts = [status.phase.replace("_", " ").upper()]
    if latch > 0.0 or status.bolts_driven:
        parts.append(f"LATCH {100 * latch:.0f}%")
    if status.bolts_driven:
        parts.append(f"BOLTS {status.bolts_driven}/{geo.BOLT_COUNT}")
    if status.arm_limp:
        parts.append("LIMP")
    fonts.text(surface, "  ".join(parts), (rect.x + 6 * s, rect.bottom - 40 * s), 14, AMBER)
    if t.ground is not None:
        fonts.text(
            surface,
            f"GROUND  {t.ground.round_trip_s:g} s round trip",
            (rect.right - 6 * s, rect.bottom - 40 * s),
            14,
            AMBER,
            anchor="topright",
        )


RowWriter = Callable[[pygame.Surface, Fonts, float, float, float, str, str, Colour], float]


def berthing_rows(
    surface: pygame.Surface,
    fonts: Fonts,
    x: float,
    y: float,
    w: float,
    t: Telemetry,
    scenario: Scenario,
    aids: AidLevel,
    row: RowWriter,
) -> float:
    """The status display's berthing rows (instead of the capture's free drift, window and
    capture numbers): the step, the time, and at the guided level every berthing number
    against the RTL envelope. Returns the next row's y."""
    status = t.berthing
    assert status is not None
    y = row(surface, fonts, x, y, w, "BERTHING", status.phase.replace("_", " ").upper(), AMBER)
    spec = scenario.berthing
    if spec is not None and spec.flown_from == "ground":
        y = row(surface, fonts, x, y, w, "LINK", f"GROUND {spec.round_trip_s:g} s", AMBER)
    y = row(surface, fonts, x, y, w, "SIM TIME", f"{t.time_s:7.1f} s", DIM)
    lit = "".join(str(i + 1) if made else "-" for i, made in enumerate(status.rtl_made))
    y = row(surface, fonts, x, y, w, "RTL", lit, GREEN if all(status.rtl_made) else READOUT)
    y = row(surface, fonts, x, y, w, "LATCHES", f"{100 * min(status.latches):3.0f} %", READOUT)
    y = row(surface, fonts, x, y, w, "BOLTS", f"{status.bolts_driven}/{geo.BOLT_COUNT}", READOUT)
    if status.arm_limp:
        y = row(surface, fonts, x, y, w, "ARM", "LIMP", AMBER)
    y += 6 * fonts.scale
    if not aids.capture_numbers:
        fonts.text(surface, f"AIDS: {aids.value.upper()}", (x, y), 18, DIM)
        return y + 19 * fonts.scale
    m = berthing_metrics(
        t.vehicle_position_world_m,
        t.vehicle_orientation_world_xyzw,
        t.vehicle_velocity_world_m_s,
        t.vehicle_angular_velocity_world_rad_s,
    )
    envelope = spec.envelope if spec is not None else None

    def col(value: float, name: str) -> Colour:
        if envelope is None or not aids.tier_colours or m.separation_m >= COLOUR_WITHIN_M:
            return READOUT
        tier = getattr(envelope, name)
        return TIER_COLOURS[_tier(value, tier.full, tier.allowed)]

    y = row(surface, fonts, x, y, w, "SEPARATION", f"{m.separation_m:6.3f} m", READOUT)
    y = row(
        surface, fonts, x, y, w, "AXIAL", f"{m.axial_speed_m_s:+.4f} m/s",
        col(max(0.0, m.axial_speed_m_s), "axial_speed_m_s"),
    )  # fmt: skip
    y = row(
        surface, fonts, x, y, w, "LATERAL", f"{m.lateral_offset_m:.3f} m",
        col(m.lateral_offset_m, "lateral_offset_m"),
    )  # fmt: skip
    y = row(surface, fonts, x, y, w, "TILT", f"{m.tilt_deg:5.2f} deg", col(m.tilt_deg, "tilt_deg"))
    y = row(
        surface, fonts, x, y, w, "ROLL", f"{m.roll_deg:+5.2f} deg", col(abs(m.roll_deg), "roll_deg")
    )
    return row(
        surface,
        fonts,
        x,
        y,
        w,
        "RATE",
        f"{m.rate_deg_s:.3f} deg/s",
        col(m.rate_deg_s, "rate_deg_s"),
    )
