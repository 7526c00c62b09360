"""The replay panel (what is shown, where in the recording, the transport state, the
events around the cursor, the instructor's notes, the keys) and the note entry box."""

from __future__ import annotations

from collections.abc import Sequence

import pygame

from trainer.record.decode import aid_level
from trainer.record.notes import Note
from trainer.ui.replay.model import ReplayModel
from trainer.ui.replay.strip import MARKER_COLOURS, NOTE, _mmss
from trainer.ui.theme import (
    AMBER,
    BLACK,
    DIM,
    GREEN,
    PANEL,
    READOUT,
    TEXT,
    Fonts,
    panel,
)

KEYS: tuple[tuple[str, str], ...] = (
    ("SPACE", "play / pause"),
    ("UP DOWN", "speed"),
    ("LEFT RIGHT", "one tick (SHIFT 1 s, CTRL 10 s)"),
    ("PGUP PGDN", "previous / next event"),
    ("HOME END", "start / end"),
    ("CLICK, DRAG", "timeline: seek"),
    ("N", "note at this instant"),
    ("TAB", "rotate monitors"),
    ("C", "free camera: LEE, Dragon, ride"),
    ("DRAG WHEEL", "orbit, zoom (A D W S Z X)"),
    ("ESC", "quit"),
)
NOTES_NEAR_S = 3.0  # a note within this of the cursor is highlighted


def _fit(fonts: Fonts, text: str, size: int, width: float) -> str:
    font = fonts.get(size)
    while text and font.size(text)[0] > width:
        text = text[:-2] + "…" if len(text) > 2 else ""
    return text


def draw_replay_panel(
    screen: pygame.Surface,
    rect: pygame.Rect,
    fonts: Fonts,
    model: ReplayModel,
    t: float,
    *,
    playing: bool,
    speed: float,
    notes: Sequence[Note],
    message: str | None,
    reading: float | None = None,
    error: str | None = None,
) -> None:
    inner = panel(screen, rect, "REPLAY", fonts)
    x, y, w = inner.x, float(inner.y), inner.w
    step = 17 * fonts.scale
    meta = model.recording.metadata

    def line(text: str, colour: tuple[int, int, int] = TEXT, size: int = 16) -> None:
        nonlocal y
        fonts.text(screen, _fit(fonts, text, size, w), (x, y), size, colour)
        y += step * size / 16

    line(model.recording.path.name, READOUT)
    line(
        f"{meta.get('scenario_id', '?')}  seed {meta.get('seed', '?')}  "
        f"{meta.get('pilot', '?')}  aids {aid_level(meta)}",
        DIM,
        14,
    )
    y += 4 * fonts.scale
    fonts.text(screen, f"{_mmss(t)}", (x, y), 30, TEXT)
    fonts.text(
        screen, f"/ {_mmss(model.end_s)}", (x + w, y + 8 * fonts.scale), 18, DIM, anchor="topright"
    )
    y += 28 * fonts.scale
    state = f"PLAYING {speed:g}x" if playing else f"PAUSED  (speed {speed:g}x)"
    line(state, GREEN if playing else AMBER, 18)
    if model.recording.notice:
        line(f"CUT OFF at {_mmss(model.end_s)}: shown up to the cut", AMBER, 15)
    if reading is not None:
        line(f"reading plots, M2 calls, C&W: {100 * min(reading, 1.0):.0f} %", DIM, 15)
    if error:
        line(f"plots unavailable: {error}", AMBER, 14)
    y += 4 * fonts.scale
    before = model.previous_marker(t + 1e-6)
    after = model.next_marker(t)
    if before is not None:
        line(f"last  {_mmss(before.time_s)}  {before.label}", MARKER_COLOURS[before.category], 14)
    if after is not None:
        line(
            f"next  {_mmss(after.time_s)}  {after.label}  (in {after.time_s - t:.1f} s)",
            MARKER_COLOURS[after.category],
            14,
        )
    y += 6 * fonts.scale
    fonts.text(screen, f"NOTES ({len(notes)})", (x, y), 15, DIM)
    y += step
    near = [n for n in notes if abs(n.time_s - t) <= NOTES_NEAR_S]
    shown = near or [n for n in notes if n.time_s <= t][-3:]
    for note in shown[:4]:
        colour = NOTE if note in near else DIM
        line(f"{_mmss(note.time_s)}  {note.text}", colour, 15)
    if not notes:
        line("N pins a note to this instant", DIM, 14)
    if message:
        line(message, GREEN, 14)
    keys_top = inner.bottom - len(KEYS) * 15 * fonts.scale
    _legend(screen, fonts, x, keys_top - 3 * 15 * fonts.scale - 4 * fonts.scale, w)
    y = keys_top
    for key, what in KEYS:
        fonts.text(screen, key, (x, y), 14, READOUT)
        fonts.text(screen, _fit(fonts, what, 14, w * 0.62), (x + w * 0.36, y), 14, DIM)
        y += 15 * fonts.scale


LEGEND: tuple[tuple[str, str], ...] = (
    ("drift", "free drift"),
    ("trigger", "trigger"),
    ("capture", "snare, rigidize"),
    ("call", "calls"),
    ("alarm", "C&W alarm"),
    ("fault", "fault"),
    ("contact", "contact"),
    ("abort", "abort"),
    ("pause", "pause"),
)


def _legend(screen: pygame.Surface, fonts: Fonts, x: float, y: float, w: float) -> None:
    """The timeline's marker colours, three to a row."""
    step = 15 * fonts.scale
    for i, (category, name) in enumerate(LEGEND):
        cx = x + (i % 3) * w / 3
        cy = y + (i // 3) * step
        swatch = pygame.Rect(round(cx), round(cy + 3 * fonts.scale), 4, round(9 * fonts.scale))
        pygame.draw.rect(screen, MARKER_COLOURS[category], swatch)
        fonts.text(screen, name, (cx + 8, cy), 14, DIM)


def draw_note_entry(
    screen: pygame.Surface, area: pygame.Rect, fonts: Fonts, t: float, text: str
) -> None:
    """The text entry box of a note being typed, over the middle of ``area``."""
    box = pygame.Rect(0, 0, round(area.w * 0.7), round(96 * fonts.scale))
    box.center = area.center
    pygame.draw.rect(screen, PANEL, box)
    pygame.draw.rect(screen, NOTE, box, 2)
    fonts.text(
        screen,
        f"NOTE AT {_mmss(t)}   (RETURN saves, ESC cancels)",
        (box.x + 12, box.y + 10),
        18,
        NOTE,
    )
    field = pygame.Rect(
        box.x + 12, box.y + round(40 * fonts.scale), box.w - 24, round(34 * fonts.scale)
    )
    pygame.draw.rect(screen, BLACK, field)
    pygame.draw.rect(screen, AMBER, field, 1)
    shown = text
    font = fonts.get(22)
    while shown and font.size(shown + "_")[0] > field.w - 12:
        shown = shown[1:]  # keep the end of a long note in view
    fonts.text(screen, shown + "_", (field.x + 6, field.centery), 22, TEXT, anchor="midleft")
