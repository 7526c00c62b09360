"""Long series are drawn from few points without losing a brief spike."""

from __future__ import annotations

import numpy as np

from trainer.debrief.plots import MAX_POINTS, decimate


def test_a_long_series_keeps_its_spikes_in_few_points() -> None:
    t = np.arange(108_000) / 60.0  # 30 minutes of hand-controller ticks
    y = np.zeros_like(t)
    y[54_321] = 0.9  # a one-tick jab
    y[70_000] = -0.7
    td, yd = decimate(t, y)
    assert len(td) <= MAX_POINTS + 60  # the bins, plus the few samples left over
    assert yd.max() == 0.9 and yd.min() == -0.7
    assert td[yd.argmax()] == t[54_321]
    assert np.all(np.diff(td) >= 0)  # still in time order


def test_a_short_series_is_untouched() -> None:
    t = np.arange(100.0)
    y = np.sin(t)
    td, yd = decimate(t, y)
    assert td is t and yd is y
