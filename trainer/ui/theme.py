"""The workstation look: dark panels, monospace-like readouts, tier colours.

All text uses pygame's bundled default font (``pygame.font.Font(None, size)``), never a
system font lookup, so the window looks the same on every machine and in tests. Sizes are
given for the 1280x720 reference layout and scaled with the window.
"""

from __future__ import annotations

import pygame

Colour = tuple[int, int, int]

BACKGROUND: Colour = (8, 10, 14)
PANEL: Colour = (20, 24, 31)
PANEL_EDGE: Colour = (52, 60, 74)
TITLE: Colour = (140, 160, 190)
TEXT: Colour = (214, 222, 232)
DIM: Colour = (110, 120, 135)
READOUT: Colour = (120, 235, 160)  # phosphor green of the workstation displays
OVERLAY: Colour = (90, 255, 120)
CYAN: Colour = (90, 200, 255)
AMBER: Colour = (255, 176, 32)
RED: Colour = (255, 64, 56)
GREEN: Colour = (60, 220, 110)
WHITE: Colour = (245, 245, 245)
BLACK: Colour = (0, 0, 0)

TIER_COLOURS: dict[str, Colour] = {"full": GREEN, "allowed": AMBER, "outside": RED}


def tier_colour(tier: str | None, coloured: bool) -> Colour:
    """The readout colour of a quantity in ``tier`` (plain readout green without tier aids)."""
    if not coloured or tier is None:
        return READOUT
    return TIER_COLOURS.get(tier, READOUT)


class Fonts:
    """A cache of the bundled default font at each pixel size."""

    def __init__(self, scale: float = 1.0) -> None:
        self.scale = scale
        self._cache: dict[int, pygame.font.Font] = {}

    def get(self, size: int) -> pygame.font.Font:
        px = max(8, round(size * self.scale))
        font = self._cache.get(px)
        if font is None:
            font = self._cache[px] = pygame.font.Font(None, px)
        return font

    def text(
        self,
        surface: pygame.Surface,
        text: str,
        pos: tuple[float, float],
        size: int = 20,
        colour: Colour = TEXT,
        *,
        anchor: str = "topleft",
    ) -> pygame.Rect:
        image = self.get(size).render(text, True, colour)
        rect = image.get_rect(**{anchor: (round(pos[0]), round(pos[1]))})
        surface.blit(image, rect)
        return rect


def panel(surface: pygame.Surface, rect: pygame.Rect, title: str, fonts: Fonts) -> pygame.Rect:
    """A dark panel with a title strip; returns the inner rectangle for its content."""
    pygame.draw.rect(surface, PANEL, rect)
    pygame.draw.rect(surface, PANEL_EDGE, rect, 1)
    strip = max(14, round(18 * fonts.scale))
    fonts.text(surface, title, (rect.x + 6, rect.y + 3), 17, TITLE)
    pygame.draw.line(
        surface, PANEL_EDGE, (rect.x, rect.y + strip), (rect.right - 1, rect.y + strip)
    )
    return pygame.Rect(rect.x + 6, rect.y + strip + 4, rect.w - 12, rect.h - strip - 8)
