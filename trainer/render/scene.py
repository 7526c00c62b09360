"""What the cameras can see: the visual geometry and kinematic trees of the station, the
SSRMS and the vehicle (Dragon, or the FRGF drill target), read from the URDFs in
``robots/`` (visual boxes, cylinders, spheres and OBJ meshes with their material colours).

The scene is built once; afterwards every image is drawn from poses only
(``trainer.render.poses.ScenePoses``), so the same scene serves a live world and a
recording. The URDF is parsed here rather than read back from pybullet's
``getVisualShapeData`` so that the replay viewer needs no physics client, and so the
kinematic tree (joint origins and axes) comes from the same file the simulation loads.

Bodies have roles, not model names, so a pose key does not depend on the vehicle model:

| role      | model                         | keys (``role/link``)                         |
|-----------|-------------------------------|----------------------------------------------|
| station   | robots/station                | ``station/station``                          |
| arm       | robots/ssrms                  | ``arm/base_lee`` … ``arm/tip_lee``, cameras  |
| vehicle   | robots/dragon or frgf_target  | ``vehicle/dragon``, ``vehicle/frgf``, …      |
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from trainer.errors import ModelError
from trainer.render.geometry import (
    FloatArray,
    TriangleMesh,
    box,
    cylinder,
    load_obj,
    rpy_to_matrix,
    sphere,
    transform,
)

if TYPE_CHECKING:
    from trainer.scenario.model import Scenario

ROLES = ("station", "arm", "vehicle")
# A URDF visual without a colour (none in the shipped models): mid grey.
_DEFAULT_RGB = (0.6, 0.6, 0.6)


@dataclass(frozen=True)
class Joint:
    """A URDF joint: the child's frame is ``parent @ origin @ R(axis, q)``."""

    name: str
    parent: str
    child: str
    kind: str  # "fixed", "revolute" or "continuous"
    origin: FloatArray  # 4x4, child frame at q = 0 in the parent frame
    axis: tuple[float, float, float]


@dataclass(frozen=True)
class Body:
    """One URDF model placed in the scene under a role."""

    role: str
    model: str
    root_link: str
    links: tuple[str, ...]
    joints: tuple[Joint, ...]  # parents before children
    # The root link's inertial frame in its link frame: pybullet reports a base's pose at
    # its centre of mass, so a recorded vehicle COM pose is turned back into the link frame.
    root_inertial: FloatArray

    def key(self, link: str) -> str:
        return f"{self.role}/{link}"


@dataclass(frozen=True)
class LinkMesh:
    """Every visual of one link merged: triangles in the link frame with per-vertex colour."""

    key: str  # "role/link"
    positions: FloatArray  # (3n, 3)
    normals: FloatArray  # (3n, 3)
    colors: FloatArray  # (3n, 3) linear-ish RGB in [0, 1] (the URDF material colours)

    @property
    def triangle_count(self) -> int:
        return len(self.positions) // 3


@dataclass(frozen=True)
class Scene:
    """The bodies in a fixed order and the meshes to draw."""

    bodies: tuple[Body, ...]
    meshes: tuple[LinkMesh, ...]

    def body(self, role: str) -> Body:
        for b in self.bodies:
            if b.role == role:
                return b
        raise KeyError(f"no {role!r} body in this scene")

    def has(self, role: str) -> bool:
        return any(b.role == role for b in self.bodies)

    @property
    def triangle_count(self) -> int:
        return sum(m.triangle_count for m in self.meshes)

    @classmethod
    def for_scenario(cls, scenario: Scenario) -> Scene:
        """The scene a scenario is flown in: station, SSRMS and its vehicle model."""
        return cls.load(scenario.vehicle.model)

    @classmethod
    def load(
        cls,
        vehicle_model: str = "dragon",
        *,
        include_station: bool = True,
        robots_dir: Path | None = None,
    ) -> Scene:
        """Read the station (optional), the SSRMS and ``vehicle_model`` from ``robots/``.
        Read once per process and arguments (a scene is never modified), so asking again,
        e.g. for a camera's geometry every frame, costs nothing."""
        if robots_dir is None:
            from trainer.resources import data_dir

            robots_dir = data_dir("robots")
        return _load(vehicle_model, include_station, robots_dir)


@functools.cache
def _load(vehicle_model: str, include_station: bool, robots_dir: Path) -> Scene:
    models: list[tuple[str, str]] = []
    if include_station:
        models.append(("station", "station"))
    models += [("arm", "ssrms"), ("vehicle", vehicle_model)]
    bodies: list[Body] = []
    meshes: list[LinkMesh] = []
    for role, model in models:
        body, body_meshes = _read_urdf(role, model, robots_dir / model / f"{model}.urdf")
        bodies.append(body)
        meshes.extend(body_meshes)
    return Scene(tuple(bodies), tuple(meshes))


# --------------------------------------------------------------------- URDF reading
def _floats(path: Path, text: str | None, n: int, default: Sequence[float]) -> list[float]:
    if text is None:
        return list(default)
    try:
        values = [float(v) for v in text.split()]
    except ValueError:
        raise ModelError(f"{path}: expected {n} numbers, got {text!r}") from None
    if len(values) != n:
        raise ModelError(f"{path}: expected {n} numbers, got {text!r}")
    return values


def _origin(path: Path, element: ET.Element | None) -> FloatArray:
    if element is None:
        return np.eye(4)
    xyz = _floats(path, element.get("xyz"), 3, (0.0, 0.0, 0.0))
    rpy = _floats(path, element.get("rpy"), 3, (0.0, 0.0, 0.0))
    return transform(rpy_to_matrix(rpy), xyz)


def _geometry(path: Path, geometry: ET.Element) -> TriangleMesh:
    shape = next(iter(geometry), None)
    if shape is None:
        raise ModelError(f"{path}: a <geometry> element is empty")
    if shape.tag == "box":
        return box(_floats(path, shape.get("size"), 3, ()))
    if shape.tag == "cylinder":
        radius = _floats(path, shape.get("radius"), 1, ())[0]
        length = _floats(path, shape.get("length"), 1, ())[0]
        return cylinder(radius, length)
    if shape.tag == "sphere":
        return sphere(_floats(path, shape.get("radius"), 1, ())[0])
    if shape.tag == "mesh":
        filename = shape.get("filename")
        if not filename:
            raise ModelError(f"{path}: a <mesh> has no filename")
        mesh_path = path.parent / filename
        scale = _floats(path, shape.get("scale"), 3, (1.0, 1.0, 1.0))
        try:
            return load_obj(mesh_path, scale)
        except OSError as exc:
            raise ModelError(f"{mesh_path}: cannot read mesh ({exc.strerror})") from None
        except ValueError as exc:
            raise ModelError(str(exc)) from None
    raise ModelError(f"{path}: unsupported visual geometry <{shape.tag}>")


def _color(
    path: Path, material: ET.Element | None, named: dict[str, tuple[float, ...]]
) -> tuple[float, ...]:
    if material is None:
        return _DEFAULT_RGB
    color = material.find("color")
    if color is not None:
        return tuple(_floats(path, color.get("rgba"), 4, ())[:3])
    return named.get(material.get("name", ""), _DEFAULT_RGB)


def _read_urdf(role: str, model: str, path: Path) -> tuple[Body, list[LinkMesh]]:
    try:
        root = ET.parse(path).getroot()
    except OSError as exc:
        raise ModelError(f"{path}: cannot read robot model ({exc.strerror})") from None
    except ET.ParseError as exc:
        raise ModelError(f"{path}: malformed URDF ({exc})") from None
    named: dict[str, tuple[float, ...]] = {}
    for material in root.findall("material"):
        color = material.find("color")
        if color is not None:
            named[material.get("name", "")] = tuple(_floats(path, color.get("rgba"), 4, ())[:3])

    links = [link.get("name", "") for link in root.findall("link")]
    joints: list[Joint] = []
    for element in root.findall("joint"):
        parent = element.find("parent")
        child = element.find("child")
        if parent is None or child is None:
            raise ModelError(f"{path}: joint {element.get('name')!r} lacks a parent or child")
        axis_el = element.find("axis")
        axis = _floats(path, None if axis_el is None else axis_el.get("xyz"), 3, (1.0, 0.0, 0.0))
        joints.append(
            Joint(
                name=element.get("name", ""),
                parent=parent.get("link", ""),
                child=child.get("link", ""),
                kind=element.get("type", "fixed"),
                origin=_origin(path, element.find("origin")),
                axis=(axis[0], axis[1], axis[2]),
            )
        )
    children = {j.child for j in joints}
    roots = [name for name in links if name not in children]
    if len(roots) != 1:
        raise ModelError(f"{path}: expected one root link, found {roots}")
    ordered: list[Joint] = []
    frontier = [roots[0]]
    while frontier:
        parent_name = frontier.pop(0)
        for j in joints:
            if j.parent == parent_name:
                ordered.append(j)
                frontier.append(j.child)
    if len(ordered) != len(joints):
        raise ModelError(f"{path}: the joints do not form one tree")

    inertial = np.eye(4)
    meshes: list[LinkMesh] = []
    for link in root.findall("link"):
        name = link.get("name", "")
        if name == roots[0]:
            inertial_el = link.find("inertial")
            if inertial_el is not None:
                inertial = _origin(path, inertial_el.find("origin"))
        parts: list[TriangleMesh] = []
        colors: list[FloatArray] = []
        for visual in link.findall("visual"):
            geometry = visual.find("geometry")
            if geometry is None:
                raise ModelError(f"{path}: link {name!r} has a <visual> without <geometry>")
            mesh = _geometry(path, geometry).transformed(_origin(path, visual.find("origin")))
            parts.append(mesh)
            rgb = _color(path, visual.find("material"), named)
            colors.append(np.tile(np.asarray(rgb, dtype=float), (len(mesh.positions), 1)))
        if parts:
            arrays = (
                np.concatenate([p.positions for p in parts]),
                np.concatenate([p.normals for p in parts]),
                np.concatenate(colors),
            )
            for a in arrays:
                a.flags.writeable = False  # scenes are shared (Scene.load caches them)
            meshes.append(LinkMesh(f"{role}/{name}", *arrays))
    body = Body(role, model, roots[0], tuple(links), tuple(ordered), inertial)
    return body, meshes
