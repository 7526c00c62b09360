"""The station layout as data: where the arm's base sits, the nominal capture point and
the arm's named poses (``robots/station/mounts.yaml``, ``robots/ssrms/poses.yaml``).

Read with ``yaml.safe_load`` and checked by the trainer's one validator
(``trainer.validate``), so a broken model data file is one clear error
``file: key.path: what`` (a ``ModelError``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pybullet as pb

from trainer.errors import ModelError
from trainer.resources import data_dir
from trainer.sim.joints import JOINT_LIMIT_RAD
from trainer.sim.world import JOINT_NAMES, WorldSpec
from trainer.validate import Problems, get, join, mapping, number, read_yaml, vector

# A named pose's joint angles (degrees in the file) within the joints' ±270° (docs/REFERENCE.md §1).
JOINT_RANGE_DEG = (-math.degrees(JOINT_LIMIT_RAD), math.degrees(JOINT_LIMIT_RAD))


@dataclass(frozen=True, slots=True)
class Mount:
    position_m: tuple[float, float, float]
    orientation_xyzw: tuple[float, float, float, float]


def _read(path: Path) -> tuple[Problems, dict[str, Any]]:
    """The file's top-level mapping, and its problems (the first raises ModelError)."""
    problems = Problems(str(path), raise_as=ModelError)
    data = mapping(problems, read_yaml(problems, path), "", (), closed=False)
    return problems, data or {}


def rpy_deg_to_quat(rpy_deg: tuple[float, ...]) -> tuple[float, float, float, float]:
    q = pb.getQuaternionFromEuler([math.radians(a) for a in rpy_deg])
    return (q[0], q[1], q[2], q[3])


def _mount(path: Path, key: str, pos_key: str, rpy_key: str) -> Mount:
    problems, data = _read(path)
    entry = mapping(problems, get(data, key), key, (pos_key, rpy_key))
    pos = vector(problems, get(entry, pos_key), join(key, pos_key))
    rpy = vector(problems, get(entry, rpy_key), join(key, rpy_key))
    if pos is None or rpy is None:  # not reached: a bad value has raised ModelError
        raise ModelError(f"{path}: {key}: unreadable")
    return Mount((pos[0], pos[1], pos[2]), rpy_deg_to_quat(tuple(rpy)))


def arm_base_mount(robots_dir: Path | None = None) -> Mount:
    path = (robots_dir or data_dir("robots")) / "station" / "mounts.yaml"
    return _mount(path, "ssrms_base", "position_m", "rpy_deg")


def capture_point(robots_dir: Path | None = None) -> Mount:
    """Nominal CRS-20 Dragon COM pose at the capture point (10–12 m below the station)."""
    path = (robots_dir or data_dir("robots")) / "station" / "mounts.yaml"
    return _mount(path, "capture_point", "dragon_com_m", "dragon_rpy_deg")


def named_pose_rad(name: str, robots_dir: Path | None = None) -> tuple[float, ...]:
    """A named arm pose from ``robots/ssrms/poses.yaml`` as joint angles in radians."""
    path = (robots_dir or data_dir("robots")) / "ssrms" / "poses.yaml"
    problems, data = _read(path)
    pose = data.get(name)
    if not isinstance(pose, dict):
        known = ", ".join(sorted(k for k, v in data.items() if isinstance(v, dict)))
        problems.add(name, f"no such pose (known: {known})")
    table = mapping(problems, pose, name, JOINT_NAMES)
    angles = [
        number(problems, get(table, joint), join(name, joint), within=JOINT_RANGE_DEG)
        for joint in JOINT_NAMES
    ]
    return tuple(math.radians(a) for a in angles if a is not None)


def default_world_spec(pose: str = "capture_ready", **overrides: Any) -> WorldSpec:
    """The CRS-20 capture scene: arm on its base mount in ``pose``, Dragon at rest at the
    nominal capture point. Keyword overrides replace WorldSpec fields."""
    base = arm_base_mount()
    dragon = capture_point()
    fields: dict[str, Any] = {
        "arm_base_position_m": base.position_m,
        "arm_base_orientation_xyzw": base.orientation_xyzw,
        "initial_joint_angles_rad": named_pose_rad(pose),
        "vehicle_position_m": dragon.position_m,
        "vehicle_orientation_xyzw": dragon.orientation_xyzw,
    }
    fields.update(overrides)
    return WorldSpec(**fields)
