"""Mode, frame, scale and joint selection on rising edges; single-joint mode; brakes;
safing on disconnect and pause; JSON-ready telemetry."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from trainer.control import Frame, ModeName, RateScale, WarningKind
from trainer.control.controller import apply
from trainer.input.state import Button, HandControllerState
from trainer.sim.world import JOINT_NAMES

from .support import Edged, FakeWorld, fly, make_world, press

NEUTRAL = HandControllerState()
FLYING = HandControllerState(thc=(0.5, 0.0, 0.0), rhc=(0.0, 0.3, 0.0))


def test_buttons_act_on_rising_edges_only() -> None:
    world = FakeWorld()
    c = Edged()
    for _ in range(5):  # held for five ticks: one toggle each
        c.tick(press(Button.MODE, Button.FRAME, Button.RATE_SCALE), world, 0.0, False)
    assert (c.mode, c.frame, c.rate_scale) == (ModeName.SINGLE_JOINT, Frame.LEE, RateScale.VERNIER)
    c.tick(NEUTRAL, world, 0.0, False)
    c.tick(press(Button.MODE, Button.FRAME, Button.RATE_SCALE), world, 0.0, False)
    assert (c.mode, c.frame, c.rate_scale) == (ModeName.POSITION_HOLD, Frame.BASE, RateScale.COARSE)
    c.tick(NEUTRAL, world, 0.0, False)
    c.tick(press(Button.MODE), world, 0.0, False)
    assert c.mode is ModeName.CARTESIAN


def test_joint_selection_wraps_and_needs_single_joint_mode() -> None:
    world = FakeWorld()
    c = Edged()
    c.tick(press(Button.JOINT_NEXT), world, 0.0, False)
    assert c.selected_joint == 0  # ignored outside single-joint mode
    c.tick(press(Button.MODE), world, 0.0, False)
    for _ in range(3):
        c.tick(press(Button.JOINT_PREV), world, 0.0, False)  # held: one step
    out = c.tick(NEUTRAL, world, 0.0, False)
    assert out.telemetry.selected_joint == JOINT_NAMES[-1]
    c.tick(press(Button.JOINT_NEXT), world, 0.0, False)
    assert c.selected_joint == 0


def test_single_joint_mode_moves_only_the_selected_joint() -> None:
    with make_world() as world:
        c = Edged()
        c.tick(press(Button.MODE), world, 0.0, False)
        for _ in range(2):
            c.tick(press(Button.JOINT_NEXT), world, 0.0, False)
            c.tick(NEUTRAL, world, 0.0, False)
        assert JOINT_NAMES[c.selected_joint] == "shoulder_pitch"
        q0 = world.joint_angles_rad()
        # THC and the other RHC axes are ignored; RHC roll drives the joint.
        outs = fly(c, world, HandControllerState(thc=(1, 1, 1), rhc=(-1.0, 1.0, 1.0)), 2.0)
        dq = world.joint_angles_rad() - q0
        others = np.delete(dq, 2)
        assert dq[2] < -math.radians(1.0)
        # held at zero rate: only the drives' compliance to the reaction torque shows
        assert np.abs(others).max() < 0.03 * abs(dq[2])
        rates = np.array([o.joint_rates_rad_s for o in outs])
        assert np.count_nonzero(np.delete(rates, 2, axis=1)) == 0


def test_position_hold_and_brakes() -> None:
    with make_world() as world:
        c = Edged()
        c.tick(press(Button.MODE), world, 0.0, False)
        c.tick(NEUTRAL, world, 0.0, False)
        hold = c.tick(press(Button.MODE), world, 0.0, False)
        assert c.mode is ModeName.POSITION_HOLD
        q0 = world.joint_angles_rad()
        outs = fly(c, world, FLYING, 1.0)
        assert all(o.joint_rates_rad_s == (0.0,) * 7 and not any(o.brakes) for o in outs)
        assert hold.brakes == (False,) * 7
        np.testing.assert_allclose(world.joint_angles_rad(), q0, atol=1e-6)
        out = c.tick(press(Button.BRAKES), world, 0.0, False)
        assert out.brakes == (True,) * 7 and out.telemetry.brakes_on
        apply(out, world)
        assert world.brakes_engaged() == (True,) * 7
        c.tick(NEUTRAL, world, 0.0, False)
        out = c.tick(press(Button.BRAKES), world, 0.0, False)
        apply(out, world)
        assert world.brakes_engaged() == (False,) * 7


@pytest.mark.parametrize("cause", ["disconnect", "pause"])
def test_safing_stops_the_arm_then_brakes_and_needs_a_deliberate_resume(cause: str) -> None:
    world = FakeWorld()
    c = Edged()
    flying = c.tick(FLYING, world, 0.0, False)
    assert any(flying.joint_rates_rad_s)
    world.rates = list(flying.joint_rates_rad_s)  # the arm moves as it was commanded

    def tick(hc: HandControllerState, safe_cause: bool):
        if cause == "disconnect":
            hc = HandControllerState(hc.thc, hc.rhc, hc.buttons, connected=not safe_cause)
            return c.tick(hc, world, 0.0, False)
        return c.tick(hc, world, 0.0, safe_cause)

    out = tick(FLYING, True)
    # The sticks are ignored from this tick: the arm's motion is scaled down as a whole
    # (a controlled stop, trainer.control.stop: the joint rates change only by what keeps
    # the LEE's twist as the arm turns), the brakes wait for the arm at rest.
    assert out.brakes == (False,) * 7 and out.telemetry.stopping
    ratio = np.array(out.joint_rates_rad_s) / np.array(flying.joint_rates_rad_s)
    assert np.allclose(ratio, ratio[0], rtol=1e-2) and 0.9 < ratio[0] <= 1.0
    assert out.telemetry.safed
    expected = "disconnected" if cause == "disconnect" else "paused"
    assert expected in (out.telemetry.safed_reason or "")
    # RESUME while the cause is still present does nothing; other buttons are ignored.
    out = tick(
        HandControllerState(FLYING.thc, FLYING.rhc, frozenset({Button.RESUME, Button.MODE})), True
    )
    assert out.telemetry.safed and c.mode is ModeName.CARTESIAN
    # Cause gone: the stop runs to its end (the fake world is at rest: right after the
    # ramp), then still safed, awaiting RESUME, zero and braked.
    for _ in range(60):
        out = tick(FLYING, False)
        if not out.telemetry.stopping:
            break
    assert out.brakes == (True,) * 7
    out = tick(FLYING, False)
    assert out.telemetry.safed and "awaiting RESUME" in (out.telemetry.safed_reason or "")
    assert out.joint_rates_rad_s == (0.0,) * 7 and out.brakes == (True,) * 7
    # RESUME with a deflected stick: control returns only once the sticks are centred.
    out = tick(HandControllerState(FLYING.thc, FLYING.rhc, frozenset({Button.RESUME})), False)
    assert not out.telemetry.safed and out.telemetry.safed_reason is None
    assert out.joint_rates_rad_s == (0.0,) * 7 and out.brakes == (False,) * 7
    assert any(w.kind is WarningKind.NOT_NEUTRAL for w in out.telemetry.warnings)
    tick(NEUTRAL, False)
    out = tick(FLYING, False)
    assert any(out.joint_rates_rad_s)


def test_telemetry_is_json_ready_and_bad_payload_is_refused() -> None:
    world = FakeWorld()
    c = Edged()
    out = c.tick(HandControllerState(thc=(1.0, 1.0, 1.0)), world, 0.0, False)
    data = json.loads(json.dumps(out.to_dict()))
    tele = data["telemetry"]
    assert tele["mode"] == "cartesian" and tele["frame"] == "base"
    assert tele["rate_scale"] == "coarse" and tele["safed"] is False
    assert {w["kind"] for w in tele["warnings"]} >= {"tip_speed_capped"}
    assert len(data["joint_rates_rad_s"]) == 7
    with pytest.raises(ValueError, match="payload mass"):
        c.tick(NEUTRAL, world, -5.0, False)


def test_singularity_warning_near_a_straight_elbow() -> None:
    world = FakeWorld()
    world.q[3] = math.radians(2.0)  # elbow nearly straight
    out = Edged().tick(FLYING, world, 0.0, False)
    kinds = {w.kind for w in out.telemetry.warnings}
    assert WarningKind.SINGULARITY in kinds
    assert out.telemetry.manipulability < 0.5
    assert max(abs(r) for r in out.joint_rates_rad_s) <= math.radians(4.0) * (1 + 1e-12)
