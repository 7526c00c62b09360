"""The tasks a session runs (docs/DESIGN.md §11): a scenario names its task (``task:``,
trainer/scenario/events.py) and the session builds it here, knowing none by name.

| task                     | class                                   | the job                             |
|--------------------------|-----------------------------------------|-------------------------------------|
| ``capture``              | ``capture.CaptureTask``                 | fly the LEE onto the fixture and trigger inside the envelope |
| ``approach``             | ``approach.ApproachTask``               | the capture, with Dragon's approach, M2's free drift and retreat cues |
| ``offset-grapple-drill`` | ``drill.OffsetGrappleDrillTask``        | align on a fixed fixture and hold, snares disabled |
| ``berthing``             | ``berthing.BerthingTask``               | move a rigidized Dragon to Harmony nadir and berth it with the CBM |
| ``capture-and-berth``    | ``capture_and_berth.CaptureAndBerthTask`` | the capture, then the berthing, in one session |

The interface every task implements: trainer/tasks/base.py.
"""

from __future__ import annotations

from trainer.tasks.approach import ApproachTask
from trainer.tasks.base import Task, TaskHost
from trainer.tasks.berthing import BerthingTask
from trainer.tasks.capture import CaptureTask
from trainer.tasks.capture_and_berth import CaptureAndBerthTask
from trainer.tasks.drill import OffsetGrappleDrillTask

TASKS: dict[str, type[Task]] = {
    task.name: task
    for task in (
        CaptureTask,
        ApproachTask,
        OffsetGrappleDrillTask,
        BerthingTask,
        CaptureAndBerthTask,
    )
}


def make_task(host: TaskHost) -> Task:
    """The task the host's scenario names (the loader has checked the name)."""
    return TASKS[host.scenario.task](host)


__all__ = ["TASKS", "Task", "TaskHost", "make_task"]
