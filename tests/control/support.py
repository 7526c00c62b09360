"""Helpers for the control tests: a world far from the vehicle, a fake world for
logic-only tests, and a loop that flies the controller."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from trainer.control import ControlOutput
from trainer.control.controller import ArmController, apply
from trainer.input.state import Button, ButtonEdges, HandControllerState
from trainer.sim.layout import default_world_spec, named_pose_rad
from trainer.sim.world import World

CONTROL_DIVIDER = 4  # physics steps per control tick (docs/DESIGN.md §3)
TICKS_PER_S = 60


def make_world(joint_angles_deg: dict[int, float] | None = None) -> World:
    """capture_ready arm, no station, Dragon moved 60 m away so nothing is touched.
    ``joint_angles_deg`` offsets joints (index -> degrees added)."""
    q = list(named_pose_rad("capture_ready"))
    for i, d in (joint_angles_deg or {}).items():
        q[i] += math.radians(d)
    spec = default_world_spec(
        "capture_ready",
        include_station=False,
        initial_joint_angles_rad=tuple(q),
        vehicle_position_m=(8.5, 0.0, -60.0),
    )
    return World(spec)


class Edged:
    """An ``ArmController`` fed hand-controller states as the session feeds it: with the
    buttons pressed this tick found by ``ButtonEdges`` (trainer/input/state.py). Its
    attributes are the controller's."""

    def __init__(self, controller: ArmController | None = None) -> None:
        self.controller = controller or ArmController()
        self._edges = ButtonEdges()

    def tick(
        self, hc: HandControllerState, world: Any, payload_mass_kg: float, paused: bool
    ) -> ControlOutput:
        return self.controller.tick(self._edges.next(hc), world, payload_mass_kg, paused)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.controller, name)


def press(*buttons: Button, **kw: object) -> HandControllerState:
    return HandControllerState(buttons=frozenset(buttons), **kw)  # type: ignore[arg-type]


def fly(
    controller: Edged,
    world: World,
    hc: HandControllerState,
    seconds: float,
    payload_mass_kg: float = 0.0,
) -> list[ControlOutput]:
    outputs = []
    for _ in range(round(seconds * TICKS_PER_S)):
        out = controller.tick(hc, world, payload_mass_kg, False)
        apply(out, world)
        world.step(CONTROL_DIVIDER)
        outputs.append(out)
    return outputs


@dataclass
class _Spec:
    arm_base_orientation_xyzw: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)


@dataclass
class FakeWorld:
    """Just the accessors the controller reads, for logic tests without pybullet."""

    q: list[float] = field(default_factory=lambda: list(named_pose_rad("capture_ready")))
    spec: _Spec = field(default_factory=_Spec)

    # The joint rates the arm has: an ideal arm moves at what it was last commanded.
    rates: list[float] = field(default_factory=lambda: [0.0] * 7)

    def joint_angles_rad(self) -> np.ndarray:
        return np.array(self.q)

    def joint_rates_rad_s(self) -> np.ndarray:
        return np.array(self.rates)

    def joint_angles_after_step(self) -> list[float]:
        return list(self.q)

    def set_converged_solver(self, converged: bool) -> None:
        pass

    def arm_mass_matrix(self) -> np.ndarray:
        return np.zeros((7, 7))  # no inertia: the stop takes its shortest ramp

    time_s: float = 0.0  # the world's clock (the controller times a safing's stop by it)
