"""Grading: pure functions of telemetry (DESIGN §4, §6; STYLE §9). Never imports pybullet."""
