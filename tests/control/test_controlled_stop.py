"""Unplug is a controlled stop (docs/REFERENCE.md §1.3): from the tick the hand controller is lost the
sticks are ignored, the LEE slows along its path (sampled every tick, its speed never
rises), the arm is at rest within 1 s (later only where the drives' torque cannot stop it
sooner), then the brakes go on and an event says so."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from trainer.control.stop import (
    DRIVE_SHARE,
    SETTLE_S,
    STOP_LIMIT_S,
    STOP_RAMP_S,
    ControlledStop,
    ramp_seconds,
)
from trainer.input.state import Button, HandControllerState
from trainer.scenario.loader import load_scenario
from trainer.session import Session

from .support import Edged, FakeWorld

LOST = HandControllerState(connected=False)
TICK_S = 1.0 / 60.0


def _fly_then_unplug(
    hc: HandControllerState, ticks_after: int = 70
) -> tuple[list[float], list[tuple[float, ...]], list[bool], Session]:
    """LEE speeds (m/s) and commanded joint rates from the last tick before the unplug,
    and whether all brakes were on, every tick after it."""
    session = Session(load_scenario("basic-drill"), 1)
    for _ in range(120):
        telemetry = session.tick(hc)
    speeds = [float(np.linalg.norm(telemetry.lee_velocity_world_m_s))]
    rates = [session.world.drives.commanded_rates()]
    braked = [all(telemetry.joint_brakes_engaged)]
    for _ in range(ticks_after):
        telemetry = session.tick(LOST)
        speeds.append(float(np.linalg.norm(telemetry.lee_velocity_world_m_s)))
        rates.append(session.world.drives.commanded_rates())
        braked.append(all(telemetry.joint_brakes_engaged))
    return speeds, rates, braked, session


def test_unplug_at_full_translation_slows_along_the_path_then_brakes() -> None:
    speeds, rates, braked, session = _fly_then_unplug(HandControllerState(thc=(1.0, 0.0, 0.0)))
    try:
        assert speeds[0] > 0.3, "flying at full coarse speed (0.37 m/s)"
        # Same tick: the joint-rate vector is scaled as a whole (the path is kept).
        before, first = np.array(rates[0]), np.array(rates[1])
        ratio = first / np.where(before == 0.0, 1.0, before)
        assert np.allclose(ratio[before != 0.0], ratio[np.argmax(abs(before))], rtol=1e-2)
        assert ratio[np.argmax(abs(before))] < 1.0
        # Every tick from the unplug: the LEE never speeds up (0.1 mm/s: solver noise).
        rises = [b - a for a, b in itertools.pairwise(speeds)]
        assert max(rises) < 1e-4, max(rises)
        at_brakes = braked.index(True)
        assert at_brakes * TICK_S <= STOP_LIMIT_S + 1e-9, "brakes on within 1 s"
        assert speeds[at_brakes - 1] < 5e-4, "the arm was at rest before the brakes"
        assert not any(braked[1:at_brakes]), "no brake before the arm is at rest"
        assert speeds[-1] < 1e-4
        safed = [e for e in session.events if e.kind == "arm_safed"]
        assert len(safed) == 1 and safed[0].detail["stop_s"] <= STOP_LIMIT_S
        assert safed[0].detail["cause"] == "hand controller disconnected"
    finally:
        session.close()


@pytest.mark.parametrize(
    "hc",
    [
        HandControllerState(rhc=(0.0, 0.0, 1.0)),
        HandControllerState(rhc=(0.0, 1.0, 0.0)),
        HandControllerState(rhc=(1.0, 0.0, 0.0)),
        HandControllerState(rhc=(-1.0, 0.5, -1.0)),
        HandControllerState(rhc=(0.0, 0.0, 0.2)),
        HandControllerState(thc=(0.0, 0.0, 1.0)),
        HandControllerState(thc=(1.0, -0.5, 0.2), rhc=(0.3, 0.0, 1.0)),
    ],
    ids=["yaw", "pitch", "roll", "three-axes", "slow-yaw", "thc-z", "thc-and-rhc"],
)
def test_unplug_mid_motion_never_speeds_the_lee_up(hc: HandControllerState) -> None:
    """A pure rotation turns about the LEE: braking each joint on its own threw it at
    72 mm/s, scaling the joint rates alone let it drift at 2.3 mm/s (the Jacobian turns
    with the wrist). Sampled every tick, the LEE's speed never rises, whatever the sticks
    did, and the arm is at rest within 1 s."""
    speeds, _, braked, session = _fly_then_unplug(hc)
    try:
        rises = [b - a for a, b in itertools.pairwise(speeds)]
        assert max(rises) <= 1e-6, (max(rises), speeds[:5])  # 0.001 mm/s
        at_brakes = braked.index(True)
        assert at_brakes * TICK_S <= STOP_LIMIT_S + 1e-9
        assert speeds[at_brakes - 1] < 1e-5, "the arm was at rest before the brakes"
        assert not any(braked[1:at_brakes])
        assert speeds[-1] < 1e-5
    finally:
        session.close()


def test_a_pure_rotation_ends_where_it_turned() -> None:
    """The LEE keeps its place through the whole stop of a turn about it (docs/REFERENCE.md §1.3)."""
    session = Session(load_scenario("basic-drill"), 1)
    try:
        for _ in range(120):
            telemetry = session.tick(HandControllerState(rhc=(0.0, 0.0, 1.0)))
        before = np.array(telemetry.lee_position_world_m)
        for _ in range(70):
            telemetry = session.tick(LOST)
        moved = float(np.linalg.norm(np.array(telemetry.lee_position_world_m) - before))
        assert moved < 2e-4, f"the LEE moved {moved * 1e3:.2f} mm while the wrist stopped turning"
    finally:
        session.close()


def test_a_stop_the_drives_cannot_make_in_one_second_is_stretched_not_bent() -> None:
    """Full THC y swings the whole arm about the shoulder roll: stopping it in 0.8 s needs
    more than its 2,332 N·m (M q̇₀ from the arm's inertia), so the ramp is stretched to what
    the drive can give; the LEE still slows along its path, and the brakes wait for rest."""
    speeds, _, braked, session = _fly_then_unplug(HandControllerState(thc=(0.0, 1.0, 0.0)), 100)
    try:
        stop = session.controller._stop
        assert stop is not None and stop.ramp_s > STOP_RAMP_S
        rises = [b - a for a, b in itertools.pairwise(speeds)]
        assert max(rises) <= 1e-6, max(rises)
        at_brakes = braked.index(True)  # the brakes went on at the start of that tick
        stop_s = (at_brakes - 1) * TICK_S
        assert STOP_LIMIT_S < stop_s <= stop.ramp_s + SETTLE_S + 1e-9
        assert speeds[at_brakes - 1] < 1e-5, "the arm was at rest before the brakes"
        safed = [e for e in session.events if e.kind == "arm_safed"]
        assert safed[0].detail["stop_s"] == pytest.approx(stop_s)
    finally:
        session.close()


def test_the_ramp_follows_the_drive_torque() -> None:
    inertia = [[1e5 if i == j else 0.0 for j in range(7)] for i in range(7)]
    slow = [0.001] + [0.0] * 6
    assert ramp_seconds(slow, inertia) == STOP_RAMP_S  # 100 N·m: the shortest ramp
    fast = [0.04] + [0.0] * 6  # 4,000 N·m·s: 2.14 s at 80 % of 2,332 N·m
    assert ramp_seconds(fast, inertia) == pytest.approx(0.04 * 1e5 / (DRIVE_SHARE * 2332.0))
    assert ramp_seconds(fast, []) == STOP_RAMP_S


def test_unplug_in_single_joint_mode_stops_that_joint_on_its_arc() -> None:
    """The shoulder roll alone at 2 °/s: its 2,332 N·m on the arm's ≈ 70,000 kg·m² need
    1.06 s to stop it, so the stop takes as long as the drive needs (1.33 s at 80 %)."""
    session = Session(load_scenario("basic-drill"), 1)
    try:
        session.tick(HandControllerState(buttons=frozenset({Button.MODE})))
        session.tick(HandControllerState())
        assert session.controller.mode.value == "single_joint"
        for _ in range(90):
            telemetry = session.tick(HandControllerState(rhc=(1.0, 0.0, 0.0)))
        speeds = [float(np.linalg.norm(telemetry.lee_velocity_world_m_s))]
        assert speeds[0] > 0.05
        stop_ticks = 0
        while not all(telemetry.joint_brakes_engaged) and stop_ticks < 300:
            telemetry = session.tick(LOST)
            speeds.append(float(np.linalg.norm(telemetry.lee_velocity_world_m_s)))
            stop_ticks += 1
        rises = [b - a for a, b in itertools.pairwise(speeds)]
        assert max(rises) <= 1e-6
        stop = session.controller._stop
        assert stop is not None and stop.ramp_s > STOP_LIMIT_S
        assert (stop_ticks - 1) * TICK_S <= stop.ramp_s + SETTLE_S + 1e-9
        assert speeds[-2] < 1e-5, "at rest before the brakes"
    finally:
        session.close()


def test_the_stop_scales_the_rate_vector_monotonically_to_rest() -> None:
    stop = ControlledStop([0.01, -0.02, 0.0, 0.03, 0.0, 0.0, 0.05], TICK_S)
    q = [0.0] * 7
    scales = []
    while not stop.done and len(scales) < 100:
        stop.advance(q)  # the fake arm does not move: at rest as soon as the ramp ends
        scales.append(stop.scale())
        rates = stop.joint_rates()
        if not stop.done:
            assert rates[2] == 0.0 and rates[6] == pytest.approx(5 * rates[0], abs=1e-12)
    assert all(b <= a for a, b in itertools.pairwise(scales))
    assert scales[0] < 1.0 and scales[-1] == 0.0
    assert stop.done and stop.elapsed_s <= STOP_LIMIT_S
    assert ControlledStop([0.0] * 7, TICK_S).done, "an arm at rest brakes at once"


def test_a_stop_waits_while_paused_and_resume_waits_for_the_stop() -> None:
    world = FakeWorld()
    controller = Edged()
    flying = controller.tick(HandControllerState(thc=(0.5, 0.0, 0.0)), world, 0.0, False)
    world.rates = list(flying.joint_rates_rad_s)  # the arm moves as it was commanded
    paused = [controller.tick(HandControllerState(), world, 0.0, True) for _ in range(5)]
    assert all(o.joint_rates_rad_s == flying.joint_rates_rad_s for o in paused), (
        "the world does not step while paused: the stop does not advance"
    )
    assert all(o.telemetry.stopping and not any(o.brakes) for o in paused)
    # Unpaused but not yet resumed: the stop runs on; RESUME is ignored until it ends.
    resume = HandControllerState(buttons=frozenset({Button.RESUME}))
    out = controller.tick(resume, world, 0.0, False)
    assert out.telemetry.stopping and out.telemetry.safed
    assert "stopping" in (out.telemetry.safed_reason or "")
    for _ in range(math.ceil(STOP_LIMIT_S / TICK_S)):
        out = controller.tick(HandControllerState(), world, 0.0, False)
    assert not out.telemetry.stopping and all(out.brakes)
    assert "awaiting RESUME" in (controller.tick(HandControllerState(), world, 0.0, False)
                                 .telemetry.safed_reason or "")  # fmt: skip
