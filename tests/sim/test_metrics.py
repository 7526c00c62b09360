"""Capture metrics (docs/DESIGN.md §4) as pure functions, checked on constructed geometry."""

from __future__ import annotations

import math

import pybullet as pb
import pytest

from trainer.sim.metrics import Pose, capture_metrics, fold_roll_deg

# LEE at the origin looking down world -z (boresight), image up = world +x.
LEE_Q = tuple(pb.getQuaternionFromEuler([0.0, math.pi / 2, 0.0]))  # x -> -z, z -> +x


def fixture_pose(offset=(0.0, 0.0, 0.0), roll_deg: float = 0.0, tilt_deg: float = 0.0) -> Pose:
    # FRGF shaft pointing up (+z) into the LEE, its +z along world +x, optionally rolled
    # about the shaft and tilted about world y.
    # Euler (0, -90°, 0) sends x -> +z and z -> -x; a half turn about the shaft (world z)
    # then brings the fixture's +z to +x, the same way as the LEE's.
    q_up = pb.getQuaternionFromEuler([0.0, -math.pi / 2, 0.0])
    q_roll = pb.getQuaternionFromAxisAngle([0, 0, 1], math.radians(roll_deg + 180.0))
    q_tilt = pb.getQuaternionFromAxisAngle([0, 1, 0], math.radians(tilt_deg))
    _, q = pb.multiplyTransforms([0, 0, 0], q_roll, [0, 0, 0], q_up)
    _, q = pb.multiplyTransforms([0, 0, 0], q_tilt, [0, 0, 0], q)
    base = (offset[0], offset[1], offset[2] - 0.5)
    return Pose(base, tuple(q))  # type: ignore[arg-type]


def metrics_for(fix: Pose, tip=None, tip_v=(0, 0, 0), veh_w=(0, 0, 0)):
    if tip is None:
        rot = fix.rotation()
        tip = tuple(p + 0.273 * rot[i, 0] for i, p in enumerate(fix.position_m))
    return capture_metrics(Pose((0, 0, 0), LEE_Q), (0, 0, 0), (0, 0, 0), fix, tip, tip_v, veh_w)


def test_aligned_fixture_below_mouth_is_outside_by_its_distance() -> None:
    m = metrics_for(fixture_pose())
    assert m.lateral_offset_m == pytest.approx(0.0, abs=1e-9)
    assert m.axial_depth_m == pytest.approx(-(0.5 - 0.273))
    assert m.pitch_yaw_misalignment_deg == pytest.approx(0.0, abs=1e-4)
    assert m.roll_misalignment_deg == pytest.approx(0.0, abs=1e-4)


def test_depth_positive_inside_mouth_and_lateral_offset() -> None:
    m = metrics_for(fixture_pose(offset=(0.03, 0.04, 0.327)))
    assert m.axial_depth_m == pytest.approx(0.1)
    assert m.lateral_offset_m == pytest.approx(0.05)


def test_tilt_and_roll_misalignment() -> None:
    m = metrics_for(fixture_pose(tilt_deg=7.0))
    assert m.pitch_yaw_misalignment_deg == pytest.approx(7.0, abs=1e-4)
    m = metrics_for(fixture_pose(roll_deg=125.0))
    assert m.roll_misalignment_deg == pytest.approx(5.0, abs=1e-4)
    m = metrics_for(fixture_pose(roll_deg=-50.0))
    assert m.roll_misalignment_deg == pytest.approx(50.0, abs=1e-4)


def test_relative_speed_and_rate() -> None:
    m = metrics_for(fixture_pose(), tip_v=(0.0, 0.003, -0.004), veh_w=(0.0, math.radians(0.2), 0.0))
    assert m.relative_speed_m_s == pytest.approx(0.005)
    assert m.relative_rate_deg_s == pytest.approx(0.2)


@pytest.mark.parametrize(
    ("angle", "folded"), [(0, 0), (60, 60), (61, 59), (119, 1), (240, 0), (-5, 5)]
)
def test_roll_fold(angle: float, folded: float) -> None:
    assert fold_roll_deg(angle) == pytest.approx(folded)
