"""Grading: pure functions of telemetry (docs/DESIGN.md §4, §6; docs/STYLE.md §9). Never imports pybullet."""
