"""Text is data (issue 24; trainer/text.py, docs/DESIGN.md §5): a name that is not valid
UTF-8 is refused at the edge, whatever the history holds is shown escaped and capped on the
terminal, a plot draws names literally, and a row another tool broke is skipped, not a
traceback. Command lines run in a subprocess."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from hostile_support import cli, refused

from trainer.history.store import Attempt, HistoryStore
from trainer.text import checked_name, terminal_text

BAD_UTF8 = os.fsdecode(b"ana\xff\xfe")  # how Python hands over undecodable argv bytes


def test_terminal_text_escapes_controls_and_caps_the_length() -> None:
    assert terminal_text("a\x1b[2Jb\nc\u202ed") == "a\\x1b[2Jb\\x0ac\\u202ed"
    assert terminal_text("x" * 500, 10) == "x" * 9 + "…"
    assert terminal_text("Émilie 宇宙") == "Émilie 宇宙"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        (BAD_UTF8, ["not valid UTF-8"]),
        ("a\x1b[2Jb", ["control characters", "\\x1b"]),
        ("x" * 201, ["201 characters", "at most 200"]),
        ("  ", ["cannot be empty"]),
    ],
)
def test_checked_name_refuses(name: str, words: list[str]) -> None:
    with pytest.raises(ValueError) as caught:
        checked_name(name, "a trainee name")
    for word in words:
        assert word in str(caught.value)


@pytest.mark.parametrize(
    "command",
    [
        ["grade", "crs20-capture", "--out", "{out}"],
        ["history"],
        ["fly", "crs20-capture", "--out", "{out}"],
    ],
    ids=["grade", "history", "fly"],
)
def test_a_name_that_is_not_utf8_is_refused_before_anything_is_written(
    tmp_path: Path, command: list[str]
) -> None:
    out = tmp_path / "out"
    args = [a.format(out=out) for a in command]
    env = {"CANADARM_TRAINER_DATA_DIR": str(tmp_path / "data")}
    refused(cli(*args, "--trainee", BAD_UTF8, env=env), "--trainee", "not valid UTF-8")
    assert not out.exists() and not (tmp_path / "data").exists()


def _attempt(
    trainee: str, scenario_id: str = "crs20-capture", outcome: str = "captured"
) -> Attempt:
    return Attempt(
        trainee=trainee,
        scenario_id=scenario_id,
        scenario_version=1,
        seed=7,
        date_utc="2026-01-01T00:00:00+00:00",
        aids=None,
        pilot="autopilot",
        outcome=outcome,
        passed=True,
        score=90.0,
        components={},
        recording=None,
    )


def test_history_shows_stored_text_escaped_and_capped(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with HistoryStore(data / "history.sqlite3") as store:
        store.add(_attempt("bob", scenario_id="evil\x1b[2J\x1b[31m", outcome="cap\ntured"))
        store.add(_attempt("\x1b]0;owned\x07mallory"))
        store.add(_attempt("L" * 10_000))
        for i in range(30):
            store.add(_attempt(f"trainee-{i}"))
    env = {"CANADARM_TRAINER_DATA_DIR": str(data)}
    shown = cli("history", "--trainee", "bob", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "\x1b" not in shown.stdout and "\\x1b[2J" in shown.stdout
    row = [line for line in shown.stdout.splitlines() if line.strip().startswith("1 ")]
    assert len(row) == 1 and "cap\\x0atur…" in row[0]  # one row, not split by the newline
    hint = cli("history", "--trainee", "nobody", env=env)
    assert hint.returncode == 0, hint.stderr
    assert "\x1b" not in hint.stdout and "\x07" not in hint.stdout
    assert len(hint.stdout) < 1000 and "and 23 more" in hint.stdout


def test_a_broken_history_row_is_skipped_with_a_note(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with HistoryStore(data / "history.sqlite3") as store:
        store.add(_attempt("bob"))
    with sqlite3.connect(data / "history.sqlite3") as db:
        db.execute(
            "INSERT INTO attempts (trainee, scenario_id, seed, date_utc, outcome, score,"
            " components_json) VALUES ('bob', 'x', 1, 'd', 'o', 'not a number', ?)",
            ("[" * 100_000,),
        )
    result = cli("history", "--trainee", "bob", env={"CANADARM_TRAINER_DATA_DIR": str(data)})
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "1 graded attempt(s)" in result.stdout
    assert "1 row(s)" in result.stderr and "skipped" in result.stderr


def test_a_plot_draws_a_mathtext_name_literally(tmp_path: Path) -> None:
    data = tmp_path / "data"
    name = r"$\frac{1}{$ ^_^ $\undefined"
    with HistoryStore(data / "history.sqlite3") as store:
        store.add(_attempt(name, scenario_id=r"$\sqrt{x"))
        store.add(_attempt(name, scenario_id=r"$\sqrt{x"))
    plot = tmp_path / "plot.png"
    result = cli(
        "history", "--trainee", name, "--plot", str(plot),
        env={"CANADARM_TRAINER_DATA_DIR": str(data)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and plot.stat().st_size > 1000
