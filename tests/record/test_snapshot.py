"""The snapshot the replay viewer shows is the one recorded: rebuilt from a /state message
(and the /input of the same tick) without pybullet, its derived capture numbers equal
the metrics the session recorded at that instant."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.record.seek import open_recording
from trainer.record.snapshot import shaft_tip_offset_from_tf, snapshot_from_state


@pytest.mark.parametrize("time_s", [3.0, 30.0, 55.0, 60.0])
def test_rebuilt_snapshot_reproduces_the_recorded_metrics(
    graded_recording: Path, time_s: float
) -> None:
    with open_recording(graded_recording) as rec:
        state = rec.state_at(time_s)
        assert state is not None
        snap = snapshot_from_state(
            state,
            state["time_s"],
            hand_controller=rec.input_at(time_s),
            shaft_tip_frgf_m=shaft_tip_offset_from_tf(rec.transforms_at(0.0)),
        )
    assert snap.range_m == state["range_m"]
    assert snap.capture_state.value == state["capture_state"]
    assert snap.control is not None and snap.control.mode.value == state["control"]["mode"]
    recorded = state["metrics"]
    for key, value in snap.metrics.to_dict().items():
        # 1e-5: the shaft-tip offset comes from /tf, built from pybullet's float32 link
        # frames (docs/PYBULLET_NOTES.md §1), a few 1e-6 m off at 11 m from the origin.
        assert value == pytest.approx(recorded[key], abs=1e-5), key
    # the range the status display shows agrees with the shaft tip rebuilt from /tf
    tip = snap.shaft_tip_position_lee_m
    assert math.sqrt(sum(v * v for v in tip)) == pytest.approx(state["range_m"], abs=1e-5)


def test_sticks_come_from_the_input_of_that_tick(graded_recording: Path) -> None:
    with open_recording(graded_recording) as rec:
        message = rec.input_message_at(30.0)
        hc = rec.input_at(30.0)
        state = rec.state_at(30.0)
    assert message is not None and state is not None
    snap = snapshot_from_state(state, 30.0, hand_controller=hc)
    assert snap.hand_controller.thc == pytest.approx(message["thc"])
    assert snap.hand_controller.rhc == pytest.approx(message["rhc"])
    assert any(abs(v) > 0.01 for v in snap.hand_controller.thc)  # the autopilot flies here


def test_a_closing_approach_reads_as_a_falling_range(graded_recording: Path) -> None:
    with open_recording(graded_recording) as rec:
        before, after = rec.state_at(20.0), rec.state_at(21.0)
        assert before is not None and after is not None
        offset = shaft_tip_offset_from_tf(rec.transforms_at(0.0))
        snap = snapshot_from_state(before, 20.0, shaft_tip_frgf_m=offset)
    rate = (after["range_m"] - before["range_m"]) / (after["time_s"] - before["time_s"])
    assert snap.range_rate_m_s == pytest.approx(rate, abs=0.01)
    assert rate < -0.01  # the range falls while the LEE closes on the fixture


def test_an_older_or_partial_message_still_gives_a_snapshot() -> None:
    snap = snapshot_from_state({"range_m": 2.0, "capture_state": "unknown-phase"}, 1.5)
    assert snap.range_m == 2.0 and snap.capture_state.value == "open"
    assert snap.control is None and snap.joint_angles_rad == ()
    assert snap.tick == 90
    assert snap.hand_controller.is_neutral and snap.hand_controller.connected  # none given


def test_the_snapshot_module_does_not_load_pybullet() -> None:
    code = "import sys, trainer.record.snapshot; print('pybullet' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
