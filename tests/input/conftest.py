"""Headless pygame for the input tests: dummy video and audio, SDL virtual joysticks."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from collections.abc import Iterator

import pygame
import pytest

from trainer.input.sdl import init_pygame_input


@pytest.fixture(scope="session")
def sdl() -> Iterator[None]:
    init_pygame_input()
    yield
    pygame.quit()


@pytest.fixture
def clean_queue(sdl: None) -> Iterator[None]:
    """Each test starts with no device attached and an empty event queue."""
    pygame.event.get()
    yield
    pygame.event.get()
