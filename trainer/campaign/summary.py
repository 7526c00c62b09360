"""A campaign's summary (docs/DESIGN.md §12): what a scenario designer or an instructor reads
after hundreds of seeds, as ``campaign.json`` and as lines on the terminal.

| key            | what                                                                   |
|----------------|------------------------------------------------------------------------|
| pass_rate      | passed / graded, and its 95 % Wilson score interval (right at 0 and 1, unlike the normal approximation) |
| score          | mean, min, p5, p25, median, p75, p95, max (linear interpolation between order statistics) |
| outcomes       | how many of each outcome, the most frequent first                      |
| reasons        | the reasons the reports name most often, their numbers set aside (``the fixture drifted # m ...``), with one example |
| worst          | the jobs to look at first: failed before passed, then the lowest score |
| not_graded     | the jobs that failed twice on their workers or were refused, with the reason |
| environments   | each distinct worker fingerprint (docs/DESIGN.md §10) and how many jobs it graded |
| jobs           | one row per graded job, in seed order: outcome, passed, score, its dispersion draws, its environment |

Nothing in it depends on the backend, the number of workers or the wall clock: the same
campaign on the local pool and on Dask writes the same bytes (docs/DESIGN.md §12).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from trainer.fingerprint import DECIDING
from trainer.text import terminal_text

FORMAT = "canadarm-trainer/campaign@1"
Z_95 = 1.959963984540054  # the standard normal's 97.5th percentile
PERCENTILES = (("p5", 0.05), ("p25", 0.25), ("median", 0.5), ("p75", 0.75), ("p95", 0.95))
TOP = 10  # reasons and worst jobs listed
NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)*(?:[eE][-+]?\d+)?")


@dataclass(frozen=True)
class Row:
    """What the summary keeps of a graded job (its files are on disk already)."""

    key: str
    seed: int
    scenario: str
    outcome: str
    passed: bool
    score: float
    reasons: tuple[str, ...]
    draws: tuple[tuple[str, float], ...]
    environment: int  # index into the campaign's distinct fingerprints


def wilson(passed: int, n: int) -> tuple[float, float] | None:
    """The 95 % Wilson score interval of a pass rate; None for no trial."""
    if n == 0:
        return None
    p = passed / n
    z2 = Z_95 * Z_95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z_95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    # at 0 and n the bound is exactly 0 or 1; rounding must not move it off
    low = 0.0 if passed == 0 else max(0.0, centre - half)
    high = 1.0 if passed == n else min(1.0, centre + half)
    return low, high


def percentile(ordered: Sequence[float], q: float) -> float:
    """The q-quantile of sorted values, interpolated linearly (numpy's default)."""
    h = (len(ordered) - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (h - lo) * (ordered[hi] - ordered[lo])


def reason_pattern(reason: str) -> str:
    """A reason with its numbers set aside, so that the same criterion counts once."""
    return NUMBER.sub("#", reason)


def summarize(
    meta: Mapping[str, Any],
    rows: Sequence[Row],
    not_graded: Sequence[Mapping[str, Any]],
    environments: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """``campaign.json`` (module docstring); ``meta`` holds what the campaign was."""
    passed = sum(1 for r in rows if r.passed)
    interval = wilson(passed, len(rows))
    scores = sorted(r.score for r in rows)
    reasons: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for row in rows:
        for reason in row.reasons:
            pattern = reason_pattern(reason)
            reasons[pattern] += 1
            examples.setdefault(pattern, reason)
    order = {r.key: i for i, r in enumerate(rows)}
    worst = sorted(rows, key=lambda r: (r.passed, r.score, order[r.key]))[:TOP]
    names = sorted({name for r in rows for name, _ in r.draws}, key=_draw_order)
    env_jobs = Counter(r.environment for r in rows)
    return {
        "format": FORMAT,
        **meta,
        "graded": len(rows),
        "not_graded_count": len(not_graded),
        "pass_rate": {
            "passed": passed,
            "graded": len(rows),
            "rate": passed / len(rows) if rows else None,
            "wilson_95": list(interval) if interval is not None else None,
        },
        "score": _score_block(scores),
        "outcomes": dict(
            sorted(Counter(r.outcome for r in rows).items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        "reasons": [
            {"reason": pattern, "count": count, "example": examples[pattern]}
            for pattern, count in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
        ],
        "worst": [_job(r) for r in worst],
        "not_graded": list(not_graded),
        "environments": [
            {"jobs": env_jobs.get(i, 0), "fingerprint": dict(fp)}
            for i, fp in enumerate(environments)
        ],
        "dispersions": names,
        "jobs": [{**_job(r), "draws": dict(r.draws), "environment": r.environment} for r in rows],
    }


def _draw_order(name: str) -> tuple[int, str]:
    from trainer.campaign.jobs import DISPERSED

    quantity, _, axis = name.partition(".")
    for i, (q, axes) in enumerate(DISPERSED):
        if q == quantity and axis in axes:
            return i * 3 + axes.index(axis), name
    return len(DISPERSED) * 3, name


def _score_block(scores: Sequence[float]) -> dict[str, float] | None:
    if not scores:
        return None
    block = {"mean": math.fsum(scores) / len(scores), "min": scores[0]}
    block.update({name: percentile(scores, q) for name, q in PERCENTILES})
    block["max"] = scores[-1]
    return block


def _job(row: Row) -> dict[str, Any]:
    return {
        "key": row.key,
        "seed": row.seed,
        "scenario": row.scenario,
        "outcome": row.outcome,
        "passed": row.passed,
        "score": row.score,
        "reasons": list(row.reasons),
    }


def label(job: Mapping[str, Any]) -> str:
    """``seed 7``, or a recording's key."""
    key = str(job["key"])
    return f"seed {job['seed']}" if key == f"seed-{job['seed']}" else key


def summary_lines(summary: Mapping[str, Any]) -> list[str]:
    """The summary as the terminal shows it: a label, then the values (no line starts with
    a number: the per-seed table's rows do)."""
    rate = summary["pass_rate"]
    lines = [f"{'campaign':<14}{summary['requested']} {summary['work']}: {_counts(summary)}"]
    if rate["graded"]:
        lo, hi = rate["wilson_95"]
        lines.append(
            f"{'pass rate':<14}{rate['passed']}/{rate['graded']} = {100 * rate['rate']:.1f} %"
            f" (95 % Wilson interval {100 * lo:.1f} % to {100 * hi:.1f} %)"
        )
        s = summary["score"]
        quantiles = ", ".join(f"{name} {s[name]:.1f}" for name, _ in PERCENTILES)
        lines.append(
            f"{'score':<14}mean {s['mean']:.1f}; min {s['min']:.1f}, {quantiles}, max {s['max']:.1f}"
        )
        outcomes = ", ".join(f"{name} {n}" for name, n in summary["outcomes"].items())
        lines.append(f"{'outcomes':<14}{terminal_text(outcomes, 400)}")
        for i, reason in enumerate(summary["reasons"]):
            head = "reasons" if i == 0 else ""
            text = terminal_text(reason["reason"], 300)
            lines.append(f"{head:<14}{reason['count']}x {text}")
        worst = ", ".join(
            f"{label(j)} ({j['score']:.1f}, {j['outcome']})" for j in summary["worst"]
        )
        lines.append(f"{'worst first':<14}{terminal_text(worst, 800)}")
    for i, item in enumerate(summary["not_graded"]):
        head = "not graded" if i == 0 else ""
        lines.append(f"{head:<14}{label(item)}: {terminal_text(item['error'], 300)}")
    environments = summary["environments"]
    if len(environments) > 1:
        differ = [
            k for k in DECIDING if len({str(e["fingerprint"].get(k)) for e in environments}) > 1
        ]
        what = f"; they differ in {', '.join(differ)}" if differ else ""
        lines.append(
            f"{'environments':<14}the workers ran in {len(environments)} environments{what}"
            " (campaign.json environments; docs/DESIGN.md §10)"
        )
    return lines


def _counts(summary: Mapping[str, Any]) -> str:
    text = f"{summary['graded']} graded"
    if summary["not_graded_count"]:
        text += f", {summary['not_graded_count']} not graded"
    if summary["stopped"]:
        text += f" (stopped by {summary['stopped']})"
    return text
