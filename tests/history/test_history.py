"""Trainee history: graded sessions join it in order, it survives a killed writer, and an
older layout is migrated with its rows kept."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from trainer.history.store import (
    LAYOUT_VERSION,
    HistoryError,
    HistoryStore,
    attempt_from_report,
)


def cli(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trainer.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CANADARM_TRAINER_DATA_DIR": str(data)},
    )


def report(score: float, seed: int = 1, outcome: str = "captured") -> dict[str, object]:
    return {
        "scenario": {"id": "basic-drill", "version": 1, "title": "drill"},
        "seed": seed,
        "pilot": "keyboard",
        "outcome": outcome,
        "passed": outcome == "captured",
        "score": {"total": score, "max": 100, "components": {"time": -1.5, "lateral": 0.0}},
    }


def test_two_graded_sessions_show_as_two_attempts_in_order(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for seed in (3, 4):
        run = cli(
            "grade", "basic-drill", "--seed", str(seed), "--trainee", "ada",
            "--out", str(tmp_path / f"s{seed}"), data=data,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
    plot = tmp_path / "ada.png"
    run = cli("history", "--trainee", "ada", "--plot", str(plot), data=data)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    rows = [line.split() for line in lines if line.strip()[:1].isdigit()]
    assert [(r[0], r[2]) for r in rows] == [("1", "3"), ("2", "4")]  # attempt #, seed
    assert "basic-drill (2 attempt(s))" in run.stdout
    assert "trend:" in run.stdout
    assert plot.stat().st_size > 5_000 and plot.read_bytes()[:4] == b"\x89PNG"
    with HistoryStore(data / "history.sqlite3") as store:
        (a, b) = store.attempts("ada")
    assert (a.seed, b.seed) == (3, 4)
    assert a.recording is not None and a.recording.endswith("s3/session.mcap")
    assert a.components and a.scenario_version == 1 and a.aids is None
    # another trainee sees none of them
    assert (
        "No attempts recorded for trainee 'bob'"
        in cli("history", "--trainee", "bob", data=data).stdout
    )


def _v1_database(path: Path) -> None:
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, trainee TEXT NOT NULL,"
        " scenario_id TEXT NOT NULL, seed INTEGER NOT NULL, date_utc TEXT NOT NULL,"
        " outcome TEXT NOT NULL, score REAL NOT NULL);"
        "INSERT INTO attempts (trainee, scenario_id, seed, date_utc, outcome, score)"
        " VALUES ('ada', 'crs20-capture', 7, '2026-01-02T03:04:05+00:00', 'captured', 88.5);"
        "PRAGMA user_version = 1;"
    )
    db.commit()
    db.close()


def test_an_older_layout_is_migrated_not_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    _v1_database(path)
    with HistoryStore(path) as store:
        assert store.version == LAYOUT_VERSION == 2
        (old,) = store.attempts("ada")
        assert (old.id, old.seed, old.score, old.outcome) == (1, 7, 88.5, "captured")
        assert old.aids is None and old.components == {} and old.recording is None
        store.add(attempt_from_report(report(91.0), trainee="ada", aids="guided", recording=None))
        assert [a.score for a in store.attempts("ada")] == [88.5, 91.0]
        assert store.attempts("ada")[1].aids == "guided"
    columns = {r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(attempts)")}
    assert {"aids", "components_json", "recording", "scenario_version"} <= columns


def test_a_newer_layout_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 9")
    db.close()
    with pytest.raises(HistoryError, match="layout 9"):
        HistoryStore(path)


def test_a_writer_killed_mid_write_leaves_a_whole_database(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    HistoryStore(path).close()
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\n"
            "from trainer.history.store import HistoryStore, attempt_from_report\n"
            "r = {'scenario': {'id': 's', 'version': 1}, 'seed': 1, 'outcome': 'captured',"
            " 'passed': True, 'score': {'total': 90.0, 'components': {'time': -10.0}}}\n"
            "with HistoryStore(__import__('pathlib').Path(sys.argv[1])) as s:\n"
            "    print('ready', flush=True)\n"
            "    while True:\n"
            "        s.add(attempt_from_report(r, trainee='kill', aids=None, recording=None))\n",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    time.sleep(0.5)
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    with HistoryStore(path) as store:
        rows = store.attempts("kill")
    assert rows, "the writer added rows before it was killed"
    assert all(r.score == 90.0 and r.components == {"time": -10.0} for r in rows)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_history_bad_plot_path_is_one_line(tmp_path: Path) -> None:
    run = cli("history", "--plot", str(tmp_path / "missing" / "p.png"), data=tmp_path)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        f"canadarm-trainer history: --plot {tmp_path / 'missing' / 'p.png'}: "
        f"folder {tmp_path / 'missing'} does not exist"
    ]
    run = cli("history", "--plot", str(tmp_path / "p.txt"), data=tmp_path)
    assert run.returncode == 2 and "must end in .png" in run.stderr
