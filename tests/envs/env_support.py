"""Helpers of the environment tests: scripted actions and whole episodes as data that
compares bit for bit."""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

import numpy as np

from trainer.envs import BUTTONS, CaptureEnv
from trainer.input.state import Button

Action = dict[str, Any]


def action(sticks: tuple[float, ...] = (0.0,) * 6, buttons: tuple[Button, ...] = ()) -> Action:
    """An action as a policy gives it (float32 sticks, int8 flags)."""
    return {
        "sticks": np.array(sticks, np.float32),
        "buttons": np.array([1 if b in buttons else 0 for b in BUTTONS], np.int8),
    }


def scripted_actions(seed: int) -> Callable[[int], Action]:
    """A reproducible busy policy: random deflections changing every 10 steps and, now
    and then, a workstation button (mode, frame, rate scale, joint select, brakes), so the
    episode runs through the controller's modes, frames and scales."""
    rng = np.random.default_rng(seed)
    sticks = rng.uniform(-1.0, 1.0, (1000, 6)).astype(np.float32)
    toggles = (Button.MODE, Button.FRAME, Button.RATE_SCALE, Button.JOINT_NEXT, Button.BRAKES)
    presses = rng.integers(0, len(toggles), 1000)

    def act(step: int) -> Action:
        block = step // 10
        held = (toggles[int(presses[block])],) if step % 10 < 2 and block % 3 == 1 else ()
        return action(tuple(float(v) for v in sticks[block]), held)

    return act


def bits(value: Any) -> Any:
    """A value as comparable bits: arrays by dtype, shape and bytes, floats by their
    IEEE-754 bytes (so -0.0 != 0.0 and NaN == NaN of the same payload)."""
    if isinstance(value, np.ndarray):
        if value.dtype == object:  # its bytes would be pointers: compare what it holds
            return ("O", value.shape, bits(value.tolist()))
        return (value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, np.generic):
        return (type(value).__name__, value.tobytes())
    if isinstance(value, float):
        return ("f", struct.pack("<d", value))
    if isinstance(value, dict):
        return tuple((k, bits(v)) for k, v in sorted(value.items()))
    if isinstance(value, list | tuple):
        return tuple(bits(v) for v in value)
    return value


def episode(
    env: CaptureEnv,
    act: Callable[[int], Action],
    *,
    seed: int | None = None,
    options: dict[str, Any] | None = None,
    max_steps: int = 100_000,
) -> list[Any]:
    """The whole episode as bits: the reset's (observation, info), then every step's
    (observation, reward, terminated, truncated, info), until it ends."""
    obs, info = env.reset(seed=seed, options=options)
    out: list[Any] = [bits((obs, info))]
    for step in range(max_steps):
        obs, reward, terminated, truncated, info = env.step(act(step))
        out.append(bits((obs, reward, terminated, truncated, info)))
        if terminated or truncated:
            break
    return out
