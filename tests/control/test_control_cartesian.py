"""Cartesian rate mode in the CRS-20 arm: straight translations, rotations about the LEE
tip, rate limits in every mode, and joint-limit avoidance through the redundancy."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pybullet as pb
import pytest

from trainer.control import Frame, ModeName, RateScale
from trainer.control.controller import ArmController
from trainer.control.params import ControlParameters
from trainer.input.state import Button, HandControllerState
from trainer.sim.joints import JOINT_TORQUE_LIMIT_NM

from .support import Edged, fly, make_world, press

# A pose whose LEE frame is not parallel to the base frame (at capture_ready it is).
TILTED = {4: 25.0, 5: -20.0, 6: 40.0}
RATE_LIMIT = math.radians(4.0)


def _base_rot(world) -> np.ndarray:
    return np.array(pb.getMatrixFromQuaternion(world.spec.arm_base_orientation_xyzw)).reshape(3, 3)


def _controller(world, frame: Frame) -> ArmController:
    c = Edged()
    if frame is Frame.LEE:
        c.tick(press(Button.FRAME), world, 0.0, False)
    assert c.frame is frame
    return c


@pytest.mark.parametrize("frame", [Frame.LEE, Frame.BASE])
@pytest.mark.parametrize("axis", [0, 1, 2])
def test_pure_thc_moves_the_tip_along_the_frame_axis(frame: Frame, axis: int) -> None:
    with make_world(TILTED) as world:
        c = _controller(world, frame)
        start = world.lee()
        frame_rot = start.rotation() if frame is Frame.LEE else _base_rot(world)
        direction = frame_rot[:, axis]
        thc = [0.0, 0.0, 0.0]
        thc[axis] = 1.0
        worst = 0.0
        for _ in range(3):
            fly(c, world, HandControllerState(thc=tuple(thc)), 1.0)
            d = world.lee().position_m - start.position_m
            along = float(d @ direction)
            worst = max(worst, float(np.linalg.norm(d - along * direction)))
        assert along > 0.5  # ~0.84 m in 3 s with the 0.25 m/s² slew
        assert worst < 0.01 * along
        # and the LEE does not turn while translating
        turned = np.linalg.norm(world.lee().rotation() - start.rotation())
        assert turned < 1e-3


@pytest.mark.parametrize("frame", [Frame.LEE, Frame.BASE])
@pytest.mark.parametrize(
    "rhc", [(1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, -1.0), (0.5, -0.7, 0.3)]
)
def test_pure_rhc_rotates_about_the_lee_tip(frame: Frame, rhc) -> None:
    with make_world(TILTED) as world:
        c = _controller(world, frame)
        start = world.lee()
        frame_rot = start.rotation() if frame is Frame.LEE else _base_rot(world)
        fly(c, world, HandControllerState(rhc=rhc), 10.0)
        end = world.lee()
        assert np.linalg.norm(end.position_m - start.position_m) < 1e-3
        rel = end.rotation() @ start.rotation().T  # world-frame rotation done
        angle = math.acos(max(-1.0, min(1.0, (np.trace(rel) - 1) / 2)))
        assert angle > math.radians(15.0)
        axis_world = np.array((rel[2, 1] - rel[1, 2], rel[0, 2] - rel[2, 0], rel[1, 0] - rel[0, 1]))
        axis_world /= np.linalg.norm(axis_world)
        expected = frame_rot @ np.array(rhc)
        expected /= np.linalg.norm(expected)
        if frame is Frame.BASE:  # a fixed axis: the rotation is exactly about it
            assert float(axis_world @ expected) > 0.999


def _max_tip_speed(outputs) -> float:
    return max(math.hypot(*o.telemetry.lee_velocity_command_world_m_s) for o in outputs)


@pytest.mark.parametrize("payload_kg", [0.0, 7_200.0])
def test_rate_limits_hold_in_every_mode(payload_kg: float) -> None:
    params = ControlParameters()
    rng = np.random.default_rng(11)
    with make_world(TILTED) as world:
        c = Edged(ArmController(params))
        cap = params.tip_speed_limit_m_s(payload_kg)
        for mode in (ModeName.CARTESIAN, ModeName.SINGLE_JOINT):
            while c.mode is not mode:
                c.tick(press(Button.MODE), world, payload_kg, False)
                c.tick(HandControllerState(), world, payload_kg, False)
            for frame_press in (False, True):
                if frame_press:
                    c.tick(press(Button.FRAME), world, payload_kg, False)
                for _ in range(4):
                    thc = tuple(rng.choice([-1.0, 1.0], 3))
                    rhc = tuple(rng.choice([-1.0, 1.0], 3))
                    outs = fly(c, world, HandControllerState(thc=thc, rhc=rhc), 0.5, payload_kg)
                    rates = np.array([o.joint_rates_rad_s for o in outs])
                    assert np.abs(rates).max() <= RATE_LIMIT * (1 + 1e-12)
                    assert _max_tip_speed(outs) <= cap * (1 + 1e-9)
                    measured = np.linalg.norm(world.lee().linear_velocity_m_s)
                    assert measured <= cap * 1.05
                    if mode is ModeName.SINGLE_JOINT:
                        c.tick(press(Button.JOINT_NEXT), world, payload_kg, False)
        if payload_kg > 0:
            assert cap < 0.37


def test_vernier_is_a_tenth_of_coarse() -> None:
    with make_world(TILTED) as world:
        c = Edged()
        hc = HandControllerState(thc=(1.0, 0.0, 0.0))
        coarse = fly(c, world, hc, 2.0)[-1].telemetry
        c.tick(press(Button.RATE_SCALE), world, 0.0, False)
        assert c.rate_scale is RateScale.VERNIER
        vernier = fly(c, world, hc, 2.0)[-1].telemetry
        coarse_speed = math.hypot(*coarse.lee_velocity_command_world_m_s)
        vernier_speed = math.hypot(*vernier.lee_velocity_command_world_m_s)
        assert coarse_speed == pytest.approx(0.37, rel=0.02)
        assert vernier_speed == pytest.approx(0.1 * coarse_speed, rel=0.02)
        assert vernier.lee_speed_limit_m_s == pytest.approx(0.1 * coarse.lee_speed_limit_m_s)
        assert vernier.lee_rate_limit_rad_s == pytest.approx(0.1 * coarse.lee_rate_limit_rad_s)


def test_redundancy_moves_a_joint_off_its_limit() -> None:
    # shoulder_roll starts 13° from its +270° stop; a base-frame THC x translation does
    # not need it to move toward the stop, so the null-space self-motion opens the margin.
    limit = math.radians(270.0)
    with make_world() as world:
        q0 = world.joint_angles_rad()
    with make_world({0: math.degrees(math.radians(257.0) - q0[0])}) as world:
        c = Edged()
        margin0 = limit - abs(world.joint_angles_rad()[0])
        first = c.tick(HandControllerState(thc=(1.0, 0.0, 0.0)), world, 0.0, False)
        assert any(w.joint == "shoulder_roll" for w in first.telemetry.warnings)
        fly(c, world, HandControllerState(thc=(1.0, 0.0, 0.0)), 6.0)
        margin1 = limit - abs(world.joint_angles_rad()[0])
        assert margin1 > margin0 + math.radians(1.0)
    # ...whereas without the null-space term the same command eats into it.
    with make_world({0: math.degrees(math.radians(257.0) - q0[0])}) as world:
        c = Edged(ArmController(ControlParameters(joint_limit_weight=0.0, singularity_weight=0.0)))
        fly(c, world, HandControllerState(thc=(1.0, 0.0, 0.0)), 6.0)
        assert limit - abs(world.joint_angles_rad()[0]) < margin0


def test_releasing_the_sticks_brings_the_tip_to_a_smooth_stop() -> None:
    """Sticks centred at full coarse speed: the tip slows at the acceleration limit along
    its line (0.37 m/s at 0.25 m/s² takes ~1.5 s) instead of being stopped in one tick,
    which would put the drives at their torque limit; then it holds still."""
    params = ControlParameters()
    with make_world(TILTED) as world:
        c = _controller(world, Frame.LEE)
        direction = world.lee().rotation()[:, 0]
        fly(c, world, HandControllerState(thc=(1.0, 0.0, 0.0)), 2.5)
        cruise = float(world.lee().linear_velocity_m_s @ direction)
        assert cruise > 0.3
        released_at = world.lee().position_m
        speeds, torques = [], []
        for _ in range(150):
            fly(c, world, HandControllerState(), 1.0 / 60.0)
            speeds.append(float(world.lee().linear_velocity_m_s @ direction))
            torques.append(float(np.max(np.abs(world.joint_torques_nm()))))
        stop_tick = next(i for i, v in enumerate(speeds) if abs(v) < 1e-3)
        expected_s = cruise / params.tip_acceleration_limit_m_s2
        assert stop_tick / 60.0 == pytest.approx(expected_s, rel=0.2)
        # Slowing down all the way: no tick faster than the one before (beyond noise).
        assert all(b <= a + 1e-3 for a, b in itertools.pairwise(speeds[:stop_tick]))
        assert max(torques) < JOINT_TORQUE_LIMIT_NM
        coast = float((world.lee().position_m - released_at) @ direction)
        assert coast == pytest.approx(cruise * expected_s / 2, rel=0.25)
        assert max(abs(v) for v in speeds[stop_tick + 10 :]) < 1e-3
