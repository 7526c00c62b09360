"""The debrief's figures (matplotlib, Agg backend: no display), each returned as PNG bytes
for the page to inline.

Every capture quantity of docs/DESIGN.md §4 is drawn against simulation time over the
scenario's envelope tiers (docs/REFERENCE.md §4): green up to the full-credit limit, amber
up to the allowed limit, red beyond; the trigger is a dashed line with the value judged
at that instant ringed, and free-drift start a dotted grey line. Far from the vehicle the
quantities are metres and tens of degrees while the envelope is centimetres and degrees,
so the vertical axis is set by the envelope (at least twice the allowed limit) and
values beyond it run off the top, which the figure says.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from trainer.debrief.series import Series
from trainer.debrief.technique import AXIS_IN_USE, GATE_RANGE_M
from trainer.record.notes import Note
from trainer.scenario.model import Envelope, RangeTier, Tier
from trainer.sim.joints import JOINT_LIMIT_RAD, JOINT_NAMES
from trainer.sim.metrics import CAPTURE_QUANTITIES

DPI = 100
WIDTH_IN, HEIGHT_IN = 6.4, 2.7
FULL_COLOUR, ALLOWED_COLOUR, OUTSIDE_COLOUR = "#d4efdf", "#fdebd0", "#f9d6d2"
LINE_COLOUR = "#1f4e79"
TRIGGER_COLOUR = "#6c3483"

QUANTITY_LABELS = {q.name: (q.title, q.unit) for q in CAPTURE_QUANTITIES}


MAX_POINTS = 4000
"""A line is drawn from at most this many points (a figure is ~600 px wide): a longer
series is cut into bins and each bin drawn by its minimum and maximum, so a brief spike
still shows (a 30-minute session has 108,000 hand-controller samples)."""


def decimate(
    t: np.ndarray, y: np.ndarray, max_points: int = MAX_POINTS
) -> tuple[np.ndarray, np.ndarray]:
    n = len(t)
    if n <= max_points:
        return t, y
    bins = max_points // 2
    size = n // bins
    used = bins * size
    tb = t[:used].reshape(bins, size)
    yb = y[:used].reshape(bins, size)
    lo = np.nanargmin(np.where(np.isnan(yb), np.inf, yb), axis=1)
    hi = np.nanargmax(np.where(np.isnan(yb), -np.inf, yb), axis=1)
    first = np.minimum(lo, hi)
    second = np.maximum(lo, hi)
    rows = np.arange(bins)
    t_out = np.column_stack([tb[rows, first], tb[rows, second]]).ravel()
    y_out = np.column_stack([yb[rows, first], yb[rows, second]]).ravel()
    return np.concatenate([t_out, t[used:]]), np.concatenate([y_out, y[used:]])


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def _figure(height_in: float = HEIGHT_IN, rows: int = 1) -> tuple[Figure, list[Axes]]:
    fig, axes = plt.subplots(rows, 1, figsize=(WIDTH_IN, height_in), dpi=DPI, sharex=True)
    fig.patch.set_facecolor("white")
    return fig, list(np.atleast_1d(axes))


def _marks(ax: Axes, drift_s: float | None, trigger_s: float | None) -> None:
    if drift_s is not None:
        ax.axvline(drift_s, color="#7f8c8d", linestyle=":", linewidth=1.2)
    if trigger_s is not None:
        ax.axvline(trigger_s, color=TRIGGER_COLOUR, linestyle="--", linewidth=1.2)


def _finish(ax: Axes, title: str, unit: str, end_s: float) -> None:
    ax.set_title(title, fontsize=10, loc="left")
    ax.set_ylabel(unit, fontsize=9)
    ax.set_xlim(0.0, max(end_s, 1.0))
    ax.tick_params(labelsize=8)
    ax.grid(alpha=0.25, linewidth=0.6)


def _clip_note(ax: Axes, values: np.ndarray, low: float, high: float) -> None:
    finite = values[np.isfinite(values)]
    above = bool(len(finite)) and float(finite.max()) > high
    below = bool(len(finite)) and float(finite.min()) < low
    if above or below:
        where = " and ".join(w for w, f in (("above", above), ("below", below)) if f)
        ax.text(
            0.99,
            0.96 if above else 0.04,
            f"values {where} the axis are off scale",
            transform=ax.transAxes,
            ha="right",
            va="top" if above else "bottom",
            fontsize=7,
            color="#555",
            bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none", "pad": 1.5},
        )


def _draw_envelope(
    ax: Axes,
    t: np.ndarray,
    values: np.ndarray,
    tier: Tier | RangeTier,
    unit: str,
    trigger_s: object,
    trigger_value: object,
    drift_s: float | None,
    label_size: int = 8,
) -> str:
    """The bands, the line, the marks; returns the limits in words."""
    if isinstance(tier, RangeTier):
        (lo_full, hi_full), (lo_allowed, hi_allowed) = tier.full, tier.allowed
        low = lo_allowed - 2.0 * (hi_allowed - lo_allowed)
        high = hi_allowed + 0.5 * (hi_allowed - lo_allowed)
        ax.axhspan(low, lo_allowed, color=OUTSIDE_COLOUR, linewidth=0)
        ax.axhspan(lo_allowed, lo_full, color=ALLOWED_COLOUR, linewidth=0)
        ax.axhspan(lo_full, hi_full, color=FULL_COLOUR, linewidth=0)
        ax.axhspan(hi_full, hi_allowed, color=ALLOWED_COLOUR, linewidth=0)
        ax.axhspan(hi_allowed, high, color=OUTSIDE_COLOUR, linewidth=0)
        band = f"full {lo_full:g}–{hi_full:g} {unit}, allowed {lo_allowed:g}–{hi_allowed:g} {unit}"
    else:
        full, allowed = tier.full, tier.allowed
        finite = values[np.isfinite(values)]
        peak = float(finite.max()) if len(finite) else allowed
        low = 0.0
        high = max(2.0 * allowed, min(peak * 1.1, 6.0 * allowed))
        if isinstance(trigger_value, int | float):
            high = max(high, 1.2 * float(trigger_value))
        ax.axhspan(0.0, full, color=FULL_COLOUR, linewidth=0)
        ax.axhspan(full, allowed, color=ALLOWED_COLOUR, linewidth=0)
        ax.axhspan(allowed, high, color=OUTSIDE_COLOUR, linewidth=0)
        band = f"full ≤ {full:g} {unit}, allowed ≤ {allowed:g} {unit}"
    ax.plot(t, values, color=LINE_COLOUR, linewidth=1.3)
    _marks(ax, drift_s, trigger_s if isinstance(trigger_s, int | float) else None)
    if isinstance(trigger_s, int | float) and isinstance(trigger_value, int | float):
        y = min(max(float(trigger_value), low), high)
        ax.plot(
            [trigger_s],
            [y],
            marker="o",
            markersize=8,
            markerfacecolor="none",
            markeredgecolor=TRIGGER_COLOUR,
            markeredgewidth=2,
        )
        ax.annotate(
            f"trigger: {float(trigger_value):.3g} {unit}",
            (trigger_s, y),
            textcoords="offset points",
            xytext=(-8, 8),
            ha="right",
            fontsize=label_size,
            color=TRIGGER_COLOUR,
        )
    ax.set_ylim(low, high)
    _clip_note(ax, values, low, high)
    return band


def envelope_plot(
    series: Series,
    quantity: str,
    envelope: Envelope,
    trigger: dict[str, Any] | None,
    drift_s: float | None,
) -> bytes:
    """One capture quantity over the whole session on its envelope bands."""
    title, unit = QUANTITY_LABELS[quantity]
    fig, (ax,) = _figure()
    band = _draw_envelope(
        ax,
        series.t_s,
        series.metrics[quantity],
        getattr(envelope, quantity),
        unit,
        trigger.get("time_s") if trigger else None,
        trigger.get(quantity) if trigger else None,
        drift_s,
    )
    _finish(ax, f"{title}  ({band})", unit, series.duration_s)
    ax.set_xlabel("simulation time (s)", fontsize=8)
    return png(fig)


FINAL_APPROACH_S = 20.0  # E: the last stretch of a capture, where the corrections are made


def final_approach_plot(
    series: Series, envelope: Envelope, trigger: dict[str, Any] | None
) -> bytes:
    """All six quantities over the ``FINAL_APPROACH_S`` before the trigger (or before the
    end when it was never pulled), small multiples with the same bands."""
    trigger_s = trigger.get("time_s") if trigger else None
    end = float(trigger_s) if isinstance(trigger_s, int | float) else series.duration_s
    start = max(0.0, end - FINAL_APPROACH_S)
    stop = min(series.duration_s, end + 2.0)
    mask = (series.t_s >= start) & (series.t_s <= stop)
    fig, grid = plt.subplots(2, 3, figsize=(WIDTH_IN * 1.45, 4.6), dpi=DPI)
    fig.patch.set_facecolor("white")
    for ax, quantity in zip(grid.flat, QUANTITY_LABELS, strict=True):
        title, unit = QUANTITY_LABELS[quantity]
        _draw_envelope(
            ax,
            series.t_s[mask],
            series.metrics[quantity][mask],
            getattr(envelope, quantity),
            unit,
            trigger_s,
            trigger.get(quantity) if trigger else None,
            None,
            label_size=7,
        )
        ax.set_title(title.split(" (")[0], fontsize=9, loc="left")
        ax.set_ylabel(unit, fontsize=8)
        ax.set_xlim(start, max(stop, start + 1.0))
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.25, linewidth=0.6)
    what = "the trigger" if isinstance(trigger_s, int | float) else "the end (no trigger)"
    fig.suptitle(
        f"Final approach: the {FINAL_APPROACH_S:.0f} s before {what}",
        fontsize=11,
        x=0.01,
        ha="left",
    )
    fig.supxlabel("simulation time (s)", fontsize=8)
    fig.tight_layout()
    return png(fig)


def range_plot(series: Series, trigger: dict[str, Any] | None, drift_s: float | None) -> bytes:
    """Distance from the LEE to the shaft tip, with the 1.5 m free-drift gate."""
    fig, (ax,) = _figure()
    ax.plot(series.t_s, series.range_m, color=LINE_COLOUR, linewidth=1.3)
    ax.axhline(GATE_RANGE_M, color="#b9770e", linestyle="-.", linewidth=1)
    ax.text(
        0.005,
        GATE_RANGE_M,
        f" {GATE_RANGE_M:g} m: no closer before free drift",
        transform=ax.get_yaxis_transform(),
        fontsize=7,
        va="bottom",
        color="#b9770e",
    )
    trigger_s = trigger.get("time_s") if trigger else None
    _marks(ax, drift_s, trigger_s)
    finite = series.range_m[np.isfinite(series.range_m)]
    ax.set_ylim(0.0, max(2.0, float(finite.max()) * 1.05) if len(finite) else 2.0)
    _finish(ax, "Range: LEE to the shaft tip", "m", series.duration_s)
    ax.set_xlabel("simulation time (s)", fontsize=8)
    return png(fig)


def hand_controller_plot(
    series: Series, trigger: dict[str, Any] | None, drift_s: float | None
) -> bytes:
    """THC and RHC deflections against time, with the in-use threshold band."""
    fig, axes = _figure(height_in=4.2, rows=2)
    trigger_s = trigger.get("time_s") if trigger else None
    names = (("THC", ("x", "y", "z"), series.thc), ("RHC", ("roll", "pitch", "yaw"), series.rhc))
    colours = ("#c0392b", "#27ae60", "#2471a3")
    for ax, (label, axis_names, data) in zip(axes, names, strict=True):
        ax.axhspan(-AXIS_IN_USE, AXIS_IN_USE, color="#eeeeee", linewidth=0)
        for i, name in enumerate(axis_names):
            if len(data):
                t, y = decimate(series.input_t_s, data[:, i])
                ax.plot(t, y, color=colours[i], linewidth=1, label=name)
        _marks(ax, drift_s, trigger_s)
        ax.set_ylim(-1.05, 1.05)
        _finish(
            ax,
            f"{label} deflection (grey: within ±{AXIS_IN_USE:g}, not in use)",
            "",
            series.duration_s,
        )
        ax.legend(loc="upper right", fontsize=7, ncol=3, framealpha=0.8)
    axes[-1].set_xlabel("simulation time (s)", fontsize=8)
    fig.tight_layout()
    return png(fig)


def joints_plot(series: Series, trigger: dict[str, Any] | None, drift_s: float | None) -> bytes:
    """The seven joint angles against their ±270° stops."""
    fig, (ax,) = _figure(height_in=3.2)
    limit = math.degrees(JOINT_LIMIT_RAD)
    ax.axhspan(limit, limit * 1.2, color=OUTSIDE_COLOUR, linewidth=0)
    ax.axhspan(-limit * 1.2, -limit, color=OUTSIDE_COLOUR, linewidth=0)
    ax.axhline(limit, color="#c0392b", linestyle="--", linewidth=1)
    ax.axhline(-limit, color="#c0392b", linestyle="--", linewidth=1)
    angles = np.degrees(series.joint_angles_rad)
    for j in range(angles.shape[1] if angles.ndim == 2 else 0):
        name = JOINT_NAMES[j] if j < len(JOINT_NAMES) else f"joint {j + 1}"
        ax.plot(series.t_s, angles[:, j], linewidth=1.1, label=name.replace("_", " "))
    _marks(ax, drift_s, trigger.get("time_s") if trigger else None)
    ax.set_ylim(-limit * 1.2, limit * 1.2)
    _finish(ax, f"Joint angles (stops at ±{limit:.0f}°)", "°", series.duration_s)
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=7, frameon=False)
    ax.set_xlabel("simulation time (s)", fontsize=8)
    return png(fig)


EVENT_ROWS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("calls", ("call", "go_for_capture"), "#7f8c8d"),
    ("free drift", ("free_drift_start",), "#2e86c1"),
    (
        "capture",
        ("trigger", "miss", "snare_closed", "rigidize_start", "rigid", "release"),
        "#6c3483",
    ),
    ("contacts", ("contact",), "#c0392b"),
    ("faults", ("fault", "fault_cleared"), "#d35400"),
    ("commands", ("abort", "vehicle_command", "pause", "resume"), "#b9770e"),
    ("devices", ("device_plugged", "device_unplugged"), "#566573"),
    ("end", ("end",), "#17202a"),
)


LABEL_CHARS = 40  # recorded text drawn on a plot, at most (docs/DESIGN.md §5: text is data)


def timeline_plot(events: Sequence[dict[str, Any]], notes: Sequence[Note], end_s: float) -> bytes:
    """Every event on a row by kind, and the instructor's notes on their own row."""
    rows = [(label, kinds, colour) for label, kinds, colour in EVENT_ROWS]
    known = {k for _, kinds, _ in rows for k in kinds}
    other = sorted({str(e.get("kind")) for e in events} - known)
    if other:
        rows.append(("other", tuple(other), "#95a5a6"))
    labels = [r[0] for r in rows] + ["instructor notes"]
    fig, (ax,) = _figure(height_in=0.32 * len(labels) + 0.9)
    for y, (_label, kinds, colour) in enumerate(rows):
        times = [float(e.get("time_s", 0.0)) for e in events if e.get("kind") in kinds]
        ax.scatter(times, [y] * len(times), marker="|", s=220, color=colour, linewidths=2)
        for e in events:
            if e.get("kind") in ("trigger", "rigid", "end", "abort", "miss") and (
                e.get("kind") in kinds
            ):
                ax.annotate(
                    str(e.get("outcome", e.get("kind")))[:LABEL_CHARS],
                    (float(e.get("time_s", 0.0)), y),
                    textcoords="offset points",
                    xytext=(3, 5),
                    fontsize=7,
                    parse_math=False,  # recorded text is drawn as it is, never as mathtext
                )
    y_notes = len(rows)
    ax.scatter(
        [n.time_s for n in notes],
        [y_notes] * len(notes),
        marker="v",
        s=50,
        color="#1e8449",
    )
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels([label[:LABEL_CHARS] for label in labels], fontsize=8)
    for tick in ax.get_yticklabels():
        tick.set_parse_math(False)
    ax.set_ylim(-0.7, len(labels) - 0.3)
    ax.invert_yaxis()
    _finish(ax, "Event timeline", "", end_s)
    span = max(end_s, 1.0)
    ax.set_xlim(-0.02 * span, 1.08 * span)  # events at t = 0 and labels at the end stay visible
    ax.set_xlabel("simulation time (s)", fontsize=8)
    return png(fig)
