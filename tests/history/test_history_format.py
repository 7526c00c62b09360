"""The history's table and trend, from attempts made by hand."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from trainer.history.command import format_history, slope, trend_word, write_plot
from trainer.history.store import Attempt


def attempt(scenario: str, score: float, passed: bool = True) -> Attempt:
    return Attempt(
        trainee="ada",
        scenario_id=scenario,
        scenario_version=1,
        seed=7,
        date_utc="2026-11-29T04:00:00+00:00",
        aids="guided",
        pilot="keyboard",
        outcome="captured" if passed else "missed",
        passed=passed,
        score=score,
        components={},
        recording=None,
    )


def test_trend_per_scenario() -> None:
    attempts = [
        attempt("crs20-capture", 40.0, passed=False),
        attempt("basic-drill", 90.0),
        attempt("crs20-capture", 60.0),
        attempt("crs20-capture", 80.0),
    ]
    lines = format_history("ada", attempts)
    text = "\n".join(lines)
    assert lines[0] == "Trainee ada: 4 graded attempt(s)"
    assert "basic-drill (1 attempt(s))" in text and "trend: one attempt so far" in text
    assert "crs20-capture (3 attempt(s))" in text
    assert "trend: improving (+20.0 points per attempt" in text
    # the crs20 attempts in the order flown
    rows = [line.split() for line in lines if line.strip()[:1].isdigit()]
    assert [r[-1] for r in rows] == ["90.0", "40.0", "60.0", "80.0"]
    assert slope([80.0, 70.0, 60.0]) == -10.0 and trend_word(-10.0) == "declining"
    assert trend_word(0.5) == "steady"


def test_plot_of_score_over_attempts(tmp_path: Path) -> None:
    path = tmp_path / "h.png"
    write_plot(
        path, "ada", [attempt("a", 40.0, passed=False), attempt("a", 70.0), attempt("b", 90.0)]
    )
    image = Image.open(path).convert("RGB")
    assert image.size[0] > 600
    # matplotlib's first two line colours: one per scenario
    colours = {rgb for _, rgb in image.getcolors(maxcolors=1 << 20) or []}
    assert (31, 119, 180) in colours and (255, 127, 14) in colours
