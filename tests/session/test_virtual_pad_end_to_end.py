"""A virtual gamepad drives the arm end to end: SDL virtual joystick → GamepadInput →
Session (ArmController → World). The stick moves the LEE the right way in the chosen
frame; unplugging the pad stops the arm along its path and brakes it within 1 s."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

import numpy as np
import pygame
import pytest

from trainer.control.telemetry import Frame
from trainer.input.bindings import load_bindings
from trainer.input.gamepad import GamepadInput
from trainer.input.sdl import init_pygame_input
from trainer.input.state import Button
from trainer.scenario.loader import load_scenario
from trainer.session import Session
from trainer.sim.rotation import matrix_from_quat


@pytest.fixture
def pad() -> GamepadInput:
    init_pygame_input()
    pygame.event.get()
    return GamepadInput(load_bindings(use_user_file=False))


def test_stick_moves_lee_along_the_chosen_frame_and_unplug_stops_it(pad: GamepadInput) -> None:
    from trainer.input.virtual import VirtualJoystick

    session = Session(load_scenario("crs20-capture-easy"), 1)
    try:
        with VirtualJoystick("gamecontroller") as stick:
            state = pad.poll(pygame.event.get())
            assert state.connected
            # Select the LEE frame with the pad's FRAME button (Y), as a pilot would.
            stick.set_button("y", True)
            session.tick(pad.poll(pygame.event.get()))
            stick.set_button("y", False)
            telemetry = session.tick(pad.poll(pygame.event.get()))
            assert telemetry.control is not None and telemetry.control.frame is Frame.LEE
            boresight = matrix_from_quat(telemetry.lee_orientation_world_xyzw)[:, 0]

            stick.set_axis("lefty", -1.0)  # full forward: THC +x, along the LEE boresight
            start = np.array(telemetry.lee_position_world_m)
            for _ in range(120):  # 2 s
                telemetry = session.tick(pad.poll(pygame.event.get()))
            moved = np.array(telemetry.lee_position_world_m) - start
            along = float(moved @ boresight)
            assert along > 0.05, "the LEE must move forward along its boresight"
            assert np.linalg.norm(moved - along * boresight) < 0.05 * along
            assert telemetry.lee_speed_m_s > 0.05

            stick.detach()
            telemetry = session.tick(pad.poll(pygame.event.get()))
            assert not telemetry.hand_controller.connected
            assert telemetry.control is not None and telemetry.control.safed
            assert telemetry.control.stopping, "a controlled stop, brakes once at rest"
            rates_after = []
            for _ in range(60):
                telemetry = session.tick(pad.poll(pygame.event.get()))
                rates_after.append(max(abs(r) for r in telemetry.joint_rates_rad_s))
            assert all(telemetry.joint_brakes_engaged), "brakes on within 1 s of the unplug"
            assert rates_after[-1] < 1e-4, "the arm is held still"
            assert any(e.kind == "arm_safed" for e in session.events)
            assert any(e.kind == "device_unplugged" for e in session.events)
            # Plugging back in does not resume by itself: RESUME is deliberate.
            assert Button.RESUME not in telemetry.hand_controller.buttons
            assert telemetry.control is not None and telemetry.control.safed
    finally:
        session.close()
