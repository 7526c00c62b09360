"""The pybullet world: CW drift, no hidden damping, joint drives, brakes, determinism and
clear failures. Every test builds its own DIRECT client."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pybullet as pb
import pytest

from trainer.clock import PHYSICS_STEP_S
from trainer.errors import ModelError, SimulationDivergedError
from trainer.sim.layout import capture_point, default_world_spec, named_pose_rad
from trainer.sim.orbit import cw_state_at
from trainer.sim.world import JOINT_NAMES, JOINT_RATE_LIMIT_RAD_S, World

STEPS_PER_S = round(1.0 / PHYSICS_STEP_S)


def free_world(velocity=(0.0, 0.0, 0.0), position=None, **kw) -> World:
    """Dragon free in CW motion, well clear of the arm (stowed) and of the station."""
    spec = default_world_spec(
        "stowed",
        include_station=False,
        vehicle_velocity_m_s=velocity,
        **({"vehicle_position_m": position} if position is not None else {}),
        **kw,
    )
    return World(spec)


@pytest.mark.parametrize(
    "velocity",
    [(0.0, 0.0, 0.0), (0.005, 0.0, 0.0), (0.0, 0.0, -0.005), (0.0, 0.005, 0.0)],
    ids=["rest", "along-track", "radial", "cross-track"],
)
def test_free_drifting_dragon_follows_closed_form_cw(velocity) -> None:
    start = (0.0, 0.0, -10.0)
    with free_world(velocity, position=start) as world:
        for t_s in (60, 120, 180, 240):
            world.step(60 * STEPS_PER_S)
            expected_pos, expected_vel = cw_state_at(
                start, velocity, world.mean_motion_rad_s, world.time_s
            )
            state = world.vehicle_state()
            assert world.time_s == pytest.approx(t_s)
            np.testing.assert_allclose(state.position_m, expected_pos, atol=1e-3)
            np.testing.assert_allclose(state.velocity_m_s, expected_vel, atol=1e-5)


def test_free_body_keeps_its_spin_exactly() -> None:
    # A spin about a principal axis is a steady solution of Euler's equations: any
    # damping (pybullet's default is 0.04) would show as decay.
    rate = math.radians(1.0)
    with free_world(vehicle_angular_velocity_rad_s=(0.0, 0.0, rate)) as world:
        q0 = world.vehicle_state().orientation_xyzw
        world.step(60 * STEPS_PER_S)
        w = world.vehicle_state().angular_velocity_rad_s
        np.testing.assert_allclose(w, (0.0, 0.0, rate), atol=1e-9)
        # ... and has turned by 60 degrees about world z.
        q1 = world.vehicle_state().orientation_xyzw
        _, dq = pb.multiplyTransforms(
            [0, 0, 0], q1, [0, 0, 0], pb.invertTransform([0, 0, 0], q0)[1]
        )
        assert math.degrees(2 * math.acos(min(1.0, abs(dq[3])))) == pytest.approx(60.0, abs=0.01)


def test_commanded_joint_reaches_its_rate_and_is_clamped_at_4_deg_s() -> None:
    with free_world() as world:
        rates = [0.0] * 7
        rates[3] = math.radians(10.0)  # ask for more than the arm can do
        world.command_joint_rates(rates)
        world.step(3 * STEPS_PER_S)
        measured = world.joint_rates_rad_s()
        assert measured[3] == pytest.approx(JOINT_RATE_LIMIT_RAD_S, rel=1e-3)
        assert np.all(np.abs(np.delete(measured, 3)) < 1e-4)


def test_joint_stops_short_of_270_degrees() -> None:
    start = list(named_pose_rad("stowed"))
    start[6] = math.radians(268.0)
    with free_world(initial_joint_angles_rad=tuple(start)) as world:
        world.command_joint_rates([0, 0, 0, 0, 0, 0, JOINT_RATE_LIMIT_RAD_S])
        for _ in range(4 * 60):  # 4 s of control ticks at 60 Hz
            world.command_joint_rates([0, 0, 0, 0, 0, 0, JOINT_RATE_LIMIT_RAD_S])
            world.step(4)
        q = math.degrees(world.joint_angles_rad()[6])
        assert 269.0 < q <= 270.0


def _push_tip(world: World, force_n: float, seconds: float) -> None:
    for _ in range(round(seconds * STEPS_PER_S)):
        lee = world.lee()
        pb.applyExternalForce(
            world.arm,
            world.tip_lee_link,
            [force_n, 0.0, 0.0],
            lee.position_m.tolist(),
            pb.WORLD_FRAME,
            physicsClientId=world.client,
        )
        world.step()


def test_brakes_hold_a_load_below_slip_and_slip_above_it() -> None:
    # Arm straight (q = 0, hanging nadir, 17 m): a force along V-bar at the tip loads the
    # pitch joints with ~17 m x F.
    with free_world(initial_joint_angles_rad=(0.0,) * 7) as world:
        world.set_brakes(True)
        q0 = world.joint_angles_rad()
        _push_tip(world, 100.0, 2.0)  # ~1,700 N·m: below the 3,498 N·m slip torque, held
        assert np.max(np.abs(world.joint_angles_rad() - q0)) < math.radians(0.01)
        _push_tip(world, 1000.0, 2.0)  # ~17,000 N·m: the brakes slip
        assert np.max(np.abs(world.joint_angles_rad() - q0)) > math.radians(0.5)


def test_stuck_brake_ignores_commands() -> None:
    with free_world() as world:
        world.set_brake_stuck("wrist_yaw")
        world.command_joint_rates([JOINT_RATE_LIMIT_RAD_S] * 7)
        q0 = world.joint_angles_rad()
        world.step(2 * STEPS_PER_S)
        moved = world.joint_angles_rad() - q0
        assert abs(moved[JOINT_NAMES.index("wrist_yaw")]) < 1e-5
        assert abs(moved[JOINT_NAMES.index("elbow_pitch")]) > math.radians(5.0)  # 8° less spin-up


def _scripted_run() -> list[str]:
    digests = []
    with World(
        default_world_spec("capture_ready", vehicle_velocity_m_s=(0.002, -0.001, 0.003))
    ) as world:
        rng = np.random.default_rng(7)
        for tick in range(600):
            world.command_joint_rates((rng.uniform(-1, 1, 7) * JOINT_RATE_LIMIT_RAD_S).tolist())
            world.step(4)
            if tick % 60 == 0:
                digests.append(world.state_digest())
    return digests


def test_two_runs_with_the_same_inputs_are_bit_identical() -> None:
    assert _scripted_run() == _scripted_run()


def test_capture_ready_pose_places_lee_above_the_fixture() -> None:
    with World(default_world_spec("capture_ready")) as world:
        m = world.capture_metrics()
        assert m.lateral_offset_m < 0.01
        assert m.pitch_yaw_misalignment_deg < 0.5
        assert -2.1 < m.axial_depth_m < -1.9
        assert capture_point().position_m[2] < -9.0


def test_diverging_simulation_raises_a_clear_error() -> None:
    with (
        free_world(velocity=(50.0, 0.0, 0.0)) as world,
        pytest.raises(SimulationDivergedError, match="vehicle speed"),
    ):
        world.step()


def test_nan_command_is_refused() -> None:
    with free_world() as world, pytest.raises(SimulationDivergedError, match="shoulder_roll"):
        world.command_joint_rates([math.nan] + [0.0] * 6)


def test_malformed_model_file_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "dragon.urdf"
    bad.write_text("<robot name='dragon'><link name='x'>")
    with pytest.raises(ModelError, match=r"dragon\.urdf: malformed URDF"):
        World(default_world_spec(model_overrides={"dragon": bad}))
    missing = tmp_path / "nothing.urdf"
    with pytest.raises(ModelError, match=r"nothing\.urdf: robot model file not found"):
        World(default_world_spec(model_overrides={"ssrms": missing}))


def test_lee_jacobian_is_in_the_world_frame() -> None:
    # Finite differences of the LEE position against the Jacobian's linear rows.
    with World(default_world_spec("capture_ready", include_station=False)) as world:
        jac = world.lee_jacobian()
        q0 = world.joint_angles_rad()
        p0 = world.lee().position_m
        h = 1e-6
        for j in range(7):
            q = q0.copy()
            q[j] += h
            for idx, angle in zip(world.joint_indices, q, strict=True):
                pb.resetJointState(world.arm, idx, float(angle), physicsClientId=world.client)
            dp = (world.lee().position_m - p0) / h
            np.testing.assert_allclose(dp, jac[:3, j], atol=1e-4)
