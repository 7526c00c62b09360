"""Trainee history: every graded session in a SQLite database in the user's data folder
(docs/DESIGN.md §5 ``history``). `store` writes and reads it; `command` prints and plots it.
"""

from trainer.history.store import Attempt, HistoryStore, history_path, record_attempt

__all__ = ["Attempt", "HistoryStore", "history_path", "record_attempt"]
