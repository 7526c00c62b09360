"""Vectors of environments (docs/ENVIRONMENT.md §7): two in one process and two in two
worker processes, each environment its own pybullet client, give the same batches bit
for bit, including an episode's end and the automatic reset after it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gymnasium
import numpy as np
from env_support import action, bits
from gymnasium.vector import AsyncVectorEnv, SyncVectorEnv

import canadarm_trainer  # noqa: F401 (registers the ids)
from trainer.input.state import Button

STEPS = 40
TIME_LIMIT_S = 0.5  # 30 ticks: each environment ends an episode and starts the next


def _factory() -> Callable[[], gymnasium.Env[Any, Any]]:
    return lambda: gymnasium.make("CanadarmTrainer/Capture-v0", time_limit_s=TIME_LIMIT_S)


def _batch_action(step: int) -> dict[str, Any]:
    """Two different actions: the first environment swings its THC, the second cycles
    the mode now and then."""
    first = action((0.5 if step % 20 < 10 else -0.5, 0.0, 0.2, 0.0, 0.0, 0.1))
    second = action(buttons=(Button.MODE,) if step % 7 == 0 else ())
    return {
        "sticks": np.stack([first["sticks"], second["sticks"]]),
        "buttons": np.stack([first["buttons"], second["buttons"]]),
    }


def _run(vector: gymnasium.vector.VectorEnv[Any, Any, Any]) -> list[Any]:
    try:
        obs, info = vector.reset(seed=[1, 2])
        out: list[Any] = [bits((obs, info))]
        for step in range(STEPS):
            out.append(bits(vector.step(_batch_action(step))))
        return out
    finally:
        vector.close()


def test_sync_and_async_vectors_of_two_give_the_same_batches() -> None:
    sync = _run(SyncVectorEnv([_factory(), _factory()]))
    asynchronous = _run(AsyncVectorEnv([_factory(), _factory()]))
    assert sync == asynchronous


def test_a_vector_runs_two_different_episodes_and_resets_each_at_its_end() -> None:
    vector = SyncVectorEnv([_factory(), _factory()])
    try:
        obs, info = vector.reset(seed=[1, 2])
        assert info["session_seed"][0] != info["session_seed"][1]
        assert not np.array_equal(
            obs["shaft_tip_position_lee_m"][0], obs["shaft_tip_position_lee_m"][1]
        )
        ended = 0
        for step in range(STEPS):
            obs, _reward, terminated, truncated, info = vector.step(_batch_action(step))
            assert not terminated.any()
            if truncated.any():
                assert truncated.all()  # the same limit for both
                assert info["_report"].all()
                assert info["report"]["outcome"].tolist() == ["interrupted", "interrupted"]
                ended += 1
        assert ended == 1
        assert obs["mode"][0] == 0 and obs["mode"][1] in (1, 2)
    finally:
        vector.close()
