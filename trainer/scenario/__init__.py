"""Scenarios: declarative, versioned YAML files validated into frozen dataclasses (docs/DESIGN.md §8).

``load_scenario``, ``list_scenarios`` and ``validate_file`` live in ``loader`` (no pybullet
import); ``initial_world_spec`` in ``build`` (imports the physics layer).
"""

from __future__ import annotations

from trainer.scenario.loader import list_scenarios, load_scenario, validate_file
from trainer.scenario.model import Scenario

__all__ = ["Scenario", "list_scenarios", "load_scenario", "validate_file"]
