"""The reward is the envelope's and the report's (docs/ENVIRONMENT.md §4): progress of the
envelope potential, the report's own deductions as they grow, a passing report's score at
the end; never rules of its own."""

from __future__ import annotations

import math
from collections.abc import Callable

from env_support import action

from trainer.envs import CaptureEnv
from trainer.envs.reward import EnvelopeReward
from trainer.scenario.loader import load_scenario
from trainer.scoring.report import FREE_REVERSALS, REVERSALS_FOR_FULL_DEDUCTION
from trainer.sim.capture_state import CaptureState

MakeEnv = Callable[..., CaptureEnv]


def test_stick_reversals_cost_what_the_report_deducts_as_they_happen(
    make_env: MakeEnv,
) -> None:
    """Before free drift (5 s in crs20-capture) the potential is constant, so every
    reward is the report's reversal deduction growing: the first ten reversals are free,
    each one after costs the scenario's weight over 30, and the episode's rewards add up
    to the deduction of its report."""
    env = make_env(time_limit_s=4.0)
    env.reset(seed=1)
    rewards: list[float] = []
    for step in range(240):
        swing = 0.8 if (step // 8) % 2 == 0 else -0.8
        _obs, reward, terminated, truncated, info = env.step(
            action((0.0, 0.0, 0.0, swing, 0.0, 0.0))
        )
        rewards.append(reward)
        if terminated or truncated:
            break
    assert truncated
    report = info["report"]
    reversals = report["metrics"]["hand_controller_reversals"]
    assert reversals == 29  # one every 8 ticks after the first swing
    weight = env.scenario.scoring_weights["reversals"]
    expected = weight * (reversals - FREE_REVERSALS) / REVERSALS_FOR_FULL_DEDUCTION
    assert report["score"]["components"]["reversals"] == -round(expected, 3)
    assert math.isclose(math.fsum(rewards), -round(expected, 3), rel_tol=1e-12)
    # free until the eleventh reversal, then one step's penalty per reversal
    costly = [r for r in rewards if r != 0.0]
    assert len(costly) == reversals - FREE_REVERSALS
    assert all(r < 0.0 for r in costly)
    assert info["potential"] == EnvelopeReward(env.scenario).floor


def test_progress_is_the_potential_rising_toward_the_envelope(make_env: MakeEnv) -> None:
    """After free drift, holding still while the fixture drifts is rewarded only by the
    potential's change: the rewards of a quiet stretch add up to Φ(end) − Φ(start)."""
    env = make_env(time_limit_s=8.0)
    env.reset(seed=4)
    for _ in range(6 * 60):  # past free drift at 5 s
        _obs, _r, _term, _trunc, info = env.step(action())
    start = info["potential"]
    assert EnvelopeReward(env.scenario).floor < start < 0.0
    assert info["tier_now"] == "outside"  # the LEE 2 m from the fixture
    total = 0.0
    for _ in range(60):
        _obs, reward, _term, _trunc, info = env.step(action())
        total += reward
        if info.get("report") is None:
            assert info["deductions"] == 0.0
    assert math.isclose(total, info["potential"] - start, rel_tol=1e-9, abs_tol=1e-12)


def test_the_potential_floor_ceiling_and_the_drill_quantities() -> None:
    capture = EnvelopeReward(load_scenario("crs20-capture"))
    drill = EnvelopeReward(load_scenario("offset-grapple-drill"))
    # the six envelope components' default weights: 10 + 10 + 10 + 5 + 10 + 5
    assert capture.floor == -50.0
    # the drill judges alignment in front of the fixture: no axial depth
    assert drill.floor == -40.0
    assert CaptureState.RIGID.holding


def test_a_failing_end_earns_no_bonus(make_env: MakeEnv) -> None:
    env = make_env(time_limit_s=0.5)
    env.reset(seed=0)
    total = 0.0
    while True:
        _obs, reward, terminated, truncated, info = env.step(action())
        total += reward
        if terminated or truncated:
            break
    assert info["report"]["outcome"] == "interrupted"
    assert EnvelopeReward.terminal_bonus(info["report"]) == 0.0
    assert total == 0.0  # before free drift, hands off: nothing gained, nothing deducted
