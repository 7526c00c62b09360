"""The environment speaks Gymnasium's API (docs/ENVIRONMENT.md §1): registered ids, the
checker, the spaces, and actions that go through a person's hand-controller path."""

from __future__ import annotations

import math
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import gymnasium
import numpy as np
import pytest
from env_support import action
from gymnasium.utils.env_checker import check_env

import canadarm_trainer
from trainer.envs import BUTTONS, CaptureEnv, action_of, hand_controller_state
from trainer.envs.registration import ENV_IDS
from trainer.errors import OutputError
from trainer.input.state import Button, HandControllerState

MakeEnv = Callable[..., CaptureEnv]


def test_make_with_the_module_prefix_registers_and_builds_in_a_fresh_process() -> None:
    """``gymnasium.make("canadarm_trainer:...")`` imports the module, which registers the
    ids; the environment needs no window library (pygame) and no OpenGL until it draws."""
    code = (
        "import sys, gymnasium\n"
        "env = gymnasium.make('canadarm_trainer:CanadarmTrainer/Capture-v0')\n"
        "obs, info = env.reset(seed=1)\n"
        "assert obs in env.observation_space\n"
        "print(env.spec.id, env.unwrapped.scenario.id, info['session_seed'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygame', 'moderngl')))\n"
        "env.close()\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    first, loaded = run.stdout.strip().splitlines()[-2:]
    assert first.split()[:2] == ["CanadarmTrainer/Capture-v0", "crs20-capture"]
    assert loaded == "[]"


def test_every_id_is_registered_on_its_scenario_and_task() -> None:
    assert canadarm_trainer.ENV_IDS is ENV_IDS
    tasks = {}
    for env_id, scenario in ENV_IDS.items():
        assert env_id in gymnasium.registry
        env = gymnasium.make(env_id)
        try:
            assert env.unwrapped.scenario.id == scenario
            tasks[env_id] = env.unwrapped.scenario.task
        finally:
            env.close()
    assert tasks == {
        "CanadarmTrainer/Capture-v0": "capture",
        "CanadarmTrainer/Approach-v0": "approach",
        "CanadarmTrainer/OffsetGrappleDrill-v0": "offset-grapple-drill",
    }


def test_gymnasium_env_checker_passes_with_images() -> None:
    """``check_env`` (reset and step determinism, spaces, data not reused, rendering,
    close twice), with the LEE camera in the observation; it must not even warn."""
    env = gymnasium.make(
        "CanadarmTrainer/Capture-v0", render_mode="rgb_array", camera_observation=(64, 48)
    )
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            check_env(env.unwrapped)
        assert [str(w.message) for w in caught if "gymnasium" in w.filename] == []
        env.reset(seed=5)
        image = env.render()
        assert isinstance(image, np.ndarray)
        assert image.shape == (360, 480, 3) and image.dtype == np.uint8
        assert image.std() > 5.0, "a picture of the fixture, not a blank frame"
    finally:
        env.close()


def test_the_spaces_are_documented_and_the_observation_fits_them(make_env: MakeEnv) -> None:
    env = make_env()
    sticks = env.action_space["sticks"]
    assert isinstance(sticks, gymnasium.spaces.Box)
    assert sticks.shape == (6,) and sticks.dtype == np.float32
    assert float(sticks.low.min()) == -1.0 and float(sticks.high.max()) == 1.0
    assert env.action_space["buttons"].n == len(BUTTONS) == 12
    assert Button.PAUSE not in BUTTONS and Button.CAMERA not in BUTTONS
    obs, info = env.reset(seed=0)
    assert obs in env.observation_space
    assert set(obs) == set(env.observation_space.spaces)
    for name, space in env.observation_space.spaces.items():
        if isinstance(space, gymnasium.spaces.Box):
            assert obs[name].dtype == np.float32, name
    # the observation is the snapshot's: a few fields checked against the telemetry
    t = env.telemetry
    assert t is not None
    assert obs["range_m"][0] == np.float32(t.range_m)
    assert obs["shaft_tip_position_lee_m"].tolist() == [
        float(np.float32(v)) for v in t.shaft_tip_position_lee_m
    ]
    assert obs["capture_metrics"][4] == np.float32(t.metrics.relative_speed_m_s)
    assert obs["joint_angles_rad"].tolist() == [float(np.float32(v)) for v in t.joint_angles_rad]
    assert obs["free_drift"] == 0 and obs["time_s"][0] == 0.0
    # the hard limit counts from free drift (5 s in): until then the 600 s session cap
    assert obs["time_left_s"][0] == 600.0
    assert info["session_seed"] == env.session_seed


def test_sticks_are_clamped_and_non_finite_axes_centred_as_for_a_device(
    make_env: MakeEnv,
) -> None:
    env = make_env(time_limit_s=1.0)
    env.reset(seed=0)
    env.step(action((5.0, -3.0, math.nan, math.inf, 0.25, -0.5)))
    assert env.telemetry is not None
    hc = env.telemetry.hand_controller
    assert hc.thc == (1.0, -1.0, 0.0)
    assert hc.rhc == (0.0, 0.25, -0.5)


def test_buttons_act_on_their_rising_edge_through_the_controller(make_env: MakeEnv) -> None:
    """MODE held for several ticks cycles the mode once; released and pressed again,
    once more. RATE_SCALE to vernier cuts the LEE's rate caps as the controller does."""
    env = make_env(time_limit_s=2.0)
    obs, _ = env.reset(seed=0)
    assert obs["mode"] == 0  # cartesian
    for _ in range(5):
        obs, *_ = env.step(action(buttons=(Button.MODE,)))
    assert obs["mode"] == 1  # single joint, once
    obs, *_ = env.step(action())
    obs, *_ = env.step(action(buttons=(Button.MODE,)))
    assert obs["mode"] == 2  # position hold
    coarse = obs["rate_limits"].copy()
    assert coarse[0] > 0.0
    obs, *_ = env.step(action(buttons=(Button.RATE_SCALE,)))
    assert obs["rate_scale"] == 1
    assert 0.0 < obs["rate_limits"][0] < coarse[0]
    assert obs["frame"] == 0
    obs, *_ = env.step(action(buttons=(Button.FRAME,)))
    assert obs["frame"] == 1  # the LEE frame


def _triggers(env: CaptureEnv) -> list[float]:
    assert env.session is not None
    return [e.time_s for e in env.session.events if e.kind == "trigger"]


def test_the_button_guard_asks_a_policy_for_the_hold_a_gamepad_needs(
    make_env: MakeEnv,
) -> None:
    """Without the guard the trigger acts on its first tick, as a scripted pilot's does;
    with it, only after the 0.25 s (15 ticks) the default bindings ask of a person."""
    capture = action(buttons=(Button.CAPTURE,))
    plain = make_env(time_limit_s=2.0)
    plain.reset(seed=0)
    plain.step(capture)
    assert len(_triggers(plain)) == 1

    guarded = make_env(time_limit_s=2.0, button_guard=True)
    guarded.reset(seed=0)
    for _ in range(14):
        guarded.step(capture)
    assert _triggers(guarded) == []
    guarded.step(capture)
    assert len(_triggers(guarded)) == 1
    # a release restarts the hold
    guarded.step(action())
    for _ in range(14):
        guarded.step(capture)
    assert len(_triggers(guarded)) == 1


def test_actions_of_the_wrong_shape_or_buttons_a_policy_has_not_got_are_refused() -> None:
    with pytest.raises(ValueError, match="sticks have 6 axes"):
        hand_controller_state({"sticks": np.zeros(7), "buttons": np.zeros(12)})
    with pytest.raises(ValueError, match="an action is"):
        hand_controller_state({"sticks": np.zeros(6)})
    with pytest.raises(ValueError, match="pause"):
        action_of(HandControllerState(buttons=frozenset({Button.PAUSE})))
    with pytest.raises(ValueError, match="connected"):
        action_of(HandControllerState(connected=False))
    state = HandControllerState(
        thc=(0.1, -0.2, 1 / 3), rhc=(0.0, 2 / 7, -1.0), buttons=frozenset({Button.ABORT})
    )
    assert hand_controller_state(action_of(state)) == state  # float64: bit for bit


def test_reset_options_and_arguments_are_checked(make_env: MakeEnv) -> None:
    env = make_env()
    with pytest.raises(ValueError, match="unknown reset options: scenario"):
        env.reset(options={"scenario": "basic-drill"})
    with pytest.raises(ValueError, match="0 to 4294967295"):
        env.reset(options={"session_seed": -1})
    with pytest.raises(ValueError, match="must be an integer"):
        env.reset(options={"session_seed": 1.5})
    with pytest.raises(gymnasium.error.ResetNeeded):
        env.step(action())
    with pytest.raises(ValueError, match="ticks_per_step"):
        CaptureEnv(ticks_per_step=0)
    with pytest.raises(ValueError, match="time_limit_s"):
        CaptureEnv(time_limit_s=-1.0)
    with pytest.raises(ValueError, match="render_camera"):
        CaptureEnv(render_camera="top")  # type: ignore[arg-type]


@pytest.mark.parametrize("scenario", ["crs20-berthing", "crs20-capture-and-berth"])
def test_a_berthing_has_no_environment_yet(scenario: str) -> None:
    """Its observation and reward would be the capture's: refused at once, naming what a
    Berthing-v0 needs (docs/ENVIRONMENT.md §11), never a capture's reward for a berthing."""
    with pytest.raises(ValueError, match=r"task has no environment yet.*Berthing-v0"):
        CaptureEnv(scenario)
    assert not any("Berthing" in env_id for env_id in ENV_IDS)


def test_a_finished_episode_must_be_reset(make_env: MakeEnv) -> None:
    env = make_env(time_limit_s=0.05)  # three ticks
    env.reset(seed=0)
    ends = [env.step(action())[2:4] for _ in range(3)]
    assert ends == [(False, False), (False, False), (False, True)]
    with pytest.raises(gymnasium.error.ResetNeeded):
        env.step(action())


def test_one_environment_per_recording_folder(make_env: MakeEnv, tmp_path: Path) -> None:
    make_env(record_dir=tmp_path)
    with pytest.raises(OutputError, match="in use by another run"):
        CaptureEnv(record_dir=tmp_path)


def test_an_action_buffer_changed_in_place_acts_on_the_next_step(make_env: MakeEnv) -> None:
    """A policy may hand the same arrays every step, changed in place: each step reads
    them afresh (an unchanged action reuses the last state only when equal bit for bit)."""
    env = make_env(time_limit_s=1.0)
    env.reset(seed=0)
    buffer = action()
    env.step(buffer)
    assert env.telemetry is not None and env.telemetry.hand_controller.thc[0] == 0.0
    buffer["sticks"][0] = 0.5
    env.step(buffer)
    assert env.telemetry.hand_controller.thc[0] == 0.5
    buffer["sticks"][0] = -0.0
    env.step(buffer)
    assert math.copysign(1.0, env.telemetry.hand_controller.thc[0]) == -1.0
    halfway = {"sticks": np.zeros(6, np.float32), "buttons": np.zeros(12, np.float32)}
    halfway["buttons"][2] = 0.5  # any non-zero flag holds the button (mode)
    obs, *_ = env.step(halfway)
    assert obs["mode"] == 1
    halfway["buttons"][2] = 0.0
    env.step(halfway)
    assert env.telemetry.hand_controller.buttons == frozenset()
