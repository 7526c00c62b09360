"""The Common Berthing Mechanism on Harmony's nadir port as numbers: the active half
(ACBM) on the station, the passive half (PCBM) on the berthing Dragon, and the camera that
looks along the port's axis (CBCS). Pure: no pybullet. The station generator
(robots/station/make_urdf.py) builds the geometry from these numbers, the mechanism
(trainer/sim/cbm.py) and the berthing task judge with them, and the CBCS overlay draws
them; docs/REFERENCE.md §10 gives every number's source.

Frames (docs/DESIGN.md §3 conventions):

| frame  | origin                                   | axes                                         |
|--------|------------------------------------------|----------------------------------------------|
| port   | centre of the ACBM ring's face           | +x along the port axis, out of the station (nadir); +z = V-bar (world +x); +y = world +y |
| pcbm   | centre of the PCBM ring's face (Dragon)  | +x out of the face (Dragon's nose direction); +z = −Dragon body z (away from its FRGF); +y = −body y |
| cbcs   | the CBCS camera behind the hatch window  | +x the optical axis (= port +x), +z image up (= port +z) |

Mated, the PCBM frame is the port frame turned half a turn about z (the faces look at
each other), as the FRGF sits in the LEE (docs/DESIGN.md §3).
"""

from __future__ import annotations

import functools
import math

from trainer.fixedmath import rows_from_rpy

Vec3 = tuple[float, float, float]

# --- the rings (docs/REFERENCE.md §10)
RING_RADIUS_M = 0.90  # S: the CBM is ~71 in (1.8 m) across
RING_INNER_RADIUS_M = 0.75  # E: a 0.15 m sealing face; the hatchway inside it
ACBM_RING_HEIGHT_M = 0.20  # E: half of a mated pair's ~16 in (0.4 m, S) vestibule
PCBM_RING_HEIGHT_M = 0.40  # E: Dragon's ring as robots/dragon models it (0.4 m)
# PCBM face on Dragon, body frame: heat shield at x = -1.0 m + 2.6 m frustum + 0.4 m ring
# (robots/dragon/README.md, E).
PCBM_FACE_BODY_X_M = 2.0

# --- alignment guides: four petals on the ACBM ring at 45° + k·90° (E)
GUIDE_COUNT = 4
GUIDE_AZIMUTH_DEG = (45.0, 135.0, 225.0, 315.0)  # about port +x, from port +y toward +z
# S: "at 35 cm apart only about 5° of misalignment is allowed"; E: that is where the guides
# begin, so their tips stand 0.35 m out from the face.
GUIDE_HEIGHT_M = 0.35
# D: clearance between a guide's inner face and the PCBM ring at the guide's base: a
# 0.4 m tall ring tilted 5° widens its footprint by 0.4 sin 5° = 0.035 m, so a tilt past
# 5° inside the guides puts the ring on a guide (the S limit above).
GUIDE_BASE_CLEARANCE_M = PCBM_RING_HEIGHT_M * math.sin(math.radians(5.0))
GUIDE_TIP_CLEARANCE_M = 0.10  # E: a funnel that takes 0.1 m of lateral offset at entry
GUIDE_WIDTH_M = 0.20  # E (tangential)
GUIDE_THICKNESS_M = 0.03  # E (radial)

# --- ready-to-latch switches: four plungers on the ring face, between the guides (E)
RTL_COUNT = 4
RTL_AZIMUTH_DEG = (0.0, 90.0, 180.0, 270.0)
RTL_RADIUS_M = 0.82  # E: in the middle of the 0.75-0.90 m sealing face
# E: a plunger makes while the PCBM face is within 5 cm of the ACBM face above it: "within
# a few inches" (S, Boeing) is where the capture latches reach the PCBM's fittings.
RTL_TRAVEL_M = 0.05
# --- capture latches: four, beside the RTL switches (E), and the powered bolts
LATCH_COUNT = 4
LATCH_AZIMUTH_DEG = (20.0, 110.0, 200.0, 290.0)
BOLT_COUNT = 16  # S: 16 powered bolts (docs/REFERENCE.md §10)

# --- the CBCS (centreline berthing camera system)
# E: behind the hatch window, 0.13 m inside the ring face, on the port axis.
CBCS_BEHIND_FACE_M = 0.13
CBCS_FOV_DEG = 40.0  # E: at pre-install (1.5 m) it shows ±0.6 m around the target
# The CBCS target on Dragon's hatch (E): a black disk with a white cross on a standoff,
# centred on the PCBM axis; the post is shorter than the 0.13 m to the window.
TARGET_DISK_RADIUS_M = 0.15
TARGET_STANDOFF_M = 0.10
TARGET_CROSS_M = 0.16  # E: bar length

# --- berthing positions along the port axis: PCBM face to ACBM face (docs/REFERENCE.md §10)
PRE_INSTALL_SETUP_M = 3.5  # S: ≈ 3.5 m out
PRE_INSTALL_M = 1.5  # S: ≈ 1.5 m out


def _deg(a: float) -> float:
    return a * math.pi / 180.0


def ring_point(radius_m: float, azimuth_deg: float, out_m: float = 0.0) -> Vec3:
    """A point in the port frame: ``out_m`` along the axis, at ``radius_m`` and
    ``azimuth_deg`` (from +y toward +z)."""
    a = _deg(azimuth_deg)
    return (out_m, radius_m * math.cos(a), radius_m * math.sin(a))


def rtl_points() -> tuple[Vec3, ...]:
    """The four RTL plungers on the ACBM face, port frame."""
    return tuple(ring_point(RTL_RADIUS_M, a) for a in RTL_AZIMUTH_DEG)


@functools.cache
def port_mount() -> tuple[Vec3, Vec3]:
    """The port frame in the world: (position m, roll-pitch-yaw deg), from
    robots/station/mounts.yaml ``harmony_nadir_cbm`` (read once)."""
    import yaml

    from trainer.errors import ModelError
    from trainer.resources import data_dir

    path = data_dir("robots") / "station" / "mounts.yaml"
    try:
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))["harmony_nadir_cbm"]
        p = [float(v) for v in entry["position_m"]]
        r = [float(v) for v in entry["rpy_deg"]]
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{path}: harmony_nadir_cbm: cannot read the port ({exc})") from None
    if len(p) != 3 or len(r) != 3:
        raise ModelError(f"{path}: harmony_nadir_cbm: expected three numbers each")
    return (p[0], p[1], p[2]), (r[0], r[1], r[2])


Rows = tuple[Vec3, Vec3, Vec3]


def rows_from_rpy_deg(rpy_deg: Vec3) -> Rows:
    """Rotation (rows) of URDF roll-pitch-yaw given in degrees (trainer/fixedmath.py)."""
    r, p, y = (_deg(a) for a in rpy_deg)
    return rows_from_rpy(r, p, y)


def port_frame() -> tuple[Vec3, Rows]:
    """The port frame: origin (world, m) and rotation rows (columns = its axes)."""
    position, rpy = port_mount()
    return position, rows_from_rpy_deg(rpy)


def port_axis_world() -> Vec3:
    """The port's +x axis in the world (nadir for Harmony's nadir port)."""
    _p, rows = port_frame()
    return (rows[0][0], rows[1][0], rows[2][0])


def port_to_world(point_port: Vec3) -> Vec3:
    position, rows = port_frame()
    x, y, z = point_port
    return (
        position[0] + rows[0][0] * x + rows[0][1] * y + rows[0][2] * z,
        position[1] + rows[1][0] * x + rows[1][1] * y + rows[1][2] * z,
        position[2] + rows[2][0] * x + rows[2][1] * y + rows[2][2] * z,
    )


def cbcs_position_world() -> Vec3:
    return port_to_world((-CBCS_BEHIND_FACE_M, 0.0, 0.0))


# The PCBM frame in Dragon's body frame: origin on the face centre, axes (x, -y, -z).
PCBM_BODY_M: Vec3 = (PCBM_FACE_BODY_X_M, 0.0, 0.0)
PCBM_BODY_RPY: Vec3 = (math.pi, 0.0, 0.0)
