"""``campaign.html``: the campaign summary as one self-contained page that opens offline
(docs/DESIGN.md §12), made like the debrief page (trainer/debrief/page.py): the CSS in a
``<style>`` element, each figure a PNG ``data:`` URI, system fonts, no script and no link
to anything outside the file (a test opens it in a headless Chromium with the network cut).

Order, as a scenario designer reads it: what was graded; the pass rate with its interval;
the score distribution; the outcomes and the reasons most often named; the worst jobs to
look at first (their folders beside the page); the jobs not graded; the pass rate against
each dispersed parameter; the workers' environments.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping
from typing import Any

from trainer.campaign.summary import PERCENTILES, label

CSS = """
:root { --ink: #1b2631; --muted: #5d6d7e; --line: #d5d8dc; --good: #1e8449; --bad: #c0392b;
  --panel: #f8f9f9; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif;
  color: var(--ink); margin: 0; background: #fff; font-size: 14px; line-height: 1.45; }
main { max-width: 1200px; margin: 0 auto; padding: 18px 28px 40px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 26px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
.meta { color: var(--muted); margin: 0 0 14px; } .meta b { color: var(--ink); font-weight: 600; }
.banner { display: flex; gap: 22px; align-items: baseline; padding: 14px 18px; border-radius: 8px;
  border: 1px solid var(--line); background: var(--panel); }
.banner .rate { font-size: 30px; font-weight: 700; }
.banner .ci { color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: var(--good); font-weight: 600; } .fail { color: var(--bad); font-weight: 600; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 6px; background: #fff; }
figure img { width: 100%; height: auto; display: block; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
footer { margin-top: 28px; color: var(--muted); font-size: 12px; }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _img(title: str, data: bytes) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return f'<figure><img alt="{_e(title)}" src="data:image/png;base64,{encoded}"></figure>'


def _table(head: list[str], rows: list[list[str]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    th = "".join(f"<th{' class=num' if i in numeric else ''}>{h}</th>" for i, h in enumerate(head))
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=num' if i in numeric else ''}>{c}</td>" for i, c in enumerate(r))
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def campaign_page(summary: Mapping[str, Any], figures: Mapping[str, bytes]) -> str:
    """The page of ``summary`` (``campaign.json``) with ``figures`` (title: PNG)."""
    s = summary
    what = s["scenario"] if s["scenario"] else "the scenarios of the recordings"
    bits = [
        f"<b>{_e(s['requested'])}</b> {_e(s['work'])}",
        f"scenario <b>{_e(what)}</b>",
        f"pilot <b>{_e(s['pilot'])}</b>",
        f"started <b>{_e(s['started_utc'])}</b>",
        f"<b>{_e(s['graded'])}</b> graded",
    ]
    if s["not_graded_count"]:
        bits.append(f"<b>{_e(s['not_graded_count'])}</b> not graded")
    if s["stopped"]:
        bits.append(f"stopped by <b>{_e(s['stopped'])}</b>")
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Grading campaign: {_e(what)}</title><style>{CSS}</style></head><body><main>",
        f"<h1>Grading campaign: {_e(what)}</h1><p class='meta'>{' · '.join(bits)}</p>",
        _banner(s),
    ]
    if s["graded"]:
        score = s["score"]
        names = ["mean", "min", *[n for n, _ in PERCENTILES], "max"]
        parts.append("<h2>Scores</h2><div class='two'>")
        if "score" in figures:
            parts.append(_img("Score distribution", figures["score"]))
        else:  # a short campaign: its per-seed table says more (campaign/command.py)
            parts.append("<p class='meta'>The plots are drawn for longer campaigns.</p>")
        parts.append(
            _table(
                ["", "score"],
                [[_e(n), f"{score[n]:.1f}"] for n in names],
                {1},
            )
            + "</div>"
        )
        parts.append("<h2>Outcomes and reasons</h2><div class='two'>")
        parts.append(
            _table(["outcome", "jobs"], [[_e(k), _e(v)] for k, v in s["outcomes"].items()], {1})
        )
        parts.append(
            _table(
                ["reason (numbers set aside)", "jobs"],
                [
                    [
                        f"{_e(r['reason'])}<div class='meta'>e.g. {_e(r['example'])}</div>",
                        _e(r["count"]),
                    ]
                    for r in s["reasons"]
                ]
                or [["every graded job passed without a reason to fail", ""]],
                {1},
            )
            + "</div>"
        )
        parts.append("<h2>Look at these first</h2>")
        parts.append(
            _table(
                ["job", "folder", "outcome", "score", "reasons"],
                [
                    [
                        _e(label(j)),
                        f"<code>{_e(j['key'])}/</code>",
                        f"<span class='{'pass' if j['passed'] else 'fail'}'>{_e(j['outcome'])}</span>",
                        f"{j['score']:.1f}",
                        _e("; ".join(j["reasons"])),
                    ]
                    for j in s["worst"]
                ],
                {3},
            )
        )
    if s["not_graded"]:
        parts.append("<h2>Not graded</h2>")
        parts.append(
            _table(
                ["job", "why"],
                [[_e(label(item)), _e(item["error"])] for item in s["not_graded"]],
            )
        )
    if "dispersions" in figures:
        parts.append("<h2>Pass rate against the dispersions</h2>")
        parts.append(_img("Pass rate against each dispersed parameter", figures["dispersions"]))
    parts.append(_environments(s))
    parts.append(
        "<footer>campaign.json holds every number on this page and one row per job; "
        "each job's report, debrief text and recording are in its folder.</footer>"
        "</main></body></html>\n"
    )
    return "".join(parts)


def _banner(s: Mapping[str, Any]) -> str:
    rate = s["pass_rate"]
    if not rate["graded"]:
        return "<div class='banner'><div class='rate'>nothing graded</div></div>"
    lo, hi = rate["wilson_95"]
    return (
        "<div class='banner'>"
        f"<div class='rate'>{100 * rate['rate']:.1f} % passed</div>"
        f"<div>{rate['passed']} of {rate['graded']} graded jobs</div>"
        f"<div class='ci'>95 % Wilson interval {100 * lo:.1f} % to {100 * hi:.1f} %</div>"
        "</div>"
    )


def _environments(s: Mapping[str, Any]) -> str:
    envs = s["environments"]
    if not envs:
        return ""
    keys = list(envs[0]["fingerprint"])
    head = ["", *[f"environment {i + 1} ({e['jobs']} jobs)" for i, e in enumerate(envs)]]
    rows = [[_e(k), *[_e(e["fingerprint"].get(k)) for e in envs]] for k in keys]
    note = (
        "every job ran in the same environment"
        if len(envs) == 1
        else "the workers ran in different environments: results are comparable bit for "
        "bit only within the determinism domain"
    )
    return f"<h2>Workers' environment</h2><p class='meta'>{note}.</p>{_table(head, rows)}"
