"""The station layout as data: where the arm's base sits, the nominal capture point and
the arm's named poses (``robots/station/mounts.yaml``, ``robots/ssrms/poses.yaml``).

Read once with ``yaml.safe_load`` and validated here, so a broken model data file is one
clear error naming the file and key.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pybullet as pb
import yaml

from trainer.errors import ModelError
from trainer.resources import data_dir
from trainer.sim.rotation import matrix_from_quat
from trainer.sim.world import JOINT_NAMES, WorldSpec


@dataclass(frozen=True, slots=True)
class Mount:
    position_m: tuple[float, float, float]
    orientation_xyzw: tuple[float, float, float, float]


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ModelError(f"{path}: malformed YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ModelError(f"{path}: expected a mapping at the top level")
    return data


def _vector(path: Path, key: str, value: object, length: int) -> tuple[float, ...]:
    if not isinstance(value, list) or len(value) != length:
        raise ModelError(f"{path}: {key}: expected a list of {length} numbers, got {value!r}")
    out = []
    for v in value:
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise ModelError(f"{path}: {key}: {v!r} is not a finite number")
        out.append(float(v))
    return tuple(out)


def rpy_deg_to_quat(rpy_deg: tuple[float, ...]) -> tuple[float, float, float, float]:
    q = pb.getQuaternionFromEuler([math.radians(a) for a in rpy_deg])
    return (q[0], q[1], q[2], q[3])


def _mount(path: Path, data: dict[str, Any], key: str, pos_key: str, rpy_key: str) -> Mount:
    entry = data.get(key)
    if not isinstance(entry, dict):
        raise ModelError(f"{path}: {key}: missing or not a mapping")
    pos = _vector(path, f"{key}.{pos_key}", entry.get(pos_key), 3)
    rpy = _vector(path, f"{key}.{rpy_key}", entry.get(rpy_key), 3)
    return Mount((pos[0], pos[1], pos[2]), rpy_deg_to_quat(rpy))


def arm_base_mount(robots_dir: Path | None = None) -> Mount:
    path = (robots_dir or data_dir("robots")) / "station" / "mounts.yaml"
    return _mount(path, _read_yaml(path), "ssrms_base", "position_m", "rpy_deg")


def capture_point(robots_dir: Path | None = None) -> Mount:
    """Nominal CRS-20 Dragon COM pose at the capture point (10–12 m below the station)."""
    path = (robots_dir or data_dir("robots")) / "station" / "mounts.yaml"
    return _mount(path, _read_yaml(path), "capture_point", "dragon_com_m", "dragon_rpy_deg")


def named_pose_rad(name: str, robots_dir: Path | None = None) -> tuple[float, ...]:
    """A named arm pose from ``robots/ssrms/poses.yaml`` as joint angles in radians."""
    path = (robots_dir or data_dir("robots")) / "ssrms" / "poses.yaml"
    data = _read_yaml(path)
    pose = data.get(name)
    if not isinstance(pose, dict):
        known = ", ".join(sorted(k for k, v in data.items() if isinstance(v, dict)))
        raise ModelError(f"{path}: {name}: no such pose (known: {known})")
    angles = []
    for joint in JOINT_NAMES:
        value = pose.get(joint)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise ModelError(f"{path}: {name}.{joint}: expected an angle in degrees, got {value!r}")
        if abs(value) > 270.0:
            raise ModelError(f"{path}: {name}.{joint}: {value} deg is outside ±270 deg")
        angles.append(math.radians(float(value)))
    unknown = set(pose) - set(JOINT_NAMES)
    if unknown:
        raise ModelError(f"{path}: {name}.{sorted(unknown)[0]}: unknown joint")
    return tuple(angles)


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


def quat_rotate(quat_xyzw: tuple[float, ...], vector: tuple[float, ...]) -> np.ndarray[Any, Any]:
    m = matrix_from_quat(quat_xyzw)
    return np.asarray(m @ np.asarray(vector, dtype=float))
