"""The campaign page's figures (matplotlib, Agg: no display), each PNG bytes for
``campaign.html`` to inline (docs/DESIGN.md §12).

- The score distribution: a histogram in 5-point bins from 0 to 100, passed jobs in green
  stacked on failed ones in red.
- The pass rate against each dispersed parameter (the draws of trainer/scenario/build.py,
  offsets from the nominal): the jobs sorted by the draw and cut into bins of equal count,
  each bin's pass rate drawn at its mean draw with its 95 % Wilson interval, and every job
  as a tick along the top (passed) or the bottom (failed), so a parameter that decides the
  outcome shows as a slope.

Only the campaign's rows are drawn: the same rows draw the same bytes (the figures carry
no date).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from trainer.campaign.summary import Row, wilson

DPI = 100
PASS_COLOUR, FAIL_COLOUR, LINE_COLOUR = "#27ae60", "#c0392b", "#1f4e79"
COLUMNS = 3
MAX_BINS = 8
JOBS_PER_BIN = 4  # fewer jobs in a bin say little about its rate
LABELS = {  # quantity: (title, unit)
    "position_m": ("position", "m"),
    "velocity_m_s": ("velocity", "m/s"),
    "attitude_deg": ("attitude", "deg"),
    "angular_velocity_deg_s": ("angular velocity", "deg/s"),
}


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def score_distribution(rows: Sequence[Row]) -> bytes:
    fig, ax = plt.subplots(figsize=(6.4, 2.9), dpi=DPI)
    edges = [5.0 * i for i in range(21)]
    passed = [r.score for r in rows if r.passed]
    failed = [r.score for r in rows if not r.passed]
    ax.hist(
        [failed, passed],
        bins=edges,
        stacked=True,
        color=[FAIL_COLOUR, PASS_COLOUR],
        label=[f"failed ({len(failed)})", f"passed ({len(passed)})"],
        edgecolor="white",
        linewidth=0.6,
    )
    ax.set_xlim(0, 100)
    ax.set_xlabel("score (of 100)")
    ax.set_ylabel("jobs")
    ax.set_title("Score distribution", fontsize=11)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    ax.grid(axis="y", color="#e5e8e8", linewidth=0.6)
    return png(fig)


def _bins(points: list[tuple[float, bool]]) -> list[list[tuple[float, bool]]]:
    count = max(1, min(MAX_BINS, len(points) // JOBS_PER_BIN))
    ordered = sorted(points, key=lambda p: p[0])
    size = len(ordered) / count
    return [ordered[round(i * size) : round((i + 1) * size)] for i in range(count)]


def pass_rate_by_parameter(rows: Sequence[Row], names: Sequence[str]) -> bytes:
    rows_n = math.ceil(len(names) / COLUMNS)
    fig, axes = plt.subplots(rows_n, COLUMNS, figsize=(10.5, 2.3 * rows_n), dpi=DPI, squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i >= len(names):
            ax.set_visible(False)
            continue
        name = names[i]
        points = [(dict(r.draws)[name], r.passed) for r in rows if name in dict(r.draws)]
        quantity, _, axis = name.partition(".")
        title, unit = LABELS.get(quantity, (quantity, ""))
        ax.set_title(f"{title} {axis}", fontsize=9)
        ax.set_xlabel(f"draw ({unit})", fontsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.set_ylim(-0.08, 1.08)
        ax.set_yticks([0, 0.5, 1])
        ax.set_yticklabels(["0", "50 %", "100 %"], fontsize=7)
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(color="#eef0f0", linewidth=0.6)
        if not points:
            continue
        # every job a tick, in one collection per side (thousands of jobs: two artists)
        for ok, (y0, y1), colour in (
            (True, (1.0, 1.06), PASS_COLOUR),
            (False, (-0.06, 0.0), FAIL_COLOUR),
        ):
            xs_side = [x for x, passed in points if passed is ok]
            if xs_side:
                ax.vlines(xs_side, y0, y1, colors=colour, linewidth=0.8)
        xs, rates, lows, highs = [], [], [], []
        for group in _bins(points):
            if not group:
                continue
            k = sum(1 for _, ok in group if ok)
            lo, hi = wilson(k, len(group)) or (0.0, 1.0)
            rate = k / len(group)
            xs.append(math.fsum(x for x, _ in group) / len(group))
            rates.append(rate)
            lows.append(max(0.0, rate - lo))
            highs.append(max(0.0, hi - rate))
        ax.errorbar(
            xs,
            rates,
            yerr=[lows, highs],
            color=LINE_COLOUR,
            marker="o",
            markersize=3.5,
            linewidth=1.2,
            capsize=2,
        )
    fig.suptitle("Pass rate against each dispersed parameter (95 % Wilson intervals)", fontsize=11)
    fig.tight_layout()
    return png(fig)
