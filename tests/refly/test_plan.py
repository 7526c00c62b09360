"""The plan of ``grade --pilot RECORDING`` (trainer/refly/plan.py, in process): a recording knows the
scenario, the seed and the physics build it was flown with, and the plan says when any of
them differs."""

from __future__ import annotations

from pathlib import Path

import pytest

import trainer.refly.plan as refly_plan
from trainer.errors import TrainerError
from trainer.input.state import HandControllerState
from trainer.scenario.loader import load_scenario
from trainer.session import Session


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plan") / "easy.mcap"
    session = Session(load_scenario("crs20-capture-easy"), 5, recording_path=path)
    try:
        for _ in range(12):
            session.tick(HandControllerState(thc=(0.2, 0.0, 0.0)))
        session.stop()
    finally:
        session.close()
    return path


def test_the_plan_takes_the_recordings_scenario_and_seed(recording: Path) -> None:
    plan = refly_plan.plan_refly(recording, load_scenario("crs20-capture-easy"), None, False)
    assert plan.seed == 5 and plan.scenario.id == "crs20-capture-easy"
    assert plan.notices == [] and len(plan.inputs.states) == 12


def test_another_physics_build_is_noticed(recording: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(refly_plan, "_pybullet_version", lambda: "9.9.9")
    plan = refly_plan.plan_refly(recording, load_scenario("crs20-capture-easy"), None, False)
    assert len(plan.notices) == 1 and "9.9.9" in plan.notices[0]


def test_many_seeds_with_a_recording_are_refused(recording: Path) -> None:
    with pytest.raises(TrainerError, match="one session"):
        refly_plan.plan_refly(recording, load_scenario("crs20-capture-easy"), range(5, 7), True)
    with pytest.raises(TrainerError, match="seed 5"):
        refly_plan.plan_refly(recording, load_scenario("crs20-capture-easy"), range(6, 7), False)


def test_without_a_scenario_the_recordings_own_is_flown(recording: Path) -> None:
    """``grade --pilot RECORDING`` without a scenario, and each recording of a campaign:
    the scenario stored in the recording, its seed, nothing to notice."""
    plan = refly_plan.plan_refly(recording, None, None, False)
    assert plan.seed == 5 and plan.scenario.id == "crs20-capture-easy"
    assert dict(plan.scenario.raw) == dict(load_scenario("crs20-capture-easy").raw)
    assert plan.notices == [] and len(plan.inputs.states) == 12
