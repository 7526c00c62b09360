"""Building the scene in a pybullet client: what a world is built from (``WorldSpec``),
every engine parameter, and the models loaded in one fixed order (station, arm, vehicle),
so that two builds are the same world bit for bit (docs/PYBULLET_NOTES.md §2).

``load_scene`` leaves the arm at its initial angles with loadURDF's hidden joint motors
switched off, the vehicle at its initial pose and velocity, no damping on any body, and
the base LEE's seat on the station filtered out of the contacts. The running world
(drives, stepping, state) is ``trainer.sim.world.World``.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pybullet as pb

from trainer.clock import PHYSICS_STEP_S
from trainer.errors import ModelError
from trainer.sim.joints import JOINT_LIMIT_RAD, JOINT_NAMES
from trainer.sim.orbit import ISS_ALTITUDE_M

# The physics step lives in trainer/clock.py; 1/60 s would let a captured payload give
# 7.5 mm (docs/PYBULLET_NOTES.md).
SOLVER_ITERATIONS = 100  # docs/PYBULLET_NOTES.md: capture constraint give 0.19 mm at 100 iterations
# The solver stops iterating once its least-squares residual is below a threshold.
# pybullet's default, 1e-7, is reached while the arm's drives still miss their rate demand
# by ≈ 0.01 °/s at the shoulder: 1–2 mm/s of LEE motion nobody commanded. In flight the
# Cartesian mode's pose feedback closes the loop on the LEE and takes it out; a controlled
# stop is open loop along its path and needs drives that meet their demand, so while one
# runs the solver iterates to its limit (0). Iterating to the limit on every tick would
# cost 46 % of a graded run, 1e-10 12 % (measured, docs/PYBULLET_NOTES.md §1).
SOLVER_RESIDUAL_THRESHOLD = 1e-7
CONVERGED_SOLVER_RESIDUAL_THRESHOLD = 0.0


@dataclass(frozen=True)
class WorldSpec:
    """Everything needed to build a world; the scenario layer fills it in.

    Positions in metres and orientations as quaternions (x, y, z, w), world frame.
    """

    arm_base_position_m: tuple[float, float, float]
    arm_base_orientation_xyzw: tuple[float, float, float, float]
    initial_joint_angles_rad: tuple[float, ...]
    vehicle_position_m: tuple[float, float, float]
    vehicle_orientation_xyzw: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)
    vehicle_velocity_m_s: tuple[float, float, float] = (0.0, 0.0, 0.0)
    vehicle_angular_velocity_rad_s: tuple[float, float, float] = (0.0, 0.0, 0.0)
    vehicle_model: str = "dragon"
    # None: keep the URDF's mass properties (docs/REFERENCE.md §2 estimates).
    vehicle_mass_kg: float | None = None
    vehicle_inertia_kg_m2: tuple[float, float, float] | None = None
    # A fixed target (the basic drill) is bolted to the station and feels no CW force.
    vehicle_fixed: bool = False
    orbit_altitude_m: float = ISS_ALTITUDE_M
    include_station: bool = True
    robots_dir: Path | None = None
    model_overrides: dict[str, Path] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadedScene:
    """The bodies of one build and the links the world reads by name."""

    station: int | None
    arm: int
    joint_indices: list[int]  # the seven joints, base to tip (JOINT_NAMES)
    tip_lee_link: int
    arm_links: dict[str, int]  # link name -> index
    vehicle: int
    frgf_link: int
    frgf_tip_link: int
    vehicle_links: dict[str, int]  # link name -> index
    vehicle_mass_kg: float
    # The station's own links (the CBM's parts, robots/station), name -> index.
    station_links: dict[str, int] = field(default_factory=dict)


def configure_engine(client: int) -> None:
    """Every engine parameter, in one place: resetSimulation forgets them (docs/PYBULLET_NOTES.md)."""
    pb.setGravity(0.0, 0.0, 0.0, physicsClientId=client)
    pb.setPhysicsEngineParameter(
        fixedTimeStep=PHYSICS_STEP_S,
        numSolverIterations=SOLVER_ITERATIONS,
        solverResidualThreshold=SOLVER_RESIDUAL_THRESHOLD,
        numSubSteps=0,
        deterministicOverlappingPairs=1,
        physicsClientId=client,
    )


def set_solver_converged(client: int, converged: bool) -> None:
    """Iterate to the solver's limit (True) or stop at pybullet's default residual."""
    threshold = CONVERGED_SOLVER_RESIDUAL_THRESHOLD if converged else SOLVER_RESIDUAL_THRESHOLD
    pb.setPhysicsEngineParameter(solverResidualThreshold=threshold, physicsClientId=client)


def model_path(spec: WorldSpec, robot: str) -> Path:
    """The URDF of ``robot``: a scenario's override, else the shipped robots folder."""
    if robot in spec.model_overrides:
        path = spec.model_overrides[robot]
    else:
        from trainer.resources import data_dir

        base = spec.robots_dir or data_dir("robots")
        path = base / robot / f"{robot}.urdf"
    if not path.is_file():
        raise ModelError(f"{path}: robot model file not found")
    return path


def load_model(
    client: int,
    spec: WorldSpec,
    robot: str,
    position: Sequence[float],
    orientation: Sequence[float],
    fixed: bool,
) -> int:
    """Load one URDF with its own inertia and no damping; ModelError says why it failed."""
    path = model_path(spec, robot)
    try:
        ET.parse(path)  # pybullet prints to stdout and returns -1 on bad XML; say why first
    except ET.ParseError as exc:
        raise ModelError(f"{path}: malformed URDF ({exc})") from None
    try:
        body = pb.loadURDF(
            str(path),
            basePosition=list(position),
            baseOrientation=list(orientation),
            useFixedBase=fixed,
            flags=pb.URDF_USE_INERTIA_FROM_FILE,
            physicsClientId=client,
        )
    except pb.error as exc:
        raise ModelError(f"{path}: pybullet could not load the model ({exc})") from None
    if body < 0:
        raise ModelError(f"{path}: pybullet could not load the model")
    # No hidden damping (docs/PYBULLET_NOTES.md: default 0.04 slows a free Dragon 12x in 60 s).
    for link in range(-1, pb.getNumJoints(body, physicsClientId=client)):
        pb.changeDynamics(body, link, linearDamping=0.0, angularDamping=0.0, physicsClientId=client)
    return int(body)


def link_indices(client: int, body: int) -> dict[str, int]:
    """Each link's index by its name, and each joint's as ``joint:<name>``."""
    names = {}
    for j in range(pb.getNumJoints(body, physicsClientId=client)):
        info = pb.getJointInfo(body, j, physicsClientId=client)
        names[info[12].decode()] = j
        names["joint:" + info[1].decode()] = j
    return names


def load_scene(client: int, spec: WorldSpec) -> LoadedScene:
    """Build the scene in a fixed order: engine, station, arm, vehicle (module docstring)."""
    configure_engine(client)
    station: int | None = None
    if spec.include_station:
        station = load_model(client, spec, "station", (0, 0, 0), (0, 0, 0, 1), fixed=True)

    arm = load_model(
        client, spec, "ssrms", spec.arm_base_position_m, spec.arm_base_orientation_xyzw, True
    )
    arm_links = link_indices(client, arm)
    try:
        joint_indices = [arm_links["joint:" + name] for name in JOINT_NAMES]
        tip_lee_link = arm_links["tip_lee"]
    except KeyError as exc:
        raise ModelError(f"{model_path(spec, 'ssrms')}: missing joint or link {exc}") from None
    if len(spec.initial_joint_angles_rad) != len(JOINT_NAMES):
        raise ModelError(
            f"initial joint angles: expected 7 values, got {len(spec.initial_joint_angles_rad)}"
        )
    for j, q in zip(joint_indices, spec.initial_joint_angles_rad, strict=True):
        if not math.isfinite(q) or abs(q) > JOINT_LIMIT_RAD:
            raise ModelError(f"initial joint angle {math.degrees(q):.1f} deg is outside ±270 deg")
        pb.resetJointState(arm, j, q, 0.0, physicsClientId=client)
    # Switch off loadURDF's hidden velocity motors (docs/PYBULLET_NOTES.md), then hold still.
    pb.setJointMotorControlArray(
        arm, joint_indices, pb.VELOCITY_CONTROL, forces=[0.0] * 7, physicsClientId=client
    )

    vehicle = load_model(
        client,
        spec,
        spec.vehicle_model,
        spec.vehicle_position_m,
        spec.vehicle_orientation_xyzw,
        fixed=spec.vehicle_fixed,
    )
    vehicle_links = link_indices(client, vehicle)
    try:
        frgf_link = vehicle_links["frgf"]
        frgf_tip_link = vehicle_links["frgf_tip"]
    except KeyError as exc:
        raise ModelError(f"{model_path(spec, spec.vehicle_model)}: missing link {exc}") from None
    if spec.vehicle_mass_kg is not None:
        pb.changeDynamics(vehicle, -1, mass=spec.vehicle_mass_kg, physicsClientId=client)
    if spec.vehicle_inertia_kg_m2 is not None:
        pb.changeDynamics(
            vehicle,
            -1,
            localInertiaDiagonal=list(spec.vehicle_inertia_kg_m2),
            physicsClientId=client,
        )
    if not spec.vehicle_fixed:
        pb.resetBaseVelocity(
            vehicle,
            list(spec.vehicle_velocity_m_s),
            list(spec.vehicle_angular_velocity_rad_s),
            physicsClientId=client,
        )
    if station is not None:
        # The base LEE sits on the station's grapple fixture: that contact is the mount.
        for link in (-1, 0):
            pb.setCollisionFilterPair(station, arm, -1, link, 0, physicsClientId=client)
    station_links: dict[str, int] = {}
    if station is not None:
        station_links = {
            k: v for k, v in link_indices(client, station).items() if not k.startswith("joint:")
        }
    return LoadedScene(
        station=station,
        arm=arm,
        joint_indices=joint_indices,
        tip_lee_link=tip_lee_link,
        arm_links={k: v for k, v in arm_links.items() if not k.startswith("joint:")},
        vehicle=vehicle,
        frgf_link=frgf_link,
        frgf_tip_link=frgf_tip_link,
        vehicle_links={k: v for k, v in vehicle_links.items() if not k.startswith("joint:")},
        vehicle_mass_kg=float(pb.getDynamicsInfo(vehicle, -1, physicsClientId=client)[0]),
        station_links=station_links,
    )
