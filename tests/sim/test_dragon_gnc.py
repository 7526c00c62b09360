"""Dragon's proximity GNC flying the real vehicle in the world: before free drift it stays
inside its dead-band under the orbital drift, with visible pulses; HOLD stops it; RETREAT
backs it away along the approach axis to a hold point; ABORT departs; each command takes
effect after the response time; free drift turns the thrusters off."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trainer.sim.dragon_gnc import (
    ABORT_SPEED_M_S,
    DEADBAND_M,
    RESPONSE_TIME_S,
    RETREAT_DISTANCE_M,
    DragonGnc,
    GncEvent,
    GncMode,
)
from trainer.sim.layout import default_world_spec
from trainer.sim.world import World

TICK_S = 1.0 / 60.0


def _fly(
    world: World, gnc: DragonGnc, seconds: float, log: list[np.ndarray] | None = None
) -> list[GncEvent]:
    events: list[GncEvent] = []
    for _ in range(round(seconds / TICK_S)):
        state = world.vehicle_state()
        pos = tuple(float(v) for v in state.position_m)
        vel = tuple(float(v) for v in state.velocity_m_s)
        force, new = gnc.update(world.time_s, pos, vel)  # type: ignore[arg-type]
        events += new
        world.set_vehicle_thrust(force)
        world.step(4)
        if log is not None:
            log.append(world.vehicle_state().position_m.copy())
    return events


def _world(velocity_m_s: tuple[float, float, float] = (0.0, 0.0, 0.0)) -> World:
    return World(default_world_spec("capture_ready", vehicle_velocity_m_s=velocity_m_s))


def _gnc(world: World) -> DragonGnc:
    start = tuple(float(v) for v in world.vehicle_state().position_m)
    return DragonGnc(world.vehicle_mass_kg, start, TICK_S)  # type: ignore[arg-type]


def test_before_free_drift_dragon_keeps_station_inside_its_dead_band() -> None:
    """Two minutes at the capture point with a 2 mm/s residual drift and the CW motion
    pulling it down: it never leaves the box (plus what one pulse takes to turn it), and
    it visibly wanders and is nudged back (free, it would drift 0.2 m in 99 s)."""
    with _world((0.002, -0.0015, 0.0015)) as world:
        gnc = _gnc(world)
        track: list[np.ndarray] = []
        _fly(world, gnc, 120.0, track)
        offsets = np.abs(np.array(track) - np.array(gnc.hold_point))
        assert offsets.max() < DEADBAND_M + 0.02
        assert offsets.max() > 0.05  # small motions the crew can see
        assert gnc.pulses >= 3


def test_hold_stops_dragon_after_the_response_time() -> None:
    with _world((0.0, 0.0, 0.02)) as world:  # closing on the station at 2 cm/s
        gnc = DragonGnc(world.vehicle_mass_kg, (0.0, 0.0, 0.0), TICK_S, GncMode.FREE_DRIFT)
        gnc.command(world.time_s, "hold")
        events = _fly(world, gnc, 12.0)
        response = next(e for e in events if e.kind == "response")
        assert response.detail["command"] == "hold"
        assert response.detail["response_time_s"] == pytest.approx(RESPONSE_TIME_S, abs=TICK_S)
        assert gnc.mode is GncMode.HOLD
        assert float(np.linalg.norm(world.vehicle_state().velocity_m_s)) < 0.003


def test_retreat_backs_away_along_the_approach_axis_and_holds() -> None:
    with _world() as world:
        gnc = _gnc(world)
        start = world.vehicle_state().position_m.copy()
        gnc.command(world.time_s, "retreat")
        events = _fly(world, gnc, 90.0)
        assert [e.kind for e in events] == ["response", "arrived"]
        moved = world.vehicle_state().position_m - start
        assert moved[2] == pytest.approx(-RETREAT_DISTANCE_M, abs=DEADBAND_M + 0.05)
        assert math.hypot(moved[0], moved[1]) < 0.2  # along the axis, not sideways
        assert gnc.mode is GncMode.HOLD
        assert float(np.linalg.norm(world.vehicle_state().velocity_m_s)) < 0.005


def test_abort_departs_and_free_drift_stops_the_thrusters() -> None:
    with _world() as world:
        gnc = _gnc(world)
        gnc.command(world.time_s, "abort")
        _fly(world, gnc, 8.0)
        velocity = world.vehicle_state().velocity_m_s
        assert velocity[2] == pytest.approx(-ABORT_SPEED_M_S, abs=0.01)  # away from the station
    with _world() as world:
        gnc = _gnc(world)
        gnc.command(world.time_s, "free_drift")
        _fly(world, gnc, RESPONSE_TIME_S + 0.1)
        assert gnc.mode is GncMode.FREE_DRIFT and not gnc.thrusting
        force, _ = gnc.update(world.time_s, (9.0, 0.0, -12.0), (0.0, 0.0, 0.1))
        assert force == (0.0, 0.0, 0.0)
