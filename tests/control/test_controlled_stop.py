"""Unplug is a controlled stop (docs/REFERENCE.md §1.3): from the tick the hand controller is lost the
sticks are ignored, the LEE slows along its path (sampled every tick, its speed never
rises), the arm is at rest within 1 s, then the brakes go on and an event says so."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from trainer.control.controller import ArmController
from trainer.control.stop import STOP_LIMIT_S, ControlledStop
from trainer.input.state import HandControllerState
from trainer.scenario.loader import load_scenario
from trainer.session import Session

from .support import FakeWorld

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


@pytest.mark.parametrize("rhc", [(0.0, 0.0, 1.0), (0.0, 1.0, 0.0)], ids=["yaw", "pitch"])
def test_unplug_during_a_pure_rotation_does_not_throw_the_lee(rhc: tuple[float, ...]) -> None:
    speeds, _, braked, session = _fly_then_unplug(HandControllerState(rhc=rhc))
    try:
        assert speeds[0] < 1e-3, "a pure rotation turns about the LEE"
        # Braking each joint on its own threw the LEE at 72 mm/s here; the scaled stop
        # keeps it under 3 mm/s (the joints' lag under the deceleration: a tenth of the
        # 0.03 m/s allowed capture speed, trainer.control.stop).
        assert max(speeds) < 3e-3, max(speeds)
        at_brakes = braked.index(True)
        assert at_brakes * TICK_S <= STOP_LIMIT_S + 1e-9
        assert speeds[at_brakes - 1] < 5e-4, "the arm was at rest before the brakes"
        assert speeds[-1] < 1e-4
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
    controller = ArmController()
    flying = controller.tick(HandControllerState(thc=(0.5, 0.0, 0.0)), world, 0.0, False)
    paused = [controller.tick(HandControllerState(), world, 0.0, True) for _ in range(5)]
    assert all(o.joint_rates_rad_s == flying.joint_rates_rad_s for o in paused), (
        "the world does not step while paused: the stop does not advance"
    )
    assert all(o.telemetry.stopping and not any(o.brakes) for o in paused)
    # Unpaused but not yet resumed: the stop runs on; RESUME is ignored until it ends.
    from trainer.input.state import Button

    resume = HandControllerState(buttons=frozenset({Button.RESUME}))
    out = controller.tick(resume, world, 0.0, False)
    assert out.telemetry.stopping and out.telemetry.safed
    assert "stopping" in (out.telemetry.safed_reason or "")
    for _ in range(math.ceil(STOP_LIMIT_S / TICK_S)):
        out = controller.tick(HandControllerState(), world, 0.0, False)
    assert not out.telemetry.stopping and all(out.brakes)
    assert "awaiting RESUME" in (controller.tick(HandControllerState(), world, 0.0, False)
                                 .telemetry.safed_reason or "")  # fmt: skip
