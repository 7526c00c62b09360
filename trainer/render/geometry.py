"""Geometry for the camera views: rigid transforms as 4x4 matrices, quaternions in pybullet
order (x, y, z, w, docs/DESIGN.md §3), and the triangle meshes of the URDF visual primitives (box,
cylinder, sphere) and OBJ files. Pure numpy: no OpenGL, no pybullet.

Every mesh is a ``TriangleMesh`` of unindexed triangles (three vertices each, with a
normal), in the frame the primitive is defined in; the scene room places them in link
frames. Flat normals on box faces and mesh creases, smooth ones around cylinders and
spheres, so the light shows the shape (docs/REFERENCE.md §7.2).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from trainer.sim.rotation import matrix_from_quat

FloatArray = npt.NDArray[np.float64]
Vec3 = tuple[float, float, float]
Quat = tuple[float, float, float, float]

# Facets around a cylinder/sphere by size: small rods stay cheap, the station's 4.4 m
# modules stay round at 640x480 (E: chosen by eye on the rendered views).
_SEGMENTS_SMALL = 12
_SEGMENTS = 24
_SEGMENTS_LARGE = 40
# Mesh faces meeting at more than this angle keep a hard edge (E: the Dragon capsule's
# 192-facet frustum is smooth, its rims are edges).
CREASE_ANGLE_DEG = 40.0


# --------------------------------------------------------------------- transforms
def quat_to_matrix(q: Sequence[float]) -> FloatArray:
    """3x3 rotation of a quaternion (x, y, z, w): the trainer's one rotation helper
    (``trainer.sim.rotation``, equal to pybullet's own matrix)."""
    return matrix_from_quat(q)


def matrix_to_quat(r: FloatArray) -> Quat:
    """Unit quaternion (x, y, z, w) of a 3x3 rotation (Shepperd's method, stable)."""
    m = r
    trace = m[0, 0] + m[1, 1] + m[2, 2]
    if trace > 0.0:
        s = math.sqrt(trace + 1.0) * 2.0
        w = 0.25 * s
        x = (m[2, 1] - m[1, 2]) / s
        y = (m[0, 2] - m[2, 0]) / s
        z = (m[1, 0] - m[0, 1]) / s
    elif m[0, 0] > m[1, 1] and m[0, 0] > m[2, 2]:
        s = math.sqrt(1.0 + m[0, 0] - m[1, 1] - m[2, 2]) * 2.0
        w = (m[2, 1] - m[1, 2]) / s
        x = 0.25 * s
        y = (m[0, 1] + m[1, 0]) / s
        z = (m[0, 2] + m[2, 0]) / s
    elif m[1, 1] > m[2, 2]:
        s = math.sqrt(1.0 + m[1, 1] - m[0, 0] - m[2, 2]) * 2.0
        w = (m[0, 2] - m[2, 0]) / s
        x = (m[0, 1] + m[1, 0]) / s
        y = 0.25 * s
        z = (m[1, 2] + m[2, 1]) / s
    else:
        s = math.sqrt(1.0 + m[2, 2] - m[0, 0] - m[1, 1]) * 2.0
        w = (m[1, 0] - m[0, 1]) / s
        x = (m[0, 2] + m[2, 0]) / s
        y = (m[1, 2] + m[2, 1]) / s
        z = 0.25 * s
    return (float(x), float(y), float(z), float(w))


def rpy_to_matrix(rpy: Sequence[float]) -> FloatArray:
    """URDF roll-pitch-yaw (fixed axes x, then y, then z): R = Rz(yaw) Ry(pitch) Rx(roll)."""
    r, p, y = (float(v) for v in rpy)
    cr, sr = math.cos(r), math.sin(r)
    cp, sp = math.cos(p), math.sin(p)
    cy, sy = math.cos(y), math.sin(y)
    return np.array(
        [
            [cy * cp, cy * sp * sr - sy * cr, cy * sp * cr + sy * sr],
            [sy * cp, sy * sp * sr + cy * cr, sy * sp * cr - cy * sr],
            [-sp, cp * sr, cp * cr],
        ]
    )


def axis_angle_matrix(axis: Sequence[float], angle_rad: float) -> FloatArray:
    """Rotation by ``angle_rad`` about the unit ``axis`` (Rodrigues)."""
    a = np.asarray(axis, dtype=float)
    a = a / np.linalg.norm(a)
    k = np.array([[0.0, -a[2], a[1]], [a[2], 0.0, -a[0]], [-a[1], a[0], 0.0]])
    return np.asarray(np.eye(3) + math.sin(angle_rad) * k + (1.0 - math.cos(angle_rad)) * (k @ k))


def transform(rotation: FloatArray, translation: Sequence[float]) -> FloatArray:
    """4x4 rigid transform from a 3x3 rotation and a translation."""
    m = np.eye(4)
    m[:3, :3] = rotation
    m[:3, 3] = np.asarray(translation, dtype=float)
    return m


def pose_matrix(position: Sequence[float], orientation_xyzw: Sequence[float]) -> FloatArray:
    return transform(quat_to_matrix(orientation_xyzw), position)


def invert_rigid(m: FloatArray) -> FloatArray:
    out = np.eye(4)
    rt = m[:3, :3].T
    out[:3, :3] = rt
    out[:3, 3] = -rt @ m[:3, 3]
    return out


# --------------------------------------------------------------------- meshes
@dataclass(frozen=True)
class TriangleMesh:
    """Unindexed triangles: ``positions`` and ``normals`` are (3n, 3) float64."""

    positions: FloatArray
    normals: FloatArray

    def transformed(self, m: FloatArray) -> TriangleMesh:
        r = m[:3, :3]
        return TriangleMesh(self.positions @ r.T + m[:3, 3], self.normals @ r.T)

    @property
    def triangle_count(self) -> int:
        return len(self.positions) // 3


def _segments(radius_m: float) -> int:
    if radius_m < 0.05:
        return _SEGMENTS_SMALL
    if radius_m > 1.0:
        return _SEGMENTS_LARGE
    return _SEGMENTS


def box(size: Sequence[float]) -> TriangleMesh:
    """An axis-aligned box centred on the origin, flat-shaded."""
    h = np.asarray(size, dtype=float) / 2.0
    positions: list[FloatArray] = []
    normals: list[FloatArray] = []
    for axis in range(3):
        for sign in (-1.0, 1.0):
            n = np.zeros(3)
            n[axis] = sign
            u = np.zeros(3)
            v = np.zeros(3)
            u[(axis + 1) % 3] = h[(axis + 1) % 3]
            v[(axis + 2) % 3] = h[(axis + 2) % 3]
            c = n * h[axis]
            if sign < 0:
                u, v = v, u  # keep counter-clockwise seen from outside
            quad = [c - u - v, c + u - v, c + u + v, c - u + v]
            for i in (0, 1, 2, 0, 2, 3):
                positions.append(quad[i])
                normals.append(n)
    return TriangleMesh(np.array(positions), np.array(normals))


def cylinder(radius_m: float, length_m: float) -> TriangleMesh:
    """A cylinder along z centred on the origin (the URDF convention): smooth side, flat caps."""
    k = _segments(radius_m)
    angles = np.linspace(0.0, 2.0 * math.pi, k + 1)
    ring = np.stack([np.cos(angles), np.sin(angles), np.zeros_like(angles)], axis=1)
    zt = np.array([0.0, 0.0, length_m / 2.0])
    positions: list[FloatArray] = []
    normals: list[FloatArray] = []
    for i in range(k):
        a, b = ring[i], ring[i + 1]
        pa, pb = a * radius_m, b * radius_m
        # side: two triangles with per-vertex radial normals
        for p, n in ((pa - zt, a), (pb - zt, b), (pb + zt, b), (pa - zt, a), (pb + zt, b)):
            positions.append(p)
            normals.append(n)
        positions.append(pa + zt)
        normals.append(a)
        # caps
        up = np.array([0.0, 0.0, 1.0])
        for p in (zt, pa + zt, pb + zt):
            positions.append(p)
            normals.append(up)
        for p in (-zt, pb - zt, pa - zt):
            positions.append(p)
            normals.append(-up)
    return TriangleMesh(np.array(positions), np.array(normals))


def sphere(radius_m: float) -> TriangleMesh:
    """A UV sphere centred on the origin, smooth-shaded."""
    k = _segments(radius_m)
    rings = max(k // 2, 6)
    theta = np.linspace(0.0, math.pi, rings + 1)
    phi = np.linspace(0.0, 2.0 * math.pi, k + 1)
    grid = np.stack(
        [
            np.outer(np.sin(theta), np.cos(phi)),
            np.outer(np.sin(theta), np.sin(phi)),
            np.outer(np.cos(theta), np.ones_like(phi)),
        ],
        axis=2,
    )
    tris: list[FloatArray] = []
    for i in range(rings):
        for j in range(k):
            a, b = grid[i, j], grid[i + 1, j]
            c, d = grid[i + 1, j + 1], grid[i, j + 1]
            tris.extend((a, b, c, a, c, d))
    normals = np.array(tris)
    return TriangleMesh(normals * radius_m, normals)


def load_obj(path: Path, scale: Sequence[float] = (1.0, 1.0, 1.0)) -> TriangleMesh:
    """Vertices and faces of a Wavefront OBJ (polygons fanned into triangles), with normals
    smoothed across edges flatter than ``CREASE_ANGLE_DEG``. Raises ValueError on a bad file."""
    vertices: list[tuple[float, float, float]] = []
    faces: list[list[int]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        try:
            if parts[0] == "v":
                vertices.append((float(parts[1]), float(parts[2]), float(parts[3])))
            elif parts[0] == "f":
                idx = [int(p.split("/")[0]) for p in parts[1:]]
                idx = [i - 1 if i > 0 else len(vertices) + i for i in idx]
                faces.extend([idx[0], idx[i], idx[i + 1]] for i in range(1, len(idx) - 1))
        except (IndexError, ValueError):
            raise ValueError(f"{path}:{number}: malformed line {line.strip()!r}") from None
    if not faces:
        raise ValueError(f"{path}: no faces")
    v = np.array(vertices) * np.asarray(scale, dtype=float)
    f = np.array(faces)
    if f.min() < 0 or f.max() >= len(v):
        raise ValueError(f"{path}: a face refers to a vertex that does not exist")
    tri = v[f]  # (m, 3, 3)
    face_n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    lengths = np.linalg.norm(face_n, axis=1, keepdims=True)
    face_n = face_n / np.where(lengths == 0.0, 1.0, lengths)
    # For every corner, average the normals of the faces sharing its vertex that lie within
    # the crease angle of its own face.
    cos_crease = math.cos(math.radians(CREASE_ANGLE_DEG))
    sharing: dict[int, list[int]] = {}
    for fi, face in enumerate(f):
        for vi in face:
            sharing.setdefault(int(vi), []).append(fi)
    corner_n = np.empty((len(f), 3, 3))
    for fi, face in enumerate(f):
        for c, vi in enumerate(face):
            others = face_n[sharing[int(vi)]]
            keep = others[others @ face_n[fi] >= cos_crease]
            s = keep.sum(axis=0)
            corner_n[fi, c] = s / max(float(np.linalg.norm(s)), 1e-12)
    return TriangleMesh(tri.reshape(-1, 3), corner_n.reshape(-1, 3))
