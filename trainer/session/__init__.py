"""The session room: one capture attempt, ticked by a pilot (docs/DESIGN.md §2).

| module        | holds                                                                  |
|---------------|------------------------------------------------------------------------|
| ``core``      | ``Session``: the tick (input → control → world → capture → judge → listeners) |
| ``events``    | ``SessionEvent`` and the ``SessionListener`` protocol                   |
| ``timeline``  | the scenario's scheduled events, one handler per kind                  |
| ``contacts``  | contact logging and the impact rule                                    |
| ``recorder``  | the MCAP recorder, a listener of the tick                              |
| ``reports``   | a graded session's end: recording summary, report.json, report.md     |

The outcome judge (pure, no pybullet) is ``trainer.scoring.judge.OutcomeJudge``.
"""

from trainer.session.core import Session
from trainer.session.events import SessionEvent, SessionListener

__all__ = ["Session", "SessionEvent", "SessionListener"]
