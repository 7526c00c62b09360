"""The renderer the window and the replay viewer hold: one scene, one backend, images
from poses. See the package docstring (``trainer.render``) for the public API."""

from __future__ import annotations

import contextlib
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from trainer.render.cameras import CameraName, CameraSpec, camera
from trainer.render.lighting import Lighting
from trainer.render.poses import ScenePoses
from trainer.render.scene import Scene

Image = npt.NDArray[np.uint8]
# The largest image the GL backend draws (a 4K monitor), and the CPU fallback's long side
# (docs/PYBULLET_NOTES.md: pybullet's CPU renderer takes 34 ms at 320x240; at 200x150 it
# keeps the LEE camera near 15 Hz on this machine).
MAX_SIZE_PX = 4096
CPU_MAX_SIDE_PX = 200
FALLBACK_LABEL = "software fallback: reduced size"


class _Backend(Protocol):
    name: str

    def render(
        self,
        cam: CameraSpec,
        poses: ScenePoses,
        size: tuple[int, int],
        lighting: Lighting,
        ghost: ScenePoses | None = None,
    ) -> Image: ...

    def close(self) -> None: ...


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _check_size(size: tuple[int, int]) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in size)
    except (TypeError, ValueError):
        raise ValueError(f"image size must be (width, height), got {size!r}") from None
    if not (1 <= w <= MAX_SIZE_PX and 1 <= h <= MAX_SIZE_PX):
        raise ValueError(f"image size must be 1..{MAX_SIZE_PX} px a side, got {w}x{h}")
    return w, h


class Renderer:
    """Camera images of one ``Scene`` from ``ScenePoses``. Build with ``Renderer.create``."""

    def __init__(self, scene: Scene, backend: _Backend, fallback_reason: str | None) -> None:
        self.scene = scene
        self._backend = backend
        self.fallback_reason = fallback_reason

    @classmethod
    def create(
        cls, scene: Scene, *, prefer: Literal["gl", "cpu"] = "gl", shadows: bool = True
    ) -> Renderer:
        """OpenGL through EGL when it can be had; otherwise pybullet's CPU renderer at a
        reduced size, with ``fallback_reason`` saying why (``prefer="cpu"`` forces it).
        ``shadows``: the sun's shadows (OpenGL only; see ``Renderer.shadows``)."""
        reason: str
        if prefer == "gl":
            try:
                from trainer.render.gl import GLBackend

                return cls(scene, GLBackend(scene, shadows=shadows), None)
            except Exception as exc:  # no EGL/GL 3.3 of any kind: say why, draw on the CPU
                reason = f"{FALLBACK_LABEL} (no OpenGL: {_first_line(exc)})"
        elif prefer == "cpu":
            reason = f"{FALLBACK_LABEL} (CPU renderer requested)"
        else:
            raise ValueError(f"prefer must be 'gl' or 'cpu', got {prefer!r}")
        from trainer.render.cpu import CPUBackend

        return cls(scene, CPUBackend(scene), reason)

    @property
    def backend_name(self) -> str:
        return self._backend.name

    @property
    def shadows(self) -> bool:
        """Whether the sun casts shadows (the arm's on Dragon, the station's on the arm, the
        stand-off's on its plate). OpenGL only; costs a depth pass every few frames."""
        return bool(getattr(self._backend, "shadows", False))

    @shadows.setter
    def shadows(self, on: bool) -> None:
        if hasattr(self._backend, "shadows"):
            self._backend.shadows = on

    @property
    def is_fallback(self) -> bool:
        return self.fallback_reason is not None

    def image_size(self, size: tuple[int, int]) -> tuple[int, int]:
        """The (width, height) ``render`` returns for a request of ``size``: the same on
        OpenGL; on the CPU fallback scaled down (same aspect) to ``CPU_MAX_SIDE_PX``."""
        w, h = _check_size(size)
        if self.fallback_reason is None:
            return w, h
        scale = min(1.0, CPU_MAX_SIDE_PX / max(w, h))
        return max(1, round(w * scale)), max(1, round(h * scale))

    def render(
        self,
        cam: CameraName | CameraSpec,
        poses: ScenePoses,
        size: tuple[int, int],
        lighting: Lighting,
        ghost: ScenePoses | None = None,
    ) -> Image:
        """An (H, W, 3) uint8 RGB image, row 0 at the top, of ``image_size(size)``;
        ``ghost``: links drawn translucent over it (the predictive display's, OpenGL only).

        Should OpenGL fail mid-session (a driver error, a lost context), the renderer
        switches to the CPU fallback for good and says why in ``fallback_reason``: the
        monitors go on, smaller, rather than the window dying."""
        spec = cam if isinstance(cam, CameraSpec) else camera(cam, poses)
        if self.fallback_reason is None:
            try:
                return self._backend.render(spec, poses, self.image_size(size), lighting, ghost)
            except Exception as exc:  # moderngl.Error and the driver's own: see the docstring
                self._switch_to_cpu(f"OpenGL failed: {_first_line(exc)}")
        return self._backend.render(spec, poses, self.image_size(size), lighting)

    def _switch_to_cpu(self, why: str) -> None:
        from trainer.render.cpu import CPUBackend

        with contextlib.suppress(Exception):
            self._backend.close()
        self._backend = CPUBackend(self.scene)
        self.fallback_reason = f"{FALLBACK_LABEL} ({why})"

    def close(self) -> None:
        self._backend.close()

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
