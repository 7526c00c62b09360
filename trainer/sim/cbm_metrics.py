"""Berthing metrics (docs/DESIGN.md §4.1): pure functions of the berthing Dragon's state
against Harmony's nadir port, so the berthing task, scoring, the CBCS overlay, the
pilots and the debrief compute the same numbers from the same poses (as the capture
metrics of trainer/sim/metrics.py do for the LEE).

The PCBM frame follows from the vehicle's centre-of-mass pose (robots/dragon_cbm: the
PCBM face 2.0 m along body +x, axes (x, -y, -z)); the port frame and the CBCS camera
from trainer/sim/cbm_geometry.py. Float arithmetic in a fixed order (docs/DESIGN.md §10).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from trainer.fixedmath import cross3, dot, norm3, rows3_times
from trainer.sim import cbm_geometry as geo
from trainer.sim.rotation import rows_from_quat

Vec3 = tuple[float, float, float]
_RAD_TO_DEG = 180.0 / math.pi


@dataclass(frozen=True, slots=True)
class BerthingMetrics:
    """The berthing quantities at one instant (docs/DESIGN.md §4.1).

    | field               | meaning                                                    |
    |---------------------|------------------------------------------------------------|
    | separation_m        | PCBM face centre to the ACBM face along the port axis (> 0 apart) |
    | lateral_offset_m    | PCBM face centre from the port axis                        |
    | tilt_deg            | port axis to the PCBM's reversed axis (pitch and yaw together) |
    | roll_deg            | about the port axis, PCBM +z from port +z (signed, −180..180) |
    | axial_speed_m_s     | PCBM face centre's speed along the port's axis, toward the port (> 0: the rings closing; not the vehicle's closing speed, docs/DESIGN.md §6 Names) |
    | lateral_speed_m_s   | its speed across the axis                                  |
    | rate_deg_s          | the vehicle's angular rate (the station does not turn)     |
    """

    separation_m: float
    lateral_offset_m: float
    tilt_deg: float
    roll_deg: float
    axial_speed_m_s: float
    lateral_speed_m_s: float
    rate_deg_s: float

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


def _column(rows: Sequence[Sequence[float]], i: int) -> Vec3:
    return (rows[0][i], rows[1][i], rows[2][i])


def pcbm_frame(
    vehicle_position_m: Sequence[float], vehicle_orientation_xyzw: Sequence[float]
) -> tuple[Vec3, Vec3, Vec3, Vec3]:
    """The PCBM frame in the world: (origin, x, y, z axes)."""
    rows = rows_from_quat(tuple(vehicle_orientation_xyzw))
    offset = rows3_times(rows, geo.PCBM_BODY_M)
    origin = (
        vehicle_position_m[0] + offset[0],
        vehicle_position_m[1] + offset[1],
        vehicle_position_m[2] + offset[2],
    )
    bx, by, bz = _column(rows, 0), _column(rows, 1), _column(rows, 2)
    return origin, bx, (-by[0], -by[1], -by[2]), (-bz[0], -bz[1], -bz[2])


def pcbm_orientation_xyzw(vehicle_orientation_xyzw: Sequence[float]) -> tuple[float, ...]:
    """The PCBM frame's quaternion: the vehicle's turned half a turn about body x."""
    x, y, z, w = vehicle_orientation_xyzw
    # q · (1, 0, 0, 0) (a half turn about x, xyzw (1, 0, 0, 0)), Hamilton product.
    return (w, z, -y, -x)


def berthing_metrics(
    vehicle_position_m: Sequence[float],
    vehicle_orientation_xyzw: Sequence[float],
    vehicle_velocity_m_s: Sequence[float],
    vehicle_angular_velocity_rad_s: Sequence[float],
) -> BerthingMetrics:
    """The quantities of ``BerthingMetrics`` from the vehicle's state (world frame)."""
    port_p, port_rows = geo.port_frame()
    px, pz = _column(port_rows, 0), _column(port_rows, 2)
    origin, qx, _qy, qz = pcbm_frame(vehicle_position_m, vehicle_orientation_xyzw)
    rel = (origin[0] - port_p[0], origin[1] - port_p[1], origin[2] - port_p[2])
    separation = dot(rel, px)
    lateral = (
        rel[0] - separation * px[0],
        rel[1] - separation * px[1],
        rel[2] - separation * px[2],
    )
    reversed_qx = (-qx[0], -qx[1], -qx[2])
    tilt = math.atan2(norm3(cross3(px, reversed_qx)), dot(px, reversed_qx))
    along = dot(qz, px)
    qz_plane = (qz[0] - along * px[0], qz[1] - along * px[1], qz[2] - along * px[2])
    roll = math.atan2(dot(cross3(pz, qz_plane), px), dot(pz, qz_plane))
    lever = (
        origin[0] - vehicle_position_m[0],
        origin[1] - vehicle_position_m[1],
        origin[2] - vehicle_position_m[2],
    )
    spin = cross3(vehicle_angular_velocity_rad_s, lever)
    v = (
        vehicle_velocity_m_s[0] + spin[0],
        vehicle_velocity_m_s[1] + spin[1],
        vehicle_velocity_m_s[2] + spin[2],
    )
    v_along = dot(v, px)
    v_across = (v[0] - v_along * px[0], v[1] - v_along * px[1], v[2] - v_along * px[2])
    return BerthingMetrics(
        separation_m=separation,
        lateral_offset_m=norm3(lateral),
        tilt_deg=tilt * _RAD_TO_DEG,
        roll_deg=roll * _RAD_TO_DEG,
        axial_speed_m_s=-v_along,
        lateral_speed_m_s=norm3(v_across),
        rate_deg_s=norm3(vehicle_angular_velocity_rad_s) * _RAD_TO_DEG,
    )


@dataclass(frozen=True, slots=True)
class CbcsView:
    """Where the CBCS sees the target (docs/REFERENCE.md §10): image coordinates as
    tangents of the angle off the optical axis (right and up positive), so a display
    of focal length f pixels puts a point at (f · right, f · up) from the centre."""

    cross_right: float  # the cross on its standoff post
    cross_up: float
    disk_right: float  # the black disk on the hatch, behind it
    disk_up: float
    range_m: float  # camera to the hatch's target disk


def _project(point: Vec3, camera: Vec3, px: Vec3, py: Vec3, pz: Vec3) -> tuple[float, float]:
    rel = (point[0] - camera[0], point[1] - camera[1], point[2] - camera[2])
    depth = dot(rel, px)
    if depth <= 1e-6:
        return (math.inf, math.inf)
    # Image right is the camera's -y (its +y is image left, as the LEE camera's).
    return (-dot(rel, py) / depth, dot(rel, pz) / depth)


def cbcs_view(
    vehicle_position_m: Sequence[float], vehicle_orientation_xyzw: Sequence[float]
) -> CbcsView:
    """The target's cross and disk in the CBCS image (module docstring of ``CbcsView``)."""
    _port_p, rows = geo.port_frame()
    px, py, pz = _column(rows, 0), _column(rows, 1), _column(rows, 2)
    camera = geo.cbcs_position_world()
    origin, qx, _qy, _qz = pcbm_frame(vehicle_position_m, vehicle_orientation_xyzw)
    s = geo.TARGET_STANDOFF_M
    cross = (origin[0] + s * qx[0], origin[1] + s * qx[1], origin[2] + s * qx[2])
    cr, cu = _project(cross, camera, px, py, pz)
    dr, du = _project(origin, camera, px, py, pz)
    rel = (origin[0] - camera[0], origin[1] - camera[1], origin[2] - camera[2])
    return CbcsView(cr, cu, dr, du, norm3(rel))


def rtl_separations(
    pcbm_position_world_m: Sequence[float], pcbm_orientation_world_xyzw: Sequence[float]
) -> tuple[tuple[float, float], ...]:
    """For each RTL plunger: (the PCBM face's distance from the ACBM face at the plunger,
    along the port axis, m; the plunger's distance from the PCBM's axis, m). Pure."""
    _port_position, port_rows = geo.port_frame()
    axis = (port_rows[0][0], port_rows[1][0], port_rows[2][0])
    q_rows = rows_from_quat(tuple(pcbm_orientation_world_xyzw))
    q_axis = (q_rows[0][0], q_rows[1][0], q_rows[2][0])
    cosine = dot(axis, q_axis)  # ≈ -1: the faces look at each other
    out = []
    for point in geo.rtl_points():
        s = geo.port_to_world(point)
        rel = (
            pcbm_position_world_m[0] - s[0],
            pcbm_position_world_m[1] - s[1],
            pcbm_position_world_m[2] - s[2],
        )
        # The line s + t·axis meets the PCBM face plane at t = (Q − s)·q / (axis·q).
        t = dot(rel, q_axis) / cosine if abs(cosine) > 1e-9 else float("inf")
        hit = (s[0] + t * axis[0] - pcbm_position_world_m[0],
               s[1] + t * axis[1] - pcbm_position_world_m[1],
               s[2] + t * axis[2] - pcbm_position_world_m[2])  # fmt: skip
        along = dot(hit, q_axis)
        radial = (
            hit[0] - along * q_axis[0],
            hit[1] - along * q_axis[1],
            hit[2] - along * q_axis[2],
        )
        out.append((t, math.sqrt(dot(radial, radial))))
    return tuple(out)


def rtl_made(separation_m: float, radius_m: float) -> bool:
    """A plunger is pressed by the PCBM's ring face within its travel."""
    return (
        separation_m <= geo.RTL_TRAVEL_M
        and geo.RING_INNER_RADIUS_M <= radius_m <= geo.RING_RADIUS_M
    )


def rtl_indicators(
    vehicle_position_m: Sequence[float], vehicle_orientation_xyzw: Sequence[float]
) -> tuple[bool, bool, bool, bool]:
    """Which RTL plungers the PCBM presses now (before any failed indicator is masked)."""
    origin, _x, _y, _z = pcbm_frame(vehicle_position_m, vehicle_orientation_xyzw)
    made = [
        rtl_made(separation, radius)
        for separation, radius in rtl_separations(
            origin, pcbm_orientation_xyzw(vehicle_orientation_xyzw)
        )
    ]
    return (made[0], made[1], made[2], made[3])
