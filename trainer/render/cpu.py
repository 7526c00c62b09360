"""The fallback where no OpenGL can be had at all: pybullet's CPU renderer
(``ER_TINY_RENDERER``) on a private DIRECT client that holds the scene's meshes as static
visual-only bodies, moved to the poses before each image. It never steps physics.

It is slow (docs/PYBULLET_NOTES.md: 34 ms at 320x240, 130 ms at 640x480), so the renderer
asks it for reduced images (``Renderer.image_size``) and the window says so. One
directional light stands for the sun (or, at night, for the camera's lamps: the tiny
renderer has no spot lights); the Earth below is shaded in numpy behind the bodies.
"""

from __future__ import annotations

import contextlib
import math

import numpy as np
import numpy.typing as npt
import pybullet as pb

from trainer.render.cameras import CameraSpec
from trainer.render.earth import albedo_map, background
from trainer.render.lighting import Lighting
from trainer.render.poses import ScenePoses
from trainer.render.scene import Scene

# pybullet's shared-memory command limit caps one visual mesh (E: 2,000 triangles per
# shape stays well inside it).
_TRIANGLES_PER_SHAPE = 2000


class CPUBackend:
    name = "pybullet ER_TINY_RENDERER (CPU)"

    def __init__(self, scene: Scene) -> None:
        self._client = int(pb.connect(pb.DIRECT))
        if self._client < 0:
            raise RuntimeError("could not start a pybullet client for the CPU renderer")
        self._bodies: list[tuple[str, int]] = []
        self._albedo = albedo_map()
        try:
            self._build(scene)
        except BaseException:
            self.close()
            raise

    def _build(self, scene: Scene) -> None:
        c = self._client
        for mesh in scene.meshes:
            colors = mesh.colors[::3]  # one colour per triangle
            keys, inverse = np.unique(colors.round(4), axis=0, return_inverse=True)
            for k, rgb in enumerate(keys):
                tris = np.flatnonzero(inverse.ravel() == k)
                for start in range(0, len(tris), _TRIANGLES_PER_SHAPE):
                    chunk = tris[start : start + _TRIANGLES_PER_SHAPE]
                    corners = (chunk[:, None] * 3 + np.arange(3)).ravel()
                    shape = pb.createVisualShape(
                        pb.GEOM_MESH,
                        vertices=mesh.positions[corners].tolist(),
                        indices=list(range(len(corners))),
                        normals=mesh.normals[corners].tolist(),
                        rgbaColor=[float(rgb[0]), float(rgb[1]), float(rgb[2]), 1.0],
                        physicsClientId=c,
                    )
                    body = pb.createMultiBody(
                        baseMass=0.0, baseVisualShapeIndex=shape, physicsClientId=c
                    )
                    self._bodies.append((mesh.key, int(body)))

    def render(
        self,
        cam: CameraSpec,
        poses: ScenePoses,
        size: tuple[int, int],
        lighting: Lighting,
        ghost: ScenePoses | None = None,  # not drawn by pybullet's renderer
    ) -> npt.NDArray[np.uint8]:
        c = self._client
        w, h = size
        hidden = (0.0, 0.0, -1.0e6)  # a link without a pose is put far out of sight
        for key, body in self._bodies:
            pose = poses.links.get(key)
            if pose is None or key in cam.hidden:
                pb.resetBasePositionAndOrientation(body, hidden, (0, 0, 0, 1), physicsClientId=c)
            else:
                pb.resetBasePositionAndOrientation(
                    body, pose.position_m, pose.orientation_xyzw, physicsClientId=c
                )
        eye = np.asarray(cam.position_m)
        fwd = cam.rotation[:, 0]
        up = cam.rotation[:, 2]
        view = pb.computeViewMatrix(eye.tolist(), (eye + fwd).tolist(), up.tolist())
        proj = pb.computeProjectionMatrixFOV(cam.fov_y_deg, w / h, cam.near_m, cam.far_m)
        if lighting.night:
            light_dir = (-fwd).tolist()  # lit from the camera: its lamps
            diffuse, ambient = 0.55, 0.05
        else:
            light_dir = list(lighting.sun_direction)
            diffuse, ambient = 0.9 * lighting.sun_intensity, 0.25
        _, _, rgba, _, seg = pb.getCameraImage(
            w,
            h,
            view,
            proj,
            lightDirection=light_dir,
            lightColor=[1.0, 1.0, 1.0],
            lightAmbientCoeff=ambient,
            lightDiffuseCoeff=diffuse,
            lightSpecularCoeff=0.1,
            shadow=0,
            renderer=pb.ER_TINY_RENDERER,
            physicsClientId=c,
        )
        image = np.asarray(rgba, dtype=np.uint8).reshape(h, w, 4)[:, :, :3].copy()
        empty = np.asarray(seg).reshape(h, w) < 0
        if empty.any():
            image[empty] = self._background(cam, (w, h), lighting)[empty]
        return image

    def _background(
        self, cam: CameraSpec, size: tuple[int, int], lighting: Lighting
    ) -> npt.NDArray[np.uint8]:
        w, h = size
        f = (h / 2.0) / math.tan(math.radians(cam.fov_y_deg) / 2.0)
        u = (np.arange(w) + 0.5 - w / 2.0) / f
        v = (h / 2.0 - np.arange(h) - 0.5) / f
        uu, vv = np.meshgrid(u, v)
        # camera frame: +x boresight, +y left, +z up (trainer.render.cameras)
        local = np.stack([np.ones_like(uu), -uu, vv], axis=-1).reshape(-1, 3)
        dirs = local @ cam.rotation.T
        dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)
        rgb = background(dirs, lighting, self._albedo)
        return np.asarray((rgb.reshape(h, w, 3) * 255.0).round().astype(np.uint8))

    def close(self) -> None:
        with contextlib.suppress(pb.error):
            pb.disconnect(physicsClientId=self._client)
