"""Open the replay window on an opened recording and run it until the instructor quits."""

from __future__ import annotations

import os
import sys

import pygame

from trainer.quiet import fd2_silenced
from trainer.record.seek import IndexedRecording
from trainer.scenario.model import Scenario
from trainer.ui.replay.app import REFERENCE_SIZE, ReplayViewer
from trainer.ui.replay.model import open_model


def default_size() -> tuple[int, int]:
    """The reference size, shrunk to fit the desktop (keeping its shape)."""
    info = pygame.display.Info()
    w, h = REFERENCE_SIZE
    if info.current_w > 0 and info.current_h > 0:
        s = min(1.0, 0.95 * info.current_w / w, 0.9 * info.current_h / h)
        w, h = round(w * s), round(h * s)
    return w, h


def run_replay_window(
    recording: IndexedRecording,
    scenario: Scenario,
    *,
    start_s: float | None = None,
    size: tuple[int, int] | None = None,
    description: str = "",
) -> int:
    """Open the window, say on stderr what is shown once it is drawn, run until quit."""
    model = open_model(recording, scenario)
    # The window surface straight to the display, not through an OpenGL texture: as in
    # ``fly`` (trainer/ui/app.py), cheaper on a software rasteriser, and the GL path
    # showed a black window beside the renderer's EGL context under Xvfb.
    os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")
    with fd2_silenced():  # the mixer's ALSA errors where there is no sound card
        pygame.init()
    try:
        pygame.display.set_caption(f"canadarm-trainer replay: {recording.path.name}")
        screen = pygame.display.set_mode(size or default_size(), pygame.RESIZABLE)
        viewer = ReplayViewer(model, screen, start_s=start_s)
        try:
            viewer.frame()
            print(
                f"replay: {description or recording.path}; shown at t = {viewer.t:.2f} s "
                f"of {model.end_s:.1f} s (Esc quits)",
                file=sys.stderr,
                flush=True,
            )
            viewer.run()
        finally:
            viewer.close()
    finally:
        pygame.quit()
    return 0
