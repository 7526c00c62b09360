"""The whole window is repainted where an overlay was: after the help, the pause and a
banner close, the gaps between the displays (pixels no display covers) are as on the
first frame. A stale piece of help text once stayed there (seen in a real window)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from trainer.ui.app import FlyApp
from trainer.ui.attempt import schematic_feed

from .helpers import key, make_app, pixels, run_frames


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FlyApp]:
    flying, _clock = make_app(tmp_path / "fly", size=(1280, 720), feed_factory=schematic_feed)
    try:
        yield flying
    finally:
        flying.close()


def _gaps(app: FlyApp) -> np.ndarray:  # type: ignore[type-arg]
    """The screen's pixels outside every display, as a masked copy (displays zeroed)."""
    assert app.workstation is not None
    image = pixels(app.screen).copy()
    for rect in app.workstation.layout.rects.values():
        image[rect.y : rect.bottom, rect.x : rect.right] = 0
    return image


@pytest.mark.parametrize("overlay", ["F1", "p"])
def test_closing_an_overlay_leaves_no_stale_pixels(app: FlyApp, overlay: str) -> None:
    run_frames(app, 3)
    first = _gaps(app)
    assert first.any(), "the gaps have the background's colour, not black"
    key(app, overlay)
    key(app, overlay, down=False)
    run_frames(app, 3)
    if overlay == "F1":
        assert app.help
        assert not np.array_equal(_gaps(app), first), "the help covers the gaps while open"
    key(app, overlay)
    key(app, overlay, down=False)
    run_frames(app, 3)
    assert not app.help
    stale = np.argwhere((_gaps(app) != first).any(axis=2))
    assert len(stale) == 0, f"{len(stale)} stale pixels, e.g. at (y, x) {stale[:3].tolist()}"


def test_a_banner_leaves_no_stale_pixels(app: FlyApp) -> None:
    run_frames(app, 3)
    first = _gaps(app)
    app.focused = False  # the "window not focused" banner across the LEE monitor
    run_frames(app, 3)
    app.focused = True
    run_frames(app, 3)
    assert np.array_equal(_gaps(app), first)
