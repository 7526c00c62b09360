"""The arm controller the session calls once per control tick (1/60 s).

    output = controller.tick(tick_input, world, payload_mass_kg, paused)
    apply(output, world)          # the session applies it; the controller never commands

The controller *returns* its command instead of sending it, so a test, the recorder or
a replay can inspect exactly what would be applied, and ``apply`` is the one place that
touches the world's drives and brakes. It reads the world only through
``World.joint_angles_after_step()`` and ``World.spec``, and when a controlled stop starts,
the arm's joint rates and inertia (its own kinematic model, from the same docs/REFERENCE.md
geometry, gives the LEE pose and Jacobian: see kinematics.py).

| input            | meaning                                                      | range          |
|------------------|--------------------------------------------------------------|----------------|
| tick_input       | this tick's hand controllers and the buttons pressed this tick (edges found once, by the session's ``ButtonEdges``) | TickInput |
| world            | joint angles and the arm's base orientation                  | World          |
| payload_mass_kg  | mass held by the LEE, 0 when nothing is captured             | ≥ 0, finite    |
| paused           | the session clock is paused                                  | bool           |

Buttons act on rising edges: MODE cycles cartesian → single_joint → position_hold,
FRAME toggles base ↔ LEE, RATE_SCALE coarse ↔ vernier, BRAKES on ↔ off, JOINT_NEXT /
JOINT_PREV select the joint (in single-joint mode, wrapping around).

Safing (end condition of normal control): from the very tick the hand controller is
lost (``hc.connected`` False: unplugged, silent, or the window lost focus) or the session
paused, the hand controllers are ignored and the arm makes a controlled stop
(``trainer.control.stop``): the LEE's twist at that moment is scaled down as a whole
(after a single-joint command, that joint's rate), so the LEE slows along its path and
its speed never rises, then the brakes go on with the arm at rest (within 1 s where the
drives' torque allows). The controller then ignores the hand controllers until
RESUME is pressed (rising edge, after the stop) while connected and not paused, and after
that until both sticks are centred, so a deflected stick cannot move the arm the instant
control returns. The one place safing is kept: the controller also reports, once per
safing, when the stop has brought the arm to rest with its brakes on (``ControlOutput.
safed_event``: the cause and the stop's duration in simulated seconds, which the session
logs as ``arm_safed``).
"""

from __future__ import annotations

import dataclasses
import math

from trainer.control.kinematics import Column6, forward_kinematics, tip_twist
from trainer.control.modes import (
    CartesianRateMode,
    ControlMode,
    ModeCommand,
    PositionHoldMode,
    SingleJointMode,
    TickContext,
)
from trainer.control.params import DEFAULT_PARAMETERS, ControlParameters
from trainer.control.resolved_rate import ResolvedRateSolver
from trainer.control.stop import ControlledStop
from trainer.control.telemetry import (
    ControlOutput,
    ControlTelemetry,
    ControlWarning,
    Frame,
    ModeName,
    RateScale,
    WarningKind,
)
from trainer.input.state import Button, HandControllerState, TickInput
from trainer.sim.rotation import rows_from_quat
from trainer.sim.world import JOINT_NAMES, World

_ZERO_RATES: tuple[float, ...] = (0.0,) * 7
_ALL_BRAKES: tuple[bool, ...] = (True,) * 7
_NO_BRAKES: tuple[bool, ...] = (False,) * 7
_NO_BUTTONS: frozenset[Button] = frozenset()
_NO_JACOBIAN: tuple[Column6, ...] = ((0.0, 0.0, 0.0, 0.0, 0.0, 0.0),) * 7

DISCONNECTED = "hand controller disconnected"
PAUSED = "session paused"


class ArmController:
    """Mode, frame, rate scale, joint selection, brakes and safing; see the module docstring."""

    def __init__(self, params: ControlParameters = DEFAULT_PARAMETERS) -> None:
        self.params = params
        solver = ResolvedRateSolver(params)
        self._solver = solver
        # Position hold also stands in while the arm is safed or braked (zero rates).
        self._hold = PositionHoldMode(params, solver)
        self._modes: tuple[ControlMode, ...] = (
            CartesianRateMode(params, solver),
            SingleJointMode(params, solver),
            self._hold,
        )
        self._mode_index = 0
        self.frame = Frame.BASE
        self.rate_scale = RateScale.COARSE
        self.selected_joint = 0
        self.brakes_on = False
        self.safed = False
        self._safed_cause: str | None = None
        # The safing being reported (SafingReport): when it began and its first cause.
        self._safing_since_s: float | None = None
        self._safing_first_cause: str | None = None
        self._safing_reported = False
        self._await_neutral = False
        self._stop: ControlledStop | None = None
        self._last_rates: tuple[float, ...] = _ZERO_RATES
        # Whether the last rates followed a single joint's arc rather than a Cartesian
        # path: the path a controlled stop keeps.
        self._last_single_joint = False
        self._base_quat: tuple[float, float, float, float] | None = None
        self._base_rot: tuple[tuple[float, float, float], ...] = ((1.0, 0.0, 0.0),) * 3
        identity = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
        # One context, refilled every tick (no per-tick allocation of it).
        self._ctx = TickContext(
            [0.0] * 7,
            (0.0, 0.0, 0.0),
            identity,
            _NO_JACOBIAN,
            self.frame,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0,
        )
        self._payload_kg = math.nan
        self._tip_speed_coarse_m_s = 0.0
        self._tip_rate_coarse_rad_s = 0.0
        self._set_payload(0.0)

    def _set_payload(self, payload_mass_kg: float) -> None:
        """Limits that depend only on the payload, recomputed when it changes."""
        p = self.params
        speed_factor = p.payload_speed_factor(payload_mass_kg)  # raises on a bad mass
        self._payload_kg = payload_mass_kg
        self._tip_speed_coarse_m_s = p.tip_speed_limit_m_s(payload_mass_kg)
        self._tip_rate_coarse_rad_s = p.unloaded_tip_rate_rad_s * speed_factor
        accel_factor = speed_factor * speed_factor
        self._ctx.tip_acceleration_limit_m_s2 = p.tip_acceleration_limit_m_s2 * accel_factor
        self._ctx.tip_angular_acceleration_limit_rad_s2 = (
            p.tip_angular_acceleration_limit_rad_s2 * accel_factor
        )

    @property
    def stopping(self) -> bool:
        """True while a controlled stop is bringing the arm to rest (brakes still off)."""
        return self._stop is not None and not self._stop.done

    @property
    def mode(self) -> ModeName:
        return self._modes[self._mode_index].name

    def _reset_modes(self) -> None:
        for mode in self._modes:
            mode.reset()

    # ------------------------------------------------------------------ the tick
    def tick(
        self, tick_input: TickInput, world: World, payload_mass_kg: float, paused: bool
    ) -> ControlOutput:
        p = self.params
        if payload_mass_kg != self._payload_kg:
            self._set_payload(payload_mass_kg)  # raises on a bad mass
        hc = tick_input.state
        rising = tick_input.pressed

        # --- safing comes first and, once safed, nothing else is read from hc.
        cause = DISCONNECTED if not hc.connected else PAUSED if paused else None
        reason: str | None = None
        if cause is not None:
            if not self.safed:
                self.safed = True
                self._stop = self._start_stop(world)
                if self._stop.done:  # else the modes are reset once the arm is at rest
                    self._reset_modes()
            self._safed_cause = cause
            reason = cause
        elif self.safed:
            if self.stopping:
                reason = f"stopping after {self._safed_cause}"
            elif Button.RESUME in rising:
                self.safed = False
                self._await_neutral = True
            else:
                reason = f"awaiting RESUME after {self._safed_cause}"
        else:
            self._handle_edges(rising)

        # --- kinematic state (base frame)
        spec_quat = world.spec.arm_base_orientation_xyzw
        if spec_quat is not self._base_quat:
            self._base_quat = spec_quat
            self._base_rot = rows_from_quat(spec_quat)
        q = world.joint_angles_after_step()
        tip_pos, tip_rot, jacobian_n = forward_kinematics(q)
        scale = p.vernier_factor if self.rate_scale is RateScale.VERNIER else 1.0
        ctx = self._ctx
        ctx.q_rad = q
        ctx.tip_pos_m = tip_pos
        ctx.tip_rot = tip_rot
        ctx.jacobian_n = jacobian_n
        ctx.frame = self.frame
        ctx.tip_speed_limit_m_s = self._tip_speed_coarse_m_s * scale
        ctx.tip_rate_limit_rad_s = self._tip_rate_coarse_rad_s * scale
        ctx.joint_rate_max_rad_s = p.joint_rate_limit_rad_s * scale
        ctx.selected_joint = self.selected_joint

        warnings: list[ControlWarning] = []
        mode = self._modes[self._mode_index]
        if self.stopping and self._stop is not None:
            command, brakes = self._stopping_command(hc, ctx, paused)
        elif self.safed or self.brakes_on:
            command = self._hold.command(hc, ctx)  # zero rates, the manipulability
            brakes = _ALL_BRAKES
        else:
            effective = hc
            if self._await_neutral:
                if hc.is_neutral:
                    self._await_neutral = False
                else:
                    effective = HandControllerState()
                    warnings.append(
                        ControlWarning(
                            WarningKind.NOT_NEUTRAL,
                            "centre both hand controllers to resume control",
                        )
                    )
            command = mode.command(effective, ctx)
            brakes = _NO_BRAKES
            self._last_single_joint = mode.name is ModeName.SINGLE_JOINT
            warnings.extend(command.warnings)
        self._limit_warnings(q, warnings)
        if command.manipulability < p.manipulability_warning:
            warnings.append(
                ControlWarning(
                    WarningKind.SINGULARITY,
                    f"near a singularity: manipulability {command.manipulability:.3f}",
                    value=command.manipulability,
                )
            )
        output = self._output(command, brakes, reason, tuple(warnings), ctx, payload_mass_kg)
        event = self._safing_report(output.telemetry, world.time_s)
        return output if event is None else dataclasses.replace(output, safed_event=event)

    def _safing_report(
        self, telemetry: ControlTelemetry, now_s: float
    ) -> tuple[str | None, float] | None:
        """Once per safing, on the tick the stop has the arm at rest with its brakes on:
        the first cause and how long the stop took (simulated seconds)."""
        if not telemetry.safed:
            self._safing_since_s = None
            self._safing_reported = False
            return None
        if self._safing_since_s is None:
            self._safing_since_s = now_s
            self._safing_first_cause = telemetry.safed_reason
        if telemetry.stopping or self._safing_reported:
            return None
        self._safing_reported = True
        return self._safing_first_cause, round(now_s - self._safing_since_s, 6)

    # ------------------------------------------------------------------ helpers
    def _start_stop(self, world: World) -> ControlledStop:
        """A controlled stop from the motion the arm has now: its measured joint rates and
        the twist they give (trainer.control.stop). An arm commanded to rest brakes at once."""
        tick_s = self.params.control_tick_s
        if not any(self._last_rates):
            return ControlledStop(_ZERO_RATES, tick_s)
        q = world.joint_angles_after_step()
        rates = world.joint_rates_rad_s().tolist()
        inertia = world.arm_mass_matrix().tolist()
        if self._last_single_joint:  # the path is that joint's own arc
            return ControlledStop(rates, tick_s, mass_matrix=inertia)
        twist = tip_twist(forward_kinematics(q)[2], rates)
        return ControlledStop(rates, tick_s, twist, self._solver, inertia)

    def _stopping_command(
        self, hc: HandControllerState, ctx: TickContext, paused: bool
    ) -> tuple[ModeCommand, tuple[bool, ...]]:
        """One tick of the controlled stop (trainer.control.stop)."""
        stop = self._stop
        assert stop is not None  # only called while stopping
        hold = self._hold.command(hc, ctx)
        if paused:  # the world does not step: keep the drives' targets as they are
            rates = self._last_rates
            return ModeCommand(rates, tip_twist(ctx.jacobian_n, rates), hold.manipulability), (
                _NO_BRAKES
            )
        stop.advance(ctx.q_rad)
        if stop.done:
            self._reset_modes()
            return hold, _ALL_BRAKES  # at rest: the brakes go on this very tick
        rates = stop.joint_rates()
        return ModeCommand(rates, tip_twist(ctx.jacobian_n, rates), hold.manipulability), (
            _NO_BRAKES
        )

    def _handle_edges(self, rising: frozenset[Button]) -> None:
        if not rising:
            return
        if Button.MODE in rising:
            self._mode_index = (self._mode_index + 1) % len(self._modes)
            self._reset_modes()
        if Button.FRAME in rising:
            self.frame = Frame.LEE if self.frame is Frame.BASE else Frame.BASE
            self._reset_modes()
        if Button.RATE_SCALE in rising:
            coarse = self.rate_scale is RateScale.COARSE
            self.rate_scale = RateScale.VERNIER if coarse else RateScale.COARSE
        if Button.BRAKES in rising:
            self.brakes_on = not self.brakes_on
            self._reset_modes()
        if self.mode is ModeName.SINGLE_JOINT:
            if Button.JOINT_NEXT in rising:
                self.selected_joint = (self.selected_joint + 1) % len(JOINT_NAMES)
            if Button.JOINT_PREV in rising:
                self.selected_joint = (self.selected_joint - 1) % len(JOINT_NAMES)

    def _limit_warnings(self, q: list[float], warnings: list[ControlWarning]) -> None:
        limit = self.params.joint_limit_rad
        near = self.params.joint_limit_warning_margin_rad
        if max(map(abs, q)) <= limit - near:
            return
        for name, qi in zip(JOINT_NAMES, q, strict=True):
            margin = limit - abs(qi)
            if margin < near:
                warnings.append(
                    ControlWarning(
                        WarningKind.JOINT_LIMIT,
                        f"{name} {math.degrees(margin):.1f} deg from its limit",
                        joint=name,
                        value=margin,
                    )
                )

    def _output(
        self,
        command: ModeCommand,
        brakes: tuple[bool, ...],
        reason: str | None,
        warnings: tuple[ControlWarning, ...],
        ctx: TickContext,
        payload_mass_kg: float,
    ) -> ControlOutput:
        if brakes is _ALL_BRAKES:
            rates = _ZERO_RATES
            v_world = w_world = (0.0, 0.0, 0.0)
            self._last_rates = _ZERO_RATES
        else:
            rates = command.joint_rates_rad_s
            self._last_rates = rates
            tw = command.tip_twist_base
            r = self._base_rot
            v_world = (
                r[0][0] * tw[0] + r[0][1] * tw[1] + r[0][2] * tw[2],
                r[1][0] * tw[0] + r[1][1] * tw[1] + r[1][2] * tw[2],
                r[2][0] * tw[0] + r[2][1] * tw[1] + r[2][2] * tw[2],
            )
            w_world = (
                r[0][0] * tw[3] + r[0][1] * tw[4] + r[0][2] * tw[5],
                r[1][0] * tw[3] + r[1][1] * tw[4] + r[1][2] * tw[5],
                r[2][0] * tw[3] + r[2][1] * tw[4] + r[2][2] * tw[5],
            )
        telemetry = ControlTelemetry(
            mode=self.mode,
            frame=self.frame,
            rate_scale=self.rate_scale,
            selected_joint=JOINT_NAMES[self.selected_joint],
            brakes_on=self.brakes_on,
            safed=self.safed,
            stopping=self.stopping,
            safed_reason=reason,
            warnings=warnings,
            manipulability=command.manipulability,
            lee_velocity_command_world_m_s=v_world,
            lee_angular_velocity_command_world_rad_s=w_world,
            lee_speed_limit_m_s=ctx.tip_speed_limit_m_s,
            lee_rate_limit_rad_s=ctx.tip_rate_limit_rad_s,
            payload_mass_kg=payload_mass_kg,
        )
        return ControlOutput(rates, brakes, telemetry)


def apply(output: ControlOutput, world: World) -> None:
    """Send one tick's output to the world: brakes first, then the joint rate demand. A
    controlled stop is open loop along its path: the drives must meet their demand, so the
    solver iterates to convergence while one runs (trainer.sim.scene.SOLVER_RESIDUAL_THRESHOLD)."""
    world.set_converged_solver(output.telemetry.stopping)
    world.set_brakes(output.brakes)
    world.command_joint_rates(output.joint_rates_rad_s)
