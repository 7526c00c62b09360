"""Start-pose clearance: a scenario must not start its vehicle inside the station or the arm.

Checked on the nominal start (dispersions are a few tens of centimetres, docs/REFERENCE.md §2, and
bounded in ``checks.BOUNDS``) with the geometry the physics uses, read without pybullet so
that ``validate`` stays cheap:

| body     | geometry                                                 | source                        |
|----------|----------------------------------------------------------|-------------------------------|
| station  | every collision cylinder, box and sphere of              | robots/station (world frame:  |
|          | robots/station/station.urdf                              | the station sits at the origin)|
| arm      | capsules of radius 0.175 m (the 0.35 m boom, docs/REFERENCE.md §1, S) along the joint chain of the scenario's named pose, from the base mount | robots/station/mounts.yaml, robots/ssrms/poses.yaml, control/kinematics.py (docs/REFERENCE.md §1.1) |
| vehicle  | a sphere around its centre of mass that the hull is sure to contain (``VEHICLE_CLEARANCE_M``) | see the table's reasons |

A start is refused when that sphere reaches into the station or an arm capsule: the
physics would begin with bodies interpenetrating and throw them apart on the first step.
"""

from __future__ import annotations

import itertools
import math
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from trainer.control.kinematics import JOINT_AXES, JOINT_ORIGINS_M, TIP_OFFSET_M
from trainer.fixedmath import (
    Rows3,
    Vec3,
    dot,
    norm3,
    rows3_mul,
    rows3_times,
    rows3_transpose_times,
    rows_from_rpy,
)
from trainer.scenario import checks
from trainer.scenario.checks import Problems
from trainer.sim.joints import JOINT_NAMES

ARM_RADIUS_M = 0.175  # docs/REFERENCE.md §1: boom diameter 0.35 m (S)
# The radius of a sphere about the centre of mass that lies inside the hull:
VEHICLE_CLEARANCE_M: dict[str, tuple[float, str]] = {
    # docs/REFERENCE.md §2 (S): 3.66 m diameter; the COM is on the capsule's axis (E)
    "dragon": (1.83, "half of Dragon's 3.66 m diameter"),
    # robots/frgf_target: the fixture's 0.3 m base plate (E)
    "frgf_target": (0.15, "half of the target's 0.3 m base plate"),
}
DEFAULT_CLEARANCE_M = (0.5, "a vehicle of unknown size (E)")

Vec = Vec3


@dataclass(frozen=True)
class _Primitive:
    kind: str  # cylinder, box or sphere
    origin: Vec
    rotation: Rows3  # local → world
    size: tuple[float, ...]  # cylinder (radius, length); box (x, y, z); sphere (radius,)

    def distance(self, point: Vec) -> float:
        """Signed distance from ``point`` to the surface (negative inside)."""
        local = rows3_transpose_times(self.rotation, _sub(point, self.origin))
        if self.kind == "sphere":
            return norm3(local) - self.size[0]
        if self.kind == "cylinder":
            radial = math.hypot(float(local[0]), float(local[1])) - self.size[0]
            axial = abs(float(local[2])) - self.size[1] / 2.0
            if radial <= 0.0 and axial <= 0.0:
                return max(radial, axial)
            return math.hypot(max(radial, 0.0), max(axial, 0.0))
        qx, qy, qz = (abs(v) - half / 2.0 for v, half in zip(local, self.size, strict=True))
        outside = norm3((max(qx, 0.0), max(qy, 0.0), max(qz, 0.0)))
        return outside if outside > 0.0 else max(qx, qy, qz)


def _sub(a: Sequence[float], b: Sequence[float]) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _add(a: Sequence[float], b: Sequence[float]) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _rpy_matrix(rpy: Sequence[float]) -> Rows3:
    """URDF roll-pitch-yaw (fixed axes x, y, z): R = Rz(yaw) Ry(pitch) Rx(roll)."""
    return rows_from_rpy(rpy[0], rpy[1], rpy[2])


def _floats(text: str | None, n: int) -> tuple[float, ...]:
    values = tuple(float(v) for v in (text or "").split())
    if len(values) != n:
        raise ValueError(f"expected {n} numbers, got {text!r}")
    return values


def station_primitives(urdf: Path) -> list[_Primitive]:
    """The station's collision shapes in the world frame (its one link is the world)."""
    root = ElementTree.parse(urdf).getroot()
    shapes: list[_Primitive] = []
    for collision in root.iter("collision"):
        origin = collision.find("origin")
        xyz = _floats(origin.get("xyz") if origin is not None else "0 0 0", 3)
        rpy = _floats(origin.get("rpy") if origin is not None else "0 0 0", 3)
        geometry = collision.find("geometry")
        if geometry is None or len(geometry) == 0:
            continue
        shape = geometry[0]
        size: tuple[float, ...]
        if shape.tag == "cylinder":
            size = (float(shape.get("radius", "0")), float(shape.get("length", "0")))
        elif shape.tag == "box":
            size = _floats(shape.get("size"), 3)
        elif shape.tag == "sphere":
            size = (float(shape.get("radius", "0")),)
        else:
            continue  # a mesh: not used by the station model
        shapes.append(_Primitive(shape.tag, (xyz[0], xyz[1], xyz[2]), _rpy_matrix(rpy), size))
    return shapes


def arm_points(robots: Path, pose: str) -> list[tuple[str, Vec]]:
    """Base, each joint and the tip LEE in the world frame, in the named pose."""
    mounts = yaml.safe_load((robots / "station" / "mounts.yaml").read_text(encoding="utf-8"))
    poses = yaml.safe_load((robots / "ssrms" / "poses.yaml").read_text(encoding="utf-8"))
    base = mounts["ssrms_base"]
    x, y, z = (float(v) for v in base["position_m"])
    position: Vec = (x, y, z)
    rotation = _rpy_matrix([math.radians(float(v)) for v in base["rpy_deg"]])
    angles = [math.radians(float(poses[pose][name])) for name in JOINT_NAMES]
    points: list[tuple[str, Vec]] = [("base LEE", position)]
    for name, offset, axis, angle in zip(
        JOINT_NAMES, JOINT_ORIGINS_M, JOINT_AXES, angles, strict=True
    ):
        position = _add(position, rows3_times(rotation, offset))
        points.append((name, position))
        c, s = math.cos(angle), math.sin(angle)
        turn = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
        i, j = [(1, 2), (2, 0), (0, 1)][axis]
        turn[i][i], turn[i][j], turn[j][i], turn[j][j] = c, -s, s, c
        rotation = rows3_mul(rotation, turn)
    points.append(("tip LEE", _add(position, rows3_times(rotation, TIP_OFFSET_M))))
    return points


def _segment_distance(point: Vec, a: Vec, b: Vec) -> float:
    ab = _sub(b, a)
    length_sq = dot(ab, ab)
    t = 0.0 if length_sq == 0.0 else min(1.0, max(0.0, dot(_sub(point, a), ab) / length_sq))
    return norm3(_sub(point, (a[0] + t * ab[0], a[1] + t * ab[1], a[2] + t * ab[2])))


def _where(gap: float) -> str:
    return f"{-gap:.2f} m inside" if gap < 0.0 else f"{gap:.2f} m from"


def check_start_clearance(
    problems: Problems, model: str, position_m: Sequence[float], pose: str, robots: Path
) -> None:
    """One problem on ``vehicle.position_m`` when the vehicle starts inside the station or
    the arm; nothing when the geometry cannot be read (other checks report that)."""
    radius, why = VEHICLE_CLEARANCE_M.get(model, DEFAULT_CLEARANCE_M)
    px, py, pz = (float(v) for v in position_m)
    point: Vec = (px, py, pz)
    try:
        station = station_primitives(robots / "station" / "station.urdf")
        arm = arm_points(robots, pose)
    except (OSError, ValueError, KeyError, TypeError, ElementTree.ParseError, yaml.YAMLError):
        return
    gap = min((shape.distance(point) for shape in station), default=math.inf)
    if gap < radius:
        problems.add(
            "vehicle.position_m",
            f"the {model} would start overlapping the station: its centre of mass is "
            f"{_where(gap)} a station module, closer than {radius:g} m ({why}), "
            f"got {checks.show(list(position_m))}",
        )
        return
    for (name_a, a), (name_b, b) in itertools.pairwise(arm):
        gap = _segment_distance(point, a, b) - ARM_RADIUS_M
        if gap < radius:
            problems.add(
                "vehicle.position_m",
                f"the {model} would start overlapping the arm in pose {pose!r}: its "
                f"centre of mass is {_where(gap)} the {name_a}–{name_b} link, closer "
                f"than {radius:g} m ({why}), got {checks.show(list(position_m))}",
            )
            return
