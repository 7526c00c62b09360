"""The environments' action and observation spaces, and the two conversions they rest on
(docs/ENVIRONMENT.md §2, §3): an action into the ``HandControllerState`` a person's
device hands the session, and a ``Telemetry`` snapshot into a ``Dict`` observation.

An action is what a crew member does at the workstation: both hand controllers'
deflections (``sticks``: THC x, y, z, then RHC roll, pitch, yaw, each in [-1, 1]) and the
workstation buttons held this tick (``buttons``, in ``BUTTONS`` order). It becomes a
``HandControllerState``, which clamps each axis to [-1, 1] and reads a non-finite one as
centred, exactly as it does for a gamepad (trainer/input/state.py); the session then acts
on the buttons' rising edges through the arm controller's modes, frames, rate scales and
brakes (docs/DESIGN.md §2). Left out: PAUSE and CAMERA (the window's), and RESUME, which
only clears the safing a pause or a lost hand controller starts, neither of which an
environment has.

The observation is what the workstation displays show (docs/DESIGN.md §3 names, SI
units; vectors in the LEE frame unless the name says ``_world``), float32 except the
enumerations (``Discrete``) and the optional LEE camera image (uint8). Every float is
clipped to its bounds; the bounds are the scene's own extent with margin, which no episode
the tasks allow reaches (docs/ENVIRONMENT.md §3 gives each one's reason).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

import numpy as np
import numpy.typing as npt
from gymnasium import spaces

from trainer.control.telemetry import Frame, ModeName, RateScale
from trainer.input.state import Button, HandControllerState
from trainer.scoring.judge import SESSION_CAP_S
from trainer.sim.capture_state import CaptureState
from trainer.sim.joints import JOINT_LIMIT_RAD, JOINT_NAMES
from trainer.sim.metrics import rows_from_quat, to_frame
from trainer.telemetry import Telemetry

# The workstation buttons a policy holds, in the order of the action's ``buttons``.
BUTTONS: tuple[Button, ...] = (
    Button.CAPTURE,
    Button.RELEASE,
    Button.MODE,
    Button.FRAME,
    Button.RATE_SCALE,
    Button.JOINT_NEXT,
    Button.JOINT_PREV,
    Button.BRAKES,
    Button.HOLD,
    Button.RETREAT,
    Button.ABORT,
    Button.FREE_DRIFT,
)
_NO_BUTTONS: frozenset[Button] = frozenset()
STICK_AXES = ("thc_x", "thc_y", "thc_z", "rhc_roll", "rhc_pitch", "rhc_yaw")

# The enumerations, in the order of their ``Discrete`` values.
CAPTURE_STATES: tuple[CaptureState, ...] = tuple(CaptureState)
MODES: tuple[ModeName, ...] = tuple(ModeName)
FRAMES: tuple[Frame, ...] = tuple(Frame)
RATE_SCALES: tuple[RateScale, ...] = tuple(RateScale)

# Bounds (docs/ENVIRONMENT.md §3). Positions: the approach scenario starts Dragon at the
# 30 m hold, the arm reaches 17.6 m (docs/REFERENCE.md §1); 60 m per axis holds both with
# margin, and a norm of such a vector is at most 60·√3 < 110 m.
POSITION_BOUND_M = 60.0
RANGE_BOUND_M = 110.0
# Speeds: the LEE's coarse cap is 0.37 m/s, Dragon drifts at mm/s and departs after an
# ABORT at a few cm/s (docs/REFERENCE.md §1, §4); 10 m/s per axis is far beyond any of them.
SPEED_BOUND_M_S = 10.0
RELATIVE_SPEED_BOUND_M_S = 20.0
# Angular rates: seven joints at 4 °/s move the LEE by at most 0.5 rad/s.
RATE_BOUND_RAD_S = math.pi
RELATIVE_RATE_BOUND_DEG_S = 360.0
JOINT_RATE_BOUND_RAD_S = 1.0  # 14x the 4 °/s drive limit
# The session always ends by the judge's cap (trainer/scoring/judge.py); a tick of margin.
TIME_BOUND_S = SESSION_CAP_S + 1.0

_F32 = np.float32
FloatArray = npt.NDArray[np.float32]


def action_space() -> spaces.Dict:
    """``{"sticks": Box(-1, 1, (6,), float32), "buttons": MultiBinary(12)}``."""
    return spaces.Dict(
        {
            "sticks": spaces.Box(-1.0, 1.0, (len(STICK_AXES),), _F32),
            "buttons": spaces.MultiBinary(len(BUTTONS)),
        }
    )


def hand_controller_state(action: Mapping[str, Any]) -> HandControllerState:
    """The hand-controller state of an action. The sticks are read at the precision they
    are given (a float64 array keeps its bits: a scripted pilot's deflections reach the
    session as they would in ``grade``); ``HandControllerState`` clamps them to [-1, 1]
    and reads a non-finite axis as centred, as for any device. ValueError on a wrong
    shape."""
    try:
        sticks = np.asarray(action["sticks"]).reshape(-1)
        held = np.asarray(action["buttons"]).reshape(-1)
    except (KeyError, TypeError) as exc:
        raise ValueError(
            f"an action is {{'sticks': 6 deflections, 'buttons': {len(BUTTONS)} flags}}; "
            f"got {action!r}"
        ) from exc
    if sticks.shape != (len(STICK_AXES),) or held.shape != (len(BUTTONS),):
        raise ValueError(
            f"an action's sticks have {len(STICK_AXES)} axes and its buttons {len(BUTTONS)} "
            f"flags; got {sticks.shape[0]} and {held.shape[0]}"
        )
    values = sticks.tolist()  # Python floats (ints, bools: made floats by the state)
    flags = held.tolist()
    buttons = (
        frozenset([b for b, flag in zip(BUTTONS, flags, strict=True) if flag])
        if any(flags)
        else _NO_BUTTONS
    )
    return HandControllerState(
        thc=(values[0], values[1], values[2]),
        rhc=(values[3], values[4], values[5]),
        buttons=buttons,
    )


def action_of(state: HandControllerState) -> dict[str, Any]:
    """The action that hands the session ``state``: the sticks as float64 (bit for bit),
    the buttons as flags. ValueError if ``state`` holds a button a policy has not got."""
    extra = state.buttons - frozenset(BUTTONS)
    if extra:
        names = ", ".join(sorted(b.value for b in extra))
        raise ValueError(f"buttons an environment's policy cannot press: {names}")
    if not state.connected:
        raise ValueError("a policy's hand controllers are always connected")
    return {
        "sticks": np.array(state.thc + state.rhc, dtype=np.float64),
        "buttons": np.array([1 if b in state.buttons else 0 for b in BUTTONS], dtype=np.int8),
    }


# The six capture metrics of docs/DESIGN.md §4, in this order, with their bounds.
METRICS = (
    "lateral_offset_m",
    "axial_depth_m",
    "pitch_yaw_misalignment_deg",
    "roll_misalignment_deg",
    "relative_speed_m_s",
    "relative_rate_deg_s",
)
_METRICS_LOW = [0.0, -POSITION_BOUND_M, 0.0, 0.0, 0.0, 0.0]
_METRICS_HIGH = [
    RANGE_BOUND_M,
    POSITION_BOUND_M,
    180.0,
    60.0,  # folded to [0°, 60°]: the cams are three-fold
    RELATIVE_SPEED_BOUND_M_S,
    RELATIVE_RATE_BOUND_DEG_S,
]


@dataclass(frozen=True, slots=True)
class Selections:
    """The workstation's selections and the LEE's current rate caps (status panel)."""

    mode: ModeName
    frame: Frame
    rate_scale: RateScale
    brakes_on: bool
    selected_joint: int
    lee_speed_limit_m_s: float
    lee_rate_limit_rad_s: float


# The float fields of an observation, in the order ``observe`` gathers them into one
# array (clipped at once, then split): name, length, low, high.
_FLOATS: tuple[tuple[str, int, list[float], list[float]], ...] = (
    ("shaft_tip_position_lee_m", 3, [-POSITION_BOUND_M] * 3, [POSITION_BOUND_M] * 3),
    ("shaft_tip_velocity_lee_m_s", 3, [-SPEED_BOUND_M_S] * 3, [SPEED_BOUND_M_S] * 3),
    ("alignment_error_lee_rad", 3, [-math.pi] * 3, [math.pi] * 3),
    ("lee_velocity_lee_m_s", 3, [-SPEED_BOUND_M_S] * 3, [SPEED_BOUND_M_S] * 3),
    ("lee_angular_velocity_lee_rad_s", 3, [-RATE_BOUND_RAD_S] * 3, [RATE_BOUND_RAD_S] * 3),
    ("vehicle_velocity_world_m_s", 3, [-SPEED_BOUND_M_S] * 3, [SPEED_BOUND_M_S] * 3),
    ("vehicle_angular_velocity_lee_rad_s", 3, [-RATE_BOUND_RAD_S] * 3, [RATE_BOUND_RAD_S] * 3),
    ("capture_metrics", len(METRICS), _METRICS_LOW, _METRICS_HIGH),
    ("range_m", 1, [0.0], [RANGE_BOUND_M]),
    ("joint_angles_rad", 7, [-JOINT_LIMIT_RAD] * 7, [JOINT_LIMIT_RAD] * 7),
    ("joint_rates_rad_s", 7, [-JOINT_RATE_BOUND_RAD_S] * 7, [JOINT_RATE_BOUND_RAD_S] * 7),
    ("rate_limits", 2, [0.0, 0.0], [SPEED_BOUND_M_S, RATE_BOUND_RAD_S]),
    ("time_s", 1, [0.0], [TIME_BOUND_S]),
    ("free_drift_elapsed_s", 1, [0.0], [TIME_BOUND_S]),
    ("time_left_s", 1, [0.0], [TIME_BOUND_S]),
)
_LOW = np.array([v for _n, _k, low, _h in _FLOATS for v in low], _F32)
_HIGH = np.array([v for _n, _k, _l, high in _FLOATS for v in high], _F32)
_SLICES: tuple[tuple[str, slice], ...] = tuple(
    (name, slice(end - n, end))
    for (name, n, _l, _h), end in zip(
        _FLOATS, accumulate(n for _n, n, _l, _h in _FLOATS), strict=True
    )
)


def observation_space(camera_size: tuple[int, int] | None) -> spaces.Dict:
    """The observation ``Dict`` (docs/ENVIRONMENT.md §3); ``camera_size`` (width, height)
    adds the LEE camera image ``lee_camera``."""
    fields: dict[str, spaces.Space[Any]] = {
        name: spaces.Box(np.array(low, _F32), np.array(high, _F32), (n,), _F32)
        for name, n, low, high in _FLOATS
    }
    fields["capture_state"] = spaces.Discrete(len(CAPTURE_STATES))
    fields["free_drift"] = spaces.Discrete(2)
    fields["mode"] = spaces.Discrete(len(MODES))
    fields["frame"] = spaces.Discrete(len(FRAMES))
    fields["rate_scale"] = spaces.Discrete(len(RATE_SCALES))
    fields["brakes_on"] = spaces.Discrete(2)
    fields["selected_joint"] = spaces.Discrete(len(JOINT_NAMES))
    fields["lee_camera_lost"] = spaces.Discrete(2)
    if camera_size is not None:
        width, height = camera_size
        fields["lee_camera"] = spaces.Box(0, 255, (height, width, 3), np.uint8)
    return spaces.Dict(fields)


def observe(
    t: Telemetry, selections: Selections, time_left_s: float, image: npt.NDArray[np.uint8] | None
) -> dict[str, Any]:
    """The observation of one snapshot (new arrays every call)."""
    r_lee = rows_from_quat(t.lee_orientation_world_xyzw)
    m = t.metrics
    elapsed = t.free_drift_elapsed_s
    values = np.array(
        [
            *t.shaft_tip_position_lee_m,
            *t.shaft_tip_velocity_lee_m_s,
            *t.alignment_error_lee_rad,
            *to_frame(r_lee, t.lee_velocity_world_m_s),
            *to_frame(r_lee, t.lee_angular_velocity_world_rad_s),
            *t.vehicle_velocity_world_m_s,
            *to_frame(r_lee, t.vehicle_angular_velocity_world_rad_s),
            m.lateral_offset_m,
            m.axial_depth_m,
            m.pitch_yaw_misalignment_deg,
            m.roll_misalignment_deg,
            m.relative_speed_m_s,
            m.relative_rate_deg_s,
            t.range_m,
            *t.joint_angles_rad,
            *t.joint_rates_rad_s,
            selections.lee_speed_limit_m_s,
            selections.lee_rate_limit_rad_s,
            t.time_s,
            0.0 if elapsed is None else elapsed,
            time_left_s,
        ],
        _F32,
    )
    np.minimum(np.maximum(values, _LOW, out=values), _HIGH, out=values)
    obs: dict[str, Any] = {name: values[part] for name, part in _SLICES}
    obs["capture_state"] = np.int64(CAPTURE_STATES.index(t.capture_state))
    obs["free_drift"] = np.int64(0 if elapsed is None else 1)
    obs["mode"] = np.int64(MODES.index(selections.mode))
    obs["frame"] = np.int64(FRAMES.index(selections.frame))
    obs["rate_scale"] = np.int64(RATE_SCALES.index(selections.rate_scale))
    obs["brakes_on"] = np.int64(1 if selections.brakes_on else 0)
    obs["selected_joint"] = np.int64(selections.selected_joint)
    obs["lee_camera_lost"] = np.int64(1 if "lee" in t.cameras_lost else 0)
    if image is not None:
        obs["lee_camera"] = image
    return obs
