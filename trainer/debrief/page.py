"""The self-contained ``debrief.html``: one file that opens offline in any browser.

Everything is inside it: the CSS in a ``<style>`` element, every figure a PNG ``data:`` URI,
system fonts only, no script, no link to anything outside the file (a test opens it in a
headless Chromium with the network cut and checks that nothing is requested).

Order, as an instructor debriefs: who flew what; the outcome, every reason and the score;
the three lesson marks with their metrics; the trigger against the envelope; the plots;
the event timeline with the instructor's actions of a live session; the instructor's
notes.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from trainer.debrief.technique import SYMBOL, Area, HandControllerMetrics
from trainer.record.instructor import describe
from trainer.record.notes import Note
from trainer.scenario.model import RangeTier, Scenario
from trainer.scoring.envelope import QUANTITIES

CSS = """
:root { --ink: #1b2631; --muted: #5d6d7e; --line: #d5d8dc; --good: #1e8449;
  --ok: #b9770e; --bad: #c0392b; --panel: #f8f9f9; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif;
  color: var(--ink); margin: 0; background: #fff; font-size: 14px; line-height: 1.45; }
main { max-width: 1360px; margin: 0 auto; padding: 18px 28px 40px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 26px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
.meta { color: var(--muted); margin: 0 0 14px; }
.meta b { color: var(--ink); font-weight: 600; }
.banner { display: flex; gap: 22px; align-items: center; padding: 14px 18px; border-radius: 8px;
  border: 1px solid var(--line); background: var(--panel); }
.banner .verdict { font-size: 26px; font-weight: 700; letter-spacing: 0.5px; }
.banner.pass .verdict { color: var(--good); } .banner.fail .verdict { color: var(--bad); }
.banner .score { font-size: 26px; font-weight: 700; margin-left: auto; }
.banner .score small { font-size: 14px; color: var(--muted); font-weight: 400; }
ul.reasons { margin: 10px 0 0; padding-left: 20px; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 14px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; background: #fff; }
.card h3 { margin: 0 0 6px; font-size: 15px; display: flex; align-items: center; gap: 8px; }
.mark { display: inline-block; min-width: 28px; text-align: center; border-radius: 5px;
  color: #fff; font-weight: 700; padding: 1px 6px; }
.mark.good { background: var(--good); } .mark.satisfactory { background: var(--ok); }
.mark.needs-work { background: var(--bad); } .mark.n-a { background: #aab7b8; }
.markword { font-size: 13px; font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.basis { color: var(--muted); font-size: 12px; }
.tier-full { color: var(--good); font-weight: 600; } .tier-allowed { color: var(--ok); font-weight: 600; }
.tier-outside { color: var(--bad); font-weight: 600; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
.plots { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 6px; background: #fff; }
figure img { width: 100%; height: auto; display: block; }
figure.wide { grid-column: 1 / -1; } figure.wide img { max-width: 1100px; margin: 0 auto; }
.legend { color: var(--muted); font-size: 12px; margin: 0 0 8px; }
.swatch { display: inline-block; width: 12px; height: 12px; vertical-align: -2px; border: 1px solid #ccc; }
.note { background: #eafaf1; }
footer { margin-top: 28px; color: var(--muted); font-size: 12px; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
@media print { .plots { grid-template-columns: 1fr 1fr; } main { max-width: none; } }
"""


@dataclass(frozen=True)
class Figure:
    title: str
    png: bytes
    wide: bool = False


@dataclass(frozen=True)
class PageFacts:
    """Everything the page shows (built by trainer/debrief/command.py)."""

    report: dict[str, Any]
    scenario: Scenario
    metadata: dict[str, Any]
    aids: str
    areas: Sequence[Area]
    hand_controller: HandControllerMetrics
    figures: Sequence[Figure]
    events: Sequence[dict[str, Any]]
    notes: Sequence[Note]
    notes_skipped: int
    recording_name: str
    duration_s: float
    remarks: Sequence[str]  # e.g. the report was rebuilt, the recording was cut off
    notes_omitted: str | None = None  # what the notes' bounds left out (trainer/record/notes.py)
    actions: Sequence[dict[str, Any]] = ()  # the instructor's, of a live session (/instructor)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _mark(mark: str) -> str:
    css = mark.replace(" ", "-").replace("/", "-")
    return f'<span class="mark {css}" title="{_e(mark)}">{_e(SYMBOL.get(mark, "?"))}</span>'


def _img(figure: Figure) -> str:
    data = base64.b64encode(figure.png).decode("ascii")
    wide = ' class="wide"' if figure.wide else ""
    return (
        f'<figure{wide}><img alt="{_e(figure.title)}" src="data:image/png;base64,{data}"></figure>'
    )


def _header(f: PageFacts) -> str:
    sc = f.scenario
    meta = f.metadata
    bits = [
        f"scenario <b>{_e(sc.id)}</b> v{_e(sc.version)}",
        f"seed <b>{_e(meta.get('seed', f.report.get('seed')))}</b>",
        f"pilot <b>{_e(meta.get('pilot', f.report.get('pilot')))}</b>",
    ]
    if meta.get("trainee"):
        bits.append(f"trainee <b>{_e(meta['trainee'])}</b>")
    bits.append(f"aids <b>{_e(f.aids)}</b>")
    if meta.get("start_time_utc"):
        bits.append(f"flown <b>{_e(meta['start_time_utc'])}</b>")
    bits.append(f"length <b>{f.duration_s:.1f} s</b>")
    return f'<h1>Capture debrief: {_e(sc.title)}</h1><p class="meta">{" · ".join(bits)}</p>'


def _banner(f: PageFacts) -> str:
    r = f.report
    passed = bool(r.get("passed"))
    verdict = f"{str(r.get('outcome', '?')).upper()}: {'PASS' if passed else 'FAIL'}"
    reasons = r.get("reasons") or []
    ttc = r.get("time_to_capture_s")
    detail = (
        f"time to capture {ttc:.1f} s after free drift"
        if isinstance(ttc, int | float)
        else _e(r.get("outcome_reason", ""))
    )
    items = "".join(f"<li>{_e(x)}</li>" for x in reasons)
    body = (
        f'<ul class="reasons">{items}</ul>'
        if reasons
        else '<p style="margin:8px 0 0">Every pass criterion was met.</p>'
    )
    notes = r.get("notes") or []
    if notes:
        body += (
            '<p style="margin:8px 0 2px"><b>Deductions explained</b></p><ul class="reasons">'
            + "".join(f"<li>{_e(n)}</li>" for n in notes)
            + "</ul>"
        )
    score = r.get("score") or {}
    return (
        f'<div class="banner {"pass" if passed else "fail"}">'
        f'<div><div class="verdict">{_e(verdict)}</div><div class="meta" style="margin:0">{detail}</div></div>'
        f'<div class="score">{float(score.get("total", 0.0)):.1f} <small>/ {_e(score.get("max", 100))}</small></div>'
        f"</div>{body}"
    )


def _areas(f: PageFacts) -> str:
    cards = []
    for area in f.areas:
        rows = "".join(
            f"<tr><td>{_mark(m.mark)}</td><td>{_e(m.name)}<div class='basis'>{_e(m.basis)}</div></td>"
            f"<td>{_e(m.value)}</td></tr>"
            for m in area.metrics
        )
        cards.append(
            f'<div class="card"><h3>{_mark(area.mark)} {_e(area.title)}</h3>'
            f'<div class="markword">{_e(area.mark)}</div>'
            f"<table><tbody>{rows}</tbody></table></div>"
        )
    return (
        "<h2>Lesson marks</h2>"
        '<p class="legend">+ good · ✓ satisfactory · − needs work (the form of NASA\'s '
        "Generic Robotics Training lesson marks); an area takes its worst metric's mark. "
        "Thresholds are the trainer's estimates, listed under each metric.</p>"
        f'<div class="cards">{"".join(cards)}</div>'
    )


def _limits(scenario: Scenario, quantity: str) -> tuple[str, str]:
    tier = getattr(scenario.envelope, quantity)
    if isinstance(tier, RangeTier):
        return f"{tier.full[0]:g} – {tier.full[1]:g}", f"{tier.allowed[0]:g} – {tier.allowed[1]:g}"
    return f"≤ {tier.full:g}", f"≤ {tier.allowed:g}"


def _quantity_tier(scenario: Scenario, quantity: str, value: float) -> str:
    tier = getattr(scenario.envelope, quantity)
    if isinstance(tier, RangeTier):
        if tier.full[0] <= value <= tier.full[1]:
            return "full"
        return "allowed" if tier.allowed[0] <= value <= tier.allowed[1] else "outside"
    return "full" if value <= tier.full else "allowed" if value <= tier.allowed else "outside"


def _trigger(f: PageFacts) -> str:
    if f.report.get("berthing"):  # a berthing's section (and the capture's, when it had one)
        from trainer.debrief.berthing import berthing_html

        capture = _capture_trigger(f) if isinstance(f.report.get("trigger"), dict) else ""
        return capture + berthing_html(f.report, f.scenario)
    return _capture_trigger(f)


def _capture_trigger(f: PageFacts) -> str:
    trig = f.report.get("trigger")
    if not isinstance(trig, dict):
        return "<h2>The trigger</h2><p>The capture trigger was never pulled.</p>"
    drift = f.report.get("free_drift_start_s") or 0.0
    rows = []
    for name, label, unit, fmt in QUANTITIES:
        value = trig.get(name)
        if not isinstance(value, int | float):
            continue
        full, allowed = _limits(f.scenario, name)
        tier = _quantity_tier(f.scenario, name, float(value))
        rows.append(
            f"<tr><td>{_e(label)}</td><td class='num'>{value:{fmt}} {_e(unit)}</td>"
            f"<td class='num'>{_e(full)}</td><td class='num'>{_e(allowed)}</td>"
            f"<td class='tier-{tier}'>{tier}</td></tr>"
        )
    return (
        "<h2>The trigger</h2>"
        f"<p>Pulled at t = {float(trig.get('time_s', 0.0)):.1f} s, "
        f"{float(trig.get('time_s', 0.0)) - float(drift):.1f} s after free drift began; "
        f"envelope tier <span class='tier-{_e(trig.get('tier'))}'>{_e(trig.get('tier'))}</span>.</p>"
        "<table><thead><tr><th>quantity</th><th class='num'>at the trigger</th>"
        "<th class='num'>full credit</th><th class='num'>allowed</th><th>tier</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _deduction(value: object) -> str:
    number = float(value) if isinstance(value, int | float) else 0.0
    return "0" if number == 0 else f"{number:+.2f}"  # never "-0.00"


def _score(f: PageFacts) -> str:
    comps = (f.report.get("score") or {}).get("components") or {}
    weights: dict[str, object] = dict(f.scenario.scoring_weights)
    if f.report.get("berthing"):  # a berthing's components (trainer/scoring/berthing.py)
        from trainer.scoring.berthing import WEIGHTS

        if f.report.get("trigger") is None:
            weights = dict(WEIGHTS)
        else:  # a capture and berth: each half at half weight
            weights = {f"capture_{k}": v / 2 for k, v in f.scenario.scoring_weights.items()}
            weights |= {f"berthing_{k}": v / 2 for k, v in WEIGHTS.items()}
    rows = "".join(
        f"<tr><td>{_e(name.replace('_', ' '))}</td><td class='num'>{_deduction(value)}</td>"
        f"<td class='num'>{_e(weights.get(name, '—'))}</td></tr>"
        for name, value in comps.items()
    )
    hc = f.hand_controller
    hc_rows = (
        ("flying window (free drift to trigger)", f"{hc.window_s:.1f} s"),
        ("hand controllers in use", f"{100 * hc.active_share:.0f} % of the window"),
        ("more than one axis in use", f"{100 * hc.multi_axis_share:.0f} % of the time in use"),
        ("corrections", f"{hc.corrections} ({hc.corrections_per_min:.1f} per minute)"),
        ("reversals", str(hc.reversals)),
    )
    return (
        '<div class="two"><div><h2>Score</h2>'
        "<table><thead><tr><th>component</th><th class='num'>deduction</th>"
        f"<th class='num'>weight</th></tr></thead><tbody>{rows}</tbody></table></div>"
        "<div><h2>Hand-controller technique</h2><table><tbody>"
        + "".join(f"<tr><td>{_e(a)}</td><td class='num'>{_e(b)}</td></tr>" for a, b in hc_rows)
        + "</tbody></table></div></div>"
    )


def _plots(f: PageFacts) -> str:
    legend = (
        '<p class="legend"><span class="swatch" style="background:#d4efdf"></span> full credit '
        '<span class="swatch" style="background:#fdebd0"></span> allowed '
        '<span class="swatch" style="background:#f9d6d2"></span> outside · '
        "dashed purple: the trigger (its value ringed) · dotted grey: free drift begins</p>"
    )
    return (
        f"<h2>Over time</h2>{legend}"
        f'<div class="plots">{"".join(_img(fig) for fig in f.figures)}</div>'
    )


def _detail(event: dict[str, Any]) -> str:
    parts = []
    for key, value in event.items():
        if key in ("time_s", "kind"):
            continue
        if isinstance(value, float):
            parts.append(f"{key} = {value:.4g}")
        elif isinstance(value, list):
            parts.append(
                f"{key} = [{', '.join(f'{v:.3g}' if isinstance(v, float) else str(v) for v in value)}]"
            )
        else:
            parts.append(f"{key} = {value}")
    return "; ".join(parts)


def _events(f: PageFacts) -> str:
    merged: list[tuple[float, str]] = []
    for e in f.events:
        kind = str(e.get("kind", "?"))
        text = e.get("text") if kind == "call" else None
        detail = f"“{_e(text)}”" if text else _e(_detail(e))
        merged.append(
            (float(e.get("time_s", 0.0)), f"<td>{_e(kind.replace('_', ' '))}</td><td>{detail}</td>")
        )
    for n in f.notes:
        merged.append(
            (
                n.time_s,
                f"<td>instructor note</td><td><b>{_e(n.text)}</b> "
                f"<span class='basis'>({_e(n.author)}, {_e(n.created_utc)})</span></td>",
            )
        )
    for a in f.actions:  # a live session's instructor (docs/DESIGN.md §12)
        t = a.get("time_s")
        merged.append(
            (
                float(t) if isinstance(t, int | float) else 0.0,
                f"<td>instructor action</td><td><b>{_e(describe(a))}</b></td>",
            )
        )
    merged.sort(key=lambda item: item[0])
    rows = "".join(
        f"<tr{' class=note' if 'instructor ' in cells else ''}>"
        f"<td class='num'>{t:.2f}</td>{cells}</tr>"
        for t, cells in merged
    )
    return (
        "<h2>Events</h2><table><thead><tr><th class='num'>t (s)</th><th>event</th>"
        f"<th>detail</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _notes(f: PageFacts) -> str:
    if not f.notes:
        extra = f" ({f.notes_skipped} unreadable line(s) skipped)" if f.notes_skipped else ""
        return (
            "<h2>Instructor's notes</h2>"
            f"<p class='meta'>None for this recording{extra}. Notes are read from "
            f"<code>{_e(f.recording_name)}.notes.jsonl</code> beside the recording.</p>"
        )
    rows = "".join(
        f"<tr><td class='num'>{n.time_s:.1f}</td><td>{_e(n.text)}</td>"
        f"<td>{_e(n.author)}</td><td class='basis'>{_e(n.created_utc)}</td></tr>"
        for n in f.notes
    )
    skipped = (
        f"<p class='meta'>{f.notes_skipped} unreadable line(s) skipped.</p>"
        if f.notes_skipped
        else ""
    )
    if f.notes_omitted:
        skipped += f"<p class='meta'>Left out: {_e(f.notes_omitted)}</p>"
    return (
        "<h2>Instructor's notes</h2><table><thead><tr><th class='num'>t (s)</th><th>note</th>"
        f"<th>author</th><th>written</th></tr></thead><tbody>{rows}</tbody></table>{skipped}"
    )


def render_page(f: PageFacts) -> str:
    remarks = "".join(f"<p>{_e(r)}</p>" for r in f.remarks)
    meta = f.metadata
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Debrief: {_e(f.scenario.title)} (seed {_e(meta.get('seed', '?'))})</title>"
        f"<style>{CSS}</style></head><body><main>"
        + _header(f)
        + _banner(f)
        + _areas(f)
        + _trigger(f)
        + _score(f)
        + _plots(f)
        + _notes(f)
        + _events(f)
        + "<footer>"
        + remarks
        + f"<p>Recording <code>{_e(f.recording_name)}</code>, trainer "
        f"{_e(meta.get('trainer_version', '?'))}, pybullet {_e(meta.get('pybullet_version', '?'))}. "
        f"Check that it replays exactly: <code>canadarm-trainer replay {_e(f.recording_name)} "
        "--verify</code>.</p></footer></main></body></html>\n"
    )
