"""Vectors of environments (docs/ENVIRONMENT.md §7): two in one process and two in two
worker processes, each environment its own pybullet client, give the same batches bit
for bit, including an episode's end and the automatic reset after it; worker processes
draw camera images when they may."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from functools import partial
from typing import Any

import gymnasium
import numpy as np
import pytest
from env_support import action, bits
from gymnasium.vector import AsyncVectorEnv, SyncVectorEnv

import canadarm_trainer  # noqa: F401 (registers the ids)
from trainer.envs import CaptureEnv
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


def _gl_in_this_process() -> None:
    """Draw once here, as a notebook or a test session may have before it forks."""
    env = CaptureEnv(camera_observation=(32, 24))
    try:
        env.reset(seed=0)
        if env.renderer_fallback is not None:
            message = f"no OpenGL through EGL here: {env.renderer_fallback}"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
    finally:
        env.close()


def test_images_in_worker_processes_after_this_one_drew() -> None:
    """Mesa's OpenGL hangs in a child forked after its parent started it: such a worker
    refuses to draw, naming the way out, and a spawned one draws."""
    _gl_in_this_process()
    make = partial(
        gymnasium.make, "canadarm_trainer:CanadarmTrainer/Capture-v0", camera_observation=(32, 24)
    )
    forked = AsyncVectorEnv([make, make], context="fork")
    try:
        with warnings.catch_warnings():  # the vector's own report of its workers' errors
            warnings.simplefilter("ignore", UserWarning)
            with pytest.raises(RuntimeError, match="context='spawn'"):
                forked.reset(seed=[1, 2])
    finally:
        forked.close(terminate=True)
    spawned = AsyncVectorEnv([make, make], context="spawn")
    try:
        obs, _info = spawned.reset(seed=[1, 2])
        assert obs["lee_camera"].shape == (2, 24, 32, 3)
        assert obs["lee_camera"].std() > 5.0
    finally:
        spawned.close()
