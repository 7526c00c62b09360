"""The OpenGL backend: moderngl on a standalone EGL context (headless; Mesa's llvmpipe
without a GPU), drawing the scene's meshes into an offscreen framebuffer and reading back
an RGB image.

Why this shape (docs/PYBULLET_NOTES.md, renderer timings: 3–7 ms per view on llvmpipe
against 34–130 ms for pybullet's CPU renderer):

* every link's triangles are uploaded once, in one vertex buffer per link;
* per frame only uniforms change: one model-view matrix per link (computed in float64 on
  the CPU, camera-relative, so float32 keeps sub-millimetre precision near the camera)
  and the lights of the view;
* the framebuffers of each image size are kept and reused; no multisampling by default
  (``samples=4`` costs 3-4x on llvmpipe, measured by bench/bench_render.py);
* the sun and Earthshine are lit per vertex, the camera's lamp of the night pass and the
  sun's shadow (``trainer.render.shadows``) per pixel, and the links are drawn nearest
  first: llvmpipe's cost is the shading of each pixel (``trainer.render.shaders``);
* the Earth and sky are one full-screen triangle on the far plane, drawn last so that
  only the pixels no mesh covers are shaded, from a cube-map albedo
  (``trainer.render.earth``).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any

import moderngl
import numpy as np
import numpy.typing as npt

from trainer.render import shaders
from trainer.render.cameras import CameraSpec
from trainer.render.earth import albedo_cube_faces
from trainer.render.geometry import FloatArray
from trainer.render.lighting import Lighting, SpotLight
from trainer.render.poses import ScenePoses
from trainer.render.scene import Scene
from trainer.render.shaders import MAX_FLOODS
from trainer.render.shadows import SunShadows
from trainer.sim.orbit import EARTH_RADIUS_M

_NADIR = np.array([0.0, 0.0, -1.0])
_FBO_CACHE = 5  # image sizes kept (four monitors and a resize)
# The ghost of the predictive display (E: a pale cyan at 35 %, the colour of the overlay's
# cues on a camera image, see-through so the delayed picture stays readable).
GHOST_RGBA = (0.45, 0.85, 1.0, 0.35)
# Light scattered off the station and arm into shadowed parts (E: keeps shadowed sides
# dark grey rather than black, as the real camera video shows).
AMBIENT = 0.035


def _perspective(fov_y_deg: float, aspect: float, near: float, far: float) -> FloatArray:
    f = 1.0 / math.tan(math.radians(fov_y_deg) / 2.0)
    m = np.zeros((4, 4))
    m[0, 0] = f / aspect
    m[1, 1] = f
    m[2, 2] = (far + near) / (near - far)
    m[2, 3] = 2.0 * far * near / (near - far)
    m[3, 2] = -1.0
    return m


# Camera frame (x boresight, y left, z up) to OpenGL eye coordinates (x right, y up, -z ahead).
_CAMERA_TO_EYE = np.array([[0.0, -1.0, 0.0], [0.0, 0.0, 1.0], [-1.0, 0.0, 0.0]])


def _uniforms(prog: moderngl.Program) -> dict[str, moderngl.Uniform]:
    """A program's active uniforms by name (looked up once, not per frame)."""
    out = {}
    for name in prog:
        member = prog[name]
        if isinstance(member, moderngl.Uniform):
            out[name] = member
    return out


def _f4(m: FloatArray) -> bytes:
    """Column-major float32 bytes of a matrix, as GLSL expects."""
    return np.ascontiguousarray(m.T, dtype="f4").tobytes()


def _eye(
    view: FloatArray, v: tuple[float, float, float], direction: bool = False
) -> tuple[float, ...]:
    """A world point (or direction) in eye coordinates, as floats for a uniform."""
    out = view[:3, :3] @ np.asarray(v)
    if not direction:
        out = out + view[:3, 3]
    return tuple(float(x) for x in out)


def _set_floods(
    prog: dict[str, moderngl.Uniform], floods: list[SpotLight], view: FloatArray
) -> None:
    n = len(floods)
    prog["n_floods"].value = n
    if n == 0:
        return
    pad = MAX_FLOODS - n  # array uniforms are written whole
    prog["flood_pos"].value = [_eye(view, f.position_m) for f in floods] + [(0.0, 0.0, 0.0)] * pad
    prog["flood_dir"].value = [_eye(view, f.direction, True) for f in floods] + [
        (0.0, 0.0, -1.0)
    ] * pad
    prog["flood_cos"].value = [math.cos(math.radians(f.half_angle_deg)) for f in floods] + [
        1.0
    ] * pad
    prog["flood_i"].value = [f.intensity for f in floods] + [0.0] * pad
    prog["flood_inv_half2"].value = [1.0 / f.half_m**2 for f in floods] + [0.0] * pad


class GLBackend:
    """Draws a ``Scene`` with moderngl. Create with ``GLBackend(scene)``; raises
    ``Exception`` subclasses of moderngl/EGL when no OpenGL 3.3 context can be made."""

    name = "OpenGL (moderngl, EGL)"

    def __init__(self, scene: Scene, *, samples: int = 0, shadows: bool = True) -> None:
        self.samples = samples
        self.shadows = shadows
        # moderngl's stub types ``backend`` wrongly (it is passed on as a string to glcontext)
        self.ctx = moderngl.create_standalone_context(backend="egl")  # type: ignore[arg-type]
        try:
            self.name = f"OpenGL ({self.ctx.info.get('GL_RENDERER', 'unknown')}, EGL)"
            self._build(scene)
        except BaseException:
            self.ctx.release()
            raise

    def _build(self, scene: Scene) -> None:
        ctx = self.ctx
        # Two programs: with the camera's lamp (the night pass) and without (daylight:
        # fewer values to interpolate per pixel, the software rasteriser's main cost).
        self._lamp_prog = ctx.program(shaders.MESH_VS, shaders.MESH_LAMP_FS)
        self._day_prog = ctx.program(shaders.MESH_VS, shaders.MESH_DAY_FS)
        self._depth_prog = ctx.program(shaders.DEPTH_VS, shaders.DEPTH_FS)
        self._sky_prog = ctx.program(shaders.SKY_VS, shaders.SKY_FS)
        self._lamp_u = _uniforms(self._lamp_prog)
        self._day_u = _uniforms(self._day_prog)
        self._depth_u = _uniforms(self._depth_prog)
        self._sky_u = _uniforms(self._sky_prog)
        self._ghost_prog = ctx.program(shaders.GHOST_VS, shaders.GHOST_FS)
        self._ghost_u = _uniforms(self._ghost_prog)
        self._ghost_vaos: dict[str, Any] = {}
        self._links: list[tuple[str, Any, Any, Any]] = []
        for mesh in scene.meshes:
            vertices = np.hstack([mesh.positions, mesh.normals, mesh.colors]).astype("f4")
            vbo = ctx.buffer(vertices.tobytes())
            layout = [(vbo, "3f 3f 3f", "in_pos", "in_normal", "in_color")]
            self._links.append(
                (
                    mesh.key,
                    ctx.vertex_array(self._lamp_prog, layout),
                    ctx.vertex_array(self._day_prog, layout),
                    ctx.vertex_array(self._depth_prog, [(vbo, "3f 6x4", "in_pos")]),
                )
            )
            self._ghost_vaos[mesh.key] = ctx.vertex_array(
                self._ghost_prog, [(vbo, "3f 6x4", "in_pos")]
            )
        self._sun_shadows = SunShadows(ctx, self._depth_u["light_mvp"])
        self._depth_vaos = [(key, depth_vao) for key, _, _, depth_vao in self._links]
        tri = np.array([[-1.0, -1.0], [3.0, -1.0], [-1.0, 3.0]], dtype="f4")
        self._sky_vao = ctx.vertex_array(
            self._sky_prog, [(ctx.buffer(tri.tobytes()), "2f", "in_ndc")]
        )
        faces = albedo_cube_faces()
        data = b"".join((f * 255.0).round().astype("u1").tobytes() for f in faces)
        self._albedo = ctx.texture_cube((faces[0].shape[1], faces[0].shape[0]), 3, data)
        self._albedo.filter = (moderngl.LINEAR, moderngl.LINEAR)
        self._fbos: OrderedDict[tuple[int, int], tuple[Any, Any | None]] = OrderedDict()

    def _framebuffers(self, size: tuple[int, int]) -> tuple[Any, Any | None]:
        """The target framebuffer of ``size`` and, when multisampled, the one it is
        resolved into for the readback; kept for the next frame of that size."""
        fbos = self._fbos.get(size)
        if fbos is None:
            ctx = self.ctx
            target = ctx.framebuffer(
                color_attachments=[ctx.renderbuffer(size, 4, samples=self.samples)],
                depth_attachment=ctx.depth_renderbuffer(size, samples=self.samples),
            )
            resolve = None
            if self.samples:
                resolve = ctx.framebuffer(color_attachments=[ctx.renderbuffer(size, 4)])
            fbos = (target, resolve)
            self._fbos[size] = fbos
            while len(self._fbos) > _FBO_CACHE:
                _, (old_target, old_resolve) = self._fbos.popitem(last=False)
                old_target.release()
                if old_resolve is not None:
                    old_resolve.release()
        else:
            self._fbos.move_to_end(size)
        return fbos

    def render(
        self,
        cam: CameraSpec,
        poses: ScenePoses,
        size: tuple[int, int],
        lighting: Lighting,
        ghost: ScenePoses | None = None,
    ) -> npt.NDArray[np.uint8]:
        ctx = self.ctx
        w, h = size
        shadows = self.shadows and lighting.sun_intensity > 0.0
        if shadows:
            self._sun_shadows.update(poses, lighting.sun_direction, self._depth_vaos)
        target, resolve = self._framebuffers(size)
        target.use()
        ctx.viewport = (0, 0, w, h)
        target.clear(0.0, 0.0, 0.0, 1.0, depth=1.0)
        # view: world -> OpenGL eye coordinates
        r_view = _CAMERA_TO_EYE @ cam.rotation.T
        view = np.eye(4)
        view[:3, :3] = r_view
        view[:3, 3] = -r_view @ np.asarray(cam.position_m)

        floods = list(lighting.floodlights)[:MAX_FLOODS]
        lamp = cam.lamps[0] if (lighting.camera_lights or cam.lamps_always) and cam.lamps else None
        prog = self._lamp_u if lamp is not None else self._day_u
        prog["proj"].write(_f4(_perspective(cam.fov_y_deg, w / h, cam.near_m, cam.far_m)))
        prog["sun_dir"].value = tuple(float(v) for v in r_view @ lighting.sun_direction)
        prog["sun_i"].value = lighting.sun_intensity
        prog["nadir_dir"].value = tuple(float(v) for v in r_view @ _NADIR)
        prog["earth_i"].value = lighting.earth_intensity
        prog["ambient"].value = AMBIENT
        prog["shadows"].value = 1.0 if shadows else 0.0
        if shadows:
            near, far = self._sun_shadows.textures
            near.use(1)
            far.use(2)
            prog["shadow_near"].value = 1
            prog["shadow_far"].value = 2
        _set_floods(prog, floods, view)
        if lamp is not None:
            prog["lamp_pos"].value = _eye(view, lamp.position_m)
            prog["lamp_dir"].value = _eye(view, lamp.direction, direction=True)
            prog["lamp_cos"].value = math.cos(math.radians(lamp.half_angle_deg))
            prog["lamp_i"].value = lamp.intensity
            prog["lamp_inv_half2"].value = 1.0 / lamp.half_m**2
        mv_uniform = prog["mv"]
        near_uniform = prog["light_near"]
        far_uniform = prog["light_far"]
        links = poses.links
        draws: list[tuple[float, FloatArray, FloatArray, Any]] = []
        for key, lamp_vao, day_vao, _ in self._links:
            pose = links.get(key)
            if pose is None or key in cam.hidden:
                continue
            model = pose.matrix()
            mv = view @ model
            vao = day_vao if lamp is None else lamp_vao
            draws.append((float(mv[2, 3]), mv, model, vao))
        # Nearest first (eye z is negative ahead): hidden fragments then fail the depth
        # test before shading, the main cost on a software rasteriser.
        draws.sort(key=lambda d: -d[0])
        ctx.enable(moderngl.DEPTH_TEST)
        ctx.depth_func = "<="
        to_near, to_far = self._sun_shadows.to_map
        for _, mv, model, vao in draws:
            mv_uniform.write(_f4(mv))
            near_uniform.write(_f4(to_near @ model))
            far_uniform.write(_f4(to_far @ model))
            vao.render(moderngl.TRIANGLES)

        # Earth and sky last, on the far plane: shaded only where no mesh was drawn.
        sky = self._sky_u
        tan_y = math.tan(math.radians(cam.fov_y_deg) / 2.0)
        sky["eye_to_world"].write(_f4(r_view.T))
        sky["tan_half"].value = (tan_y * w / h, tan_y)
        sky["centre"].value = (0.0, 0.0, -(1.0 + lighting.orbit_altitude_m / EARTH_RADIUS_M))
        sky["sun"].value = tuple(float(v) for v in lighting.sun_direction)
        phase = lighting.earth_phase_rad
        sky["phase_cs"].value = (math.cos(phase), math.sin(phase))
        self._albedo.use(0)
        sky["albedo"].value = 0
        self._sky_vao.render(moderngl.TRIANGLES)
        if ghost is not None:
            self._ghost(ghost, view, cam, w / h, target)

        if resolve is not None:
            ctx.copy_framebuffer(resolve, target)
            target = resolve
        data = target.read(components=3, alignment=1)
        image = np.frombuffer(data, dtype=np.uint8).reshape(h, w, 3)
        return np.ascontiguousarray(image[::-1])  # OpenGL's row 0 is the bottom

    def _ghost(
        self, ghost: ScenePoses, view: FloatArray, cam: CameraSpec, aspect: float, target: Any
    ) -> None:
        """The ghost's links over the picture: depth-tested against it (the real vehicle
        hides what lies behind it) but not written, blended at ``GHOST_RGBA``."""
        ctx = self.ctx
        u = self._ghost_u
        u["proj"].write(_f4(_perspective(cam.fov_y_deg, aspect, cam.near_m, cam.far_m)))
        u["colour"].value = GHOST_RGBA
        ctx.enable(moderngl.BLEND)
        ctx.blend_func = moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA
        target.depth_mask = False
        # Pulled toward the camera by a few depth units: where the ghost's surface lies in
        # the real one's (a ghost just ahead along a cylinder's axis), it wins evenly
        # instead of striping.
        ctx.polygon_offset = (-1.0, -4.0)
        try:
            for key, pose in ghost.links.items():
                vao = self._ghost_vaos.get(key)
                if vao is None or key in cam.hidden:
                    continue
                u["mv"].write(_f4(view @ pose.matrix()))
                vao.render(moderngl.TRIANGLES)
        finally:
            target.depth_mask = True
            ctx.polygon_offset = (0.0, 0.0)
            ctx.disable(moderngl.BLEND)

    def close(self) -> None:
        self.ctx.release()
