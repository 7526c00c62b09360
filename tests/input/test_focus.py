"""A window losing the focus reads as a lost hand controller (docs/DESIGN.md §5), so ``fly`` makes
the same controlled stop as for an unplugged pad; the focus back needs RESUME."""

from __future__ import annotations

from typing import Any

import pygame
import pytest
from control.support import Edged, FakeWorld

from trainer.input.bindings import load_bindings
from trainer.input.source import LOST, AutoInput, FocusGuard
from trainer.input.state import Button

pytestmark = pytest.mark.usefixtures("clean_queue")


def key(kind: int, name: str) -> pygame.event.Event:
    return pygame.event.Event(kind, key=pygame.key.key_code(name))


def test_focus_loss_reads_as_lost_and_the_arm_stops_then_waits_for_resume() -> None:
    source = FocusGuard(AutoInput(load_bindings(use_user_file=False)))
    controller = Edged()
    world: Any = FakeWorld()
    flying = source.poll([key(pygame.KEYDOWN, "w")])
    assert flying.connected and flying.thc == (1.0, 0.0, 0.0)
    out = controller.tick(flying, world, 0.0, False)
    world.rates = list(out.joint_rates_rad_s)  # the arm moves as it was commanded

    lost = source.poll([pygame.event.Event(pygame.WINDOWFOCUSLOST)])
    assert lost == LOST and lost.is_neutral and not lost.connected
    out = controller.tick(lost, world, 0.0, False)
    assert out.telemetry.safed and out.telemetry.stopping, "the same path as an unplug"
    assert source.poll([key(pygame.KEYDOWN, "s")]) == LOST, "keys in another window: ignored"

    back = source.poll([pygame.event.Event(pygame.WINDOWFOCUSGAINED), key(pygame.KEYUP, "s")])
    assert back.connected and back.is_neutral, "the keyboard released every key meanwhile"
    for _ in range(61):
        out = controller.tick(back, world, 0.0, False)
    assert out.telemetry.safed and all(out.brakes), "braked, waiting for RESUME"
    resume = source.poll([key(pygame.KEYDOWN, "return")])
    assert Button.RESUME in resume.buttons
    assert not controller.tick(resume, world, 0.0, False).telemetry.safed
