"""The flying screen: where each display sits, and when each is redrawn.

Layout (1280x720 reference, scaled to the window and centred): the LEE camera monitor
top-left (4:3), the two other monitors stacked to its right, the status display down the
right edge, and along the bottom the caution and warning panel, the call log and the hand
controllers. A berthing adds a fourth monitor, the CBCS (the camera behind Harmony's
hatch window, with its overlay: trainer/ui/cbcs.py), in the bottom row, which then packs
the other three panels narrower.

Refresh (docs/DESIGN.md §9): the window presents at most 60 frames/s; the main monitor is
redrawn every 2nd frame (30 Hz), the other monitors every 4th (15 Hz, on alternate
frames so they never land on the same frame), the panels every 4th frame (15 Hz), the
CBCS every 4th (15 Hz, on the main monitor's other frame from the panels'). Each
display is drawn into its own surface and blitted every frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pygame

from trainer.scenario.model import Scenario
from trainer.telemetry import Telemetry
from trainer.ui.aids import AidLevel
from trainer.ui.alerts import Alert, MasterAlarm
from trainer.ui.feeds import CAMERA_TITLES, CameraFeed, RGBImage
from trainer.ui.overlay import draw_overlay
from trainer.ui.panels import StatusInfo, draw_alerts, draw_hand_controllers, draw_log, draw_status
from trainer.ui.theme import AMBER, BACKGROUND, BLACK, PANEL_EDGE, RED, TITLE, Colour, Fonts

REFERENCE_SIZE = (1280, 720)
# Rectangles of the reference layout: x, y, w, h.
_LAYOUT = {
    "main": (6, 6, 656, 492),
    "monitor2": (668, 6, 320, 240),
    "monitor3": (668, 252, 320, 246),
    "status": (994, 6, 280, 708),
    "alerts": (6, 504, 300, 210),
    "log": (312, 504, 446, 210),
    "hands": (764, 504, 224, 210),
}
# A berthing's layout: the CBCS monitor (4:3) in the bottom row.
_BERTHING_LAYOUT = {
    **_LAYOUT,
    "alerts": (6, 504, 200, 210),
    "cbcs": (212, 504, 280, 210),
    "log": (498, 504, 260, 210),
}
MAIN_EVERY = 2
OTHER_EVERY = 4
PANEL_EVERY = 4


@dataclass
class Layout:
    """A reference layout (rectangles x, y, w, h) scaled to fit a window and centred in it."""

    scale: float
    rects: dict[str, pygame.Rect]

    @classmethod
    def fit(
        cls,
        size: tuple[int, int],
        reference: tuple[int, int],
        boxes: dict[str, tuple[int, int, int, int]],
    ) -> Layout:
        w, h = size
        s = min(w / reference[0], h / reference[1])
        ox = (w - reference[0] * s) / 2
        oy = (h - reference[1] * s) / 2
        rects = {
            name: pygame.Rect(round(ox + x * s), round(oy + y * s), round(rw * s), round(rh * s))
            for name, (x, y, rw, rh) in boxes.items()
        }
        return cls(s, rects)

    @classmethod
    def for_size(cls, size: tuple[int, int], cbcs: bool = False) -> Layout:
        """The workstation's own layout (with the CBCS monitor for a berthing)."""
        return cls.fit(size, REFERENCE_SIZE, _BERTHING_LAYOUT if cbcs else _LAYOUT)


@dataclass
class FrameState:
    """The window's own state that the displays show besides the snapshot."""

    scenario: Scenario
    aids: AidLevel
    device: str
    trainee: str
    cameras: list[str]  # camera on the main monitor, monitor 2, monitor 3
    alerts: Sequence[Alert]
    alarm: MasterAlarm
    log: Sequence[tuple[float, str, Colour]]
    slowed_s: float = 0.0
    feed_label: str = ""
    banner: str | None = None
    paused_text: str = "PAUSED  (P resumes)"  # an instructor's freeze says who resumes


@dataclass
class RefreshCounts:
    """How many times each display was redrawn (the benchmark reads these)."""

    frames: int = 0
    main: int = 0
    others: int = 0
    panels: int = 0
    cbcs: int = 0
    main_camera: dict[str, int] = field(default_factory=dict)


ACKNOWLEDGE_HINT = "press M to acknowledge"


class Workstation:
    """The workstation's displays drawn onto one screen; ``alarm_hint`` is the line under
    a lit master alarm (fly: how to acknowledge it; the replay viewer: that it cannot)."""

    def __init__(
        self,
        feed: CameraFeed,
        size: tuple[int, int],
        alarm_hint: str = ACKNOWLEDGE_HINT,
        cbcs: bool = False,
    ) -> None:
        self.feed = feed
        self.alarm_hint = alarm_hint
        self.cbcs = cbcs  # a berthing: the fourth monitor
        self.counts = RefreshCounts()
        self._surfaces: dict[str, pygame.Surface] = {}
        self._overlay_layer: pygame.Surface | None = None
        self._cbcs_layer: pygame.Surface | None = None
        self._strips: dict[tuple[int, int], pygame.Surface] = {}
        self.resize(size)

    def resize(self, size: tuple[int, int]) -> None:
        self.layout = Layout.for_size(size, self.cbcs)
        self.fonts = Fonts(self.layout.scale)
        self._surfaces = {name: pygame.Surface(r.size) for name, r in self.layout.rects.items()}
        self._force = True

    def redraw_all(self) -> None:
        """Redraw every display on the next ``draw`` (the replay viewer after a seek)."""
        self._force = True

    def draw(self, screen: pygame.Surface, t: Telemetry, state: FrameState) -> None:
        n = self.counts.frames
        self.counts.frames += 1
        force, self._force = self._force, False
        # The whole screen, every frame: what was drawn over the gaps between the displays
        # (the help, a banner, the end screen) must not outlive it (0.3 ms at 1280x720).
        screen.fill(BACKGROUND)
        if force or n % MAIN_EVERY == 0:
            self._monitor("main", state.cameras[0], t, state, main=True)
            self.counts.main += 1
        if force or n % OTHER_EVERY == 1:
            self._monitor("monitor2", state.cameras[1], t, state, main=False)
            self.counts.others += 1
        if force or n % OTHER_EVERY == 3:
            self._monitor("monitor3", state.cameras[2], t, state, main=False)
        if force or n % PANEL_EVERY == 2:
            self._panels(t, state)
            self.counts.panels += 1
        if self.cbcs and (force or n % OTHER_EVERY == 0):
            self._monitor("cbcs", "cbcs", t, state, main=False)
            self.counts.cbcs += 1
        for name, rect in self.layout.rects.items():
            screen.blit(self._surfaces[name], rect)
        if state.banner:
            self._banner(screen, state.banner)

    def _monitor(
        self, name: str, camera: str, t: Telemetry, state: FrameState, *, main: bool
    ) -> None:
        surface = self._surfaces[name]
        rect = surface.get_rect()
        fonts = self.fonts
        if camera in t.cameras_lost:
            surface.fill((6, 6, 8))
            fonts.text(surface, "NO VIDEO", rect.center, 40 if main else 26, RED, anchor="center")
        else:
            image = _to_surface(self.feed(camera, _render_size(rect.size)))
            if image.get_size() != rect.size:  # rendered smaller, or the CPU fallback
                image = pygame.transform.smoothscale(image, rect.size)
            surface.blit(image, (0, 0))
            if camera == "lee" and state.aids.overlay and t.berthing is None:
                self._overlay(surface, t, state)
        if camera == "cbcs":  # its RTL lights even without video: station equipment
            self._cbcs_overlay(surface, t, state)
        pygame.draw.rect(surface, PANEL_EDGE, rect, 1)
        strip = pygame.Rect(
            1, rect.h - round(20 * fonts.scale), rect.w - 2, round(19 * fonts.scale)
        )
        surface.blit(self._strip(strip.size), strip)  # titles stay legible on a bright image
        fonts.text(
            surface,
            CAMERA_TITLES.get(camera, camera.upper()),
            (6, rect.bottom - 18 * fonts.scale),
            16,
            TITLE,
        )
        if state.feed_label and main:  # the slow fallback, said once, where one looks
            fonts.text(
                surface,
                state.feed_label,
                (rect.right - 6, rect.bottom - 18 * fonts.scale),
                15,
                AMBER,
                anchor="topright",
            )
        if main and t.paused:
            fonts.text(
                surface,
                state.paused_text,
                (rect.centerx, rect.h * 0.72),
                40,
                AMBER,
                anchor="center",
            )
        if main:
            self.counts.main_camera[camera] = self.counts.main_camera.get(camera, 0) + 1

    def _overlay(self, surface: pygame.Surface, t: Telemetry, state: FrameState) -> None:
        """The overlay with a 1-pixel dark shadow, so its green reads on the white hull
        and the black sky alike."""
        layer = self._overlay_layer
        if layer is None or layer.get_size() != surface.get_size():
            layer = self._overlay_layer = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        layer.fill((0, 0, 0, 0))
        draw_overlay(layer, layer.get_rect(), t, state.scenario.envelope, state.aids, self.fonts)
        # The shadow is the layer turned black, alpha kept: a multiply, ~10x cheaper than a
        # mask of the layer (bench/bench_window.py: 2.9 ms a LEE frame with the mask).
        shadow = layer.copy()
        shadow.fill((0, 0, 0, 255), special_flags=pygame.BLEND_RGBA_MULT)
        surface.blit(shadow, (1, 1))
        surface.blit(layer, (0, 0))

    def _cbcs_overlay(self, surface: pygame.Surface, t: Telemetry, state: FrameState) -> None:
        """The CBCS's overlay (trainer/ui/cbcs.py), shadowed as the LEE's is."""
        from trainer.ui.cbcs import draw_cbcs_overlay

        layer = self._cbcs_layer
        if layer is None or layer.get_size() != surface.get_size():
            layer = self._cbcs_layer = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        layer.fill((0, 0, 0, 0))
        envelope = state.scenario.berthing.envelope if state.scenario.berthing else None
        draw_cbcs_overlay(layer, layer.get_rect(), t, envelope, state.aids, self.fonts)
        shadow = layer.copy()
        shadow.fill((0, 0, 0, 255), special_flags=pygame.BLEND_RGBA_MULT)
        surface.blit(shadow, (1, 1))
        surface.blit(layer, (0, 0))

    def _strip(self, size: tuple[int, int]) -> pygame.Surface:
        strip = self._strips.get(size)
        if strip is None:
            strip = self._strips[size] = pygame.Surface(size, pygame.SRCALPHA)
            strip.fill((0, 0, 0, 150))
        return strip

    def _panels(self, t: Telemetry, state: FrameState) -> None:
        fonts = self.fonts
        for name in ("status", "alerts", "log", "hands"):
            self._surfaces[name].fill(BACKGROUND)
        info = StatusInfo(state.scenario, state.aids, state.device, state.trainee, state.slowed_s)
        draw_status(self._surfaces["status"], self._surfaces["status"].get_rect(), fonts, t, info)
        blink = (self.counts.frames // 15) % 2 == 0
        draw_alerts(
            self._surfaces["alerts"],
            self._surfaces["alerts"].get_rect(),
            fonts,
            state.alerts,
            state.alarm,
            blink,
            self.alarm_hint,
        )
        draw_log(self._surfaces["log"], self._surfaces["log"].get_rect(), fonts, state.log)
        draw_hand_controllers(
            self._surfaces["hands"], self._surfaces["hands"].get_rect(), fonts, t, state.device
        )

    def _banner(self, screen: pygame.Surface, text: str) -> None:
        main = self.layout.rects["main"]
        fonts = self.fonts
        images = [fonts.get(24).render(line, True, BLACK) for line in text.split("\n")]
        width = max(i.get_width() for i in images) + 24
        height = sum(i.get_height() for i in images) + 14
        box = pygame.Rect(0, 0, width, height)
        box.midtop = (main.centerx, main.y + round(60 * fonts.scale))
        pygame.draw.rect(screen, RED, box)
        y = box.y + 7
        for image in images:
            screen.blit(image, image.get_rect(midtop=(box.centerx, y)))
            y += image.get_height()


# A camera image is rendered at most at about 480x360 (the standard-definition video the
# ISS cameras send, docs/REFERENCE.md §1) and scaled to its monitor: software OpenGL's cost
# grows with the pixels (bench/bench_render.py), and a full-screen LEE monitor at native
# size would cost several frames' time.
MAX_RENDER_PIXELS = 480 * 360


def _render_size(size: tuple[int, int]) -> tuple[int, int]:
    w, h = size
    if w * h <= MAX_RENDER_PIXELS:
        return size
    k = (MAX_RENDER_PIXELS / (w * h)) ** 0.5
    return (max(1, round(w * k)), max(1, round(h * k)))


def _to_surface(image: RGBImage) -> pygame.Surface:
    """A surface over the image's memory (no copy when it is C-contiguous, as feeds give)."""
    h, w = image.shape[0], image.shape[1]
    return pygame.image.frombuffer(np.ascontiguousarray(image).data.cast("B"), (w, h), "RGB")
