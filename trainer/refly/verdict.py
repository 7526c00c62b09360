"""What ``replay --verify`` tells an instructor besides the first differing message: where
the recording was made against where it is replayed (docs/DESIGN.md §10), and whether the
replayed session still reaches the recorded result.

A recording that diverges is not necessarily a forgery. Outside the determinism domain
(another pybullet build, another C library, a CPU on the other side of glibc's libm
line) an honest session replays with differences in the last bits that grow through the
arm's dynamics; it still reaches the same outcome, the trigger at the same tick in the
same envelope tier and the same score. Inputs that were altered do not. So after a
divergence the replay flies on to the end, untested, and its report is compared with the
recorded one:

| quantity | recorded (first found)                                        | the same when      |
|----------|---------------------------------------------------------------|--------------------|
| outcome  | the stored report, the summary, the last ``end`` event        | equal              |
| passed   | the stored report or the summary                              | equal              |
| trigger  | the stored report, else the last ``trigger`` event            | the same tick and tier, or neither pulled |
| score    | the stored report (``grade``, ``fly``)                        | equal to 0.01 (the report's precision) |
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from trainer.clock import CONTROL_TICK_S
from trainer.fingerprint import differences

SCORE_PRECISION = 0.01  # the report's score is rounded to two decimals (scoring/report.py)


@dataclass(frozen=True)
class ResultComparison:
    """The replayed session's result against the recorded one (module docstring)."""

    same: bool
    # one line per quantity compared: "outcome captured" or "outcome recorded x, replayed y"
    lines: tuple[str, ...]
    # quantities the recording does not hold (e.g. no stored score)
    missing: tuple[str, ...]

    def sentence(self) -> str:
        head = (
            "the replayed session reaches the recorded result"
            if self.same
            else "the replayed session does NOT reach the recorded result"
        )
        tail = f" (not in the recording: {', '.join(self.missing)})" if self.missing else ""
        return f"{head}: {'; '.join(self.lines)}{tail}"


def _trigger_of(trigger: Mapping[str, Any] | None) -> tuple[float, str] | None:
    if not isinstance(trigger, Mapping):
        return None
    time_s, tier = trigger.get("time_s"), trigger.get("tier")
    if not isinstance(time_s, int | float) or not isinstance(tier, str):
        return None
    return float(time_s), tier


def _show_trigger(trigger: tuple[float, str] | None) -> str:
    return "not pulled" if trigger is None else f"at {trigger[0]:.3f} s ({trigger[1]})"


def recorded_result(
    summary: Mapping[str, Any] | None, events: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The recorded outcome, passed, trigger and score, from the best source there is
    (module docstring); a key is absent when the recording does not hold it."""
    out: dict[str, Any] = {}
    summary = summary or {}
    report = summary.get("report") if isinstance(summary.get("report"), Mapping) else None
    ends = [e for e in events if e.get("kind") == "end"]
    triggers = [e for e in events if e.get("kind") == "trigger"]
    if report is not None and isinstance(report.get("outcome"), str):
        out["outcome"] = report["outcome"]
    elif isinstance(summary.get("outcome"), str):
        out["outcome"] = summary["outcome"]
    elif ends and isinstance(ends[-1].get("outcome"), str):
        out["outcome"] = ends[-1]["outcome"]
    if report is not None and isinstance(report.get("passed"), bool):
        out["passed"] = report["passed"]
    elif isinstance(summary.get("passed"), bool):
        out["passed"] = summary["passed"]
    if report is not None and "trigger" in report:
        out["trigger"] = _trigger_of(report["trigger"])
    elif ends:  # a finished session's events hold every trigger it pulled
        out["trigger"] = _trigger_of(triggers[-1]) if triggers else None
    score = report.get("score") if report is not None else None
    if isinstance(score, Mapping) and isinstance(score.get("total"), int | float):
        out["score"] = float(score["total"])
    return out


def compare_results(recorded: Mapping[str, Any], replayed: Mapping[str, Any]) -> ResultComparison:
    """``recorded`` from ``recorded_result``; ``replayed`` a report (docs/DESIGN.md §6)."""
    lines: list[str] = []
    missing: list[str] = []
    same = True

    def check(name: str, a: object, b: object, equal: bool, show: str) -> None:
        nonlocal same
        if equal:
            lines.append(f"{name} {show}")
        else:
            same = False
            lines.append(f"{name} recorded {a}, replayed {b}")

    for key in ("outcome", "passed"):
        if key in recorded:
            a, b = recorded[key], replayed.get(key)
            check(key, _word(a), _word(b), a == b, _word(a))
        else:
            missing.append(key)
    if "trigger" in recorded:
        a_t = recorded["trigger"]
        b_t = _trigger_of(replayed.get("trigger"))
        equal = (a_t is None and b_t is None) or (
            a_t is not None
            and b_t is not None
            and a_t[1] == b_t[1]
            and abs(a_t[0] - b_t[0]) < CONTROL_TICK_S / 2
        )
        check("trigger", _show_trigger(a_t), _show_trigger(b_t), equal, _show_trigger(a_t))
    else:
        missing.append("trigger")
    if "score" in recorded:
        b_score = replayed.get("score", {}).get("total")
        equal = isinstance(b_score, int | float) and abs(recorded["score"] - b_score) < (
            SCORE_PRECISION / 2
        )
        check("score", recorded["score"], b_score, equal, f"{recorded['score']:g}")
    else:
        missing.append("score")
    return ResultComparison(same, tuple(lines), tuple(missing))


def environment_lines(recorded: object) -> list[str]:
    """How the machine that made a recording differs from this one (trainer/fingerprint.py);
    empty when they agree."""
    if not isinstance(recorded, Mapping):
        return [
            "the recording carries no environment fingerprint (made by a trainer before "
            "docs/DESIGN.md §10): where it was made is unknown"
        ]
    diffs = differences(recorded)
    if not diffs:
        return []
    width = max(len(key) for key, _, _ in diffs)
    out = ["recorded on a machine that differs from this one:"]
    for key, was, now in diffs:
        out.append(f"  {key:<{width}}  recorded: {was}")
        out.append(f"  {'':<{width}}  here:     {now}")
    return out


def _word(value: object) -> str:
    """A value as the sentence shows it (yes/no for a boolean)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
