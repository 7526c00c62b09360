"""Without OpenGL the renderer falls back to pybullet's CPU renderer at a reduced size and
says so; its images still show the scene and the target."""

from __future__ import annotations

import os

import numpy as np
import pytest

from tests.render.conftest import make_world
from trainer.render import FALLBACK_LABEL, Lighting, Renderer, Scene, poses_from_world
from trainer.render.renderer import CPU_MAX_SIDE_PX


def test_cpu_fallback_returns_a_reduced_image_and_says_so(scene: Scene) -> None:
    with make_world(raise_m=1.0) as world:
        poses = poses_from_world(world, scene)
    with Renderer.create(scene, prefer="cpu") as renderer:
        assert renderer.is_fallback
        assert renderer.fallback_reason is not None
        assert renderer.fallback_reason.startswith(FALLBACK_LABEL)
        assert renderer.image_size((640, 480)) == (CPU_MAX_SIDE_PX, 150)
        image = renderer.render("lee", poses, (640, 480), Lighting.orbit(-45.0, 20.0))
        assert image.shape == (150, CPU_MAX_SIDE_PX, 3)
        assert image.dtype == np.uint8
        # the black target circle at the image centre (aligned pose), grey plate around it
        centre = image[70:80, 95:105].max(axis=2)
        assert (centre < 50).any()
        assert image.std() > 20
        small = renderer.render("external", poses, (160, 120), Lighting.orbit(-45.0, 20.0))
        assert small.shape == (120, 160, 3)  # already small: not reduced further


def test_bad_sizes_and_backends_are_refused(scene: Scene) -> None:
    with Renderer.create(scene, prefer="cpu") as renderer:
        with pytest.raises(ValueError, match="image size"):
            renderer.image_size((0, 240))
        with pytest.raises(ValueError, match="image size"):
            renderer.image_size((320,))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="prefer"):
        Renderer.create(scene, prefer="vulkan")  # type: ignore[arg-type]


def test_without_any_opengl_the_renderer_falls_back_and_says_why(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    import moderngl

    def no_egl(**_: object) -> None:
        raise RuntimeError("eglGetDisplay failed\nsecond line")

    monkeypatch.setattr(moderngl, "create_standalone_context", no_egl)
    with Renderer.create(scene) as renderer:
        assert renderer.is_fallback
        assert renderer.fallback_reason == f"{FALLBACK_LABEL} (no OpenGL: eglGetDisplay failed)"
        assert "CPU" in renderer.backend_name


def test_an_opengl_failure_mid_session_switches_to_the_cpu_and_says_so(scene: Scene) -> None:
    from trainer.render.gl import GLBackend

    with make_world() as world:
        poses = poses_from_world(world, scene)
    with Renderer.create(scene) as renderer:
        if renderer.is_fallback:
            if os.environ.get("CI"):
                pytest.fail(f"no OpenGL through EGL here: {renderer.fallback_reason}")
            pytest.skip("no OpenGL through EGL here")
        light = Lighting.orbit(-45.0, 20.0)
        assert renderer.render("lee", poses, (320, 240), light).shape == (240, 320, 3)

        def lost(*_: object) -> None:
            raise RuntimeError("context lost")

        assert isinstance(renderer._backend, GLBackend)
        renderer._backend.render = lost  # type: ignore[method-assign]
        image = renderer.render("lee", poses, (320, 240), light)
        assert image.shape == (150, CPU_MAX_SIDE_PX, 3)
        assert renderer.fallback_reason == f"{FALLBACK_LABEL} (OpenGL failed: context lost)"
        assert "CPU" in renderer.backend_name
