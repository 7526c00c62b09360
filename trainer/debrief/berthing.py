"""The debrief of a berthing (docs/DESIGN.md §4.1, §6; docs/REFERENCE.md §10): the
berthing quantities read back from the recording, plotted against their bands, and the
lesson marks of the manoeuvre.

| figure              | shows                                                              |
|---------------------|--------------------------------------------------------------------|
| Berthing: separation | PCBM face to the ACBM face over the whole session (log scale), the procedure's steps marked: pre-install setup (3.5 m), pre-install (1.5 m), the guides (0.35 m), the RTL travel (0.05 m) |
| each RTL quantity    | lateral offset, tilt, roll, axial speed (toward the port), angular rate over the final approach (MCC's GO to first stage) on the RTL envelope's bands, the value judged at RTL ringed |

The quantities come from the vehicle's pose and velocity in each /state message through
the same pure functions the task judged with (trainer/sim/cbm_metrics.py), so the plot
and the report agree.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from trainer.debrief.plots import (
    ALLOWED_COLOUR,
    FULL_COLOUR,
    LINE_COLOUR,
    OUTSIDE_COLOUR,
    TRIGGER_COLOUR,
    _figure,
    _finish,
    png,
)
from trainer.debrief.technique import GOOD, NEEDS_WORK, NOT_APPLICABLE, SATISFACTORY, Metric
from trainer.record.schemas import STATE_TOPIC
from trainer.record.seek import IndexedRecording
from trainer.scenario.model import BerthingEnvelope, Scenario
from trainer.sim import cbm_geometry as geo
from trainer.sim.cbm_metrics import berthing_metrics

FloatArray = npt.NDArray[np.float64]
QUANTITIES: tuple[tuple[str, str, str], ...] = (
    ("lateral_offset_m", "Lateral offset from the port axis", "m"),
    ("tilt_deg", "Tilt (pitch and yaw)", "°"),
    ("roll_deg", "Roll about the port axis (magnitude)", "°"),
    ("axial_speed_m_s", "Axial speed toward the port", "m/s"),
    ("rate_deg_s", "Angular rate", "°/s"),
)
STEPS: tuple[tuple[str, str], ...] = (
    ("pre_install_setup_s", "setup"),
    ("pre_install_s", "pre-install"),
    ("go_for_final_approach_s", "GO"),
    ("first_stage_s", "first stage"),
    ("second_stage_complete_s", "2nd stage"),
    ("released_s", "release"),
)


@dataclass
class BerthingSeries:
    t_s: FloatArray
    values: dict[str, FloatArray]  # separation_m and the QUANTITIES, judged magnitudes


def _vec(node: Any, n: int) -> tuple[float, ...] | None:
    if isinstance(node, list) and len(node) == n and all(isinstance(x, int | float) for x in node):
        return tuple(float(x) for x in node)
    return None


def read_berthing_series(recording: IndexedRecording) -> BerthingSeries:
    """The berthing quantities of every /state message (NaN where one lacks the vehicle)."""
    t = array("d")
    keys = ("separation_m", *(q for q, _l, _u in QUANTITIES))
    values = {k: array("d") for k in keys}
    for message in recording.messages([STATE_TOPIC]):
        vehicle = message.payload.get("vehicle")
        vehicle = vehicle if isinstance(vehicle, dict) else {}
        p = _vec(vehicle.get("position_m"), 3)
        q = _vec(vehicle.get("orientation_xyzw"), 4)
        v = _vec(vehicle.get("velocity_m_s"), 3)
        w = _vec(vehicle.get("angular_velocity_rad_s"), 3)
        t.append(message.time_s)
        if p is None or q is None or v is None or w is None:
            for k in keys:
                values[k].append(math.nan)
            continue
        m = berthing_metrics(p, q, v, w)
        values["separation_m"].append(m.separation_m)
        values["lateral_offset_m"].append(m.lateral_offset_m)
        values["tilt_deg"].append(m.tilt_deg)
        values["roll_deg"].append(abs(m.roll_deg))
        values["axial_speed_m_s"].append(m.axial_speed_m_s)
        values["rate_deg_s"].append(m.rate_deg_s)
    return BerthingSeries(
        np.frombuffer(t, dtype=float).copy(),
        {k: np.frombuffer(v, dtype=float).copy() for k, v in values.items()},
    )


def separation_plot(series: BerthingSeries, block: dict[str, Any]) -> bytes:
    """Separation over the session on a log scale, the procedure's steps marked."""
    fig, (ax,) = _figure()
    sep = np.clip(series.values["separation_m"], 1e-3, None)
    ax.plot(series.t_s, sep, color=LINE_COLOUR, linewidth=1.3)
    ax.set_yscale("log")
    for level, label in (
        (geo.PRE_INSTALL_SETUP_M, "setup 3.5 m"),
        (geo.PRE_INSTALL_M, "pre-install 1.5 m"),
        (geo.GUIDE_HEIGHT_M, "guides 0.35 m"),
        (geo.RTL_TRAVEL_M, "RTL 0.05 m"),
    ):
        ax.axhline(level, color="#7f8c8d", linestyle=":", linewidth=1.0)
        ax.text(0.0, level, f" {label}", fontsize=7, color="#555", va="bottom")
    for key, label in STEPS:
        at = block.get(key)
        if isinstance(at, int | float):
            ax.axvline(at, color=TRIGGER_COLOUR, linestyle="--", linewidth=0.9)
            ax.text(at, ax.get_ylim()[1], f" {label}", fontsize=7, color=TRIGGER_COLOUR,
                    rotation=90, va="top", ha="right")  # fmt: skip
    end = float(series.t_s[-1]) if len(series.t_s) else 1.0
    _finish(ax, "Berthing: PCBM face to the ACBM face", "m", end)
    ax.set_xlabel("simulation time (s)", fontsize=8)
    return png(fig)


def rtl_plot(
    series: BerthingSeries, quantity: str, envelope: BerthingEnvelope, block: dict[str, Any]
) -> bytes:
    """One RTL quantity over the final approach on the envelope's bands, the RTL ringed."""
    title, unit = next((label, u) for q, label, u in QUANTITIES if q == quantity)
    fig, (ax,) = _figure()
    tier = getattr(envelope, quantity)
    start = block.get("go_for_final_approach_s")
    rtl = block.get("rtl") if isinstance(block.get("rtl"), dict) else None
    end_key = block.get("first_stage_s") or (rtl or {}).get("time_s")
    t = series.t_s
    lo = float(start) if isinstance(start, int | float) else 0.0
    hi = (
        float(end_key) + 10.0
        if isinstance(end_key, int | float)
        else (float(t[-1]) if len(t) else 1.0)
    )
    window = (t >= lo) & (t <= hi)
    values = series.values[quantity][window]
    finite = values[np.isfinite(values)]
    top = max(
        2.0 * tier.allowed,
        min(float(finite.max()) * 1.1 if len(finite) else 0.0, 6.0 * tier.allowed),
    )
    ax.axhspan(0.0, tier.full, color=FULL_COLOUR, linewidth=0)
    ax.axhspan(tier.full, tier.allowed, color=ALLOWED_COLOUR, linewidth=0)
    ax.axhspan(tier.allowed, top, color=OUTSIDE_COLOUR, linewidth=0)
    ax.plot(t[window], values, color=LINE_COLOUR, linewidth=1.3)
    if rtl is not None:
        judged = rtl["quantities"][quantity]["value"]
        ax.axvline(rtl["time_s"], color=TRIGGER_COLOUR, linestyle="--", linewidth=1.2)
        y = min(max(float(judged), 0.0), top)
        ax.plot([rtl["time_s"]], [y], marker="o", markersize=8, markerfacecolor="none",
                markeredgecolor=TRIGGER_COLOUR, markeredgewidth=2)  # fmt: skip
        ax.annotate(f"RTL: {float(judged):.3g} {unit}", (rtl["time_s"], y),
                    textcoords="offset points", xytext=(-8, 8), ha="right", fontsize=8,
                    color=TRIGGER_COLOUR)  # fmt: skip
    ax.set_ylim(0.0, top)
    _finish(
        ax, f"{title}  (full ≤ {tier.full:g} {unit}, allowed ≤ {tier.allowed:g} {unit})", unit, hi
    )
    ax.set_xlim(lo, hi)
    ax.set_xlabel("simulation time (s), from MCC's GO for final approach", fontsize=8)
    return png(fig)


def berthing_task_metrics(report: dict[str, Any], scenario: Scenario) -> list[Metric]:
    """The manoeuvre-and-task marks of a berthing (docs/REFERENCE.md §4.4 in spirit): the RTL
    envelope's tier, pre-install to first stage against the time limits, re-approaches."""
    block = report.get("berthing") or {}
    spec = scenario.berthing
    rtl = block.get("rtl")
    out: list[Metric] = []
    abort = block.get("abort") or {}
    if report.get("outcome") == "aborted" and abort.get("correct"):
        out.append(Metric("RTL envelope", "aborted on a fault", NOT_APPLICABLE, ""))
    else:
        tier = rtl.get("tier") if isinstance(rtl, dict) else None
        mark = {"full": GOOD, "allowed": SATISFACTORY}.get(str(tier), NEEDS_WORK)
        out.append(Metric("RTL envelope tier", str(tier) if tier else "never made",
                          mark, "good full credit, satisfactory allowed"))  # fmt: skip
    elapsed = block.get("pre_install_to_first_stage_s")
    if isinstance(elapsed, int | float) and spec is not None:
        full = spec.full_credit_s if spec.full_credit_s is not None else math.inf
        until = spec.penalty_until_s if spec.penalty_until_s is not None else full
        mark = GOOD if elapsed <= full else SATISFACTORY if elapsed <= until else NEEDS_WORK
        out.append(Metric("pre-install to first stage", f"{elapsed:.0f} s", mark,
                          f"good ≤ {full:g} s, satisfactory ≤ {until:g} s"))  # fmt: skip
    rejections = int(block.get("rtl_rejections", 0))
    mark = GOOD if rejections == 0 else SATISFACTORY if rejections == 1 else NEEDS_WORK
    out.append(Metric("RTL re-approaches", str(rejections), mark, "good 0, satisfactory 1"))
    violations = block.get("violations") or []
    out.append(Metric("procedure", "kept" if not violations else
                      "; ".join(str(v["rule"]).replace("_", " ") for v in violations),
                      GOOD if not violations else NEEDS_WORK,
                      "into the guides only on MCC's GO and with the CBCS; release on the GO"))  # fmt: skip
    return out


def _esc(value: object) -> str:
    import html

    return html.escape(str(value))


def berthing_html(report: dict[str, Any], scenario: Scenario) -> str:
    """The page's berthing section: the procedure's times and the RTL envelope."""
    block = report.get("berthing")
    if not isinstance(block, dict):
        return ""
    who = "the ground" if block.get("flown_from") == "ground" else "the crew"
    trip = block.get("round_trip_s") or 0.0
    steps = "".join(
        f"<tr><td>{_esc(label)}</td><td class='num'>"
        + ("—" if not isinstance(block.get(key), int | float) else f"{block[key]:.1f} s")
        + "</td></tr>"
        for key, label in (
            ("pre_install_setup_s", "pre-install setup (3.5 m), held"),
            ("pre_install_s", "pre-install (1.5 m), held"),
            ("go_for_final_approach_s", "MCC's GO for final approach"),
            ("first_stage_s", "RTL: first stage begins, the arm limp"),
            ("first_stage_complete_s", "first stage complete"),
            ("second_stage_complete_s", "second stage complete (16 bolts)"),
            ("brakes_on_s", "brakes on"),
            ("go_for_release_s", "MCC's GO for LEE release"),
            ("released_s", "LEE released"),
        )
    )
    rtl = block.get("rtl")
    spec = scenario.berthing
    if isinstance(rtl, dict) and spec is not None:
        rows = "".join(
            f"<tr><td>{_esc(label)}</td><td class='num'>{rtl['quantities'][q]['value']:.4g} {_esc(unit)}</td>"
            f"<td class='num'>≤ {getattr(spec.envelope, q).full:g}</td>"
            f"<td class='num'>≤ {getattr(spec.envelope, q).allowed:g}</td>"
            f"<td class='tier-{_esc(rtl['quantities'][q]['tier'])}'>{_esc(rtl['quantities'][q]['tier'])}</td></tr>"
            for q, label, unit in QUANTITIES
        )
        three = (
            " on three indicators (one failed), the CBCS confirming"
            if rtl.get("on_three_rtls")
            else ""
        )
        rtl_html = (
            f"<p>Ready to latch at t = {rtl['time_s']:.1f} s{three}: tier "
            f"<span class='tier-{_esc(rtl['tier'])}'>{_esc(rtl['tier'])}</span>.</p>"
            "<table><thead><tr><th>quantity</th><th class='num'>at RTL</th><th class='num'>full credit</th>"
            f"<th class='num'>allowed</th><th>tier</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    else:
        rtl_html = "<p>The four ready-to-latch indicators never made.</p>"
    guides = (
        f"<p>Guides and ring: {block.get('guide_contacts', 0)} contact(s), fastest approach "
        f"{block.get('peak_guide_contact_speed_m_s', 0.0):.3f} m/s, peak force "
        f"{block.get('peak_guide_force_n', 0.0):.0f} N. RTL re-approaches: "
        f"{block.get('rtl_rejections', 0)}.</p>"
    )
    extra = "".join(f"<p>Fault: {_esc(x)}.</p>" for x in block.get("faults") or [])
    extra += "".join(
        f"<p class='bad'>Violation at {v['time_s']:.1f} s: {_esc(v['detail'])}.</p>"
        for v in block.get("violations") or []
    )
    abort = block.get("abort")
    if isinstance(abort, dict):
        right = "the right call" if abort.get("correct") else "not called for"
        extra += f"<p>Aborted at {abort['time_s']:.1f} s ({_esc(abort['cause'])}): {right}.</p>"
    return (
        f"<h2>The berthing</h2><p>Flown by {who}"
        + (f" with a {trip:g} s round trip" if trip else "")
        + f"; the procedure reached <b>{_esc(str(block.get('phase_reached', '')).replace('_', ' '))}</b>.</p>"
        f"<div class='two'><div><table><tbody>{steps}</tbody></table></div><div>{rtl_html}</div></div>"
        + guides
        + extra
    )
