"""The renderer's link poses: forward kinematics of the URDF joint tree from a world's
named accessors or a recording's /state must put every link where pybullet has it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pybullet as pb
import pytest

from tests.render.conftest import make_world
from trainer.render import Scene, poses_from_state, poses_from_telemetry, poses_from_world
from trainer.render.geometry import quat_to_matrix


def _pybullet_link_frames(world) -> dict[str, tuple[np.ndarray, np.ndarray]]:  # type: ignore[no-untyped-def]
    """URDF link frames straight from pybullet (getLinkState index 4/5, float32 precision)."""
    out = {}
    for role, body in (("arm", world.arm), ("vehicle", world.vehicle)):
        for j in range(pb.getNumJoints(body, physicsClientId=world.client)):
            name = pb.getJointInfo(body, j, physicsClientId=world.client)[12].decode()
            s = pb.getLinkState(body, j, computeForwardKinematics=1, physicsClientId=world.client)
            out[f"{role}/{name}"] = (np.array(s[4]), quat_to_matrix(s[5]))
    return out


def test_every_link_of_a_moved_arm_and_a_tumbled_vehicle_sits_where_pybullet_has_it(
    scene: Scene,
) -> None:
    with make_world() as world:
        # move every joint and turn the vehicle, so no frame is at its rest pose
        for k, j in enumerate(world.joint_indices):
            q = pb.getJointState(world.arm, j, physicsClientId=world.client)[0]
            pb.resetJointState(world.arm, j, q + 0.1 * (k + 1), physicsClientId=world.client)
        pos, _ = pb.getBasePositionAndOrientation(world.vehicle, physicsClientId=world.client)
        orn = pb.getQuaternionFromEuler([0.3, -0.2, 0.5])
        pb.resetBasePositionAndOrientation(world.vehicle, pos, orn, physicsClientId=world.client)
        poses = poses_from_world(world, scene)
        expected = _pybullet_link_frames(world)
    assert set(expected) <= set(poses.links)
    for key, (position, rotation) in expected.items():
        got = poses[key]
        assert np.allclose(got.position_m, position, atol=2e-5), key
        assert np.allclose(quat_to_matrix(got.orientation_xyzw), rotation, atol=2e-5), key
    assert poses["station/station"].position_m == (0.0, 0.0, 0.0)


def test_a_state_message_gives_the_same_poses_as_the_world(scene: Scene) -> None:
    with make_world(raise_m=1.0) as world:
        vehicle = world.vehicle_state()
        state = {
            "vehicle": {
                "position_m": vehicle.position_m.tolist(),
                "orientation_xyzw": vehicle.orientation_xyzw.tolist(),
            },
            "joints": {"angles_rad": world.joint_angles_rad().tolist()},
        }
        live = poses_from_world(world, scene)
    replayed = poses_from_state(state, scene)  # the arm base from robots/station/mounts.yaml
    for key, pose in live.links.items():
        assert np.allclose(replayed[key].position_m, pose.position_m, atol=1e-9), key


def test_a_state_message_without_joint_angles_is_refused_by_name(scene: Scene) -> None:
    with pytest.raises(ValueError, match="joints"):
        poses_from_state(
            {"vehicle": {"position_m": [0, 0, 0], "orientation_xyzw": [0, 0, 0, 1]}}, scene
        )


def test_a_recorded_session_replays_its_lee_and_fixture_poses_from_joints_alone(
    tmp_path: Path, scene: Scene
) -> None:
    """What the replay viewer does: a recording's /state (joint angles, vehicle pose)
    through the URDF kinematics puts the LEE and the FRGF where the session recorded them."""
    from tests.recorded import read_whole
    from trainer.input.state import HandControllerState
    from trainer.scenario.loader import load_scenario
    from trainer.session import Session

    path = tmp_path / "session.mcap"
    session = Session(load_scenario("crs20-capture"), seed=3, recording_path=path)
    push = HandControllerState(thc=(0.0, 0.5, -0.5), rhc=(0.2, 0.0, 0.3))
    for _ in range(40):  # two thirds of a second of flying: the arm moves
        telemetry = session.tick(push)
    # the window's path: the snapshot it shows gives the same poses as the world
    shown = poses_from_telemetry(telemetry, scene)
    live = poses_from_world(session.world, scene)
    for key, pose in live.links.items():
        assert np.allclose(shown[key].position_m, pose.position_m, atol=1e-9), key
    session.close()
    states = read_whole(path).states
    assert len(states) >= 2
    state = states[-1]
    poses = poses_from_state(state, scene)
    lee = poses["arm/tip_lee"]
    frgf = poses["vehicle/frgf"]
    assert np.allclose(lee.position_m, state["lee"]["position_m"], atol=1e-6)
    assert np.allclose(frgf.position_m, state["frgf"]["position_m"], atol=1e-6)
    assert np.allclose(
        quat_to_matrix(lee.orientation_xyzw),
        quat_to_matrix(state["lee"]["orientation_xyzw"]),
        atol=1e-6,
    )
    assert np.allclose(
        quat_to_matrix(frgf.orientation_xyzw),
        quat_to_matrix(state["frgf"]["orientation_xyzw"]),
        atol=1e-6,
    )


def test_a_state_message_renders_without_loading_pybullet() -> None:
    """The replay viewer's path: scene, poses from /state and an image, with no physics
    engine in the process (a subprocess, so nothing here has imported it)."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from trainer.render import Lighting, Renderer, Scene, poses_from_state\n"
        "scene = Scene.load('dragon')\n"
        "state = {'vehicle': {'position_m': [8.5, 0.0, -10.0], 'orientation_xyzw': [0, 0, 0, 1]},\n"
        "         'joints': {'angles_rad': [0.46, -2.28, -2.96, 1.71, -1.9, 0.86, 2.68]}}\n"
        "renderer = Renderer.create(scene)\n"
        "image = renderer.render('lee', poses_from_state(state, scene), (64, 48), Lighting.orbit(0))\n"
        "print(image.shape, renderer.is_fallback, 'pybullet' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    ).stdout.split("\n")[-2]
    if out.endswith("True True") and not os.environ.get("CI"):
        pytest.skip("no OpenGL here: the CPU fallback needs pybullet")
    assert out == "(48, 64, 3) False False", out
