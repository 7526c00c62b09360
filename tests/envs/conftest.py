"""Fixtures of the environment tests (helpers: env_support.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from trainer.envs import CaptureEnv


@pytest.fixture
def make_env() -> Iterator[Callable[..., CaptureEnv]]:
    """Builds environments and closes every one at the end of the test."""
    made: list[CaptureEnv] = []

    def make(*args: Any, **kwargs: Any) -> CaptureEnv:
        env = CaptureEnv(*args, **kwargs)
        made.append(env)
        return env

    yield make
    for env in made:
        env.close()
