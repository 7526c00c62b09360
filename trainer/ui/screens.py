"""The screens around an attempt: the start screen (scenario, aid level, trainee's name),
the end screen (outcome, every reason, the score and its components, where the outputs
went, fly again) and the help overlay listing the current bindings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pygame

from trainer.input.bindings import AXIS_NAMES, Bindings
from trainer.ui.aids import AidLevel
from trainer.ui.theme import (
    AMBER,
    BACKGROUND,
    CYAN,
    DIM,
    GREEN,
    PANEL,
    PANEL_EDGE,
    READOUT,
    RED,
    TEXT,
    TITLE,
    Fonts,
    panel,
)

# Keys the window itself handles (not hand-controller bindings, so not in bindings.yaml).
WINDOW_KEYS: tuple[tuple[str, str], ...] = (
    ("F1", "help (this page)"),
    ("F11", "full screen on/off"),
    ("M", "acknowledge the master alarm"),
    ("F5", "reset: end this attempt and fly it again"),
    ("Esc", "end the attempt (the recording is finalized)"),
)
CAPTURE_STEPS: tuple[str, ...] = (
    "1. Wait for Houston's free-drift call; stay outside 1.5 m until then.",
    "2. Cartesian mode, LEE frame: centre the stand-off cross on the crosshair, level the "
    "wings, keep the P/Y dot centred.",
    "3. Close slowly; small, slow corrections (the arm oscillates).",
    "4. IN RANGE: hold the trigger for a quarter second.",
)
AXIS_LABELS = {
    "thc_x": "THC x  forward / back",
    "thc_y": "THC y  left / right",
    "thc_z": "THC z  up / down",
    "rhc_roll": "RHC roll  right / left",
    "rhc_pitch": "RHC pitch  nose down / up",
    "rhc_yaw": "RHC yaw  nose left / right",
}


@dataclass(slots=True)
class StartChoice:
    """The start screen's state, changed by keys (``handle``)."""

    scenarios: list[tuple[str, str]]  # (id, title)
    scenario_index: int = 0
    aids: AidLevel = AidLevel.GUIDED
    trainee: str = ""
    field_index: int = 0  # 0 scenario, 1 aids, 2 name
    done: bool = False
    fields: tuple[str, ...] = field(default=("scenario", "aids", "trainee"))

    @property
    def scenario_id(self) -> str:
        return self.scenarios[self.scenario_index][0]

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.TEXTINPUT and self.field_index == 2:
            if len(self.trainee) < 32 and event.text.isprintable():
                self.trainee += event.text
            return
        if event.type != pygame.KEYDOWN:
            return
        key = event.key
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.done = True
        elif key in (pygame.K_TAB, pygame.K_DOWN) and not (
            key == pygame.K_DOWN and self.field_index == 0
        ):
            self.field_index = (self.field_index + 1) % len(self.fields)
        elif key == pygame.K_UP and self.field_index != 0:
            self.field_index = (self.field_index - 1) % len(self.fields)
        elif self.field_index == 0 and key in (pygame.K_DOWN, pygame.K_RIGHT):
            self.scenario_index = (self.scenario_index + 1) % len(self.scenarios)
        elif self.field_index == 0 and key in (pygame.K_UP, pygame.K_LEFT):
            self.scenario_index = (self.scenario_index - 1) % len(self.scenarios)
        elif self.field_index == 1 and key in (pygame.K_LEFT, pygame.K_RIGHT):
            levels = list(AidLevel)
            step = 1 if key == pygame.K_RIGHT else -1
            self.aids = levels[(levels.index(self.aids) + step) % len(levels)]
        elif self.field_index == 2 and key == pygame.K_BACKSPACE:
            self.trainee = self.trainee[:-1]


def draw_start(surface: pygame.Surface, fonts: Fonts, choice: StartChoice) -> None:
    w, h = surface.get_size()
    surface.fill(BACKGROUND)
    s = fonts.scale
    fonts.text(surface, "CANADARM2 CAPTURE TRAINER", (w / 2, 40 * s), 44, TEXT, anchor="midtop")
    fonts.text(
        surface,
        "Robotic workstation: set up the attempt",
        (w / 2, 84 * s),
        22,
        DIM,
        anchor="midtop",
    )
    box = pygame.Rect(round(w * 0.12), round(120 * s), round(w * 0.76), round(h - 190 * s))
    inner = panel(surface, box, "ATTEMPT", fonts)
    y = float(inner.y) + 8 * s
    focus = choice.fields[choice.field_index]

    def label(name: str, text: str, yy: float) -> None:
        colour = CYAN if focus == name else TITLE
        fonts.text(
            surface, ("> " if focus == name else "  ") + text, (inner.x + 10 * s, yy), 24, colour
        )

    label("scenario", "SCENARIO  (up/down)", y)
    y += 30 * s
    rows = min(len(choice.scenarios), 9)
    first = max(0, min(choice.scenario_index - rows // 2, len(choice.scenarios) - rows))
    for i in range(first, first + rows):
        sid, title = choice.scenarios[i]
        selected = i == choice.scenario_index
        if selected:
            pygame.draw.rect(
                surface, (34, 52, 70), (inner.x + 30 * s, y - 2, inner.w - 40 * s, 24 * s)
            )
        fonts.text(surface, f"{sid:<24}", (inner.x + 40 * s, y), 22, READOUT if selected else TEXT)
        fonts.text(surface, title, (inner.x + 290 * s, y), 22, READOUT if selected else DIM)
        y += 25 * s
    y += 14 * s
    label("aids", "AIDS  (left/right)", y)
    x = inner.x + 290 * s
    for level in AidLevel:
        colour = READOUT if level is choice.aids else DIM
        r = fonts.text(surface, level.value.upper(), (x, y), 24, colour)
        if level is choice.aids:
            pygame.draw.rect(surface, READOUT, r.inflate(10, 6), 1)
        x = r.right + 30 * s
    y += 28 * s
    fonts.text(surface, choice.aids.description, (inner.x + 290 * s, y), 20, DIM)
    y += 40 * s
    label("trainee", "TRAINEE  (type a name)", y)
    name_box = pygame.Rect(round(inner.x + 290 * s), round(y - 3), round(320 * s), round(28 * s))
    pygame.draw.rect(surface, PANEL, name_box)
    pygame.draw.rect(surface, CYAN if focus == "trainee" else PANEL_EDGE, name_box, 1)
    fonts.text(
        surface,
        choice.trainee + ("_" if focus == "trainee" else ""),
        (name_box.x + 6, name_box.y + 4),
        24,
        TEXT,
    )
    fonts.text(
        surface,
        "Tab: next field    Enter: fly    Esc: quit",
        (w / 2, h - 40 * s),
        24,
        AMBER,
        anchor="midtop",
    )


def draw_end(
    surface: pygame.Surface, fonts: Fonts, report: dict[str, Any], paths: Sequence[tuple[str, str]]
) -> None:
    """The debrief at the end of an attempt: outcome, reasons, score, outputs."""
    w, h = surface.get_size()
    s = fonts.scale
    surface.fill(BACKGROUND)
    passed = bool(report.get("passed"))
    outcome = str(report.get("outcome", "?")).upper()
    colour = GREEN if passed else RED
    fonts.text(
        surface,
        f"{outcome}: {'PASS' if passed else 'FAIL'}",
        (w / 2, 26 * s),
        54,
        colour,
        anchor="midtop",
    )
    score = report.get("score", {})
    scen = report.get("scenario", {})
    fonts.text(
        surface,
        f"score {score.get('total', 0):.1f} / {score.get('max', 100)}    "
        f"{scen.get('title', '')}    aids {report.get('aids', '-')}    "
        f"trainee {report.get('trainee') or '-'}",
        (w / 2, 80 * s),
        24,
        TEXT,
        anchor="midtop",
    )
    left = pygame.Rect(round(20 * s), round(116 * s), round(w * 0.58), round(h - 230 * s))
    inner = panel(surface, left, "WHY", fonts)
    y = float(inner.y)
    reasons = list(report.get("reasons", [])) or ["every criterion met"]
    ttc = report.get("time_to_capture_s")
    fonts.text(
        surface,
        f"ended: {report.get('outcome_reason', '-')}"
        + ("" if ttc is None else f"    time to capture {ttc:.1f} s after free drift"),
        (inner.x + 4, y),
        19,
        TEXT,
    )
    y += 26 * s
    notes = list(report.get("notes", []))
    for text, c in [(r, RED if not passed else GREEN) for r in reasons] + [
        (n, AMBER) for n in notes
    ]:
        for line in _wrap(fonts, text, inner.w - 16, 19):
            if y > inner.bottom - 20 * s:
                break
            fonts.text(surface, line, (inner.x + 4, y), 19, c)
            y += 19 * s
        y += 4 * s
    trig = report.get("trigger")
    if trig and y < inner.bottom - 60 * s:
        y += 6 * s
        fonts.text(
            surface,
            f"trigger at t = {trig['time_s']:.1f} s, tier {trig['tier']}",
            (inner.x + 4, y),
            19,
            TITLE,
        )
        y += 20 * s
        fonts.text(
            surface,
            f"offset {trig['lateral_offset_m']:.3f} m  depth {trig['axial_depth_m']:.3f} m  "
            f"p/y {trig['pitch_yaw_misalignment_deg']:.1f} deg  roll {trig['roll_misalignment_deg']:.1f} deg  "
            f"speed {trig['relative_speed_m_s']:.4f} m/s",
            (inner.x + 4, y),
            17,
            TEXT,
        )
    right = pygame.Rect(left.right + round(12 * s), left.y, round(w - left.right - 32 * s), left.h)
    inner = panel(surface, right, "SCORE", fonts)
    y = float(inner.y)
    for name, value in score.get("components", {}).items():
        c = DIM if value == 0 else AMBER
        fonts.text(surface, name.replace("_", " "), (inner.x, y), 20, c)
        fonts.text(surface, f"{value + 0.0:7.2f}", (inner.right, y), 20, c, anchor="topright")
        y += 21 * s
    pygame.draw.line(surface, PANEL_EDGE, (inner.x, y + 2), (inner.right, y + 2))
    fonts.text(surface, "total", (inner.x, y + 6 * s), 22, TEXT)
    fonts.text(
        surface,
        f"{score.get('total', 0):7.1f}",
        (inner.right, y + 6 * s),
        22,
        colour,
        anchor="topright",
    )
    y = left.bottom + 8 * s
    for label, path in paths:
        fonts.text(surface, f"{label:<10} {path}", (20 * s, y), 18, DIM)
        y += 18 * s
    fonts.text(
        surface,
        "Enter: fly again    N: new set-up    Esc: quit",
        (w / 2, h - 30 * s),
        24,
        AMBER,
        anchor="midtop",
    )


def _wrap(fonts: Fonts, text: str, width: float, size: int) -> list[str]:
    font = fonts.get(size)
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if font.size(trial)[0] <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def draw_help(surface: pygame.Surface, fonts: Fonts, bindings: Bindings) -> None:
    """The current bindings (keyboard and gamepad) and the window's own keys."""
    w, h = surface.get_size()
    s = fonts.scale
    shade = pygame.Surface((w, h), pygame.SRCALPHA)
    shade.fill((0, 0, 0, 215))
    surface.blit(shade, (0, 0))
    box = pygame.Rect(round(w * 0.06), round(h * 0.06), round(w * 0.88), round(h * 0.88))
    inner = panel(surface, box, "HELP: CURRENT BINDINGS  (F1 closes)", fonts)
    col_w = inner.w / 3
    kb, pad = bindings.keyboard, bindings.gamepad
    y0 = inner.y + 4 * s

    def column(x: float, title: str, rows: list[tuple[str, str]]) -> None:
        fonts.text(surface, title, (x, y0), 22, CYAN)
        y = y0 + 26 * s
        key_w = max([fonts.get(18).size(k)[0] for k, _ in rows] + [60]) + 12 * s
        for key, what in rows:
            fonts.text(surface, key, (x, y), 18, READOUT)
            fonts.text(surface, what, (x + key_w, y), 18, TEXT)
            y += 19 * s

    def axis_rows(table: Any) -> list[tuple[str, str]]:
        rows = []
        for axis in AXIS_NAMES:
            b = table.axes.get(axis)
            if b is None:
                continue
            if b.axis is not None:
                key = _pad_name(b.axis)
            else:
                key = f"{_pad_name(b.positive or '-')} / {_pad_name(b.negative or '-')}"
            rows.append((key, AXIS_LABELS.get(axis, axis)))
        return rows

    def button_rows(table: Any) -> list[tuple[str, str]]:
        rows = []
        for button, names in table.buttons.items():
            guard = bindings.guards_s.get(button)
            extra = f"  (hold {guard:g} s)" if guard else ""
            rows.append(
                (" ".join(_pad_name(n) for n in names), f"{button.value.replace('_', ' ')}{extra}")
            )
        return rows

    column(inner.x, "KEYBOARD", axis_rows(kb) + button_rows(kb))
    column(inner.x + col_w, "GAMEPAD", axis_rows(pad) + button_rows(pad))
    column(inner.x + 2 * col_w, "WINDOW", list(WINDOW_KEYS))
    y = y0 + (26 + 19 * len(WINDOW_KEYS) + 24) * s
    fonts.text(surface, "CAPTURE", (inner.x + 2 * col_w, y), 22, CYAN)
    y += 26 * s
    for line in CAPTURE_STEPS:
        for part in _wrap(fonts, line, col_w - 10, 18):
            fonts.text(surface, part, (inner.x + 2 * col_w, y), 18, TEXT)
            y += 19 * s
        y += 4 * s
    fonts.text(
        surface,
        "Senses: LEE frame, +x into the image, +z image-up. Fly slowly: oscillation is the big enemy.",
        (inner.x, inner.bottom - 20 * s),
        18,
        DIM,
    )


# Short names of the SDL game-controller inputs, as printed on pads (the help page).
_PAD_NAMES = {
    "leftx": "L STICK X",
    "lefty": "L STICK Y",
    "rightx": "R STICK X",
    "righty": "R STICK Y",
    "lefttrigger": "LT",
    "righttrigger": "RT",
    "leftshoulder": "LB",
    "rightshoulder": "RB",
    "leftstick": "L3",
    "rightstick": "R3",
    "dpup": "D-UP",
    "dpdown": "D-DOWN",
    "dpleft": "D-LEFT",
    "dpright": "D-RIGHT",
}


def _pad_name(name: str) -> str:
    return _PAD_NAMES.get(name, name.upper())
