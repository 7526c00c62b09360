"""Driving the window headless: a fake wall clock and an app factory."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame

from trainer.ui.aids import AidLevel
from trainer.ui.app import FlyApp, FlyOptions
from trainer.ui.attempt import FeedFactory, rendered_feed


class FakeClock:
    """Wall time that advances ``frame_s`` each time the window waits for its next frame."""

    def __init__(self, frame_s: float = 1.0 / 60.0) -> None:
        self.now_s = 0.0
        self.frame_s = frame_s

    def now(self) -> float:
        return self.now_s

    def sleep(self, _dt: float) -> None:
        self.now_s += self.frame_s


def make_app(
    out: Path,
    *,
    scenario: str | None = "crs20-capture",
    pilot: str | None = None,
    aids: AidLevel = AidLevel.GUIDED,
    frame_s: float = 1.0 / 60.0,
    input_kind: str = "keyboard",
    size: tuple[int, int] = (1280, 720),
    feed_factory: FeedFactory = rendered_feed,
) -> tuple[FlyApp, FakeClock]:
    clock = FakeClock(frame_s)
    options = FlyOptions(
        scenario=scenario,
        input_kind=input_kind,
        aids=aids,
        trainee="Test Trainee",
        pilot=pilot,
        out=out,
        seed=7,
        size=size,
        data_dir=out.parent / "data",
    )
    return FlyApp(options, clock=clock.now, sleep=clock.sleep, feed_factory=feed_factory), clock


def key(app: FlyApp, name: str, down: bool = True) -> None:
    code = pygame.key.key_code(name)
    pygame.event.post(
        pygame.event.Event(pygame.KEYDOWN if down else pygame.KEYUP, key=code, mod=0, unicode="")
    )


def run_frames(app: FlyApp, n: int) -> None:
    for _ in range(n):
        app.frame()
        if app.state != "flying":
            return


def pixels(surface: pygame.Surface, rect: pygame.Rect | None = None) -> np.ndarray:  # type: ignore[type-arg]
    """RGB array (height, width, 3) of ``rect`` of the surface."""
    area = surface.subsurface(rect) if rect is not None else surface
    return np.array(pygame.surfarray.array3d(area)).swapaxes(0, 1)


def near(image: np.ndarray, colour: tuple[int, int, int], tol: int = 30) -> np.ndarray:  # type: ignore[type-arg]
    """Mask of the pixels within ``tol`` of ``colour`` on every channel."""
    return np.all(np.abs(image.astype(int) - np.array(colour)) <= tol, axis=-1)


def assert_target_at(image: np.ndarray, u: float, v: float, half: int = 8) -> None:  # type: ignore[type-arg]
    """The fixture's visual target at pixel (u, v) of a LEE image: its white stand-off
    cross on the black circle, so the patch around (u, v) holds both, and the cross's
    brightest pixels sit within a few pixels of (u, v)."""
    iu, iv = round(u), round(v)
    patch = image[iv - half : iv + half + 1, iu - half : iu + half + 1].astype(int)
    luminance = patch.mean(axis=-1)
    assert luminance.max() > 120, f"no white stand-off cross at ({u:.0f}, {v:.0f})"
    assert (luminance < 40).sum() >= 6, f"no black target circle around ({u:.0f}, {v:.0f})"
    bright = luminance > (luminance.max() + luminance.min()) / 2
    ys, xs = np.nonzero(bright)
    assert bright.sum() >= 6
    assert abs(xs.mean() - half) <= 4 and abs(ys.mean() - half) <= 4, (
        f"the cross is centred at ({xs.mean() - half:+.1f}, {ys.mean() - half:+.1f}) px from "
        f"where the geometry puts it"
    )
