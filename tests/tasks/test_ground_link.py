"""Flying from the ground (docs/REFERENCE.md §11, trainer/tasks/ground_link.py): a stick
deflection reaches the arm after the uplink's delay and never before, tick by tick; the
workstation sees every snapshot half a round trip late; the predictive display's ghost
leads that delayed view toward where the arm really goes; pausing stops both lines."""

from __future__ import annotations

import math

import pytest

from trainer.input.state import Button, HandControllerState
from trainer.prediction import split_round_trip
from trainer.scenario.loader import load_scenario
from trainer.session import Session
from trainer.telemetry import Telemetry

DEFLECTION = HandControllerState(thc=(0.0, 0.0, 0.6))  # toward the LEE's +z, in its frame
NEUTRAL = HandControllerState()


@pytest.fixture(scope="module")
def ground_flight() -> dict[str, object]:
    """crs20-berthing-ground: 30 ticks still, then a 2 s deflection, then still, 900 ticks
    in all; what every tick sent, commanded and showed."""
    scenario = load_scenario("crs20-berthing-ground")
    session = Session(scenario, 1)
    commanded: list[float] = []
    seen_ticks: list[int] = []
    true_vehicle: list[tuple[float, float, float]] = []
    ghosts: list[tuple[tuple[float, float, float], tuple[float, float, float]]] = []
    try:
        for tick in range(900):
            hc = DEFLECTION if 30 <= tick < 150 else NEUTRAL
            seen = session.tick(hc)
            commanded.append(max(abs(r) for r in session.world.commanded_joint_rates()))
            seen_ticks.append(seen.tick)
            true_vehicle.append(session.last_telemetry.vehicle_position_world_m)
            assert seen.ground is not None
            ghost = seen.ground.ghost(seen)
            ghosts.append((ghost.vehicle_position_m, seen.vehicle_position_world_m))
        return {
            "commanded": commanded,
            "seen_ticks": seen_ticks,
            "true_vehicle": true_vehicle,
            "ghosts": ghosts,
            "up_down": split_round_trip(7.0),
        }
    finally:
        session.close()


def test_the_round_trip_is_split_evenly_in_ticks() -> None:
    assert split_round_trip(7.0) == (210, 210)
    assert split_round_trip(0.0) == (0, 0)
    assert sum(split_round_trip(6.5)) == 390


def test_a_deflection_moves_the_arm_after_the_delay_not_before(
    ground_flight: dict[str, object],
) -> None:
    commanded = ground_flight["commanded"]
    assert isinstance(commanded, list)
    up, _down = ground_flight["up_down"]  # type: ignore[misc]
    first = 30 + up  # the tick index whose call first hands the deflection to the controller
    assert all(rate == 0.0 for rate in commanded[:first]), "the arm moved before the delay"
    assert commanded[first] > 0.0, "the arm did not move when the command landed"
    assert all(rate > 0.0 for rate in commanded[first : 150 + up - 30])


def test_the_workstation_sees_half_a_round_trip_late(ground_flight: dict[str, object]) -> None:
    seen_ticks = ground_flight["seen_ticks"]
    assert isinstance(seen_ticks, list)
    _up, down = ground_flight["up_down"]  # type: ignore[misc]
    for call, seen in enumerate(seen_ticks):
        true_tick = call + 1
        assert seen == max(1, true_tick - down)  # the first snapshot until then


def test_the_ghost_leads_the_delayed_view(ground_flight: dict[str, object]) -> None:
    ghosts = ground_flight["ghosts"]
    true_vehicle = ground_flight["true_vehicle"]
    assert isinstance(ghosts, list) and isinstance(true_vehicle, list)
    up, _down = ground_flight["up_down"]  # type: ignore[misc]
    # Mid-move on the ground's clock: the deflection is sent, Dragon not yet seen moving.
    for call in (200, 300, 400):
        ghost, seen = ghosts[call]
        future = true_vehicle[min(call + up, len(true_vehicle) - 1)]
        lead = math.dist(ghost, seen)
        assert lead > 0.01, f"tick {call}: the ghost sits on the delayed view"
        assert math.dist(ghost, future) < 0.5 * math.dist(seen, future), call
    # At rest again and seen at rest: the ghost is back on the view.
    ghost, seen = ghosts[-1]
    assert math.dist(ghost, seen) < 0.01


def test_from_the_cupola_nothing_is_delayed() -> None:
    session = Session(load_scenario("crs20-berthing"), 1)
    try:
        seen = session.tick(DEFLECTION)
        assert seen.tick == 1 and seen.ground is None
        assert max(abs(r) for r in session.world.commanded_joint_rates()) > 0.0
    finally:
        session.close()


def test_a_paused_session_advances_neither_line() -> None:
    session = Session(load_scenario("crs20-berthing-ground"), 1)
    try:
        for _ in range(250):
            seen = session.tick(NEUTRAL)
        before = seen.tick
        session.tick(HandControllerState(buttons=frozenset({Button.PAUSE})))
        for _ in range(100):
            seen = session.tick(NEUTRAL)
        assert session.paused and seen.tick == before
    finally:
        session.close()


def test_the_predictor_uses_the_controllers_own_caps() -> None:
    from trainer import prediction
    from trainer.control.params import DEFAULT_PARAMETERS

    assert DEFAULT_PARAMETERS.tip_acceleration_limit_m_s2 == prediction.TIP_ACCELERATION_M_S2
    assert (
        DEFAULT_PARAMETERS.tip_angular_acceleration_limit_rad_s2
        == prediction.TIP_ANGULAR_ACCELERATION_RAD_S2
    )
    assert DEFAULT_PARAMETERS.payload_reference_mass_kg == prediction.PAYLOAD_REFERENCE_MASS_KG


def test_a_button_reaches_the_arm_after_the_delay_too() -> None:
    """FRAME from the ground switches the controller's frame of resolution one uplink later,
    and not before, tick by tick (the edge travels with the command)."""
    session = Session(load_scenario("crs20-berthing-ground"), 1)
    up, _down = split_round_trip(7.0)
    frames: list[str] = []
    try:
        for tick in range(up + 40):
            buttons = frozenset({Button.FRAME}) if 10 <= tick < 13 else frozenset()
            session.tick(HandControllerState(buttons=buttons))
            control = session.last_telemetry.control
            assert control is not None
            frames.append(control.frame.value)
    finally:
        session.close()
    assert set(frames[: 10 + up]) == {"base"}
    assert frames[10 + up] == "lee" and set(frames[10 + up :]) == {"lee"}


def test_a_graded_pilot_flies_on_what_the_ground_sees() -> None:
    """``grade`` hands a scripted pilot the downlinked snapshot (``Session.seen_telemetry``),
    as the window shows it, never the session's true one (``last_telemetry``)."""
    from trainer.graded import _flown_by

    scenario = load_scenario("crs20-berthing-ground")
    session = Session(scenario, 1)
    seen: list[tuple[int, bool]] = []

    class Spy:
        name = "spy"

        def next_state(self, t: Telemetry) -> HandControllerState:
            seen.append((t.tick, t.ground is not None))
            return NEUTRAL

    try:
        states = _flown_by(Spy(), session)
        for _ in range(300):
            session.tick(next(states))
        _up, down = split_round_trip(7.0)
        assert seen[-1] == (299 - down, True)  # the snapshot half a round trip old
        assert session.last_telemetry.tick == 300
    finally:
        session.close()
