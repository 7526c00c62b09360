"""The SSRMS joints' facts, base to tip (docs/REFERENCE.md §1), in a module free of pybullet so that
scenario validation and scoring can use them without loading the physics engine."""

import math

JOINT_NAMES: tuple[str, ...] = (
    "shoulder_roll",
    "shoulder_yaw",
    "shoulder_pitch",
    "elbow_pitch",
    "wrist_pitch",
    "wrist_yaw",
    "wrist_roll",
)
JOINT_RATE_LIMIT_RAD_S = math.radians(4.0)  # docs/REFERENCE.md §1, S (low confidence)
JOINT_TORQUE_LIMIT_NM = 2332.0  # docs/REFERENCE.md §1, S (low confidence)
JOINT_LIMIT_RAD = math.radians(270.0)  # docs/REFERENCE.md §1, S
