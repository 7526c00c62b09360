"""The environments' camera images (docs/ENVIRONMENT.md §3, §7): the workstation's monitors
drawn by ``trainer/render`` from a ``Telemetry`` snapshot's poses, as the ``fly`` window
draws them, for ``render()`` and the observation's ``lee_camera``.

| rule                 | why                                                            |
|----------------------|----------------------------------------------------------------|
| the renderer is made on the first image | an environment without images loads no OpenGL |
| black while the camera's video is lost  | as the workstation shows a scenario's camera fault |
| exactly the size asked for | the CPU fallback draws smaller; its image is scaled up (nearest pixel) to fit the space |
| a new array every time | Gymnasium's users keep what they are given |
| refused in a child forked after its parent started OpenGL | Mesa's threads do not survive a fork: such a child hangs in its first context (measured) |
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

from trainer.scenario.model import Scenario
from trainer.telemetry import Telemetry

if TYPE_CHECKING:  # imported on first use: no OpenGL until an image is asked for
    from trainer.render import Renderer, Scene, ScenePoses

Image = npt.NDArray[np.uint8]
CameraName = Literal["lee", "external", "elbow"]
CAMERAS: tuple[CameraName, ...] = ("lee", "external", "elbow")


class _Fork:
    """Whether this process was forked from one that had started OpenGL: Mesa's threads do
    not survive a fork, and a context made in such a child hangs for good (measured: an
    AsyncVectorEnv with images, forked after the parent had drawn one, even with that
    renderer closed). Mesa's EGL and DRI libraries stay mapped once a context was made;
    importing moderngl alone maps neither, and a child of such a parent draws fine."""

    after_gl = False

    @staticmethod
    def note() -> None:
        try:
            with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
                text = maps.read()
        except OSError:  # not Linux: no Mesa by EGL here
            return
        _Fork.after_gl = _Fork.after_gl or "libEGL_mesa" in text or "_dri.so" in text


os.register_at_fork(after_in_child=_Fork.note)


class Monitors:
    """A scenario's camera images from snapshots (module docstring). ``prefer``: the
    renderer's backend, ``"gl"`` (OpenGL on headless EGL) or ``"cpu"`` (pybullet's)."""

    def __init__(self, scenario: Scenario, prefer: Literal["gl", "cpu"]) -> None:
        self.scenario = scenario
        self.prefer: Literal["gl", "cpu"] = prefer
        self._renderer: Renderer | None = None
        self._scene: Scene | None = None
        self._poses: tuple[int, ScenePoses] | None = None

    def image(self, t: Telemetry, camera: CameraName, size: tuple[int, int]) -> Image:
        """The ``camera`` image of ``t``: (height, width, 3) uint8 for ``size`` (width,
        height)."""
        width, height = size
        if camera in t.cameras_lost:
            return np.zeros((height, width, 3), np.uint8)
        from trainer.render import Renderer, Scene, lighting_for, poses_from_telemetry

        if self._renderer is None or self._scene is None:
            if _Fork.after_gl and self.prefer == "gl":
                raise RuntimeError(
                    "this process was forked from one that had started OpenGL, where OpenGL "
                    "hangs: start it with AsyncVectorEnv(..., context='spawn') (or "
                    "'forkserver'), or pass renderer='cpu' (docs/ENVIRONMENT.md §7)"
                )
            self._scene = Scene.for_scenario(self.scenario)
            self._renderer = Renderer.create(self._scene, prefer=self.prefer)
        if self._poses is None or self._poses[0] != id(t):
            self._poses = (id(t), poses_from_telemetry(t, self._scene))
        image = self._renderer.render(
            camera, self._poses[1], size, lighting_for(self.scenario, t.time_s)
        )
        if image.shape[:2] != (height, width):
            rows = (np.arange(height) * image.shape[0]) // height
            cols = (np.arange(width) * image.shape[1]) // width
            image = image[rows][:, cols]
        return np.array(image, np.uint8, copy=True)

    @property
    def fallback_reason(self) -> str | None:
        """Why the images come from the CPU renderer at a reduced size, or None."""
        return None if self._renderer is None else self._renderer.fallback_reason

    def close(self) -> None:
        if self._renderer is not None:
            self._renderer.close()
            self._renderer = None
        self._poses = None
