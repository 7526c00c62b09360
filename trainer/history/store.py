"""The trainee history database: one row per graded session, from ``grade`` and ``fly``.

Where: ``history.sqlite3`` in the user's data folder (platformdirs: e.g.
``~/.local/share/canadarm-trainer`` on Linux), or in ``$CANADARM_TRAINER_DATA_DIR`` when
that is set (tests and portable installs use it).

Crash safety: the database runs in WAL mode with ``synchronous=FULL``; each attempt is
added in one transaction, so a process killed mid-write leaves the database as it was
before that attempt, never half a row.

Layout and migrations: ``PRAGMA user_version`` holds the layout version. Opening a
database of an older layout runs the missing steps of `MIGRATIONS` in order, in one
transaction, keeping every row (a database is migrated, never rebuilt); a database of a
newer layout than this trainer knows is refused rather than guessed at.

| version | layout                                                                        |
|---------|-------------------------------------------------------------------------------|
| 1       | attempts(id, trainee, scenario_id, seed, date_utc, outcome, score)            |
| 2       | + scenario_version, aids, pilot, passed, components_json, recording            |

| `Attempt` field   | meaning                                                              |
|-------------------|----------------------------------------------------------------------|
| trainee           | who flew (``--trainee``, default the login name)                      |
| scenario_id, scenario_version | the scenario flown                                       |
| seed              | its dispersion seed                                                   |
| date_utc          | when the session was graded (ISO 8601, UTC)                           |
| aids              | aid level (``guided``, ``crew``, ``none``), or None when not recorded |
| pilot             | who flew the hand controllers: a person's device or a scripted pilot |
| outcome, passed   | as in report.json                                                     |
| score             | total out of 100                                                      |
| components        | the score's named deductions (report.json ``score.components``)       |
| recording         | absolute path of the session's recording, or None                     |
"""

from __future__ import annotations

import getpass
import json
import math
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import platformdirs

from trainer.errors import TrainerError

DATA_DIR_ENV = "CANADARM_TRAINER_DATA_DIR"
DB_NAME = "history.sqlite3"
APP_NAME = "canadarm-trainer"


class HistoryError(TrainerError):
    """The history database cannot be opened, read or written."""


def data_dir() -> Path:
    """The user's data folder for the trainer (``$CANADARM_TRAINER_DATA_DIR`` first)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def history_path() -> Path:
    return data_dir() / DB_NAME


def default_trainee() -> str:
    """The login name, or ``trainee`` when the system cannot tell."""
    try:
        return getpass.getuser() or "trainee"
    except Exception:  # no login name (some containers): getpass raises OSError or KeyError
        return "trainee"


@dataclass(frozen=True)
class Attempt:
    trainee: str
    scenario_id: str
    scenario_version: int | None
    seed: int
    date_utc: str
    aids: str | None
    pilot: str | None
    outcome: str
    passed: bool | None
    score: float
    components: dict[str, float]
    recording: str | None
    id: int | None = None


def _v1(db: sqlite3.Connection) -> None:
    db.execute(
        "CREATE TABLE attempts ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " trainee TEXT NOT NULL,"
        " scenario_id TEXT NOT NULL,"
        " seed INTEGER NOT NULL,"
        " date_utc TEXT NOT NULL,"
        " outcome TEXT NOT NULL,"
        " score REAL NOT NULL)"
    )
    db.execute("CREATE INDEX attempts_by_trainee ON attempts (trainee, scenario_id, id)")


def _v2(db: sqlite3.Connection) -> None:
    for column in (
        "scenario_version INTEGER",
        "aids TEXT",
        "pilot TEXT",
        "passed INTEGER",
        "components_json TEXT NOT NULL DEFAULT '{}'",
        "recording TEXT",
    ):
        db.execute(f"ALTER TABLE attempts ADD COLUMN {column}")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_v1, _v2)
"""``MIGRATIONS[i]`` takes a database from layout ``i`` to ``i + 1``."""
LAYOUT_VERSION = len(MIGRATIONS)


class HistoryStore:
    """An open history database (``with HistoryStore(path) as store: ...``)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else history_path()
        self.unreadable = 0  # rows the last ``attempts`` call skipped
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # autocommit off by hand: each write is one explicit transaction
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
        except (OSError, sqlite3.Error) as exc:
            raise HistoryError(f"cannot open the history database {self.path}: {exc}") from None
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._migrate()
        except sqlite3.Error as exc:
            self._db.close()
            raise HistoryError(f"history database {self.path} is unusable: {exc}") from None
        except BaseException:
            self._db.close()
            raise

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @property
    def version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        if self.version > LAYOUT_VERSION:
            raise HistoryError(
                f"history database {self.path} has layout {self.version}; this trainer "
                f"knows layouts up to {LAYOUT_VERSION} (a newer trainer wrote it)"
            )
        if self.version == LAYOUT_VERSION:
            return
        with self._transaction() as db:
            version = self.version  # again, inside the lock: another process may have migrated
            for step in MIGRATIONS[version:]:
                step(db)
            db.execute(f"PRAGMA user_version = {LAYOUT_VERSION}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, attempt: Attempt) -> int:
        """Add one attempt in one transaction; returns its id."""
        try:
            with self._transaction() as db:
                cursor = db.execute(
                    "INSERT INTO attempts (trainee, scenario_id, scenario_version, seed,"
                    " date_utc, aids, pilot, outcome, passed, score, components_json, recording)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        attempt.trainee,
                        attempt.scenario_id,
                        attempt.scenario_version,
                        attempt.seed,
                        attempt.date_utc,
                        attempt.aids,
                        attempt.pilot,
                        attempt.outcome,
                        None if attempt.passed is None else int(attempt.passed),
                        attempt.score,
                        json.dumps(attempt.components, sort_keys=True),
                        attempt.recording,
                    ),
                )
                return int(cursor.lastrowid or 0)
        except sqlite3.Error as exc:
            raise HistoryError(f"cannot write the history database {self.path}: {exc}") from None

    def attempts(self, trainee: str | None = None) -> list[Attempt]:
        """Attempts in the order they were added (of one trainee, or everyone's)."""
        query = (
            "SELECT id, trainee, scenario_id, scenario_version, seed, date_utc, aids, pilot,"
            " outcome, passed, score, components_json, recording FROM attempts"
        )
        args: tuple[Any, ...] = ()
        if trainee is not None:
            query += " WHERE trainee = ?"
            args = (trainee,)
        try:
            rows = self._db.execute(query + " ORDER BY id", args).fetchall()
        except sqlite3.Error as exc:
            raise HistoryError(f"cannot read the history database {self.path}: {exc}") from None
        attempts = [_attempt(row) for row in rows]
        self.unreadable = sum(1 for a in attempts if a is None)
        return [a for a in attempts if a is not None]

    def trainees(self) -> list[str]:
        rows = self._db.execute("SELECT DISTINCT trainee FROM attempts ORDER BY 1")
        return [r[0] for r in rows if isinstance(r[0], str)]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _attempt(row: tuple[Any, ...]) -> Attempt | None:
    """A row as an Attempt, or None when it is not one (SQLite keeps whatever another tool
    wrote: text in the score column, a blob for a name); ``attempts`` counts those."""
    seed, score = row[4], row[10]
    trainee, scenario_id, date_utc, outcome = (_text(row[i]) for i in (1, 2, 5, 8))
    if (
        type(seed) is not int
        or not isinstance(score, int | float)
        or isinstance(score, bool)
        or not math.isfinite(score)
        or trainee is None
        or scenario_id is None
        or date_utc is None
        or outcome is None
    ):
        return None
    try:
        components = orjson.loads(row[11] or "{}") if isinstance(row[11], str) else {}
    except orjson.JSONDecodeError:  # nesting beyond 1,024 levels included: never a crash
        components = {}
    if not isinstance(components, dict):
        components = {}
    return Attempt(
        id=row[0],
        trainee=trainee,
        scenario_id=scenario_id,
        scenario_version=row[3] if type(row[3]) is int else None,
        seed=seed,
        date_utc=date_utc,
        aids=_text(row[6]),
        pilot=_text(row[7]),
        outcome=outcome,
        passed=None if row[9] is None else bool(row[9]),
        score=float(score),
        components={
            str(k): float(v)
            for k, v in components.items()
            if isinstance(v, int | float) and not isinstance(v, bool)
        },
        recording=_text(row[12]),
    )


def attempt_from_report(
    report: dict[str, Any],
    *,
    trainee: str,
    aids: str | None,
    recording: Path | None,
    date_utc: str | None = None,
) -> Attempt:
    """The history row of a graded report (report.json, docs/DESIGN.md §6)."""
    scenario = report.get("scenario") or {}
    return Attempt(
        trainee=trainee,
        scenario_id=str(scenario.get("id", "?")),
        scenario_version=scenario.get("version"),
        seed=int(report.get("seed", 0)),
        date_utc=date_utc or datetime.now(UTC).isoformat(timespec="seconds"),
        aids=aids,
        pilot=report.get("pilot"),
        outcome=str(report.get("outcome", "?")),
        passed=report.get("passed"),
        score=float(report["score"]["total"]),
        components={k: float(v) for k, v in report["score"].get("components", {}).items()},
        recording=str(recording.resolve()) if recording is not None else None,
    )


def record_attempt(
    report: dict[str, Any],
    *,
    trainee: str | None = None,
    aids: str | None = None,
    recording: Path | None = None,
    db_path: Path | None = None,
) -> int:
    """Add a graded session to the history (called by ``grade`` and ``fly``); its id.
    Raises HistoryError when the database cannot be written."""
    attempt = attempt_from_report(
        report, trainee=trainee or default_trainee(), aids=aids, recording=recording
    )
    with HistoryStore(db_path) as store:
        return store.add(attempt)
