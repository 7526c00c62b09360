"""The Canadarm2 capture trainer's Gymnasium environments, registered on import, so that
``gymnasium.make("canadarm_trainer:CanadarmTrainer/Capture-v0")`` works (docs/ENVIRONMENT.md).

The environments live in ``trainer.envs``; this module only registers their ids
(``CanadarmTrainer/Capture-v0``, ``CanadarmTrainer/Approach-v0``,
``CanadarmTrainer/OffsetGrappleDrill-v0``) and re-exports the class.
"""

from trainer.envs import ENV_IDS, CaptureEnv, PilotPolicy, register_envs

register_envs()

__all__ = ["ENV_IDS", "CaptureEnv", "PilotPolicy", "register_envs"]
