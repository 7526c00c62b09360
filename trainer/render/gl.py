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
* the sun and Earthshine are lit per vertex, the lamps of the night pass per pixel, and
  the links are drawn nearest first: llvmpipe's cost is the shading of each pixel;
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

from trainer.render.cameras import CameraSpec
from trainer.render.earth import ATMOSPHERE_RADII, HAZE_RGB, albedo_cube_faces
from trainer.render.geometry import FloatArray
from trainer.render.lighting import Lighting, SpotLight
from trainer.render.poses import ScenePoses
from trainer.render.scene import Scene
from trainer.sim.orbit import EARTH_RADIUS_M

MAX_FLOODS = 4
_NADIR = np.array([0.0, 0.0, -1.0])
_FBO_CACHE = 4  # image sizes kept (three monitors and a resize)
# Light scattered off the station and arm into shadowed parts (E: keeps shadowed sides
# dark grey rather than black, as the real camera video shows).
AMBIENT = 0.035
# Image brightness above which a camera compresses toward white instead of clipping (E:
# keeps white modules in full sun from burning out the fixture's grey plate).
KNEE = 0.6

_MESH_VS = f"""
#version 330
#define MAX_FLOODS {MAX_FLOODS}
uniform mat4 mv;
uniform mat4 proj;
uniform vec3 sun_dir;
uniform float sun_i;
uniform vec3 nadir_dir;
uniform float earth_i;
uniform float ambient;
uniform int n_floods;
uniform vec3 flood_pos[MAX_FLOODS];
uniform vec3 flood_dir[MAX_FLOODS];
uniform float flood_cos[MAX_FLOODS];
uniform float flood_i[MAX_FLOODS];
uniform float flood_inv_half2[MAX_FLOODS];
in vec3 in_pos;
in vec3 in_normal;
in vec3 in_color;
out vec3 v_pos;
out vec3 v_normal;
out vec3 v_color;
out vec3 v_lit;
float spot(vec3 to_lamp, vec3 n, vec3 axis, float cos_edge, float intensity, float inv_half2) {{
    float d2 = dot(to_lamp, to_lamp);
    vec3 l = to_lamp * inversesqrt(d2);
    float cone = smoothstep(cos_edge, mix(cos_edge, 1.0, 0.35), dot(-l, axis));
    return intensity * cone * max(dot(n, l), 0.0) / (1.0 + d2 * inv_half2);
}}
void main() {{
    vec4 p = mv * vec4(in_pos, 1.0);
    vec3 n = mat3(mv) * in_normal;
    vec3 v = normalize(-p.xyz);
    if (dot(n, v) < 0.0) n = -n;  // both sides lit alike: models have mixed windings
    // Sun, Earthshine, ambient and the distant station floodlights per vertex: constant
    // across a flat face, smooth across the faceted cylinders; per pixel they would buy
    // little but cost (the software rasteriser is bound by the work per pixel).
    float diffuse = ambient + sun_i * max(dot(n, sun_dir), 0.0)
                  + earth_i * max(dot(n, nadir_dir), 0.0);
    for (int i = 0; i < n_floods; ++i)
        diffuse += spot(flood_pos[i] - p.xyz, n, flood_dir[i], flood_cos[i], flood_i[i],
                        flood_inv_half2[i]);
    float h = max(dot(n, normalize(sun_dir + v)), 0.0);
    h *= h; h *= h; h *= h; h *= h; h *= h;  // Blinn-Phong exponent 32 without pow()
    v_lit = in_color * diffuse + vec3(sun_i * 0.25 * h);
    v_pos = p.xyz;
    v_normal = n;
    v_color = in_color;
    gl_Position = proj * p;
}}
"""

_MESH_FS = f"""
#version 330
const float KNEE = {KNEE};
uniform vec3 lamp_pos;
uniform vec3 lamp_dir;
uniform float lamp_cos;
uniform float lamp_i;
uniform float lamp_inv_half2;
in vec3 v_pos;
in vec3 v_normal;
in vec3 v_color;
in vec3 v_lit;
out vec4 f_color;
void main() {{
    // The camera's own lamp per pixel: its pool's edge crosses large faces (Dragon's top).
    vec3 n = normalize(v_normal);
    vec3 to_lamp = lamp_pos - v_pos;
    float d2 = dot(to_lamp, to_lamp);
    vec3 l = to_lamp * inversesqrt(d2);
    float cone = smoothstep(lamp_cos, mix(lamp_cos, 1.0, 0.35), dot(-l, lamp_dir));
    vec3 c = v_lit + v_color * (lamp_i * cone * max(dot(n, l), 0.0) / (1.0 + d2 * lamp_inv_half2));
    // a camera's soft shoulder: linear to KNEE, then compressed toward white
    vec3 over = max(c - KNEE, 0.0);
    c = min(c, KNEE) + over / (1.0 + over / (1.0 - KNEE));
    f_color = vec4(c, 1.0);
}}
"""

_MESH_DAY_FS = f"""
#version 330
const float KNEE = {KNEE};
in vec3 v_lit;
out vec4 f_color;
void main() {{
    vec3 over = max(v_lit - KNEE, 0.0);
    f_color = vec4(min(v_lit, KNEE) + over / (1.0 + over / (1.0 - KNEE)), 1.0);
}}
"""

_SKY_VS = """
#version 330
uniform mat3 eye_to_world;
uniform vec2 tan_half;
in vec2 in_ndc;
out vec3 v_dir;
void main() {
    // the ray through a pixel is linear in its screen position: interpolate, normalise later
    v_dir = eye_to_world * vec3(in_ndc.x * tan_half.x, in_ndc.y * tan_half.y, -1.0);
    gl_Position = vec4(in_ndc, 1.0, 1.0);  // on the far plane: drawn only where no mesh is
}
"""

_SKY_FS = f"""
#version 330
uniform vec3 centre;
uniform vec3 sun;
uniform vec2 phase_cs;
uniform samplerCube albedo;
in vec3 v_dir;
out vec4 f_color;
const vec3 HAZE = vec3({HAZE_RGB[0]}, {HAZE_RGB[1]}, {HAZE_RGB[2]});
void main() {{
    vec3 d = normalize(v_dir);
    float b = dot(d, centre);
    float disc = b * b - (dot(centre, centre) - 1.0);
    vec3 rgb;
    if (disc > 0.0 && b > 0.0) {{
        vec3 n = normalize(d * (b - sqrt(disc)) - centre);
        vec3 g = vec3(phase_cs.x * n.x - phase_cs.y * n.z, n.y, phase_cs.y * n.x + phase_cs.x * n.z);
        float day = clamp(dot(n, sun), 0.0, 1.0);
        float limb = 1.0 - clamp(-dot(d, n), 0.0, 1.0);
        rgb = texture(albedo, g).rgb * day + HAZE * (limb * limb * limb * limb * day) * 0.35;
    }} else {{
        float closest = sqrt(max(dot(centre, centre) - b * b, 0.0)) - 1.0;
        float glow = b > 0.0 ? exp(-max(closest, 0.0) / (0.25 * {ATMOSPHERE_RADII})) : 0.0;
        rgb = HAZE * glow * 0.5 * max(0.0, sun.z + 0.3);
    }}
    f_color = vec4(clamp(rgb, 0.0, 1.0), 1.0);
}}
"""


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

    def __init__(self, scene: Scene, *, samples: int = 0) -> None:
        self.samples = samples
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
        # Two programs: with lamps (the night pass) and without (daylight: fewer values to
        # interpolate per pixel, the software rasteriser's main cost).
        self._lamp_prog = ctx.program(vertex_shader=_MESH_VS, fragment_shader=_MESH_FS)
        self._day_prog = ctx.program(vertex_shader=_MESH_VS, fragment_shader=_MESH_DAY_FS)
        self._lamp_u = _uniforms(self._lamp_prog)
        self._day_u = _uniforms(self._day_prog)
        self._sky_prog = ctx.program(vertex_shader=_SKY_VS, fragment_shader=_SKY_FS)
        self._sky_u = _uniforms(self._sky_prog)
        self._links: list[tuple[str, Any, Any]] = []
        for mesh in scene.meshes:
            vertices = np.hstack([mesh.positions, mesh.normals, mesh.colors]).astype("f4")
            vbo = ctx.buffer(vertices.tobytes())
            layout = [(vbo, "3f 3f 3f", "in_pos", "in_normal", "in_color")]
            self._links.append(
                (
                    mesh.key,
                    ctx.vertex_array(self._lamp_prog, layout),
                    ctx.vertex_array(self._day_prog, layout),
                )
            )
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
        self, cam: CameraSpec, poses: ScenePoses, size: tuple[int, int], lighting: Lighting
    ) -> npt.NDArray[np.uint8]:
        ctx = self.ctx
        w, h = size
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
        lamp = cam.lamps[0] if lighting.camera_lights and cam.lamps else None
        prog = self._lamp_u if lamp is not None else self._day_u
        prog["proj"].write(_f4(_perspective(cam.fov_y_deg, w / h, cam.near_m, cam.far_m)))
        prog["sun_dir"].value = tuple(float(v) for v in r_view @ lighting.sun_direction)
        prog["sun_i"].value = lighting.sun_intensity
        prog["nadir_dir"].value = tuple(float(v) for v in r_view @ _NADIR)
        prog["earth_i"].value = lighting.earth_intensity
        prog["ambient"].value = AMBIENT
        _set_floods(prog, floods, view)
        if lamp is not None:
            prog["lamp_pos"].value = _eye(view, lamp.position_m)
            prog["lamp_dir"].value = _eye(view, lamp.direction, direction=True)
            prog["lamp_cos"].value = math.cos(math.radians(lamp.half_angle_deg))
            prog["lamp_i"].value = lamp.intensity
            prog["lamp_inv_half2"].value = 1.0 / lamp.half_m**2
        mv_uniform = prog["mv"]
        links = poses.links
        draws: list[tuple[float, FloatArray, Any]] = []
        for key, lamp_vao, day_vao in self._links:
            pose = links.get(key)
            if pose is None or key in cam.hidden:
                continue
            mv = view @ pose.matrix()
            draws.append((float(mv[2, 3]), mv, day_vao if lamp is None else lamp_vao))
        # Nearest first (eye z is negative ahead): hidden fragments then fail the depth
        # test before shading, the main cost on a software rasteriser.
        draws.sort(key=lambda d: -d[0])
        ctx.enable(moderngl.DEPTH_TEST)
        ctx.depth_func = "<="
        for _, mv, vao in draws:
            mv_uniform.write(_f4(mv))
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

        if resolve is not None:
            ctx.copy_framebuffer(resolve, target)
            target = resolve
        data = target.read(components=3, alignment=1)
        image = np.frombuffer(data, dtype=np.uint8).reshape(h, w, 3)
        return np.ascontiguousarray(image[::-1])  # OpenGL's row 0 is the bottom

    def close(self) -> None:
        self.ctx.release()
