"""The SSRMS joint names, base to tip (REFERENCE §1, S), in a module free of pybullet so
that scenario validation can name joints without loading the physics engine."""

JOINT_NAMES: tuple[str, ...] = (
    "shoulder_roll",
    "shoulder_yaw",
    "shoulder_pitch",
    "elbow_pitch",
    "wrist_pitch",
    "wrist_yaw",
    "wrist_roll",
)
