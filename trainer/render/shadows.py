"""The sun's shadows for the OpenGL backend: depth maps of the scene seen from the sun.

In space a shadow is black (no sky light; only Earthshine and light off nearby hardware
reach it), so shadows decide what a camera can see: the LEE's shadow on the fixture at
local noon, the station's on the arm. Two square maps, centred on the work site (midway
between the tip LEE and the fixture's shaft tip), seen along the sun:

| map  | half-width       | texel  | for                                              |
|------|------------------|--------|--------------------------------------------------|
| near | ``NEAR_HALF_M``  | 8 mm   | the LEE camera's world: the stand-off's shadow on its plate |
| far  | ``FAR_HALF_M``   | 4.7 cm | Dragon and its arrays, the booms, the station's shadow |

Both reach ``DEPTH_M`` toward the sun, so the station above casts too. Drawing both costs
about one 480x360 view on llvmpipe (bench/bench_render.py; the lookups themselves add ~5%
to a view), so the maps are redrawn only when a link has
moved ``REDRAW_M`` or turned ``REDRAW_RAD``, or the sun has turned as much: at the arm's
few cm/s that is every few frames, and one set of maps serves every camera.
"""

from __future__ import annotations

import math
from typing import Any

import moderngl
import numpy as np

from trainer.render.cameras import look_at
from trainer.render.geometry import FloatArray
from trainer.render.poses import ScenePoses

# texels a side, near and far (E: a 1024 map's depth pass costs twice a 512 one's, a
# 2048 one three times more again)
SIZES = (512, 512)
NEAR_HALF_M = 2.0  # E: the LEE camera sees ±0.3 m at the trigger, ±0.7 m at 2.5 m
FAR_HALF_M = 12.0  # E: Dragon's arrays reach 8 m from its axis, a boom is 7 m
DEPTH_M = 80.0  # toward the sun: the station's modules and truss are 10-20 m above
# Depth bias against a surface shadowing itself (E: under the 3 cm FRGF plate), on top of
# the slope-scaled polygon offset of the depth pass and the shaders' normal offset.
BIAS_M = (0.01, 0.02)
REDRAW_M = 0.004  # E: half a near texel
REDRAW_RAD = 0.002  # E: 0.11°, 4 mm at the near map's 2 m edge
_TO_UNIT = np.array(
    [[0.5, 0.0, 0.0, 0.5], [0.0, 0.5, 0.0, 0.5], [0.0, 0.0, 0.5, 0.5], [0.0, 0.0, 0.0, 1.0]]
)
# Camera frame (x boresight, y left, z up) to OpenGL eye coordinates (trainer.render.gl).
_CAMERA_TO_EYE = np.array([[0.0, -1.0, 0.0], [0.0, 0.0, 1.0], [-1.0, 0.0, 0.0]])


def _f4(m: FloatArray) -> bytes:
    return np.ascontiguousarray(m.T, dtype="f4").tobytes()


class SunShadows:
    """The near and far shadow maps and their world-to-map matrices."""

    def __init__(self, ctx: moderngl.Context, depth_uniform: moderngl.Uniform) -> None:
        self._ctx = ctx
        self._depth_uniform = depth_uniform
        self.textures: list[Any] = []
        self._fbos: list[Any] = []
        for size in SIZES:
            texture = ctx.depth_texture((size, size))
            texture.compare_func = "<="
            texture.filter = (moderngl.LINEAR, moderngl.LINEAR)  # 2x2 filtered edges
            # clamped: at the map's edge the filter must not wrap to the opposite side
            texture.repeat_x = False
            texture.repeat_y = False
            self.textures.append(texture)
            self._fbos.append(ctx.framebuffer(depth_attachment=texture))
        # world -> [0, 1]^3 map coordinates (with the depth bias), near and far
        self.to_map: list[FloatArray] = [np.eye(4), np.eye(4)]
        self._drawn_for: tuple[FloatArray, FloatArray] | None = None

    def update(
        self, poses: ScenePoses, sun: tuple[float, float, float], depth_vaos: list[tuple[str, Any]]
    ) -> None:
        """Redraw the maps if the links or the sun have moved enough to show."""
        links = poses.links
        state = np.array(
            [
                (*links[k].position_m, *links[k].orientation_xyzw)
                for k, _ in depth_vaos
                if k in links
            ]
        ).reshape(-1, 7)
        s = np.asarray(sun, dtype=float)
        if self._drawn_for is not None and _still_valid(self._drawn_for, state, s):
            return
        if "arm/tip_lee" in links and "vehicle/frgf_tip" in links:
            site = 0.5 * (
                np.asarray(links["arm/tip_lee"].position_m)
                + np.asarray(links["vehicle/frgf_tip"].position_m)
            )
        else:
            site = np.zeros(3)
        eye = site + 0.5 * DEPTH_M * s
        up = (0.0, 0.0, 1.0) if abs(s[2]) < 0.99 else (1.0, 0.0, 0.0)
        r_view = _CAMERA_TO_EYE @ look_at(eye, site, up).T
        view = np.eye(4)
        view[:3, :3] = r_view
        view[:3, 3] = -r_view @ eye
        ctx = self._ctx
        ctx.enable(moderngl.DEPTH_TEST)
        ctx.depth_func = "<="
        ctx.polygon_offset = (1.5, 2.0)  # slope-scaled: grazing faces do not self-shadow
        for i, half in enumerate((NEAR_HALF_M, FAR_HALF_M)):
            ortho = np.diag([1.0 / half, 1.0 / half, -2.0 / DEPTH_M, 1.0])
            ortho[2, 3] = -1.0
            bias = np.eye(4)
            bias[2, 3] = -2.0 * BIAS_M[i] / DEPTH_M  # toward the sun, in map depth
            self.to_map[i] = _TO_UNIT @ bias @ ortho @ view
            fbo = self._fbos[i]
            fbo.use()
            ctx.viewport = (0, 0, SIZES[i], SIZES[i])
            fbo.clear(depth=1.0)
            vp = ortho @ view
            for key, vao in depth_vaos:
                pose = links.get(key)
                if pose is not None:
                    self._depth_uniform.write(_f4(vp @ pose.matrix()))
                    vao.render(moderngl.TRIANGLES)
        ctx.polygon_offset = (0.0, 0.0)
        self._drawn_for = (state, s)


def _still_valid(drawn: tuple[FloatArray, FloatArray], state: FloatArray, sun: FloatArray) -> bool:
    old_state, old_sun = drawn
    if old_state.shape != state.shape:
        return False
    moved = np.abs(state[:, :3] - old_state[:, :3]).max(initial=0.0)
    # |q1 . q2| = cos(angle / 2): the largest turn of any link
    cos_half = np.abs((state[:, 3:] * old_state[:, 3:]).sum(axis=1)).min(initial=1.0)
    turned = 2.0 * math.acos(min(1.0, float(cos_half)))
    sun_turned = math.acos(min(1.0, float(sun @ old_sun)))
    return bool(moved < REDRAW_M and max(turned, sun_turned) < REDRAW_RAD)
