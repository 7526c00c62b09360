"""The bottom of the replay window: the timeline with its event markers and the plot
strip (range, range rate, lateral offset against the envelope bands), sharing one time
axis and one cursor.

Everything that does not move is drawn once into a background surface (again when the
window is resized or a note is added); a frame only blits it and draws the cursor, so the
strip costs nothing while playing. The series are reduced to one min-max bar per pixel
column, so a 30-minute session draws as fast as a one-minute one.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pygame

from trainer.scenario.model import Envelope
from trainer.ui.replay.model import Marker, PlotSeries, ReplayModel
from trainer.ui.theme import (
    AMBER,
    BACKGROUND,
    CYAN,
    DIM,
    GREEN,
    PANEL,
    PANEL_EDGE,
    RED,
    TEXT,
    TITLE,
    WHITE,
    Colour,
    Fonts,
)

NOTE: Colour = (255, 230, 60)
MARKER_COLOURS: dict[str, Colour] = {
    "drift": GREEN,
    "call": (150, 170, 200),
    "trigger": WHITE,
    "capture": (190, 120, 255),
    "contact": RED,
    "fault": AMBER,
    "abort": (255, 110, 40),
    "alarm": (255, 90, 90),
    "pause": (120, 140, 255),
    "end": CYAN,
    "other": (160, 160, 170),
    "note": NOTE,
    "instructor": (255, 150, 220),
}
# Lanes of the timeline, top to bottom: (title, categories drawn in it).
LANES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("EVENTS", ("drift", "trigger", "capture", "abort", "end", "pause", "other")),
    ("CALLS", ("call",)),
    ("C&W / FAULTS", ("alarm", "fault", "contact")),
    ("INSTRUCTOR", ("note", "instructor")),
)
LABEL_W = 96  # reference pixels for the lane titles at the left
BAND_FULL: Colour = (24, 70, 40)
RANGE_FLOOR_M = 0.05  # the bottom of the log range plot (the overlay's tape starts there)
BAND_ALLOWED: Colour = (70, 58, 20)


def _mmss(t: float) -> str:
    m, s = divmod(max(0.0, t), 60.0)
    return f"{int(m)}:{s:04.1f}" if m < 60 else f"{int(m // 60)}:{int(m % 60):02d}:{s:02.0f}"


class Strip:
    """Timeline and plots in ``rect`` (window coordinates)."""

    def __init__(self, model: ReplayModel, rect: pygame.Rect, fonts: Fonts) -> None:
        self.model = model
        self.rect = rect
        self.fonts = fonts
        s = fonts.scale
        self.axis = pygame.Rect(
            rect.x + round(LABEL_W * s), rect.y, rect.w - round((LABEL_W + 8) * s), rect.h
        )
        lane_h = round(17 * s)
        self.timeline = pygame.Rect(
            self.axis.x, rect.y + round(18 * s), self.axis.w, lane_h * len(LANES) + round(16 * s)
        )
        self.lane_h = lane_h
        plot_top = self.timeline.bottom + round(4 * s)
        plot_h = (rect.bottom - plot_top - round(4 * s)) // 3
        self.plots = [
            pygame.Rect(self.axis.x, plot_top + i * plot_h, self.axis.w, plot_h - round(3 * s))
            for i in range(3)
        ]
        self._background = pygame.Surface(rect.size)
        self.rebuild()

    # ------------------------------------------------------------------ geometry
    def x_of(self, t: float) -> float:
        m = self.model
        span = max(m.end_s - m.start_s, 1e-6)
        return self.axis.x + (t - m.start_s) / span * (self.axis.w - 1)

    def t_of(self, x: float) -> float:
        m = self.model
        span = max(m.end_s - m.start_s, 1e-6)
        return m.clamp(m.start_s + (x - self.axis.x) / max(self.axis.w - 1, 1) * span)

    def hit(self, pos: tuple[int, int]) -> bool:
        """True when ``pos`` is on the timeline or the plots (a click there seeks)."""
        area = self.axis.copy()
        area.x -= 4
        area.w += 8
        return area.collidepoint(pos)

    # ------------------------------------------------------------------ background
    def rebuild(self) -> None:
        bg = self._background
        bg.fill(BACKGROUND)
        ox, oy = self.rect.topleft

        def local(r: pygame.Rect) -> pygame.Rect:  # window to background coordinates
            return r.move(-ox, -oy)

        fonts = self.fonts
        tl = local(self.timeline)
        pygame.draw.rect(bg, PANEL, tl)
        model = self.model
        for a, b in model.pauses:  # recorded pauses shaded across the lanes
            xa, xb = self.x_of(a) - ox, self.x_of(min(b, model.end_s)) - ox
            pygame.draw.rect(bg, (30, 34, 70), (xa, tl.y, max(2.0, xb - xa), tl.h))
        for _camera, a, b in model.camera_loss:  # video lost: the C&W lane shaded
            xa, xb = self.x_of(a) - ox, self.x_of(min(b, model.end_s)) - ox
            lane = tl.y + 2 + 2 * self.lane_h
            pygame.draw.rect(bg, (60, 44, 14), (xa, lane, max(2.0, xb - xa), self.lane_h))
        for i, (title, categories) in enumerate(LANES):
            y = tl.y + 2 + i * self.lane_h
            fonts.text(bg, title, (tl.x - 6, y + self.lane_h / 2), 13, TITLE, anchor="midright")
            pygame.draw.line(bg, (34, 40, 52), (tl.x, y + self.lane_h), (tl.right, y + self.lane_h))
            for marker in model.markers:
                if marker.category not in categories:
                    continue
                x = round(self.x_of(marker.time_s) - ox)
                colour = MARKER_COLOURS[marker.category]
                if marker.category == "note":
                    pygame.draw.polygon(
                        bg, colour, [(x, y + 1), (x + 7, y + 4), (x, y + 7), (x, y + self.lane_h)]
                    )
                    pygame.draw.line(bg, colour, (x, y + 1), (x, y + self.lane_h - 1), 2)
                else:
                    wide = 3 if marker.category in ("trigger", "contact", "abort", "end") else 2
                    pygame.draw.line(bg, colour, (x, y + 2), (x, y + self.lane_h - 2), wide)
        self._time_axis(bg, tl)
        if model.recording.notice:  # cut off: the end of the axis marked
            x = tl.right - 2
            pygame.draw.line(bg, RED, (x, tl.y), (x, local(self.plots[-1]).bottom), 2)
        env = model.scenario.envelope
        for i, rect in enumerate(self.plots):
            self._plot(bg, local(rect), i, model.series, env)
        pygame.draw.rect(bg, PANEL_EDGE, tl, 1)

    def _time_axis(self, bg: pygame.Surface, tl: pygame.Rect) -> None:
        model = self.model
        span = max(model.end_s - model.start_s, 1e-6)
        step = next(
            s for s in (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800) if span / s <= 12
        )
        y = tl.bottom - round(14 * self.fonts.scale)
        t = math.ceil(model.start_s / step) * step
        ox = self.rect.x
        while t <= model.end_s + 1e-9:
            x = self.x_of(t) - ox
            pygame.draw.line(bg, DIM, (x, y - 3), (x, y))
            self.fonts.text(bg, _mmss(t).removesuffix(".0"), (x, y), 13, DIM, anchor="midtop")
            t += step

    def _plot(
        self, bg: pygame.Surface, rect: pygame.Rect, which: int, series: PlotSeries, env: Envelope
    ) -> None:
        pygame.draw.rect(bg, PANEL, rect)
        fonts = self.fonts
        log = False
        if which == 0:
            # range on a log scale, as the overlay's tape: the trigger window (range ≈ the
            # envelope's axial depth) stays readable beside metres of approach
            values, title, unit = series.range_m, "RANGE", "m"
            finite = values[np.isfinite(values) & (values > 0)]
            top = float(min(max(finite.max(), 0.5), 20.0)) if finite.size else 1.0
            lo_v, hi_v, log = RANGE_FLOOR_M, top, True
            lo, hi = env.axial_depth_m.allowed
            f_lo, f_hi = env.axial_depth_m.full
            bands = [(lo, hi, BAND_ALLOWED), (f_lo, f_hi, BAND_FULL)]
        elif which == 1:
            values, title, unit = series.range_rate_m_s, "RANGE RATE", "m/s"
            limit = env.relative_speed_m_s
            span = max(3.0 * limit.allowed, 0.05)
            lo_v, hi_v = -span, span
            bands = [
                (-limit.allowed, limit.allowed, BAND_ALLOWED),
                (-limit.full, limit.full, BAND_FULL),
            ]
        else:
            values, title, unit = series.lateral_m, "LATERAL", "m"
            limit = env.lateral_offset_m
            lo_v, hi_v = 0.0, max(3.0 * limit.allowed, 0.05)
            bands = [(0.0, limit.allowed, BAND_ALLOWED), (0.0, limit.full, BAND_FULL)]

        def y_of(v: float) -> float:
            v = min(max(v, lo_v), hi_v)
            f = math.log(v / lo_v) / math.log(hi_v / lo_v) if log else (v - lo_v) / (hi_v - lo_v)
            return rect.bottom - 1 - f * (rect.h - 2)

        for a, b, colour in bands:
            ya, yb = y_of(b), y_of(a)
            pygame.draw.rect(bg, colour, (rect.x, ya, rect.w, max(1.0, yb - ya)))
        if lo_v < 0.0 < hi_v:
            pygame.draw.line(bg, DIM, (rect.x, y_of(0.0)), (rect.right - 1, y_of(0.0)))
        self._trace(bg, rect, series.t_s, values, y_of)
        if self.model.pending:
            fonts.text(bg, "reading...", rect.center, 14, DIM, anchor="center")
        pygame.draw.rect(bg, PANEL_EDGE, rect, 1)
        fonts.text(bg, title, (rect.x - 6, rect.y + 1), 14, TITLE, anchor="topright")
        fonts.text(
            bg,
            f"{hi_v:.3g}..{lo_v:.3g} {unit}",
            (rect.x - 6, rect.bottom - 1),
            12,
            DIM,
            anchor="bottomright",
        )

    def _trace(
        self,
        bg: pygame.Surface,
        rect: pygame.Rect,
        t: np.ndarray,
        values: np.ndarray,
        y_of: Callable[[float], float],
    ) -> None:
        """One min-max bar per pixel column (see the module docstring)."""
        ok = np.isfinite(values) & np.isfinite(t)
        if not ok.any():
            return
        t, values = t[ok], values[ok]
        ox = self.rect.x
        cols = np.clip(
            np.array([self.x_of(float(x)) for x in (t[0], t[-1])]) - ox, rect.x, rect.right - 1
        )
        xs = np.clip(
            np.round(cols[0] + (t - t[0]) / max(t[-1] - t[0], 1e-9) * (cols[1] - cols[0])),
            rect.x,
            rect.right - 1,
        ).astype(int)
        starts = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])
        lows = np.minimum.reduceat(values, starts)
        highs = np.maximum.reduceat(values, starts)
        points: list[tuple[float, float]] = []
        for x, lo, hi in zip(xs[starts], lows, highs, strict=True):
            y_lo, y_hi = y_of(float(lo)), y_of(float(hi))
            if abs(y_lo - y_hi) >= 1.0:
                pygame.draw.line(bg, TEXT, (int(x), y_hi), (int(x), y_lo))
            points.append((float(x), 0.5 * (y_lo + y_hi)))
        if len(points) > 1:
            pygame.draw.lines(bg, TEXT, False, points)

    def marker_near(self, pos: tuple[int, int], within_px: float = 4.0) -> Marker | None:
        """The marker drawn nearest ``pos`` in its lane (for the hover label)."""
        if not self.timeline.collidepoint(pos):
            return None
        lane = int((pos[1] - self.timeline.y - 2) // max(self.lane_h, 1))
        if not 0 <= lane < len(LANES):
            return None
        best: tuple[float, Marker] | None = None
        for marker in self.model.markers:
            if marker.category in LANES[lane][1]:
                d = abs(self.x_of(marker.time_s) - pos[0])
                if d <= within_px and (best is None or d < best[0]):
                    best = (d, marker)
        return best[1] if best else None

    def draw_label(self, screen: pygame.Surface, pos: tuple[int, int], marker: Marker) -> None:
        """A marker's time and text in a box by the mouse."""
        text = f"{_mmss(marker.time_s)}  {marker.label}"
        image = self.fonts.get(16).render(text, True, (0, 0, 0))
        box = image.get_rect(bottomleft=(pos[0] + 10, pos[1] - 6)).inflate(10, 6)
        box.clamp_ip(self.rect)  # inside the strip, which is redrawn every frame
        pygame.draw.rect(screen, MARKER_COLOURS[marker.category], box)
        screen.blit(image, image.get_rect(center=box.center))

    # ------------------------------------------------------------------ per frame
    def draw(self, screen: pygame.Surface, t: float) -> None:
        screen.blit(self._background, self.rect)
        x = round(self.x_of(t))
        top, bottom = self.timeline.y, self.plots[-1].bottom
        pygame.draw.line(screen, NOTE, (x, top), (x, bottom), 2)
        label = self.fonts.get(14).render(_mmss(t), True, (0, 0, 0))
        box = label.get_rect(midbottom=(x, top + 1)).inflate(8, 2)
        box.clamp_ip(self.rect)
        pygame.draw.rect(screen, NOTE, box)
        screen.blit(label, label.get_rect(center=box.center))
