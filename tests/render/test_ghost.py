"""The predictive display's ghost (trainer/prediction.py) as the renderer draws it: the
vehicle's links at the predicted pose, the LEE moved with the predicted LEE frame, drawn
translucent over the picture where it stands, and nowhere without one."""

from __future__ import annotations

import numpy as np
import pytest

from trainer.render import Renderer, Scene, camera, ghost_poses, lighting_for, poses_from_joints
from trainer.render.poses import _default_arm_base
from trainer.scenario.loader import load_scenario
from trainer.sim.layout import named_pose_rad, rpy_deg_to_quat

NOSE_UP = rpy_deg_to_quat((0.0, -90.0, 0.0))


@pytest.fixture(scope="module")
def scene_and_poses() -> tuple[Scene, object]:
    scene = Scene.for_scenario(load_scenario("crs20-berthing"))
    base_p, base_q = _default_arm_base()
    poses = poses_from_joints(
        scene,
        arm_base_position_m=base_p,
        arm_base_orientation_xyzw=base_q,
        joint_angles_rad=named_pose_rad("berth_pre_install"),
        vehicle_position_m=(8.6, 0.0, -5.9),
        vehicle_orientation_xyzw=NOSE_UP,
    )
    return scene, poses


def test_the_ghost_moves_the_vehicle_and_the_lee_together(scene_and_poses: tuple) -> None:
    scene, seen = scene_and_poses
    lee = seen["arm/tip_lee"]
    up = 0.5
    ghost = ghost_poses(
        scene,
        seen,
        (lee.position_m[0], lee.position_m[1], lee.position_m[2] + up),
        lee.orientation_xyzw,
        (8.6, 0.0, -5.9 + up),
        NOSE_UP,
    )
    for key in ("vehicle/dragon", "vehicle/pcbm", "vehicle/frgf", "arm/tip_lee_housing"):
        moved = np.subtract(ghost[key].position_m, seen[key].position_m)
        assert moved == pytest.approx((0.0, 0.0, up), abs=1e-9), key
    assert "arm/boom_a" not in ghost  # only the LEE and the vehicle are predicted


def test_the_ghost_is_drawn_where_it_stands(scene_and_poses: tuple) -> None:
    scene, seen = scene_and_poses
    scenario = load_scenario("crs20-berthing")
    lee = seen["arm/tip_lee"]
    up = 0.8
    ghost = ghost_poses(
        scene,
        seen,
        (lee.position_m[0], lee.position_m[1], lee.position_m[2] + up),
        lee.orientation_xyzw,
        (8.6, 0.0, -5.9 + up),
        NOSE_UP,
    )
    with Renderer.create(scene) as renderer:
        if renderer.is_fallback:
            pytest.skip("the ghost is an OpenGL drawing")
        light = lighting_for(scenario, 200.0)
        plain = renderer.render("external", seen, (320, 240), light).astype(int)
        with_ghost = renderer.render("external", seen, (320, 240), light, ghost=ghost).astype(int)
    changed = np.abs(with_ghost - plain).sum(axis=-1) > 30
    assert changed.sum() > 500  # a Dragon's worth of pixels
    # Tinted toward the ghost's pale cyan: blue up more than red.
    diff = (with_ghost - plain)[changed]
    assert diff[:, 2].mean() > diff[:, 0].mean()
    # Where the ghost stands: above the real Dragon's top (its PCBM face at z = -3.9 m,
    # the ghost's at -3.1 m) the picture changes, and not in a corner of empty sky.
    cam = camera("external", seen)
    above = cam.project((8.6, 0.0, -3.5), (320, 240))
    inside = cam.project((8.6, 0.0, -5.9 + up), (320, 240))
    assert above is not None and inside is not None
    for u, v in (above, inside):
        assert changed[round(v), round(u)], (u, v)
    assert not changed[:5, :5].any()
