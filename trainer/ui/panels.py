"""The workstation's displays around the camera monitors: the status display, the caution
and warning panel with its master alarm light, the call log and the hand controllers.

Each ``draw_*`` function paints one panel into its rectangle from the snapshot and the
window's own state (aid level, alarm, log); none keeps state of its own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pygame

from trainer.scenario.model import Scenario
from trainer.scoring.envelope import judge
from trainer.sim.joints import JOINT_LIMIT_RAD, JOINT_NAMES
from trainer.telemetry import Telemetry
from trainer.ui.aids import AidLevel
from trainer.ui.alerts import JOINT_MARGIN_DEG, Alert, Level, MasterAlarm
from trainer.ui.theme import (
    AMBER,
    BLACK,
    CYAN,
    DIM,
    GREEN,
    PANEL_EDGE,
    READOUT,
    RED,
    TEXT,
    Colour,
    Fonts,
    panel,
    tier_colour,
)

JOINT_SHORT = ("SR", "SY", "SP", "EP", "WP", "WY", "WR")


@dataclass(frozen=True, slots=True)
class StatusInfo:
    """What the status display shows besides the snapshot."""

    scenario: Scenario
    aids: AidLevel
    device: str
    trainee: str
    slowed_s: float  # how far the simulation has fallen behind wall time in total


def _row(
    surface: pygame.Surface,
    fonts: Fonts,
    x: float,
    y: float,
    w: float,
    label: str,
    value: str,
    colour: Colour = READOUT,
) -> float:
    fonts.text(surface, label, (x, y), 18, DIM)
    fonts.text(surface, value, (x + w, y), 20, colour, anchor="topright")
    return y + 19 * fonts.scale


def draw_status(
    surface: pygame.Surface, rect: pygame.Rect, fonts: Fonts, t: Telemetry, info: StatusInfo
) -> None:
    inner = panel(surface, rect, "STATUS", fonts)
    x, y, w = float(inner.x), float(inner.y), float(inner.w)
    c = t.control
    if c is None:  # before the first tick
        mode, frame, scale, brakes_on = "-", "-", "-", any(t.joint_brakes_engaged)
    else:
        mode = c.mode.value.replace("_", " ").upper()
        if c.mode.value == "single_joint":
            mode += " " + c.selected_joint.replace("_", " ").upper()
        frame, scale, brakes_on = c.frame.value.upper(), c.rate_scale.value.upper(), c.brakes_on
    y = _row(surface, fonts, x, y, w, "MODE", mode)
    y = _row(surface, fonts, x, y, w, "FRAME", frame)
    y = _row(surface, fonts, x, y, w, "RATE SCALE", scale)
    y = _row(
        surface,
        fonts,
        x,
        y,
        w,
        "BRAKES",
        "ON" if brakes_on else "OFF",
        AMBER if brakes_on else READOUT,
    )
    capture = t.capture_state.upper()
    y = _row(
        surface, fonts, x, y, w, "CAPTURE", capture, GREEN if t.capture_state != "open" else READOUT
    )
    dev_colour = RED if not t.hand_controller.connected else READOUT
    device = info.device if t.hand_controller.connected else "LOST"
    y = _row(surface, fonts, x, y, w, "DEVICE", device.upper(), dev_colour)
    if c is not None and c.safed:
        y = _row(surface, fonts, x, y, w, "SAFED", (c.safed_reason or "yes")[:22], AMBER)
    y += 6 * fonts.scale
    if t.berthing is not None:  # a berthing's step and numbers instead of the capture's
        from trainer.ui.cbcs import berthing_rows

        y = berthing_rows(surface, fonts, x, y, w, t, info.scenario, info.aids, _row)
        _status_footer(surface, fonts, inner, x, y, w, t, info)
        return
    elapsed = t.free_drift_elapsed_s
    y = _row(
        surface,
        fonts,
        x,
        y,
        w,
        "FREE DRIFT",
        "NOT YET" if elapsed is None else f"T+{elapsed:6.1f} s",
        DIM if elapsed is None else READOUT,
    )
    limits = info.scenario.time_limits
    if limits.hard_limit_s is not None and elapsed is not None:
        left = max(0.0, limits.hard_limit_s - elapsed)
        y = _row(
            surface,
            fonts,
            x,
            y,
            w,
            "WINDOW LEFT",
            f"{left:6.1f} s",
            AMBER if left < 30 else READOUT,
        )
    elif limits.hard_limit_s is None:
        y = _row(surface, fonts, x, y, w, "WINDOW LEFT", "NO LIMIT", DIM)
    else:
        y = _row(surface, fonts, x, y, w, "WINDOW", f"{limits.hard_limit_s:.0f} s FROM DRIFT", DIM)
    y = _row(surface, fonts, x, y, w, "SIM TIME", f"{t.time_s:7.1f} s", DIM)
    if info.slowed_s > 0.05:
        y = _row(surface, fonts, x, y, w, "SIM BEHIND", f"{info.slowed_s:5.1f} s", AMBER)
    y += 6 * fonts.scale
    pygame.draw.line(surface, PANEL_EDGE, (x, y), (x + w, y))
    y += 4 * fonts.scale
    if info.aids.capture_numbers:
        y = _capture_numbers(surface, fonts, x, y, w, t, info)
    else:
        fonts.text(surface, f"AIDS: {info.aids.value.upper()}", (x, y), 18, DIM)
        y += 19 * fonts.scale
        fonts.text(surface, "capture numbers hidden", (x, y), 18, DIM)
        y += 19 * fonts.scale
    _status_footer(surface, fonts, inner, x, y, w, t, info)


def _status_footer(
    surface: pygame.Surface,
    fonts: Fonts,
    inner: pygame.Rect,
    x: float,
    y: float,
    w: float,
    t: Telemetry,
    info: StatusInfo,
) -> None:
    """The joints against their limits, the scenario, aids and trainee."""
    y += 6 * fonts.scale
    pygame.draw.line(surface, PANEL_EDGE, (x, y), (x + w, y))
    y += 4 * fonts.scale
    footer = inner.bottom - 40 * fonts.scale
    _joints(surface, fonts, pygame.Rect(x, y, w, footer - y), t)
    pygame.draw.line(surface, PANEL_EDGE, (x, footer), (x + w, footer))
    fonts.text(surface, info.scenario.id, (x, footer + 4 * fonts.scale), 16, DIM)
    fonts.text(
        surface,
        f"AIDS {info.aids.value.upper()}",
        (x + w, footer + 4 * fonts.scale),
        16,
        DIM,
        anchor="topright",
    )
    fonts.text(
        surface, f"TRAINEE {info.trainee or '-'}"[:34], (x, footer + 20 * fonts.scale), 16, DIM
    )


def _capture_numbers(
    surface: pygame.Surface,
    fonts: Fonts,
    x: float,
    y: float,
    w: float,
    t: Telemetry,
    info: StatusInfo,
) -> float:
    m = t.metrics
    tiers = {q.name: q.tier for q in judge(m, info.scenario.envelope).quantities}

    def col(name: str) -> Colour:
        return tier_colour(tiers.get(name), True)

    y = _row(surface, fonts, x, y, w, "RANGE", f"{t.range_m:6.2f} m")
    y = _row(
        surface,
        fonts,
        x,
        y,
        w,
        "RANGE RATE",
        f"{t.range_rate_m_s:+.3f} m/s",
        col("relative_speed_m_s"),
    )
    y = _row(
        surface, fonts, x, y, w, "LATERAL", f"{m.lateral_offset_m:.3f} m", col("lateral_offset_m")
    )
    y = _row(surface, fonts, x, y, w, "DEPTH", f"{m.axial_depth_m:+.3f} m", col("axial_depth_m"))
    y = _row(
        surface,
        fonts,
        x,
        y,
        w,
        "PITCH/YAW",
        f"{m.pitch_yaw_misalignment_deg:5.1f} deg",
        col("pitch_yaw_misalignment_deg"),
    )
    y = _row(
        surface,
        fonts,
        x,
        y,
        w,
        "ROLL",
        f"{m.roll_misalignment_deg:5.1f} deg",
        col("roll_misalignment_deg"),
    )
    y = _row(
        surface,
        fonts,
        x,
        y,
        w,
        "REL SPEED",
        f"{m.relative_speed_m_s:.4f} m/s",
        col("relative_speed_m_s"),
    )
    y = _row(
        surface,
        fonts,
        x,
        y,
        w,
        "REL RATE",
        f"{m.relative_rate_deg_s:.2f} deg/s",
        col("relative_rate_deg_s"),
    )
    y = _row(surface, fonts, x, y, w, "TIP SPEED", f"{t.lee_speed_m_s:.3f} m/s")
    return y


def _joints(surface: pygame.Surface, fonts: Fonts, rect: pygame.Rect, t: Telemetry) -> None:
    """Joint angles as bars against their ±270° stops (amber inside the warning margin)."""
    fonts.text(surface, "JOINTS  (-270 ... +270 deg)", (rect.x, rect.y), 16, DIM)
    rows = len(JOINT_NAMES)
    top = rect.y + 18 * fonts.scale
    step = max(10.0, min(22 * fonts.scale, (rect.bottom - top) / rows))
    label_w = 26 * fonts.scale
    value_w = 48 * fonts.scale
    bar_x = rect.x + label_w
    bar_w = rect.w - label_w - value_w
    limit = math.degrees(JOINT_LIMIT_RAD)
    for i in range(len(JOINT_NAMES)):
        q = math.degrees(t.joint_angles_rad[i]) if i < len(t.joint_angles_rad) else 0.0
        yy = top + i * step
        near = abs(q) >= limit - JOINT_MARGIN_DEG
        colour = AMBER if near else READOUT
        fonts.text(surface, JOINT_SHORT[i], (rect.x, yy), 16, DIM)
        bar = pygame.Rect(round(bar_x), round(yy + 2), round(bar_w), max(4, round(step * 0.5)))
        pygame.draw.rect(surface, (30, 36, 46), bar)
        pygame.draw.rect(surface, PANEL_EDGE, bar, 1)
        margin = bar_w * JOINT_MARGIN_DEG / (2 * limit)
        pygame.draw.rect(surface, (90, 60, 20), (bar.x, bar.y, round(margin), bar.h))
        pygame.draw.rect(
            surface, (90, 60, 20), (bar.right - round(margin), bar.y, round(margin), bar.h)
        )
        pygame.draw.line(surface, DIM, (bar.centerx, bar.y), (bar.centerx, bar.bottom - 1))
        mx = bar.x + (q + limit) / (2 * limit) * bar.w
        pygame.draw.rect(surface, colour, (round(mx) - 2, bar.y - 1, 4, bar.h + 2))
        fonts.text(surface, f"{q:+6.1f}", (rect.right, yy), 16, colour, anchor="topright")


def draw_alerts(
    surface: pygame.Surface,
    rect: pygame.Rect,
    fonts: Fonts,
    items: Sequence[Alert],
    alarm: MasterAlarm,
    blink: bool,
    hint: str,
) -> None:
    inner = panel(surface, rect, "CAUTION & WARNING", fonts)
    light = pygame.Rect(inner.x, inner.y, inner.w, round(34 * fonts.scale))
    if alarm.alarm:
        colour, text = (RED if blink else (110, 20, 20)), "MASTER ALARM"
    elif alarm.caution:
        colour, text = AMBER, "MASTER CAUTION"
    else:
        colour, text = (34, 40, 50), "MASTER ALARM"
    pygame.draw.rect(surface, colour, light, border_radius=4)
    lit = alarm.alarm or alarm.caution
    fonts.text(surface, text, light.center, 24, BLACK if lit else DIM, anchor="center")
    y = float(light.bottom) + 6 * fonts.scale
    if lit:
        fonts.text(surface, hint, (inner.x, y), 15, DIM)
    y += 16 * fonts.scale
    if not items:
        fonts.text(surface, "no cautions or warnings", (inner.x, y), 17, DIM)
    for item in items:
        if y > inner.bottom - 16 * fonts.scale:
            break
        c = RED if item.level is Level.WARNING else AMBER
        pygame.draw.rect(surface, c, (inner.x, y + 2, 8, 12))
        fonts.text(surface, item.text, (inner.x + 14, y), 17, c)
        y += 18 * fonts.scale


def draw_log(
    surface: pygame.Surface,
    rect: pygame.Rect,
    fonts: Fonts,
    lines: Sequence[tuple[float, str, Colour]],
) -> None:
    inner = panel(surface, rect, "CALLS & MESSAGES", fonts)
    step = 18 * fonts.scale
    fit = max(1, int(inner.h // step))
    y = float(inner.y)
    for time_s, text, colour in list(lines)[-fit:]:
        fonts.text(surface, f"{time_s:6.1f}", (inner.x, y), 17, DIM)
        _fit_text(surface, fonts, text, (inner.x + 50 * fonts.scale, y), inner.right, colour)
        y += step


def _fit_text(
    surface: pygame.Surface,
    fonts: Fonts,
    text: str,
    pos: tuple[float, float],
    right: float,
    colour: Colour,
) -> None:
    font = fonts.get(17)
    while text and font.size(text)[0] > right - pos[0]:
        text = text[:-2] + "…" if len(text) > 2 else ""
    fonts.text(surface, text, pos, 17, colour)


def draw_hand_controllers(
    surface: pygame.Surface, rect: pygame.Rect, fonts: Fonts, t: Telemetry, device: str
) -> None:
    inner = panel(surface, rect, "HAND CONTROLLERS", fonts)
    hc = t.hand_controller
    fonts.text(
        surface,
        device.upper(),
        (inner.right, inner.y - 22 * fonts.scale),
        15,
        CYAN,
        anchor="topright",
    )
    names = (("THC X", "THC Y", "THC Z"), ("RHC ROLL", "RHC PITCH", "RHC YAW"))
    y = float(inner.y)
    step = min(20 * fonts.scale, inner.h / 6.5)
    label_w = 70 * fonts.scale
    for group, values in zip(names, (hc.thc, hc.rhc), strict=True):
        for label, v in zip(group, values, strict=True):
            fonts.text(surface, label, (inner.x, y), 16, DIM)
            bar = pygame.Rect(
                round(inner.x + label_w),
                round(y + 3),
                round(inner.w - label_w),
                max(4, round(step * 0.5)),
            )
            pygame.draw.rect(surface, (30, 36, 46), bar)
            pygame.draw.line(surface, DIM, (bar.centerx, bar.y - 1), (bar.centerx, bar.bottom))
            end = bar.centerx + v * bar.w / 2
            fill = pygame.Rect(min(bar.centerx, end), bar.y, abs(end - bar.centerx), bar.h)
            pygame.draw.rect(surface, CYAN if hc.connected else RED, fill)
            y += step
        y += step * 0.25
    buttons = " ".join(sorted(b.value.upper() for b in hc.buttons)) or "-"
    fonts.text(surface, f"BUTTONS {buttons}", (inner.x, y), 15, TEXT if hc.buttons else DIM)
