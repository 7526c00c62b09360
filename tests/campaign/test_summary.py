"""The campaign summary (trainer/campaign/summary.py, docs/DESIGN.md §12): the Wilson
interval against its published values, percentiles as numpy interpolates them, reasons
counted with their numbers set aside, the worst jobs first, and terminal lines that never
look like a row of the per-seed table."""

from __future__ import annotations

import json

import numpy as np
import pytest

from trainer.campaign.summary import (
    Row,
    percentile,
    reason_pattern,
    summarize,
    summary_lines,
    wilson,
)

META = {
    "started_utc": "2023-11-14T22:13:20+00:00",
    "work": "seeds",
    "requested": 6,
    "scenario": "crs20-capture",
    "pilot": "autopilot",
    "stopped": None,
}


def _row(seed: int, passed: bool, score: float, reasons: tuple[str, ...] = ()) -> Row:
    return Row(
        key=f"seed-{seed}",
        seed=seed,
        scenario="crs20-capture",
        outcome="captured" if passed else "timeout",
        passed=passed,
        score=score,
        reasons=reasons,
        draws=(("position_m.x", 0.01 * seed), ("attitude_deg.yaw", -0.1 * seed)),
        environment=0,
    )


@pytest.mark.parametrize(
    ("passed", "n", "low", "high"),
    [  # Newcombe (1998), Statistics in Medicine 17: 857-872, table I, method 3
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_published_values(
    passed: int, n: int, low: float, high: float
) -> None:
    interval = wilson(passed, n)
    assert interval is not None
    assert interval[0] == pytest.approx(low, abs=6e-5)
    assert interval[1] == pytest.approx(high, abs=6e-5)


def test_wilson_interval_stays_inside_zero_and_one_and_needs_a_trial() -> None:
    assert wilson(0, 0) is None
    lo, hi = wilson(8, 8) or (0.0, 0.0)
    assert hi == 1.0 and 0.6 < lo < 0.7  # 8/8: [0.676, 1]


def test_percentiles_interpolate_as_numpy_does() -> None:
    values = sorted(float(x) for x in np.random.default_rng(3).normal(50, 20, 37))
    for q in (0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0):
        assert percentile(values, q) == pytest.approx(float(np.percentile(values, 100 * q)))


def test_reasons_count_once_per_criterion_whatever_their_numbers() -> None:
    a = "the fixture drifted 1.00 m from its free-drift position, beyond the 1.0 m sphere"
    b = "the fixture drifted 1.37 m from its free-drift position, beyond the 1.0 m sphere"
    assert reason_pattern(a) == reason_pattern(b)
    assert reason_pattern("lateral offset 0.12 m at the trigger") != reason_pattern(a)


def test_summary_counts_orders_and_ranks() -> None:
    drift = "the fixture drifted {} m from its free-drift position"
    rows = [
        _row(1, True, 92.5),
        _row(2, False, 35.0, (drift.format("1.20"),)),
        _row(3, True, 88.0),
        _row(4, False, 20.0, (drift.format("1.50"), "no capture within 2 s")),
        _row(5, False, 35.0, (drift.format("1.10"),)),
    ]
    not_graded = [{"key": "seed-6", "seed": 6, "error": "its worker died (exit status -9)"}]
    summary = summarize(META, rows, not_graded, [{"trainer": "0.1.0"}])
    json.dumps(summary)  # campaign.json: plain JSON
    assert summary["pass_rate"]["passed"] == 2 and summary["pass_rate"]["graded"] == 5
    assert summary["pass_rate"]["wilson_95"] == list(wilson(2, 5) or ())
    assert summary["outcomes"] == {"timeout": 3, "captured": 2}
    assert summary["reasons"][0] == {
        "reason": "the fixture drifted # m from its free-drift position",
        "count": 3,
        "example": drift.format("1.20"),
    }
    # failed before passed, lowest score first, ties in seed order
    assert [j["seed"] for j in summary["worst"]] == [4, 2, 5, 3, 1]
    assert summary["score"]["median"] == 35.0 and summary["score"]["min"] == 20.0
    assert summary["dispersions"] == ["position_m.x", "attitude_deg.yaw"]  # build.py's order
    assert [j["seed"] for j in summary["jobs"]] == [1, 2, 3, 4, 5]
    assert summary["jobs"][3]["draws"] == {"position_m.x": 0.04, "attitude_deg.yaw": -0.4}
    assert summary["not_graded_count"] == 1

    lines = summary_lines(summary)
    text = "\n".join(lines)
    assert "2/5 = 40.0 %" in text and "Wilson" in text
    assert "seed 6: its worker died" in text
    # the per-seed table's rows start with a seed number; no summary line does
    assert not any(line[:6].strip().isdigit() for line in lines)


def test_summary_of_nothing_graded_still_writes() -> None:
    summary = summarize({**META, "stopped": "SIGTERM"}, [], [], [])
    assert summary["pass_rate"]["rate"] is None and summary["score"] is None
    assert summary_lines(summary)[0].endswith("0 graded (stopped by SIGTERM)")


def test_environments_that_differ_are_named() -> None:
    rows = [_row(1, True, 90.0), _row(2, True, 91.0)]
    rows[1] = Row(**{**rows[1].__dict__, "environment": 1})
    a = {"trainer": "0.1.0", "libm_path": "fma", "cpu": "A"}
    b = {"trainer": "0.1.0", "libm_path": "sse2", "cpu": "B"}
    summary = summarize(META, rows, [], [a, b])
    assert [e["jobs"] for e in summary["environments"]] == [1, 1]
    line = summary_lines(summary)[-1]
    assert "2 environments" in line and "libm_path" in line and "cpu" not in line
