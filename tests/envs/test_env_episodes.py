"""Episodes: the same seed gives the same episode bit for bit; the autopilot flown as a
policy is graded exactly as ``grade --pilot autopilot``; a recorded episode is a recording
like any other (``replay --verify``, ``report``) (docs/ENVIRONMENT.md §5, §6, §8)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from env_support import action, episode, scripted_actions

from trainer.envs import CaptureEnv, PilotPolicy
from trainer.record.seek import open_recording

MakeEnv = Callable[..., CaptureEnv]


def _summary(path: Path) -> dict[str, Any] | None:
    """A recording's ``canadarm-trainer.summary`` (docs/DESIGN.md §7)."""
    with open_recording(path) as recording:
        return recording.summary


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trainer.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ},
    )


def test_the_same_seed_gives_the_same_episode_bit_for_bit(make_env: MakeEnv) -> None:
    """Whole episodes (every observation, reward, flag and info) of a busy policy that
    moves the sticks and works the buttons: the same seed in a fresh environment, and
    again in the same one after an episode of another seed, is the same episode."""
    act = scripted_actions(11)
    first = make_env(time_limit_s=6.0)
    a = episode(first, act, seed=3)
    other = episode(first, act, seed=4)
    again = episode(first, act, seed=3)
    second = make_env(time_limit_s=6.0)
    fresh = episode(second, act, seed=3)
    assert len(a) == 361  # the reset and 360 steps of 1/60 s
    assert a == again
    assert a == fresh
    assert other[0] != a[0], "another seed disperses Dragon otherwise"
    # not a still arm's episode: the policy moved the joints and worked the controller
    assert second.session is not None and second.telemetry is not None
    start = second.session.world.spec.initial_joint_angles_rad
    moved = [abs(x - y) for x, y in zip(second.telemetry.joint_angles_rad, start, strict=True)]
    assert max(moved) > 0.01
    kinds = {e.kind for e in second.session.events}
    assert "free_drift_start" in kinds


def test_a_seeded_sequence_of_resets_repeats(make_env: MakeEnv) -> None:
    """``reset(seed=s)`` then ``reset()``: the session seeds follow from ``np_random``."""
    env = make_env()
    seeds = [env.reset(seed=9)[1]["session_seed"]] + [
        env.reset()[1]["session_seed"] for _ in range(3)
    ]
    again = [env.reset(seed=9)[1]["session_seed"]] + [
        env.reset()[1]["session_seed"] for _ in range(3)
    ]
    assert seeds == again
    assert len(set(seeds)) == 4


def test_images_options_and_the_guard_keep_episodes_bit_for_bit(make_env: MakeEnv) -> None:
    act = scripted_actions(5)
    options = {"time_limit_s": 3.0, "ticks_per_step": 6, "button_guard": True}
    a = episode(make_env(camera_observation=(48, 36), **options), act, seed=21)
    b = episode(make_env(camera_observation=(48, 36), **options), act, seed=21)
    assert len(a) == 31  # 3 s in steps of 6 ticks
    assert a == b


def test_the_autopilot_as_a_policy_is_graded_as_grade_and_its_recording_verifies(
    make_env: MakeEnv, graded_recording: Path, tmp_path: Path
) -> None:
    """``grade crs20-capture --pilot autopilot --seed 7`` (the shared graded recording)
    and the same autopilot flown through the environment on session seed 7: the same
    report to the last bit, the same /input stream (its digest), and the environment's
    recording reproduces under ``replay --verify`` and grades under ``report``."""
    env = make_env(record_dir=tmp_path / "env", pilot_name="autopilot")
    policy = PilotPolicy.autopilot(env.scenario)
    env.reset(options={"session_seed": 7})
    rewards = []
    while True:
        assert env.telemetry is not None
        _obs, reward, terminated, truncated, info = env.step(policy.act(env.telemetry))
        rewards.append(reward)
        if terminated or truncated:
            break
    assert terminated and not truncated
    report = info["report"]
    graded = json.loads((graded_recording.parent / "report.json").read_text())
    assert report["outcome"] == "captured" and report["passed"]
    assert report == graded  # outcome, trigger, score, metrics, events' facts: all of it

    recording = Path(info["recording"])
    assert recording == tmp_path / "env" / "episode-000001" / "session.mcap"
    assert json.loads((recording.parent / "report.json").read_text()) == graded
    mine, theirs = _summary(recording), _summary(graded_recording)
    assert mine is not None and theirs is not None
    assert mine["inputs_digest"] == theirs["inputs_digest"]
    assert mine["report"] == graded

    # the reward: a passing episode returns its score plus the potential's rise from
    # its floor before free drift (-50 with the default weights) to 0 once held
    assert math.isclose(math.fsum(rewards), report["score"]["total"] + 50.0, rel_tol=1e-12)

    verify = cli("replay", str(recording), "--verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "reproduced" in verify.stdout
    debrief = cli("report", str(recording), "--out", str(tmp_path / "debrief"))
    assert debrief.returncode == 0, debrief.stderr
    graded_again = json.loads((tmp_path / "debrief" / "report.json").read_text())
    assert {k: v for k, v in graded_again.items() if k != "debrief"} == graded
    assert (tmp_path / "debrief" / "debrief.html").is_file()


def test_a_truncated_episode_of_a_busy_policy_is_recorded_and_verifies(
    make_env: MakeEnv, tmp_path: Path
) -> None:
    """An agent's episode cut by the time limit: the session is stopped (interrupted,
    never passed), its recording closed with the report, and it reproduces bit for bit."""
    env = make_env(record_dir=tmp_path, time_limit_s=3.0)
    steps = episode(env, scripted_actions(2), seed=8)
    assert len(steps) == 181
    report = env.report
    assert report is not None and env.recording is not None
    assert report["outcome"] == "interrupted" and not report["passed"]
    assert report["outcome_reason"] == "the environment's time limit of 3 s"
    assert report["pilot"] == "policy"
    verify = cli("replay", str(env.recording), "--verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    # the next episode goes to the next folder
    env.reset(seed=9)
    assert env.recording == tmp_path / "episode-000002" / "session.mcap"


def test_an_episode_still_running_is_stopped_and_closed_on_reset(
    make_env: MakeEnv, tmp_path: Path
) -> None:
    env = make_env(record_dir=tmp_path)
    env.reset(seed=1)
    for _ in range(30):
        env.step(action((0.2, 0.0, 0.0, 0.0, 0.0, 0.0)))
    env.reset(seed=2)
    first = json.loads((tmp_path / "episode-000001" / "report.json").read_text())
    assert first["outcome"] == "interrupted"
    assert first["outcome_reason"] == "the environment was reset"
    summary = _summary(tmp_path / "episode-000001" / "session.mcap")
    assert summary is not None and summary["outcome"] == "interrupted"
