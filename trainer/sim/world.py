"""The pybullet world: station, SSRMS and a free-drifting vehicle, stepped deterministically.

What it guarantees (each one a trap measured in docs/PYBULLET_NOTES.md):

* built in one fixed order in its own DIRECT client, with every engine parameter set in
  one place (``trainer.sim.scene.configure_engine``): step 1/240 s, 100 solver iterations, deterministic
  overlapping pairs, no gravity (orbital free fall; the CW force stands in for it);
* damping zeroed on every body and the hidden joint motors of ``loadURDF`` switched off;
* the Clohessy–Wiltshire force applied to the vehicle before *every* physics step;
* joints driven by rate commands through VELOCITY_CONTROL with the real torque limit,
  rates clamped at 4 °/s and kept off the ±270° stops; brakes that hold up to a slip torque;
* state read only through named accessors returning numpy values in the world frame
  (docs/DESIGN.md §3), and a divergence check that raises ``SimulationDivergedError``.

Nothing here imports pygame or the layers above (docs/DESIGN.md §2).
"""

from __future__ import annotations

import contextlib
import hashlib
import struct
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pybullet as pb

from trainer.clock import PHYSICS_STEP_S as PHYSICS_STEP_S
from trainer.errors import ModelError
from trainer.fixedmath import cross3, matmul, rows3_times, rows3_transpose_times
from trainer.sim.divergence import check_state, finite_vector
from trainer.sim.drives import JOINT_LIMIT_MARGIN_RAD as JOINT_LIMIT_MARGIN_RAD
from trainer.sim.drives import JointDrives
from trainer.sim.joints import JOINT_NAMES as JOINT_NAMES  # re-exported: the world names its joints
from trainer.sim.joints import JOINT_RATE_LIMIT_RAD_S as JOINT_RATE_LIMIT_RAD_S
from trainer.sim.metrics import CaptureMetrics, capture_metrics
from trainer.sim.orbit import cw_acceleration, mean_motion_rad_s
from trainer.sim.rotation import Rows, matrix_from_quat, rows_from_quat
from trainer.sim.scene import WorldSpec as WorldSpec  # re-exported: built from it
from trainer.sim.scene import load_scene, set_solver_converged
from trainer.sim.snare import SnareConstraint
from trainer.sim.state import FramePose, Snapshot, TickStartMotion, VehicleState

FloatArray = npt.NDArray[np.float64]


class StepMechanism(Protocol):
    """Something that must act before every physics step while ``moving`` (a constraint
    whose held pose follows a motion: docs/PYBULLET_NOTES.md)."""

    @property
    def moving(self) -> bool: ...

    def before_step(self, t_s: float) -> None: ...


# The CW acceleration is re-evaluated once per control tick (4 steps) and applied before
# every step. Its change over 1/60 s is negligible (D: d/dt(3n²z) = 3n²·ż ≈ 3.8e-6 s⁻² ×
# 0.03 m/s ≈ 1e-7 m/s³, i.e. ~2e-9 m/s² within a tick; the 240 s closed-form test holds to
# 1 mm), and it saves two state queries on three steps out of four.
CW_REEVALUATE_STEPS = 4
_ZERO3 = (0.0, 0.0, 0.0)


class World:
    """The simulated scene. Build it, command the joints, ``step()``, read accessors.

    | accessor                   | returns (world frame, SI)                          |
    |----------------------------|----------------------------------------------------|
    | ``joint_angles_rad()``     | (7,) joint angles, base to tip                     |
    | ``joint_rates_rad_s()``    | (7,) joint rates                                   |
    | ``joint_torques_nm()``     | (7,) motor torques applied in the last step        |
    | ``lee()``                  | tip LEE frame pose and velocity (docs/DESIGN.md §3)        |
    | ``fixture()``              | FRGF frame pose and velocity                       |
    | ``shaft_tip()``            | ball centre at the end of the FRGF shaft           |
    | ``vehicle_state()``        | vehicle COM position/velocity/attitude/rate        |
    | ``capture_metrics()``      | the docs/DESIGN.md §4 metrics now                          |
    | ``lee_jacobian()``         | (6, 7) [linear; angular] Jacobian of the LEE frame |
    """

    def __init__(self, spec: WorldSpec) -> None:
        self.spec = spec
        self._client: int = int(pb.connect(pb.DIRECT))
        if self._client < 0:
            raise ModelError("could not start a pybullet physics client")
        self._step_count = 0
        self._n = mean_motion_rad_s(spec.orbit_altitude_m)
        self._vehicle_thrust_n = (0.0, 0.0, 0.0)
        self._closed = False
        try:
            self._build()
        except BaseException:
            self.close()
            raise
        # The LEE's snare-and-carriage joint to the fixture (trainer/sim/snare.py).
        self.snare = SnareConstraint(self)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        """Load the scene (trainer/sim/scene.py), then the world's own state: the drives
        and what it reads after each step."""
        c = self._client
        spec = self.spec
        scene = load_scene(c, spec)
        self._converged_solver = False
        self.station = scene.station
        self.arm = scene.arm
        self.joint_indices = scene.joint_indices
        self.tip_lee_link = scene.tip_lee_link
        self.arm_links = scene.arm_links
        self.vehicle = scene.vehicle
        self.frgf_link = scene.frgf_link
        self.frgf_tip_link = scene.frgf_tip_link
        self.vehicle_mass_kg = scene.vehicle_mass_kg
        self.vehicle_links = scene.vehicle_links
        self.station_links = scene.station_links
        self._base_rotation = matrix_from_quat(spec.arm_base_orientation_xyzw)
        self._base_rotation_rows = rows_from_quat(spec.arm_base_orientation_xyzw)
        self._joint_states = pb.getJointStates(self.arm, self.joint_indices, physicsClientId=c)
        self.drives = JointDrives(c, self.arm, self.joint_indices)
        pos, orn = pb.getBasePositionAndOrientation(self.vehicle, physicsClientId=c)
        vel, ang = pb.getBaseVelocity(self.vehicle, physicsClientId=c)
        # The vehicle as read after the last step (check_divergence), reused by snapshot().
        self._vehicle_read: tuple[Any, Any, Any, Any] = (pos, orn, vel, ang)
        # (position, velocity, angular velocity, joint states) before the last step() call.
        self._tick_start: tuple[Any, Any, Any, Any] = (pos, vel, ang, self._joint_states)
        # Joint torques averaged over the last step() while the snare acted (see step()).
        self._tick_torques: tuple[float, ...] | None = None
        self.link_names: dict[int, dict[int, str]] = {
            self.arm: {v: k for k, v in self.arm_links.items()},
            self.vehicle: {v: k for k, v in scene.vehicle_links.items()},
        }
        self.body_names: dict[int, str] = {self.arm: "ssrms", self.vehicle: spec.vehicle_model}
        if self.station is not None:
            self.body_names[self.station] = "station"
            self.link_names[self.station] = {v: k for k, v in scene.station_links.items()}
        # Mechanisms that act before every physics step while they move, besides the
        # LEE's snare (the berthing mechanism, trainer/sim/cbm.py).
        self.mechanisms: list[StepMechanism] = []

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            with contextlib.suppress(pb.error):
                pb.disconnect(physicsClientId=self._client)

    def __enter__(self) -> World:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ commands
    @property
    def client(self) -> int:
        return self._client

    @property
    def mean_motion_rad_s(self) -> float:
        return self._n

    @property
    def time_s(self) -> float:
        """Simulation time; the integer step count is the clock, so it never drifts."""
        return self._step_count * PHYSICS_STEP_S

    @property
    def step_count(self) -> int:
        return self._step_count

    def command_joint_rates(self, rates_rad_s: Sequence[float]) -> None:
        """Set the joint rate demand (rad/s), held until the next command (see JointDrives)."""
        # The joint angles as of the last step: nothing else moves the joints.
        self.drives.command([st[0] for st in self._joint_states], rates_rad_s)

    def set_converged_solver(self, converged: bool) -> None:
        """Let the solver iterate to its limit (True), or stop at pybullet's default
        residual (False); see trainer.sim.scene.SOLVER_RESIDUAL_THRESHOLD. Sent only when it
        changes."""
        if converged is not self._converged_solver:
            self._converged_solver = converged
            set_solver_converged(self._client, converged)

    def set_brakes(self, engaged: bool | Sequence[bool]) -> None:
        """Apply or release the joint brakes (all joints, or one flag per joint)."""
        self.drives.set_brakes(engaged)

    def set_arm_limp(self, limp: bool) -> None:
        """The free joint drives yield (a berthing's first stage) or drive again
        (trainer/sim/drives.py ``LIMP_TORQUE_NM``)."""
        self.drives.set_limp(limp)

    def set_brake_stuck(self, joint: str, stuck: bool = True) -> None:
        """Fault injection: ``joint``'s brake stays on (docs/REFERENCE.md §1: every joint has a brake)."""
        self.drives.set_brake_stuck(joint, stuck)

    def brakes_engaged(self) -> tuple[bool, ...]:
        return self.drives.engaged()

    def commanded_joint_rates(self) -> tuple[float, ...]:
        """The rate demand actually sent to the drives (after clamping and brakes)."""
        return self.drives.commanded_rates()

    def set_vehicle_thrust(self, force_world_n: Sequence[float]) -> None:
        """A force on the vehicle COM (world frame, N) applied every step until changed:
        the vehicle's thrusters (ABORT, RETREAT), zero in free drift."""
        f = tuple(float(v) for v in force_world_n)
        finite_vector(f, "vehicle thrust")
        self._vehicle_thrust_n = (f[0], f[1], f[2])

    def set_vehicle_velocity(
        self, velocity_m_s: Sequence[float], angular_velocity_rad_s: Sequence[float]
    ) -> None:
        """Set the vehicle's velocity and rate (world frame): the state its thrusters leave
        it in (Dragon's hold before free drift, its residual drift when they go quiet)."""
        if self.spec.vehicle_fixed:
            return
        v = [float(x) for x in velocity_m_s]
        w = [float(x) for x in angular_velocity_rad_s]
        finite_vector(v, "vehicle velocity")
        finite_vector(w, "vehicle angular velocity")
        pb.resetBaseVelocity(self.vehicle, v, w, physicsClientId=self._client)
        pos, orn, _vel, _ang = self._vehicle_read
        self._vehicle_read = (pos, orn, tuple(v), tuple(w))

    def apply_vehicle_impulse(
        self, impulse_world_n_s: Sequence[float], point_world_m: Sequence[float]
    ) -> None:
        """An instantaneous impulse on the vehicle at a world point (snares bumping the shaft)."""
        if self.spec.vehicle_fixed:
            return
        c = self._client
        v, w = pb.getBaseVelocity(self.vehicle, physicsClientId=c)
        pos, orn = pb.getBasePositionAndOrientation(self.vehicle, physicsClientId=c)
        j = [float(x) for x in impulse_world_n_s]
        r = [float(p) - q for p, q in zip(point_world_m, pos, strict=True)]
        rot = rows_from_quat(orn)
        inertia_body = pb.getDynamicsInfo(self.vehicle, -1, physicsClientId=c)[2]
        # Δω = R I⁻¹ Rᵀ (r × j), the inertia diagonal in the body frame.
        torque_body = rows3_transpose_times(rot, cross3(r, j))
        dw = rows3_times(rot, [t / i for t, i in zip(torque_body, inertia_body, strict=True)])
        m = self.vehicle_mass_kg
        new_v = [v[k] + j[k] / m for k in range(3)]
        new_w = [w[k] + dw[k] for k in range(3)]
        pb.resetBaseVelocity(self.vehicle, new_v, new_w, physicsClientId=c)

    # ------------------------------------------------------------------ stepping
    def step(self, n_steps: int = 1) -> None:
        """Advance ``n_steps`` physics steps, applying the CW force before each one.

        One ``stepSimulation`` call per step on purpose. Four substeps per call
        (``numSubSteps=4``, ``fixedTimeStep=1/60``) would save a few µs per tick and keeps
        the external force through the substeps (measured: the vehicle's state matched to
        1e-14), but the joint drives behave differently: the arm's joint angles were 2 mrad
        off the single-step run within 10 ticks (measured; most likely pybullet turns a
        motor's force limit into an impulse with the call's time step, not the substep's)."""
        c = self._client
        vehicle = self.vehicle
        mass = self.vehicle_mass_kg
        n = self._n
        thrust = self._vehicle_thrust_n
        free = not self.spec.vehicle_fixed
        force: tuple[float, float, float] = (0.0, 0.0, 0.0)
        if not free:
            self._tick_start = (self._tick_start[0], _ZERO3, _ZERO3, self._joint_states)
        # A capture's grip forces are applied, and its held pose moved, before every step,
        # not once per 1/60 s tick (snare.py, grip.py).
        snare = self.snare if self.snare.moving else None
        mechanisms = [m for m in self.mechanisms if m.moving] if self.mechanisms else None
        # While the snare acts, the tick's joint torques are the mean of its steps: the
        # solver puts the odd single-step spike into the drives there (measured: 2,099 N·m
        # for one 1/240 s step 0.13 s into a draw, 85 N·m on the steps either side; an
        # impulse of 9 N·m·s, no load the arm feels), and one sampled step per tick would
        # grade it as one.
        torque_sum: list[float] | None = [0.0] * 7 if snare is not None and n_steps > 1 else None
        for i in range(n_steps):
            if snare is not None:
                snare.before_step((self._step_count + 1) * PHYSICS_STEP_S)
            if mechanisms:
                for mechanism in mechanisms:
                    mechanism.before_step((self._step_count + 1) * PHYSICS_STEP_S)
            if free:
                if i % CW_REEVALUATE_STEPS == 0:
                    pos, _orn = pb.getBasePositionAndOrientation(vehicle, physicsClientId=c)
                    vel, ang = pb.getBaseVelocity(vehicle, physicsClientId=c)
                    if i == 0:
                        # How everything moved before these steps: contacts are judged by
                        # it (contacts.py), as the solver stops bodies within a step.
                        self._tick_start = (pos, vel, ang, self._joint_states)
                    ax, ay, az = cw_acceleration(pos, vel, n)
                    force = (mass * ax + thrust[0], mass * ay + thrust[1], mass * az + thrust[2])
                # One-shot force: cleared after every step (docs/PYBULLET_NOTES.md), so applied each
                # time, at the COM position of the last evaluation: the COM moves < 1 mm in
                # a tick, a torque below 1e-3 N·m, far under the 0.02 N·m gravity-gradient
                # torque docs/REFERENCE.md §5 calls negligible.
                pb.applyExternalForce(vehicle, -1, force, pos, pb.WORLD_FRAME, physicsClientId=c)
            pb.stepSimulation(physicsClientId=c)
            self._step_count += 1
            if torque_sum is not None and i < n_steps - 1:
                states = pb.getJointStates(self.arm, self.joint_indices, physicsClientId=c)
                for k, st in enumerate(states):
                    torque_sum[k] += st[3]
        self.drives.rearm_slipped_brakes()
        self.check_divergence()
        if torque_sum is None:
            self._tick_torques = None
        else:
            last = self._joint_states
            self._tick_torques = tuple(
                (torque_sum[k] + last[k][3]) / n_steps for k in range(len(torque_sum))
            )

    def check_divergence(self) -> None:
        """Raise SimulationDivergedError naming the quantity if the state is non-finite or
        runaway (the limits and the one-pass check: sim/divergence.py)."""
        c = self._client
        pos, orn = pb.getBasePositionAndOrientation(self.vehicle, physicsClientId=c)
        vel, ang = pb.getBaseVelocity(self.vehicle, physicsClientId=c)
        states = pb.getJointStates(self.arm, self.joint_indices, physicsClientId=c)
        # Kept for the next tick's rate command and snapshot (and for judging contacts by
        # the speed before them): the joints only move in step(), so reading them again
        # before then would be the same query twice on the hot path.
        self._joint_states = states
        self._vehicle_read = (pos, orn, vel, ang)
        check_state(pos, orn, vel, ang, states)

    # ------------------------------------------------------------------ accessors
    @property
    def base_rotation(self) -> FloatArray:
        """Rotation of the arm's base frame in the world (pybullet's Jacobians are in it)."""
        return self._base_rotation

    @property
    def base_rotation_rows(self) -> Rows:
        """The same rotation as rows of Python floats (trainer/fixedmath.py)."""
        return self._base_rotation_rows

    @property
    def tick_start_motion(self) -> TickStartMotion:
        """The vehicle's motion and the joint states before the last ``step()`` call."""
        return TickStartMotion(*self._tick_start)

    def joint_angles_rad(self) -> FloatArray:
        states = pb.getJointStates(self.arm, self.joint_indices, physicsClientId=self._client)
        return np.array([s[0] for s in states])

    def joint_angles_after_step(self) -> list[float]:
        """The angles as read after the last ``step()``: the joints move only there, so a
        tick's controller reads what ``joint_angles_rad()`` would, minus its 10 µs query."""
        return [s[0] for s in self._joint_states]

    def joint_rates_rad_s(self) -> FloatArray:
        states = pb.getJointStates(self.arm, self.joint_indices, physicsClientId=self._client)
        return np.array([s[1] for s in states])

    def joint_torques_nm(self) -> FloatArray:
        """Motor torque each joint applied in the last step (docs/PYBULLET_NOTES.md: state index 3)."""
        states = pb.getJointStates(self.arm, self.joint_indices, physicsClientId=self._client)
        return np.array([s[3] for s in states])

    def arm_mass_matrix(self) -> FloatArray:
        """(7, 7) joint-space inertia of the arm at its present angles (kg·m²): the torque
        each drive needs for a joint acceleration, τ = M q̈ (Coriolis aside). The arm alone:
        a captured payload, held by a constraint, is not in it."""
        q = self.joint_angles_rad().tolist()  # a list: numpy arrays segfault (bullet3 #3033)
        m = pb.calculateMassMatrix(self.arm, q, physicsClientId=self._client)
        return np.array(m, dtype=np.float64)

    def _frame(self, body: int, link: int) -> FramePose:
        # Index 0/1 (COM frame) in double precision: these links' inertial frame equals
        # their link frame (index 4/5 is float32, docs/PYBULLET_NOTES.md).
        s = pb.getLinkState(
            body,
            link,
            computeLinkVelocity=1,
            computeForwardKinematics=1,
            physicsClientId=self._client,
        )
        return FramePose(np.array(s[0]), np.array(s[1]), np.array(s[6]), np.array(s[7]))

    def lee(self) -> FramePose:
        """The tip LEE frame (docs/DESIGN.md §3): origin at the mouth, +x along the boresight."""
        return self._frame(self.arm, self.tip_lee_link)

    def arm_link(self, name: str) -> FramePose:
        """Any named link frame of the arm (e.g. the camera mounts)."""
        return self._frame(self.arm, self.arm_links[name])

    def fixture(self) -> FramePose:
        """The FRGF frame (docs/DESIGN.md §3): origin at the base plate centre, +x along the shaft."""
        return self._frame(self.vehicle, self.frgf_link)

    def shaft_tip(self) -> FramePose:
        """The ball centre at the end of the FRGF shaft."""
        return self._frame(self.vehicle, self.frgf_tip_link)

    def vehicle_link(self, name: str) -> FramePose:
        """Any named link frame of the vehicle whose inertial frame is its link frame
        (``frgf``, ``frgf_tip``, a berthing Dragon's ``pcbm``)."""
        return self._frame(self.vehicle, self.vehicle_links[name])

    def vehicle_motion(self) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
        """Vehicle COM position and velocity as read after the last step (no query)."""
        pos, _orn, vel, _ang = self._vehicle_read
        return (pos[0], pos[1], pos[2]), (vel[0], vel[1], vel[2])

    def vehicle_state(self) -> VehicleState:
        c = self._client
        pos, orn = pb.getBasePositionAndOrientation(self.vehicle, physicsClientId=c)
        vel, ang = pb.getBaseVelocity(self.vehicle, physicsClientId=c)
        return VehicleState(np.array(pos), np.array(vel), np.array(orn), np.array(ang))

    def snapshot(self) -> Snapshot:
        """The per-tick state in one go (see ``Snapshot``)."""
        c = self._client
        lee = pb.getLinkState(self.arm, self.tip_lee_link, 1, 1, physicsClientId=c)
        tip = pb.getLinkState(self.vehicle, self.frgf_tip_link, 1, 1, physicsClientId=c)
        fix = pb.getLinkState(self.vehicle, self.frgf_link, 0, 1, physicsClientId=c)
        # The vehicle and joints as check_divergence read them after the last step.
        pos, orn, vel, ang = self._vehicle_read
        joints = self._joint_states
        torques = self._tick_torques or tuple(j[3] for j in joints)
        return Snapshot(
            lee[0],
            lee[1],
            lee[6],
            lee[7],
            tip[0],
            tip[6],
            fix[0],
            fix[1],
            pos,
            orn,
            vel,
            ang,
            tuple(j[0] for j in joints),
            tuple(j[1] for j in joints),
            torques,
        )

    def capture_metrics(self) -> CaptureMetrics:
        lee = self.lee()
        tip = self.shaft_tip()
        return capture_metrics(
            lee.pose(),
            lee.linear_velocity_m_s,
            lee.angular_velocity_rad_s,
            self.fixture().pose(),
            tip.position_m,
            tip.linear_velocity_m_s,
            self.vehicle_state().angular_velocity_rad_s,
        )

    def lee_jacobian(self) -> FloatArray:
        """(6, 7) Jacobian of the LEE frame origin, rows [linear; angular], world frame.

        pybullet returns a fixed-base body's Jacobian in its *base* frame (checked against
        finite differences; robots/ssrms/find_poses.py), and the SSRMS base is rotated to
        point nadir, so both halves are turned into the world frame here. Arguments go to
        pybullet as Python lists (numpy arrays segfault, bullet3 #3033)."""
        q = self.joint_angles_rad().tolist()
        zeros = [0.0] * len(q)
        lin, ang = pb.calculateJacobian(
            self.arm,
            self.tip_lee_link,
            [0.0, 0.0, 0.0],
            q,
            zeros,
            zeros,
            physicsClientId=self._client,
        )
        r = self._base_rotation
        return np.vstack([matmul(r, np.array(lin)), matmul(r, np.array(ang))])

    # ------------------------------------------------------------------ determinism
    def state_digest(self) -> str:
        """SHA-256 of the full dynamic state (time, joints, vehicle), for replay checkpoints."""
        c = self._client
        values: list[float] = [float(self._step_count)]
        for s in pb.getJointStates(self.arm, self.joint_indices, physicsClientId=c):
            values.extend((s[0], s[1]))
        pos, orn = pb.getBasePositionAndOrientation(self.vehicle, physicsClientId=c)
        vel, ang = pb.getBaseVelocity(self.vehicle, physicsClientId=c)
        values.extend(pos)
        values.extend(orn)
        values.extend(vel)
        values.extend(ang)
        return hashlib.sha256(struct.pack(f"<{len(values)}d", *values)).hexdigest()
