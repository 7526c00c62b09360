"""M2's calls and the caution and warning items, from snapshots of a real session."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from trainer.input.state import HandControllerState
from trainer.scenario.loader import load_scenario
from trainer.session import Session
from trainer.sim.capture_state import CaptureState
from trainer.telemetry import Telemetry
from trainer.ui.alerts import Level, MasterAlarm, alerts
from trainer.ui.calls import M2Caller


@pytest.fixture(scope="module")
def snapshot() -> Telemetry:
    session = Session(load_scenario("crs20-capture"), 7)
    try:
        t = session.last_telemetry
        assert t is not None
        return t
    finally:
        session.close()


def _calls(caller: M2Caller, t: Telemetry, ranges: list[float]) -> list[str]:
    out = []
    for i, r in enumerate(ranges):
        out += [c.text for c in caller.update(replace(t, range_m=r, time_s=float(i)))]
    return out


def test_m2_calls_each_range_threshold_once_as_the_range_closes(snapshot: Telemetry) -> None:
    caller = M2Caller(load_scenario("crs20-capture").envelope)
    calls = _calls(caller, snapshot, [6.5, 5.5, 4.9, 4.5, 3.0, 2.9, 1.4, 1.0, 0.99, 1.01, 0.98])
    assert calls[0].startswith("M2: range 6 metres")  # the opening call
    ranged = [c.split(",")[0] for c in calls[1:] if "metres" in c]
    assert ranged == [
        "M2: 6 metres",
        "M2: 5 metres",
        "M2: 3 metres",
        "M2: 1.5 metres",
        "M2: 1.0 metres",
    ]
    # Opening well beyond a threshold re-arms it.
    again = _calls(caller, snapshot, [1.5, 0.95])
    assert any(c.startswith("M2: 1.0 metres") for c in again)


def test_no_calls_once_the_fixture_is_captured(snapshot: Telemetry) -> None:
    caller = M2Caller(load_scenario("crs20-capture").envelope)
    held = replace(snapshot, capture_state=CaptureState.RIGID)
    assert caller.update(held) == []


def test_approaching_before_free_drift_is_a_warning(snapshot: Telemetry) -> None:
    close = replace(snapshot, free_drift_elapsed_s=None, range_m=1.2)
    keys = {a.key: a.level for a in alerts(close)}
    assert keys.get("no_free_drift") is Level.WARNING
    assert "no_free_drift" not in {a.key for a in alerts(replace(close, free_drift_elapsed_s=2.0))}
    assert "no_free_drift" not in {a.key for a in alerts(replace(close, range_m=1.6))}


def test_unplugged_hand_controller_joint_limit_and_contact(snapshot: Telemetry) -> None:
    lost = replace(snapshot, hand_controller=HandControllerState(connected=False))
    assert "hc_lost" in {a.key for a in alerts(lost)}
    angles = (math.radians(260.0), *snapshot.joint_angles_rad[1:])
    limit = alerts(replace(snapshot, joint_angles_rad=angles))
    joint = next(a for a in limit if a.key == "joint_limit")
    assert joint.level is Level.CAUTION and "SHOULDER ROLL" in joint.text
    t = snapshot.time_s
    assert "contact" in {a.key for a in alerts(snapshot, last_contact_s=t - 1.0)}
    assert "contact" not in {a.key for a in alerts(snapshot, last_contact_s=t - 10.0)}


def test_master_alarm_latches_until_acknowledged(snapshot: Telemetry) -> None:
    alarm = MasterAlarm()
    lost = alerts(replace(snapshot, hand_controller=HandControllerState(connected=False)))
    assert alarm.update(lost) is True and alarm.alarm
    assert alarm.update(lost) is False  # the same item does not ring again
    alarm.acknowledge()
    assert not alarm.alarm
    assert alarm.update(lost) is False and not alarm.alarm  # still lit, acknowledged
    alarm.update([])
    assert alarm.update(lost) is True  # cleared and back: a new alarm
