"""The time series of a recording that the debrief plots and measures, as numpy arrays.

Read in one streaming pass over the /state (10 Hz) and /input (60 Hz) channels with the
seeking reader: a 30-minute session is ~18,000 states and ~108,000 inputs, a few MB of
floats, whatever the size of the file. Every /input message is checked and decoded on the
way by the one check of the stream (trainer/record/inputs.py), whose digest the debrief
then compares with the stored report's (trainer/debrief/grading.py). A quantity missing
from a /state message (a recording of an older trainer) is NaN, so a plot shows a gap
instead of failing.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from trainer.record.decode import NS_PER_S
from trainer.record.inputs import InputCheck
from trainer.record.schemas import INPUT_TOPIC, STATE_TOPIC
from trainer.record.seek import IndexedRecording
from trainer.sim.metrics import QUANTITY_NAMES

FloatArray = npt.NDArray[np.float64]

METRIC_KEYS = QUANTITY_NAMES


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


def read_series(recording: IndexedRecording, check: InputCheck | None = None) -> Series:
    """The series of ``recording``; every /input message goes through ``check``
    (RecordingError at the first bad one), which then holds the stream's digest."""
    check = check if check is not None else InputCheck(recording.path)
    # array('d') holds 8 bytes a float where a list holds a 32-byte float object: a
    # 30-minute session's 108,000 inputs stay a few MB (docs/DESIGN.md §9: report ≤ 150 MB)
    t = array("d")
    rng = array("d")
    metrics = {k: array("d") for k in METRIC_KEYS}
    joints = array("d")
    capture: list[str] = []
    it = array("d")
    thc = array("d")
    rhc = array("d")
    pressed: list[tuple[float, str]] = []
    held: set[str] = set()
    n_joints: int | None = None
    states_seen: dict[str, str] = {}
    for topic, log_ns, data in recording.raw_messages([STATE_TOPIC, INPUT_TOPIC]):
        time_s = log_ns / NS_PER_S
        if topic == STATE_TOPIC:
            p = recording.payload(topic, data, log_ns)
            t.append(time_s)
            rng.append(_float(p.get("range_m")))
            m = p.get("metrics")
            m = m if isinstance(m, dict) else {}
            for key in METRIC_KEYS:
                metrics[key].append(_float(m.get(key, p.get(key))))
            angles = _path(p, "joints", "angles_rad")
            if angles is None:
                angles = p.get("joint_angles_rad")
            row = [_float(a) for a in angles] if isinstance(angles, list) else []
            if n_joints is None and row:
                n_joints = len(row)
            width = n_joints or 7
            joints.extend(row if len(row) == width else [math.nan] * width)
            state = str(p.get("capture_state", ""))
            capture.append(states_seen.setdefault(state, state))  # one string per state
        else:
            hc = check.check(data, log_ns)  # the one decoder of /input
            it.append(time_s)
            thc.extend(hc.thc)
            rhc.extend(hc.rhc)
            now = {b.value for b in hc.buttons}
            if now != held:
                pressed.extend((time_s, name) for name in sorted(now - held))
                held = now
    width = n_joints or 7
    return Series(
        t_s=np.frombuffer(t, dtype=float).copy(),
        range_m=np.frombuffer(rng, dtype=float).copy(),
        metrics={k: np.frombuffer(v, dtype=float).copy() for k, v in metrics.items()},
        joint_angles_rad=np.frombuffer(joints, dtype=float).copy().reshape(-1, width),
        capture_state=capture,
        input_t_s=np.frombuffer(it, dtype=float).copy(),
        thc=np.frombuffer(thc, dtype=float).copy().reshape(-1, 3),
        rhc=np.frombuffer(rhc, dtype=float).copy().reshape(-1, 3),
        buttons=pressed,
    )
