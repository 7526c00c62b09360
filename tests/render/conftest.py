"""Shared fixtures of the renderer tests: the real scene (station, SSRMS, Dragon), a world at
the capture_ready pose, and an OpenGL renderer (EGL). Without EGL the GL tests skip, unless
CI is set: CI installs Mesa's EGL (tools/system-deps.sh), so there they must fail."""

from __future__ import annotations

import math
import os
from collections.abc import Iterator

import pytest

from trainer.render import Renderer, Scene
from trainer.sim.layout import default_world_spec
from trainer.sim.world import World

# Dragon raised so the FRGF ball sits 0.3 m below the LEE mouth (capture_ready holds the
# mouth 2.0 m above it, robots/ssrms/poses.yaml): the close-up just before the trigger.
CLOSE_UP_RAISE_M = 1.7


@pytest.fixture(scope="session")
def scene() -> Scene:
    return Scene.load("dragon")


@pytest.fixture(scope="session")
def gl_renderer(scene: Scene) -> Iterator[Renderer]:
    # without shadows: the geometry tests find the black target circle by its darkness,
    # and a shadow in space is as black (test_render_lighting turns them on)
    renderer = Renderer.create(scene, shadows=False)
    if renderer.is_fallback:
        renderer.close()
        message = f"no OpenGL through EGL here: {renderer.fallback_reason}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    yield renderer
    renderer.close()


def make_world(
    raise_m: float = 0.0,
    shift_m: tuple[float, float, float] = (0.0, 0.0, 0.0),
    yaw_deg: float = 0.0,
) -> World:
    """The CRS-20 scene at capture_ready, Dragon moved up by ``raise_m`` and by ``shift_m``
    and turned by ``yaw_deg`` about its body z (the FRGF's shaft axis: a roll of the
    fixture seen from the LEE)."""
    base = default_world_spec("capture_ready")
    x, y, z = base.vehicle_position_m
    half = math.radians(yaw_deg) / 2.0
    return World(
        default_world_spec(
            "capture_ready",
            vehicle_position_m=(x + shift_m[0], y + shift_m[1], z + raise_m + shift_m[2]),
            vehicle_orientation_xyzw=(0.0, 0.0, math.sin(half), math.cos(half)),
        )
    )
