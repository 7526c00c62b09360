"""Flying berthing sessions for the tests: one graded flight per scenario and pilot, kept
for the test run (a berthing is 7-8 minutes of simulated time, ~8 s of computing)."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from typing import Any

from trainer.pilots import Pilot, make_pilot
from trainer.pilots.berthing_autopilot import RammingPilot
from trainer.scenario.loader import load_scenario
from trainer.scenario.model import Scenario
from trainer.scoring.report import build_report
from trainer.session import Session
from trainer.telemetry import Telemetry


@dataclass(frozen=True)
class Flight:
    outcome: str | None
    reason: str | None
    report: dict[str, Any]
    events: list[dict[str, Any]]
    telemetry: tuple[Telemetry, ...]  # the true snapshot of every 6th tick (10 Hz)
    limp_ticks: tuple[int, ...]  # the ticks on which the drives were limp


def fly_session(
    scenario: Scenario, pilot_name: str, seed: int = 1, pilot: Pilot | None = None
) -> Flight:
    if pilot is None:
        pilot = RammingPilot() if pilot_name == "ram" else make_pilot(pilot_name, scenario)
    session = Session(scenario, seed, pilot=pilot_name)
    snapshots: list[Telemetry] = []
    limp: list[int] = []
    try:
        seen = session.last_telemetry
        while not session.finished:
            seen = session.tick(pilot.next_state(seen))
            if session.tick_count % 6 == 0:
                snapshots.append(session.last_telemetry)
            if session.world.drives.limp:
                limp.append(session.tick_count)
        facts = session.facts(None)
        return Flight(
            session.outcome,
            session.outcome_reason,
            build_report(facts),
            [e.to_dict() for e in session.events],
            tuple(snapshots),
            tuple(limp),
        )
    finally:
        session.close()


@functools.cache
def fly(scenario_id: str, pilot_name: str = "autopilot") -> Flight:
    return fly_session(load_scenario(scenario_id), pilot_name)


def with_hard_limit(scenario_id: str, hard_limit_s: float) -> Scenario:
    """A shipped berthing scenario whose session ends sooner (for the pilots that never
    berth)."""
    scenario = load_scenario(scenario_id)
    assert scenario.berthing is not None
    spec = dataclasses.replace(scenario.berthing, hard_limit_s=hard_limit_s)
    return dataclasses.replace(scenario, berthing=spec)


def kinds(flight: Flight) -> list[str]:
    return [str(e["kind"]) for e in flight.events]
