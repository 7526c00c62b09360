"""``canadarm-trainer history [--trainee NAME] [--plot FILE]``: a trainee's attempts per
scenario, in the order flown, with the trend, and a plot of score over attempts.

The trend of a scenario is the least-squares slope of the score over the attempt number
(points per attempt) once there are at least two attempts, with the mean of the last three
attempts against the first three; "improving" above +1 point per attempt, "declining"
below -1, "steady" between (E: one point is about the score's attempt-to-attempt noise for
an unchanged technique, e.g. the time component over a few seconds).
"""

from __future__ import annotations

import io
import sys
from collections import defaultdict
from pathlib import Path

from trainer.errors import TrainerError
from trainer.history.store import Attempt, HistoryStore, default_trainee, history_path
from trainer.safeio import check_output_target, write_atomically
from trainer.text import terminal_text

TREND_POINTS_PER_ATTEMPT = 1.0  # E: see the module docstring
PLOT_FORMATS = (".png", ".svg", ".pdf")
SHOWN_CHARS = 60  # a name or scenario id on the terminal, at most (trainer/text.py)
PLOTTED_CHARS = 40  # in a plot's title or legend
HINT_NAMES = 10  # other trainees named when the one asked for has no attempt


def slope(scores: list[float]) -> float:
    """Least-squares slope of ``scores`` over 1, 2, 3 ... (0 for fewer than two)."""
    n = len(scores)
    if n < 2:
        return 0.0
    mean_x = (n + 1) / 2
    mean_y = sum(scores) / n
    num = sum((i + 1 - mean_x) * (y - mean_y) for i, y in enumerate(scores))
    den = sum((i + 1 - mean_x) ** 2 for i in range(n))
    return num / den


def trend_word(points_per_attempt: float) -> str:
    if points_per_attempt > TREND_POINTS_PER_ATTEMPT:
        return "improving"
    if points_per_attempt < -TREND_POINTS_PER_ATTEMPT:
        return "declining"
    return "steady"


def by_scenario(attempts: list[Attempt]) -> dict[str, list[Attempt]]:
    groups: dict[str, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        groups[attempt.scenario_id].append(attempt)
    return dict(sorted(groups.items()))


def format_history(trainee: str, attempts: list[Attempt]) -> list[str]:
    """The lines ``history`` prints; every stored text shown escaped and capped
    (trainer/text.py: a name is data, never a terminal command)."""
    lines = [f"Trainee {terminal_text(trainee, SHOWN_CHARS)}: {len(attempts)} graded attempt(s)"]
    for scenario_id, group in by_scenario(attempts).items():
        scores = [a.score for a in group]
        lines.append("")
        lines.append(f"{terminal_text(scenario_id, SHOWN_CHARS)} ({len(group)} attempt(s))")
        lines.append(
            f"  {'#':>3}  {'date (UTC)':<20} {'seed':>6}  {'aids':<12} {'outcome':<11} "
            f"{'pass':<4} {'score':>6}"
        )
        for n, a in enumerate(group, start=1):
            passed = "-" if a.passed is None else "yes" if a.passed else "no"
            date = terminal_text(a.date_utc[:19], 20)
            aids = terminal_text(a.aids or "not recorded", 12)
            outcome = terminal_text(a.outcome, 11)
            lines.append(
                f"  {n:>3}  {date:<20} {a.seed:>6}  {aids:<12} {outcome:<11} "
                f"{passed:<4} {a.score:>6.1f}"
            )
        if len(group) >= 2:
            s = slope(scores)
            k = min(3, len(group) // 2) or 1
            first = sum(scores[:k]) / k
            last = sum(scores[-k:]) / k
            lines.append(
                f"  trend: {trend_word(s)} ({s:+.1f} points per attempt; mean of the first "
                f"{k}: {first:.1f}, of the last {k}: {last:.1f}; best {max(scores):.1f})"
            )
        else:
            lines.append("  trend: one attempt so far")
    return lines


def shown(name: str) -> str:
    """A name as a plot shows it: escaped like on a terminal, capped."""
    return terminal_text(name, PLOTTED_CHARS)


def check_plot_path(path: Path) -> None:
    if path.suffix.lower() not in PLOT_FORMATS:
        raise TrainerError(f"--plot {path}: the file name must end in {', '.join(PLOT_FORMATS)}")
    if not path.parent.is_dir():
        raise TrainerError(f"--plot {path}: folder {path.parent} does not exist")
    check_output_target(path, "--plot")


def write_plot(path: Path, trainee: str, attempts: list[Attempt]) -> None:
    """Score over attempt number, one line per scenario; written atomically."""
    check_plot_path(path)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    try:
        for scenario_id, group in by_scenario(attempts).items():
            xs = list(range(1, len(group) + 1))
            ax.plot(xs, [a.score for a in group], marker="o", label=shown(scenario_id))
            for x, a in zip(xs, group, strict=True):
                if a.passed is False:
                    ax.plot([x], [a.score], marker="x", color="#c0392b", markersize=9)
        ax.set_xlabel("attempt")
        ax.set_ylabel("score (of 100)")
        ax.set_ylim(0, 102)
        # names are drawn literally: mathtext would read "$...$" as a formula (and fail on
        # a bad one), so it is off for every text that holds a name (trainer/text.py)
        ax.set_title(f"{shown(trainee)}: score over attempts (x = failed)", parse_math=False)
        ax.grid(alpha=0.3)
        if attempts:
            legend = ax.legend(loc="lower right", fontsize=8)
            for text in legend.get_texts():
                text.set_parse_math(False)
            ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
        image = io.BytesIO()
        fig.savefig(image, format=path.suffix.lower()[1:], bbox_inches="tight")
        # a new file beside it, then a rename: never through a link, the user's usual mode
        write_atomically(path, image.getvalue(), "--plot")
    except OSError as exc:
        raise TrainerError(f"--plot {path}: cannot write it ({exc.strerror or exc})") from None
    finally:
        plt.close(fig)


def _others_hint(others: list[str]) -> str:
    """`` (trainees recorded: a, b, ... and N more)``: each name escaped and capped, at
    most HINT_NAMES of them."""
    if not others:
        return ""
    names = ", ".join(terminal_text(n, 40) for n in others[:HINT_NAMES])
    more = f" and {len(others) - HINT_NAMES} more" if len(others) > HINT_NAMES else ""
    return f" (trainees recorded: {names}{more})"


def run_history_command(trainee: str | None, plot: Path | None) -> int:
    name = trainee or default_trainee()
    if plot is not None:
        check_plot_path(plot)  # before printing anything: bad input is one line
    path = history_path()
    if not path.exists():
        print(f"No history yet ({path} does not exist): grade or fly a session first.")
        attempts: list[Attempt] = []
    else:
        with HistoryStore(path) as store:
            attempts = store.attempts(name)
            others = store.trainees()
            unreadable = store.unreadable
        if unreadable:
            print(
                f"canadarm-trainer history: note: {unreadable} row(s) of {path} are not "
                "attempts this trainer can read (skipped)",
                file=sys.stderr,
            )
        if not attempts:
            print(
                f"No attempts recorded for trainee {terminal_text(repr(name), SHOWN_CHARS)} "
                f"in {path}{_others_hint(others)}."
            )
        else:
            print("\n".join(format_history(name, attempts)))
    if plot is not None:
        write_plot(plot, name, attempts)
        print(f"plot: {plot}")
    return 0
