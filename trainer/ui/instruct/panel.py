"""The instructor's panel of the console (docs/DESIGN.md §12): buttons that become service
requests, and the entry line for a call, a note or the token.

| button                   | request                                                  |
|--------------------------|----------------------------------------------------------|
| LEE / ELBOW / EXTERNAL   | ``fault`` camera_loss, or camera_restore when it is lost |
| STUCK BRAKE, JOINT       | ``fault`` brake_stuck on the joint shown (JOINT cycles)  |
| HC BIAS, CLEAR HC BIAS   | ``fault`` hand_controller_bias (THC x +0.1), then zeros  |
| WHEN                     | cycles now, +10 s, +30 s, +60 s: the faults' ``at_s``     |
| FREEZE / RESUME          | ``freeze`` or ``resume``                                 |
| END ATTEMPT              | ``end`` (a second click within 3 s confirms)             |
| CALL HOUSTON, CALL M2    | the entry line; Return sends ``call`` with that voice    |
| NOTE                     | the entry line; Return sends a note to the notes file    |
| TOKEN                    | the entry line; Return keeps the session's token         |
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from trainer.sim.joints import JOINT_NAMES
from trainer.ui.theme import AMBER, BLACK, DIM, GREEN, PANEL_EDGE, READOUT, RED, TEXT, Fonts, panel

WHEN_S: tuple[float | None, ...] = (None, 10.0, 30.0, 60.0)
BIAS_THC = (0.1, 0.0, 0.0)  # E: a tenth of full deflection drifts the LEE visibly in seconds


@dataclass(frozen=True)
class Button:
    key: str
    label: str
    rect: pygame.Rect
    colour: tuple[int, int, int] = TEXT


def layout_buttons(
    rect: pygame.Rect,
    fonts: Fonts,
    *,
    lost: set[str],
    frozen: bool,
    joint: str,
    when: float | None,
    armed_end: bool,
) -> list[Button]:
    """The buttons inside the panel ``rect`` (window coordinates), top to bottom."""
    s = fonts.scale
    x, w = rect.x + round(6 * s), rect.w - round(12 * s)
    half = (w - round(6 * s)) // 2
    h = round(26 * s)
    gap = round(6 * s)
    y = rect.y + round(64 * s)
    out: list[Button] = []

    def row(*items: tuple[str, str, tuple[int, int, int]]) -> None:
        nonlocal y
        width = w if len(items) == 1 else half
        for i, (key, label, colour) in enumerate(items):
            out.append(Button(key, label, pygame.Rect(x + i * (half + gap), y, width, h), colour))
        y += h + gap

    for camera in ("lee", "elbow", "external"):
        if camera in lost:
            row((f"restore:{camera}", f"RESTORE {camera.upper()} CAMERA", GREEN))
        else:
            row((f"loss:{camera}", f"{camera.upper()} CAMERA LOSS", AMBER))
    row(("brake", "STUCK BRAKE", AMBER), ("joint", joint.replace("_", " ").upper(), DIM))
    row(("bias", "HC BIAS", AMBER), ("unbias", "CLEAR HC BIAS", GREEN))
    row(("when", "WHEN: NOW" if when is None else f"WHEN: +{when:.0f} s", READOUT))
    y += gap
    row(("resume", "RESUME", GREEN) if frozen else ("freeze", "FREEZE", AMBER))
    row(("call:houston", "CALL HOUSTON", TEXT), ("call:m2", "CALL M2", TEXT))
    row(("note", "NOTE", TEXT), ("token", "TOKEN", DIM))
    y += gap
    row(("end", "CONFIRM: END ATTEMPT" if armed_end else "END ATTEMPT", RED))
    return out


def draw_panel(
    screen: pygame.Surface,
    rect: pygame.Rect,
    fonts: Fonts,
    buttons: list[Button],
    *,
    title: str,
    lines: list[tuple[str, tuple[int, int, int]]],
    hover: str | None,
) -> None:
    inner = panel(screen, rect, "INSTRUCTOR", fonts)
    y = inner.y
    for text, colour in lines[:2]:
        fonts.text(screen, text, (inner.x, y), 15, colour)
        y += round(17 * fonts.scale)
    for b in buttons:
        pygame.draw.rect(screen, (40, 46, 58) if b.key == hover else (26, 30, 38), b.rect)
        pygame.draw.rect(screen, b.colour, b.rect, 1)
        fonts.text(screen, b.label, b.rect.center, 15, b.colour, anchor="center")
    y = buttons[-1].rect.bottom + round(10 * fonts.scale) if buttons else y
    for text, colour in lines[2:]:
        fonts.text(screen, text[:60], (inner.x, y), 14, colour)
        y += round(16 * fonts.scale)
    del title


def draw_entry(
    screen: pygame.Surface, rect: pygame.Rect, fonts: Fonts, prompt: str, text: str
) -> None:
    """The entry line across the bottom of ``rect``."""
    h = round(34 * fonts.scale)
    box = pygame.Rect(rect.x + 10, rect.bottom - h - 10, rect.w - 20, h)
    pygame.draw.rect(screen, (235, 235, 225), box)
    pygame.draw.rect(screen, PANEL_EDGE, box, 2)
    fonts.text(screen, f"{prompt} {text}_", (box.x + 8, box.y + 7), 20, BLACK)
    fonts.text(
        screen,
        "Return sends, Esc cancels",
        (box.right - 8, box.y - 18),
        14,
        TEXT,
        anchor="topright",
    )


def next_joint(joint: str) -> str:
    return JOINT_NAMES[(JOINT_NAMES.index(joint) + 1) % len(JOINT_NAMES)]
