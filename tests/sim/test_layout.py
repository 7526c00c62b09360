"""The station layout files (robots/station/mounts.yaml, robots/ssrms/poses.yaml) are read
through the trainer's one validator: a broken file is one ModelError line
``file: key.path: what``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trainer.errors import ModelError
from trainer.resources import data_dir
from trainer.sim.layout import arm_base_mount, capture_point, named_pose_rad


@pytest.fixture
def robots(tmp_path: Path) -> Path:
    for name in ("station", "ssrms"):
        (tmp_path / name).mkdir()
    shutil.copy(data_dir("robots") / "station" / "mounts.yaml", tmp_path / "station")
    shutil.copy(data_dir("robots") / "ssrms" / "poses.yaml", tmp_path / "ssrms")
    return tmp_path


def test_the_shipped_layout_reads(robots: Path) -> None:
    assert arm_base_mount(robots).position_m == (-2.0, 0.0, -2.285)
    assert capture_point(robots).position_m == (8.5, 0.0, -11.0)
    assert len(named_pose_rad("capture_ready", robots)) == 7


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ssrms_base: {position_m: [0, 0], rpy_deg: [0, 90, 0]}\n",
            "mounts.yaml: ssrms_base.position_m: must be a list of 3 numbers, got [0, 0]",
        ),
        (
            "ssrms_base: {position_m: [0, 0, .nan], rpy_deg: [0, 90, 0]}\n",
            "mounts.yaml: ssrms_base.position_m[2]: must be a finite number, got .nan",
        ),
        ("ssrms_base: {position_m: [0, 0, 0]}\n", "mounts.yaml: ssrms_base.rpy_deg: required"),
        ("ssrms_base: [1, 2\n", "mounts.yaml: line 2, column 1: invalid YAML syntax"),
    ],
)
def test_a_broken_mounts_file_names_file_key_and_value(
    robots: Path, text: str, expected: str
) -> None:
    (robots / "station" / "mounts.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ModelError) as info:
        arm_base_mount(robots)
    assert expected in str(info.value) and "\n" not in str(info.value)


def test_a_pose_beyond_a_joint_stop_or_missing_a_joint_is_refused(robots: Path) -> None:
    path = robots / "ssrms" / "poses.yaml"
    path.write_text("bent: {shoulder_roll: 300.0}\n", encoding="utf-8")
    with pytest.raises(ModelError, match=r"poses\.yaml: bent\.shoulder_yaw: required key"):
        named_pose_rad("bent", robots)
    joints = "shoulder_yaw: 0, shoulder_pitch: 0, elbow_pitch: 0, wrist_pitch: 0, wrist_yaw: 0"
    path.write_text(f"bent: {{shoulder_roll: 300.0, {joints}, wrist_roll: 0}}\n", "utf-8")
    with pytest.raises(ModelError, match=r"bent\.shoulder_roll: must be .* in \[-270, 270\]"):
        named_pose_rad("bent", robots)
    with pytest.raises(ModelError, match=r"poses\.yaml: nope: no such pose \(known: bent\)"):
        named_pose_rad("nope", robots)
