"""Gymnasium environments: a scenario's session as a standard task for autopilot and
learning research (docs/ENVIRONMENT.md; a room above the session, docs/DESIGN.md §2).

The environment is the session a trainee flies, not a second simulation: ``CaptureEnv``
ticks a ``Session`` (trainer/session/) running the scenario's task (trainer/tasks/) with
the hand-controller states an action makes, reads the typed ``Telemetry`` for its
observation, derives its reward from the capture envelope and the graded report
(trainer/scoring/), ends an episode by the task's own rules, draws camera images through
trainer/render and records an episode to the same ``session.mcap`` as ``grade``.

| module            | holds                                                          |
|-------------------|----------------------------------------------------------------|
| ``capture``       | ``CaptureEnv``                                                 |
| ``spaces``        | the action and observation spaces and their conversions        |
| ``reward``        | the reward: envelope potential, running deductions, terminal bonus |
| ``images``        | the camera images, drawn by trainer/render from a snapshot      |
| ``pilot``         | ``PilotPolicy``: a scripted pilot (the autopilot) as a policy   |
| ``registration``  | the Gymnasium ids, registered on import                        |

Importing this package (or the top-level ``canadarm_trainer``) registers the ids.
"""

from trainer.envs.capture import CaptureEnv
from trainer.envs.pilot import PilotPolicy
from trainer.envs.registration import ENV_IDS, register_envs
from trainer.envs.spaces import BUTTONS, STICK_AXES, action_of, hand_controller_state

register_envs()

__all__ = [
    "BUTTONS",
    "ENV_IDS",
    "STICK_AXES",
    "CaptureEnv",
    "PilotPolicy",
    "action_of",
    "hand_controller_state",
    "register_envs",
]
