"""The environments' Gymnasium ids (docs/ENVIRONMENT.md §1). A version is bumped whenever
the dynamics, the reward or the observations change, so a result names what it measured.

| id                                       | scenario               | task                   |
|------------------------------------------|------------------------|------------------------|
| ``CanadarmTrainer/Capture-v0``           | ``crs20-capture``      | the capture            |
| ``CanadarmTrainer/Approach-v0``          | ``crs20-approach``     | the approach procedure |
| ``CanadarmTrainer/OffsetGrappleDrill-v0``| ``offset-grapple-drill`` | the offset-grapple drill |

Any other scenario: ``gymnasium.make("CanadarmTrainer/Capture-v0", scenario="crs20-night")``
(or a YAML path): the task is the scenario's own.
"""

from __future__ import annotations

import gymnasium

ENTRY_POINT = "trainer.envs.capture:CaptureEnv"
ENV_IDS: dict[str, str] = {
    "CanadarmTrainer/Capture-v0": "crs20-capture",
    "CanadarmTrainer/Approach-v0": "crs20-approach",
    "CanadarmTrainer/OffsetGrappleDrill-v0": "offset-grapple-drill",
}


def register_envs() -> None:
    """Register every id once (importing ``canadarm_trainer`` or ``trainer.envs`` does)."""
    for env_id, scenario in ENV_IDS.items():
        if env_id not in gymnasium.registry:
            gymnasium.register(
                id=env_id,
                entry_point=ENTRY_POINT,
                kwargs={"scenario": scenario},
                disable_env_checker=False,
            )
