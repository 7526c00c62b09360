"""Evaluate a policy on a Canadarm2 trainer environment over a range of seeds and print
its pass rate (docs/ENVIRONMENT.md §9).

    python examples/evaluate_policy.py --policy autopilot --seeds 1..10
    python examples/evaluate_policy.py --env CanadarmTrainer/OffsetGrappleDrill-v0 --policy random --seeds 1..3 --time-limit 20
    python examples/evaluate_policy.py --policy autopilot --seeds 7..7 --as-grade --record runs/env

| policy      | what it does                                                            |
|-------------|-------------------------------------------------------------------------|
| autopilot   | the trainer's autopilot (trainer/pilots/autopilot.py) through ``PilotPolicy`` |
| random      | a uniformly random action every step (sticks and buttons)               |
| none        | hands off: centred sticks, no buttons                                   |

Replace ``make_policy`` with your own: a policy is any callable (observation, env) ->
action, where an action is ``{"sticks": 6 deflections in [-1, 1], "buttons": 12 flags}``.
Each episode is graded by the same report as ``canadarm-trainer grade``: the pass rate
counts ``report["passed"]``. ``--as-grade`` uses each seed as the session's own seed, so
``--seeds 1..10 --as-grade`` flies the sessions of ``grade --seeds 1..10``.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from typing import Any

import gymnasium
import numpy as np

import canadarm_trainer  # noqa: F401 (registers the environments)
from trainer.envs import BUTTONS, STICK_AXES, CaptureEnv, PilotPolicy

Policy = Callable[[dict[str, Any], CaptureEnv], dict[str, Any]]


def make_policy(name: str, env: CaptureEnv, seed: int) -> Policy:
    """The policy ``name`` for one episode of ``env``."""
    if name == "autopilot":
        pilot = PilotPolicy.autopilot(env.scenario)  # one per episode: it keeps a plan

        def autopilot(_obs: dict[str, Any], e: CaptureEnv) -> dict[str, Any]:
            assert e.telemetry is not None
            return pilot.act(e.telemetry)  # the autopilot reads the telemetry, as in grade

        return autopilot
    if name == "random":
        space = env.action_space
        space.seed(seed)
        return lambda _obs, _e: space.sample()
    if name == "none":
        return lambda _obs, _e: {
            "sticks": np.zeros(len(STICK_AXES), np.float32),
            "buttons": np.zeros(len(BUTTONS), np.int8),
        }
    raise SystemExit(f"unknown policy {name!r}: autopilot, random or none")


def parse_seeds(text: str) -> range:
    low, _, high = text.partition("..")
    return range(int(low), int(high or low) + 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", default="CanadarmTrainer/Capture-v0", help="a registered id")
    parser.add_argument("--scenario", help="another scenario id or YAML file for the env")
    parser.add_argument("--policy", default="autopilot", help="autopilot, random or none")
    parser.add_argument("--seeds", default="1..5", help="A..B (inclusive) or N")
    parser.add_argument("--as-grade", action="store_true", help="seeds are session seeds")
    parser.add_argument("--time-limit", type=float, help="truncate episodes at this many s")
    parser.add_argument("--record", help="record every episode into this folder")
    args = parser.parse_args()

    kwargs: dict[str, Any] = {"time_limit_s": args.time_limit, "pilot_name": args.policy}
    if args.scenario:
        kwargs["scenario"] = args.scenario
    if args.record:
        kwargs["record_dir"] = args.record
    env = gymnasium.make(args.env, **kwargs)
    core = env.unwrapped
    assert isinstance(core, CaptureEnv)
    passed = 0
    seeds = parse_seeds(args.seeds)
    print(f"{'seed':>6} {'outcome':<12} {'pass':<5} {'score':>6} {'return':>8} {'sim s':>7}")
    try:
        for seed in seeds:
            options = {"session_seed": seed} if args.as_grade else None
            obs, _info = env.reset(seed=seed, options=options)
            policy = make_policy(args.policy, core, seed)
            rewards: list[float] = []
            while True:
                obs, reward, terminated, truncated, info = env.step(policy(obs, core))
                rewards.append(float(reward))
                if terminated or truncated:
                    break
            report = info["report"]
            passed += bool(report["passed"])
            print(
                f"{seed:>6} {report['outcome']:<12} {'yes' if report['passed'] else 'no':<5} "
                f"{report['score']['total']:>6.1f} {math.fsum(rewards):>8.1f} "
                f"{info['time_s']:>7.1f}"
            )
    finally:
        env.close()
    print(f"pass rate {passed}/{len(seeds)} ({100.0 * passed / len(seeds):.0f} %)")


if __name__ == "__main__":
    main()
