"""Earth below the station, for the camera backgrounds: an albedo map (oceans, land,
clouds) and the per-pixel shading of the sphere seen from orbit, used by both backends
(the GL shader samples the same map; the CPU fallback shades it in numpy).

The map is procedural (sums of random plane waves on the unit sphere, a fixed seed: it is
scenery, not simulation state, and must look the same in every run): no texture file to
ship, and at 420 km the cameras see cloud tops and sea, not recognisable coastlines.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import numpy.typing as npt

from trainer.render.lighting import Lighting
from trainer.sim.orbit import EARTH_RADIUS_M

FloatArray = npt.NDArray[np.float64]
MAP_SIZE = (256, 128)  # equirectangular longitude x latitude, for the CPU fallback
CUBE_SIZE = 192  # texels per cube face: 50 km a texel
_SEED = 1969  # fixed: scenery (see the module docstring)

OCEAN_RGB = np.array([0.03, 0.11, 0.30])
LAND_RGB = np.array([0.24, 0.26, 0.16])
CLOUD_RGB = np.array([0.92, 0.93, 0.95])
# Blue haze of the limb (E: the atmosphere's ~100 km scale against 6,371 km).
HAZE_RGB = np.array([0.35, 0.55, 0.95])
ATMOSPHERE_RADII = 100_000.0 / EARTH_RADIUS_M


class _Waves:
    """A smooth random field on the unit sphere: a sum of plane waves (fixed seed)."""

    def __init__(
        self, rng: np.random.Generator, waves: int, low: float, high: float, slope: float
    ) -> None:
        """``waves`` plane waves with wavenumbers (per Earth radius) log-uniform between
        ``low`` and ``high``, amplitudes falling as wavenumber**-slope."""
        k = rng.normal(size=(waves, 3))
        k /= np.linalg.norm(k, axis=1, keepdims=True)
        freq = np.exp(rng.uniform(math.log(low), math.log(high), size=waves))
        self._k = (k * freq[:, None]).T
        self._phase = rng.uniform(0.0, 2.0 * math.pi, size=waves)
        self._amp = freq**-slope
        # normalise to zero mean, unit spread over the sphere (a fixed sample of points)
        sample = rng.normal(size=(4000, 3))
        raw = self._raw(sample / np.linalg.norm(sample, axis=1, keepdims=True))
        self._mean = float(raw.mean())
        self._std = float(raw.std())

    def _raw(self, points: FloatArray) -> FloatArray:
        # float32: half the time of the sines, and the map is stored in 8 bits anyway
        arg = points.astype(np.float32) @ self._k.astype(np.float32)
        arg += self._phase.astype(np.float32)
        return np.asarray(np.sin(arg, out=arg) @ self._amp.astype(np.float32), dtype=np.float64)

    def __call__(self, points: FloatArray) -> FloatArray:
        return (self._raw(points) - self._mean) / self._std


_RNG = np.random.default_rng(_SEED)
# Continents thousands of km across; cloud fields from 2,000 km down to ~30 km (E: what a
# 192-texel cube face, 50 km a texel, can hold).
_LAND = _Waves(_RNG, 24, 1.5, 12.0, 1.0)
_CLOUDS = _Waves(_RNG, 90, 3.0, 200.0, 0.6)


def albedo_at(points: FloatArray) -> FloatArray:
    """Albedo RGB in [0, 1] of the ground (with clouds) at unit vectors ``points`` (n, 3)."""
    land = _LAND(points) > 0.8
    cloud = np.clip((_CLOUDS(points) - 0.3) * 0.8, 0.0, 1.0) ** 1.2
    base = np.where(land[:, None], LAND_RGB, OCEAN_RGB)
    return np.asarray(base * (1.0 - cloud[:, None]) + CLOUD_RGB * cloud[:, None])


@functools.cache
def albedo_map() -> FloatArray:
    """(H, W, 3) equirectangular albedo, longitude along the width from −180° to 180°."""
    w, h = MAP_SIZE
    lon = (np.arange(w) + 0.5) / w * 2.0 * math.pi - math.pi
    lat = math.pi / 2.0 - (np.arange(h) + 0.5) / h * math.pi
    lon_g, lat_g = np.meshgrid(lon, lat)
    pts = np.stack(
        [np.cos(lat_g) * np.cos(lon_g), np.cos(lat_g) * np.sin(lon_g), np.sin(lat_g)], axis=-1
    ).reshape(-1, 3)
    return np.asarray(albedo_at(pts).reshape(h, w, 3))


@functools.cache
def albedo_cube_faces(size: int = CUBE_SIZE) -> tuple[FloatArray, ...]:
    """The six faces (+x, −x, +y, −y, +z, −z; OpenGL's order and texel directions) of the
    albedo as a cube map: the GL shader samples it by direction, no trigonometry."""
    c = (np.arange(size) + 0.5) / size * 2.0 - 1.0
    s, t = np.meshgrid(c, c)  # s along a row, t down the rows
    one = np.ones_like(s)
    faces = (
        (one, -t, -s),
        (-one, -t, s),
        (s, one, t),
        (s, -one, -t),
        (s, -t, one),
        (-s, -t, -one),
    )
    out = []
    for x, y, z in faces:
        d = np.stack([x, y, z], axis=-1).reshape(-1, 3)
        d /= np.linalg.norm(d, axis=1, keepdims=True)
        out.append(albedo_at(d).reshape(size, size, 3))
    return tuple(out)


def ground_normals(normals_lvlh: FloatArray, phase_rad: float) -> FloatArray:
    """Earth-fixed directions (the albedo map's) of surface normals given in the world
    frame (LVLH, docs/DESIGN.md §3) at orbit phase ``phase_rad``. The LVLH frame turns about
    the orbit normal +y at the mean motion, its zenith toward its velocity +x, so the
    Earth-fixed direction is the LVLH one turned by +phase about y: the ground below
    falls behind the station (−x) as it flies, ~1°/s seen from 420 km (D). The GL sky
    shader (trainer.render.shaders) does the same per pixel."""
    c, s = math.cos(phase_rad), math.sin(phase_rad)
    n = normals_lvlh
    return np.stack([c * n[:, 0] + s * n[:, 2], n[:, 1], -s * n[:, 0] + c * n[:, 2]], axis=1)


def background(directions: FloatArray, lighting: Lighting, albedo: FloatArray) -> FloatArray:
    """RGB in [0, 1] seen along unit world ``directions`` (n, 3) from the station: black
    space, the limb's haze, and the Earth lit by the sun (dark in the station's night)."""
    h_radii = lighting.orbit_altitude_m / EARTH_RADIUS_M
    centre = np.array([0.0, 0.0, -(1.0 + h_radii)])
    b = directions @ centre
    c = centre @ centre - 1.0
    disc = b * b - c
    hit = (disc > 0.0) & (b > 0.0)
    t = b - np.sqrt(np.maximum(disc, 0.0))
    p = directions * t[:, None]
    normal = p - centre
    normal /= np.linalg.norm(normal, axis=1, keepdims=True)
    sun = np.asarray(lighting.sun_direction)
    ground = ground_normals(normal, lighting.earth_phase_rad)
    lon = np.arctan2(ground[:, 1], ground[:, 0])
    lat = np.arcsin(np.clip(ground[:, 2], -1.0, 1.0))
    hm, wm = albedo.shape[:2]
    col = ((lon + math.pi) / (2.0 * math.pi) * wm).astype(int) % wm
    row = np.clip(((math.pi / 2.0 - lat) / math.pi * hm).astype(int), 0, hm - 1)
    day = np.clip(normal @ sun, 0.0, 1.0)
    limb = 1.0 - np.clip(-(directions * normal).sum(axis=1), 0.0, 1.0)
    ground_rgb = albedo[row, col] * day[:, None] + HAZE_RGB * (limb**4 * day)[:, None] * 0.35
    closest = np.sqrt(np.maximum(centre @ centre - b * b, 0.0)) - 1.0
    glow = np.exp(-np.maximum(closest, 0.0) / (0.25 * ATMOSPHERE_RADII)) * (b > 0.0)
    sky_rgb = (
        HAZE_RGB
        * (glow * 0.5 * max(0.0, float(sun @ -centre / np.linalg.norm(centre)) + 0.3))[:, None]
    )
    out = np.where(hit[:, None], ground_rgb, sky_rgb)
    return np.asarray(np.clip(out, 0.0, 1.0))
