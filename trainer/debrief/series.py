"""The time series of a recording that the debrief plots and measures, as numpy arrays.

Read in one streaming pass over the /state (10 Hz) and /input (60 Hz) channels with the
seeking reader: a 30-minute session is ~18,000 states and ~108,000 inputs, a few MB of
floats, whatever the size of the file. A quantity missing from a message (a recording of
an older trainer) is NaN, so a plot shows a gap instead of failing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from trainer.record.schemas import INPUT_TOPIC, STATE_TOPIC
from trainer.record.seek import IndexedRecording

FloatArray = npt.NDArray[np.float64]

METRIC_KEYS = (
    "lateral_offset_m",
    "axial_depth_m",
    "pitch_yaw_misalignment_deg",
    "roll_misalignment_deg",
    "relative_speed_m_s",
    "relative_rate_deg_s",
)


def _float(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return math.nan


def _path(message: dict[str, Any], *keys: str) -> Any:
    node: Any = message
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


@dataclass
class Series:
    """State samples (``t_s``, metrics, range, joints, capture state) and input samples
    (``input_t_s``, THC and RHC deflections, paused flags)."""

    t_s: FloatArray
    range_m: FloatArray
    metrics: dict[str, FloatArray]
    joint_angles_rad: FloatArray  # (n, 7)
    capture_state: list[str]
    input_t_s: FloatArray
    thc: FloatArray  # (m, 3)
    rhc: FloatArray  # (m, 3)
    buttons: list[tuple[float, str]] = field(default_factory=list)
    """(time, button) each time a button is pressed (its first tick held)."""

    @property
    def duration_s(self) -> float:
        ends = [a[-1] for a in (self.t_s, self.input_t_s) if len(a)]
        return float(max(ends)) if ends else 0.0


def read_series(recording: IndexedRecording) -> Series:
    t: list[float] = []
    rng: list[float] = []
    metrics: dict[str, list[float]] = {k: [] for k in METRIC_KEYS}
    joints: list[list[float]] = []
    capture: list[str] = []
    it: list[float] = []
    thc: list[tuple[float, float, float]] = []
    rhc: list[tuple[float, float, float]] = []
    pressed: list[tuple[float, str]] = []
    held: set[str] = set()
    n_joints = 7
    for message in recording.messages([STATE_TOPIC, INPUT_TOPIC]):
        p = message.payload
        if message.topic == STATE_TOPIC:
            t.append(message.time_s)
            rng.append(_float(p.get("range_m")))
            m = p.get("metrics") if isinstance(p.get("metrics"), dict) else {}
            for key in METRIC_KEYS:
                metrics[key].append(
                    _float(m.get(key, p.get(key))) if isinstance(m, dict) else math.nan
                )
            angles = _path(p, "joints", "angles_rad")
            if angles is None:
                angles = p.get("joint_angles_rad")
            row = [_float(a) for a in angles] if isinstance(angles, list) else []
            if row:
                n_joints = len(row)
            joints.append(row)
            capture.append(str(p.get("capture_state", "")))
        else:
            it.append(message.time_s)
            a = p.get("thc") or (0.0, 0.0, 0.0)
            b = p.get("rhc") or (0.0, 0.0, 0.0)
            thc.append((_float(a[0]), _float(a[1]), _float(a[2])))
            rhc.append((_float(b[0]), _float(b[1]), _float(b[2])))
            now = {str(x) for x in p.get("buttons") or ()}
            pressed.extend((message.time_s, name) for name in sorted(now - held))
            held = now
    joint_array = np.full((len(joints), n_joints), np.nan)
    for i, row in enumerate(joints):
        if len(row) == n_joints:
            joint_array[i] = row
    return Series(
        t_s=np.array(t, dtype=float),
        range_m=np.array(rng, dtype=float),
        metrics={k: np.array(v, dtype=float) for k, v in metrics.items()},
        joint_angles_rad=joint_array,
        capture_state=capture,
        input_t_s=np.array(it, dtype=float),
        thc=np.array(thc, dtype=float).reshape(-1, 3),
        rhc=np.array(rhc, dtype=float).reshape(-1, 3),
        buttons=pressed,
    )
