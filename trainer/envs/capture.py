"""``CaptureEnv``: a scenario's session as a Gymnasium environment (docs/ENVIRONMENT.md).

The environment is the session a trainee flies, not a second simulation: each episode is
one ``Session`` (trainer/session/core.py) of the scenario, running the task the scenario
names (trainer/tasks/: the capture, the approach procedure, the offset-grapple drill),
ticked with the ``HandControllerState`` an action makes (trainer/envs/spaces.py), judged
by the task's own end rules, graded by the same report as ``grade``, and optionally
recorded to the same ``session.mcap``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import gymnasium
import numpy as np
from gymnasium.error import ResetNeeded

from trainer.clock import CONTROL_HZ
from trainer.envs.images import CAMERAS, CameraName, Image, Monitors
from trainer.envs.reward import EnvelopeReward, deductions_of
from trainer.envs.spaces import (
    Selections,
    action_space,
    hand_controller_state,
    observation_space,
    observe,
)
from trainer.input.guard import HoldGuard
from trainer.input.state import Button, HandControllerState
from trainer.safeio import FolderLock, make_folder
from trainer.scenario.defaults import SEED_MAX
from trainer.scenario.loader import load_scenario
from trainer.scenario.model import Scenario
from trainer.scoring.judge import SESSION_CAP_S
from trainer.scoring.report import build_report
from trainer.session import Session
from trainer.session.reports import closing_summary, session_facts, write_reports
from trainer.sim.joints import JOINT_NAMES
from trainer.tasks import TASKS
from trainer.tasks.capture import CaptureTask
from trainer.telemetry import Telemetry

RenderMode = Literal["rgb_array"]
EPISODE_FOLDER = re.compile(r"episode-(\d{6})")
# The tasks an environment takes: those judged as the capture is (its reward's envelope);
# not a berthing (docs/ENVIRONMENT.md §11).
CAPTURE_TASKS: frozenset[str] = frozenset(
    name for name, task in TASKS.items() if issubclass(task, CaptureTask)
)


class CaptureEnv(gymnasium.Env[dict[str, Any], dict[str, Any]]):
    """A scenario's task flown through the hand controllers, one control tick (1/60 s,
    ``ticks_per_step`` of them) per step. docs/ENVIRONMENT.md is the full reference.

    ## Arguments

    | argument             | unit, range                               | default            | meaning |
    |----------------------|-------------------------------------------|--------------------|---------|
    | ``scenario``         | a shipped id, a YAML path or a ``Scenario`` | ``crs20-capture`` | what is flown; its ``task:`` is the job |
    | ``render_mode``      | ``None`` or ``"rgb_array"``                | ``None``           | ``render()`` returns the ``render_camera`` image |
    | ``render_camera``    | ``"lee"``, ``"external"``, ``"elbow"``     | ``"lee"``          | the monitor ``render()`` shows |
    | ``render_size``      | (width, height) px, 1–4096                 | (480, 360)         | of ``render()``'s image |
    | ``camera_observation`` | (width, height) px or ``None``           | ``None``           | adds the LEE camera image ``lee_camera`` to the observation |
    | ``time_limit_s``     | s of simulated time, > 0, or ``None``      | ``None``           | truncates the episode (the session is stopped: outcome ``interrupted``) |
    | ``ticks_per_step``   | control ticks, 1–60                        | 1                  | one action held for this many 1/60 s ticks |
    | ``button_guard``     | bool                                       | ``False``          | guarded buttons (capture, release, retreat, abort, free drift) act only after the hold a gamepad needs (trainer/input/guard.py) |
    | ``record_dir``       | a folder or ``None``                       | ``None``           | each episode writes ``episode-NNNNNN/session.mcap``, ``report.json``, ``report.md`` there, as ``grade`` does |
    | ``pilot_name``       | text                                       | ``"policy"``       | the report's and recording's ``pilot`` |
    | ``renderer``         | ``"gl"`` or ``"cpu"``                      | ``"gl"``           | trainer/render's backend (OpenGL through EGL, or pybullet's CPU renderer) |

    ## Spaces

    Action: ``{"sticks": Box(-1, 1, (6,), float32), "buttons": MultiBinary(12)}`` (THC x,
    y, z and RHC roll, pitch, yaw as fractions of the current rate scale; the buttons held
    this tick, ``spaces.BUTTONS``). Observation: a ``Dict`` of the snapshot's relative pose
    and rates of the fixture in the LEE frame, the capture metrics, joint angles and rates,
    the workstation's selections, the capture state and the clocks (``spaces.observation_space``).

    ## Reward

    In score points: progress of the envelope potential, minus the report's running
    deductions as they grow, plus at the end a passing report's score (trainer/envs/reward.py).

    ## Episode end

    | ends                   | how                                  | flag        |
    |------------------------|--------------------------------------|-------------|
    | the task's own rules   | captured, aborted, retreated, missed, timeout (the hard limit, the drift sphere, the judge's 600 s cap), aligned | ``terminated`` |
    | the session's rules    | collision (an impact), fault (the physics diverged) | ``terminated`` |
    | ``time_limit_s``       | the session is stopped: ``interrupted`` | ``truncated`` |

    The last step's ``info["report"]`` is the graded report (docs/DESIGN.md §6).

    ## Reset

    ``reset(seed=, options=)``: ``super().reset(seed=seed)``, then the session's integer
    seed is drawn from ``self.np_random`` (or given as ``options["session_seed"]``, 0 to
    2³²−1: the same session as ``grade --seed N``), and the session draws every dispersion
    from it. A new world is built each episode (about 20 ms, bench/bench_env.py): the same seed gives the same
    episode bit for bit.

    ## Attributes

    ``telemetry`` (the latest ``Telemetry``, for scripted pilots such as the autopilot:
    ``trainer.envs.PilotPolicy``), ``session`` (the episode's ``Session``, ``None`` before
    the first reset), ``session_seed``, ``report`` (the last episode's, once it ended),
    ``recording`` (its path, when recording).

    ## Version history

    v0: the first version.
    """

    metadata: dict[str, Any] = {  # noqa: RUF012 (gymnasium's own declaration)
        "render_modes": ["rgb_array"],
        "render_fps": CONTROL_HZ,
    }

    def __init__(
        self,
        scenario: str | Path | Scenario = "crs20-capture",
        *,
        render_mode: RenderMode | None = None,
        render_camera: CameraName = "lee",
        render_size: tuple[int, int] = (480, 360),
        camera_observation: tuple[int, int] | None = None,
        time_limit_s: float | None = None,
        ticks_per_step: int = 1,
        button_guard: bool = False,
        record_dir: str | Path | None = None,
        pilot_name: str = "policy",
        renderer: Literal["gl", "cpu"] = "gl",
    ) -> None:
        self.scenario = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        if self.scenario.task not in CAPTURE_TASKS:
            raise ValueError(
                f"the {self.scenario.task} task has no environment yet: its observation and "
                "reward are the capture's (docs/ENVIRONMENT.md §11 says what Berthing-v0 needs)"
            )
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be None or 'rgb_array', got {render_mode!r}")
        if render_camera not in CAMERAS:
            raise ValueError(
                f"render_camera must be 'lee', 'external' or 'elbow', got {render_camera!r}"
            )
        if time_limit_s is not None and not (math.isfinite(time_limit_s) and time_limit_s > 0):
            raise ValueError(
                f"time_limit_s must be a positive number of seconds, got {time_limit_s!r}"
            )
        if not (isinstance(ticks_per_step, int) and 1 <= ticks_per_step <= CONTROL_HZ):
            raise ValueError(f"ticks_per_step must be 1 to {CONTROL_HZ}, got {ticks_per_step!r}")
        if renderer not in ("gl", "cpu"):
            raise ValueError(f"renderer must be 'gl' or 'cpu', got {renderer!r}")
        self.render_mode = render_mode
        self.render_camera: CameraName = render_camera
        self.render_size = _size(render_size, "render_size")
        self.camera_observation = (
            None if camera_observation is None else _size(camera_observation, "camera_observation")
        )
        self.time_limit_s = time_limit_s
        self.ticks_per_step = ticks_per_step
        self.button_guard = button_guard
        self.pilot_name = pilot_name
        self.action_space = action_space()
        self.observation_space = observation_space(self.camera_observation)

        self.session: Session | None = None
        self.session_seed: int | None = None
        self.telemetry: Telemetry | None = None
        self.report: dict[str, Any] | None = None
        self.recording: Path | None = None
        self._reward = EnvelopeReward(self.scenario)
        self._phi = 0.0
        self._deductions = 0.0
        self._guard: HoldGuard | None = None
        # the last action's bits and its state: an unchanged action hands on the same state,
        # as a device or the autopilot does (it saves building one every tick)
        self._last_hc: tuple[tuple[Any, ...], HandControllerState] | None = None
        self._task: CaptureTask | None = None
        self._monitors = Monitors(self.scenario, renderer)
        self._record_dir = None if record_dir is None else Path(record_dir)
        self._lock: FolderLock | None = None
        self._episodes = 0
        if self._record_dir is not None:
            make_folder(self._record_dir, "record_dir")
            # one environment per folder, as one run per output folder (docs/DESIGN.md §5)
            self._lock = FolderLock(self._record_dir, "record_dir").acquire()
            self._episodes = _last_episode(self._record_dir)

    # ------------------------------------------------------------------ the episode
    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        super().reset(seed=seed)
        opts = dict(options or {})
        session_seed = opts.pop("session_seed", None)
        if opts:
            raise ValueError(f"unknown reset options: {', '.join(sorted(opts))} (session_seed)")
        if session_seed is None:
            session_seed = int(self.np_random.integers(0, SEED_MAX, endpoint=True))
        elif isinstance(session_seed, bool) or not isinstance(session_seed, int | np.integer):
            raise ValueError(f"options['session_seed'] must be an integer, got {session_seed!r}")
        elif not 0 <= int(session_seed) <= SEED_MAX:
            raise ValueError(f"options['session_seed'] must be 0 to {SEED_MAX}, got {session_seed}")
        self._end_session("the environment was reset")
        self.report = None
        self.recording = None
        if self._record_dir is not None:
            self._episodes += 1
            folder = self._record_dir / f"episode-{self._episodes:06d}"
            make_folder(folder, "record_dir")
            self.recording = folder / "session.mcap"
        self.session_seed = int(session_seed)
        self.session = Session(
            self.scenario, self.session_seed, pilot=self.pilot_name, recording_path=self.recording
        )
        task = self.session.task
        if not isinstance(task, CaptureTask):  # every task so far judges as the capture does
            raise TypeError(f"the {self.scenario.task} task has no judge for the reward")
        self._task = task
        self._guard = HoldGuard(_device_guards()) if self.button_guard else None
        self._last_hc = None
        self._reward = EnvelopeReward(self.scenario)
        t = self.telemetry = self.session.seen_telemetry
        self._phi, tier = self._reward.potential(t)
        self._deductions = 0.0
        return self._observation(t), self._info(t, tier)

    def step(
        self, action: dict[str, Any]
    ) -> tuple[dict[str, Any], float, bool, bool, dict[str, Any]]:
        session, task = self.session, self._task
        if session is None or task is None or session.finished or self.telemetry is None:
            raise ResetNeeded("the episode has ended (or never began): call reset() first")
        hc = self._hand_controllers(action)
        t = self.telemetry
        truncated = False
        for _ in range(self.ticks_per_step):
            t = session.tick(self._guarded(hc))
            if session.finished:
                break
            if self.time_limit_s is not None and t.time_s >= self.time_limit_s - 1e-9:
                session.stop(f"the environment's time limit of {self.time_limit_s:g} s")
                truncated = True
                break
        self.telemetry = t
        reward_now = self._reward
        phi, tier = reward_now.potential(t)
        ended = session.finished
        if ended:
            report = self._end_episode(session)
            deductions = deductions_of(report)
            bonus = reward_now.terminal_bonus(report)
        else:
            deductions = reward_now.running_deductions(task.judge)
            bonus = 0.0
        reward = (phi - self._phi) - (deductions - self._deductions) + bonus
        self._phi, self._deductions = phi, deductions
        terminated = ended and not truncated
        return self._observation(t), reward, terminated, truncated, self._info(t, tier)

    def _hand_controllers(self, action: dict[str, Any]) -> HandControllerState:
        """The action's hand-controller state; the last one again when the action is the
        last one bit for bit (its arrays' types, shapes and bytes)."""
        try:
            sticks, buttons = np.asarray(action["sticks"]), np.asarray(action["buttons"])
            key: tuple[Any, ...] = (
                sticks.dtype.str,
                sticks.shape,
                sticks.tobytes(),
                buttons.dtype.str,
                buttons.shape,
                buttons.tobytes(),
            )
        except (KeyError, TypeError, ValueError):
            key = ()  # hand_controller_state says what is wrong with it
        last = self._last_hc
        if last is not None and key and last[0] == key:
            return last[1]
        hc = hand_controller_state(action)
        self._last_hc = (key, hc)
        return hc

    def _guarded(self, hc: HandControllerState) -> HandControllerState:
        if self._guard is None:
            return hc
        buttons = self._guard.tick(hc.buttons)
        if buttons == hc.buttons:
            return hc
        return HandControllerState(thc=hc.thc, rhc=hc.rhc, buttons=buttons)

    def _end_episode(self, session: Session) -> dict[str, Any]:
        """The episode has ended: grade it as ``grade`` does, close its recording with the
        same summary and write the same reports beside it."""
        recording = self.recording
        facts = session_facts(session, recording.name if recording is not None else None)
        report = build_report(facts)
        if recording is not None:
            session.close(summary=closing_summary(session, report))
            write_reports(recording.parent, report, self.scenario, facts.events)
        else:
            session.close()
        self.report = report
        return report

    def _end_session(self, reason: str) -> None:
        """End an episode still running (reset, close): stopped, graded and closed."""
        session = self.session
        if session is None:
            return
        self.session = None
        if self.report is None:
            if not session.finished:
                session.stop(reason)
            self._end_episode(session)

    # ------------------------------------------------------------------ what is seen
    def _selections(self, t: Telemetry) -> Selections:
        c = t.control
        if c is not None:
            return Selections(
                c.mode,
                c.frame,
                c.rate_scale,
                c.brakes_on,
                JOINT_NAMES.index(c.selected_joint),
                c.lee_speed_limit_m_s,
                c.lee_rate_limit_rad_s,
            )
        # before the first tick (or after a failed one): the controller's selections; its
        # rate caps are shown from the first tick on
        assert self.session is not None
        ctrl = self.session.controller
        return Selections(
            ctrl.mode, ctrl.frame, ctrl.rate_scale, ctrl.brakes_on, ctrl.selected_joint, 0.0, 0.0
        )

    def _time_left_s(self, t: Telemetry) -> float:
        left = SESSION_CAP_S - t.time_s
        hard = self.scenario.time_limits.hard_limit_s
        if t.free_drift_elapsed_s is not None and hard is not None:
            left = min(left, hard - t.free_drift_elapsed_s)
        if self.time_limit_s is not None:
            left = min(left, self.time_limit_s - t.time_s)
        return max(0.0, left)

    def _observation(self, t: Telemetry) -> dict[str, Any]:
        image = None
        if self.camera_observation is not None:
            image = self._monitors.image(t, "lee", self.camera_observation)
        return observe(t, self._selections(t), self._time_left_s(t), image)

    def _info(self, t: Telemetry, tier: str | None) -> dict[str, Any]:
        session = self.session
        info: dict[str, Any] = {
            "time_s": t.time_s,
            "tick": t.tick,
            "session_seed": self.session_seed,
            "outcome": None if session is None else session.outcome,
            "tier_now": tier,
            "potential": self._phi,
            "deductions": self._deductions,
            "calls": list(t.messages),
        }
        if self.report is not None:
            info["report"] = self.report
            info["recording"] = None if self.recording is None else str(self.recording)
        return info

    # ------------------------------------------------------------------ images
    def render(self) -> Image | None:
        """The ``render_camera`` image of the latest snapshot ((H, W, 3) uint8), or None
        without ``render_mode="rgb_array"``."""
        if self.render_mode != "rgb_array":
            return None
        if self.telemetry is None:
            raise ResetNeeded("call reset() before render()")
        return self._monitors.image(self.telemetry, self.render_camera, self.render_size)

    @property
    def renderer_fallback(self) -> str | None:
        """Why the images come from the CPU renderer at a reduced size, or None."""
        return self._monitors.fallback_reason

    # ------------------------------------------------------------------ the end
    def close(self) -> None:
        self._end_session("the environment was closed")
        self._monitors.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def _size(size: tuple[int, int], name: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in size)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be (width, height), got {size!r}") from None
    if not (1 <= width <= 4096 and 1 <= height <= 4096):
        raise ValueError(f"{name} must be 1 to 4096 px a side, got {width}x{height}")
    return width, height


def _device_guards() -> Mapping[Button, float]:
    """The hold each guarded button needs on a person's device (the default bindings)."""
    from trainer.input.bindings import load_bindings

    return load_bindings(use_user_file=False).guards_s


def _last_episode(folder: Path) -> int:
    """The highest ``episode-NNNNNN`` number in ``folder`` (0 if none): new episodes follow."""
    last = 0
    for entry in folder.iterdir():
        match = EPISODE_FOLDER.fullmatch(entry.name)
        if match is not None:
            last = max(last, int(match.group(1)))
    return last
