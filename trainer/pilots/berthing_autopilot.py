"""A pilot that berths Dragon through the hand controllers, from the Cupola or from the
ground, reading only what the workstation shows (docs/REFERENCE.md §10, §11).

Technique (E, docs/REFERENCE.md §10): Cartesian rate mode in the LEE frame. Each phase of
the procedure has a target for the PCBM: pre-install setup and pre-install on the port's
axis, aligned; the final approach closes along the axis at ≤ 1 cm/s (under the 1.2 cm/s
full-credit limit), slowing toward a 2 cm standoff inside the RTLs' 5 cm travel while it
keeps the lateral offset and attitude nulled; it stops when the indicators make and holds
still through first and second stage, then puts the brakes on and releases the LEE on
MCC's GO. Large moves translate and turn together so both finish at once (the path
robots/ssrms/find_poses.py checked clear of the station). With the CBCS video lost it
holds outside the guides until the video returns.

From the ground (``Telemetry.ground``) it sees the downlinked snapshot and steers by the
predictive display's ghost (trainer/prediction.py), as a ground operator with a
predictive display does; its buttons are sent with the same delay as its sticks. It
decides at 10 Hz, as the capture autopilot does.

``RammingPilot`` flies the same procedure but drives into the guides at the arm's full
coarse speed with a lateral offset (a test of the impact rule).
"""

from __future__ import annotations

import math
from typing import Protocol

from trainer.clock import CONTROL_HZ
from trainer.control.telemetry import Frame
from trainer.input.state import Button, HandControllerState
from trainer.sim import cbm_geometry as geo
from trainer.sim.cbm_metrics import pcbm_frame
from trainer.sim.metrics import rotation_vector, rows_from_quat, to_frame
from trainer.telemetry import Telemetry

Vec3 = tuple[float, float, float]
_ZERO: Vec3 = (0.0, 0.0, 0.0)
DECISION_EVERY_TICKS = 6  # 10 Hz (trainer/pilots/autopilot.py)
POSITION_GAIN_PER_S = 0.2  # E: a 1 m error closes at its capped speed, 5 cm at 1 cm/s
GROUND_GAIN_PER_S = 0.1  # E: half, for the predictor's unmodelled lag
TRANSFER_SPEED_FRACTION = 0.8  # of the payload's coarse caps, leaving the feedback room
FINAL_SPEED_M_S = 0.01  # E: under the 0.012 m/s full credit at RTL
STANDOFF_M = 0.02  # E: inside the RTLs' 0.05 m travel, clear of the ring's face
CBCS_HOLD_M = geo.GUIDE_HEIGHT_M + 0.15  # hold outside the guides without the CBCS
BACK_OUT_TARGET_M = geo.PRE_INSTALL_M + 0.1
RAM_SPEED_FRACTION = 1.0
RAM_LATERAL_M = 0.12  # beyond the guides' 0.10 m tip clearance: the ring hits a guide
BUTTON_TICKS = 3
LIMP_PHASES = ("first_stage", "second_stage", "berthed")


def _norm(v: Vec3) -> float:
    return math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2])


def _clip(x: float, limit: float) -> float:
    return -limit if x < -limit else limit if x > limit else x


def _cross(a: Vec3, b: Vec3) -> Vec3:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _target_rows() -> tuple[Vec3, Vec3, Vec3]:
    """The mated PCBM attitude (rows): the port frame turned half a turn about its z."""
    _p, r = geo.port_frame()
    return (
        (-r[0][0], -r[0][1], r[0][2]),
        (-r[1][0], -r[1][1], r[1][2]),
        (-r[2][0], -r[2][1], r[2][2]),
    )


class BerthingAutopilot:
    """See the module docstring."""

    name = "autopilot"

    def __init__(self, ram: bool = False, heed_cbcs: bool = True) -> None:
        self.ram = ram
        # False: a pilot that drives on with the CBCS video lost (tests show it fails).
        self.heed_cbcs = heed_cbcs
        self._calls = 0
        self._sticks: tuple[Vec3, Vec3] = (_ZERO, _ZERO)
        self._buttons: dict[Button, int] = {}
        self._last: HandControllerState | None = None
        self._brakes_pressed_s: float | None = None
        self._released = False

    def _press(self, button: Button) -> None:
        self._buttons.setdefault(button, BUTTON_TICKS)

    def _held(self) -> frozenset[Button]:
        held = frozenset(b for b, n in self._buttons.items() if n > 0)
        self._buttons = {b: n - 1 for b, n in self._buttons.items() if n > 1}
        return held

    def next_state(self, t: Telemetry) -> HandControllerState:
        decide = self._calls % DECISION_EVERY_TICKS == 0
        self._calls += 1
        status = t.berthing
        control = t.control
        if status is None or control is None:
            self._sticks = (_ZERO, _ZERO)
        elif control.safed and not self._buttons:
            self._press(Button.RESUME)
            self._sticks = (_ZERO, _ZERO)
        elif control.frame is not Frame.LEE and not self._buttons and not status.arm_limp:
            self._press(Button.FRAME)
            self._sticks = (_ZERO, _ZERO)
        elif decide:
            self._sticks = self._decide(t)
        thc, rhc = self._sticks
        buttons = self._held()
        last = self._last
        if last is None or last.thc != thc or last.rhc != rhc or last.buttons != buttons:
            last = self._last = HandControllerState(thc=thc, rhc=rhc, buttons=buttons)
        return last

    # ------------------------------------------------------------------ decisions
    def _decide(self, t: Telemetry) -> tuple[Vec3, Vec3]:
        status = t.berthing
        assert status is not None
        phase = status.phase
        if phase in LIMP_PHASES or phase in ("survey", "cbcs_check"):
            return _ZERO, _ZERO
        if phase == "brakes":
            wait = 1.0 + (t.ground.round_trip_s if t.ground is not None else 0.0)
            engaged = all(t.joint_brakes_engaged)
            if not engaged and (
                self._brakes_pressed_s is None or t.time_s - self._brakes_pressed_s > wait
            ):
                self._brakes_pressed_s = t.time_s
                self._press(Button.BRAKES)
            return _ZERO, _ZERO
        if phase == "release":
            if not self._released:
                self._released = True
                self._press(Button.RELEASE)
            return _ZERO, _ZERO
        if phase == "to_setup":
            return self._steer(t, geo.PRE_INSTALL_SETUP_M, None)
        if phase == "to_pre_install":
            return self._steer(t, geo.PRE_INSTALL_M, None)
        if phase == "back_out":
            return self._steer(t, BACK_OUT_TARGET_M, None)
        if phase == "final_approach":
            lit = status.rtl_made.count(True)
            if lit == 4 or (lit == 3 and not self.ram):
                return _ZERO, _ZERO  # the CBM operator takes it from here
            if "cbcs" in t.cameras_lost and self.heed_cbcs and not self.ram:
                return self._steer(t, CBCS_HOLD_M, None)
            return self._steer(t, STANDOFF_M, FINAL_SPEED_M_S)
        return _ZERO, _ZERO

    def _steer(
        self, t: Telemetry, separation_m: float, axial_cap: float | None
    ) -> tuple[Vec3, Vec3]:
        """Sticks that bring the PCBM to ``separation_m`` on the port axis, aligned."""
        control = t.control
        assert control is not None
        vmax = control.lee_speed_limit_m_s or 0.079
        wmax = control.lee_rate_limit_rad_s or math.radians(0.85)
        ground = t.ground
        if ground is not None:  # steer the ghost: where the arm will be (trainer/prediction.py)
            ghost = ground.ghost(t)
            lee_p, lee_q = ghost.lee_position_m, ghost.lee_orientation_xyzw
            veh_p, veh_q = ghost.vehicle_position_m, ghost.vehicle_orientation_xyzw
            gain = GROUND_GAIN_PER_S
        else:
            lee_p, lee_q = t.lee_position_world_m, t.lee_orientation_world_xyzw
            veh_p, veh_q = t.vehicle_position_world_m, t.vehicle_orientation_world_xyzw
            gain = POSITION_GAIN_PER_S
        port_p, port_rows = geo.port_frame()
        axis = (port_rows[0][0], port_rows[1][0], port_rows[2][0])
        origin, qx, qy, qz = pcbm_frame(veh_p, veh_q)
        offset = 0.0
        if self.ram and t.berthing is not None and t.berthing.phase == "final_approach":
            axial_cap = RAM_SPEED_FRACTION * vmax
            offset = RAM_LATERAL_M
            separation_m = -0.2
            gain = 1.0
        side = (port_rows[0][1], port_rows[1][1], port_rows[2][1])
        target = (
            port_p[0] + separation_m * axis[0] + offset * side[0],
            port_p[1] + separation_m * axis[1] + offset * side[1],
            port_p[2] + separation_m * axis[2] + offset * side[2],
        )
        dp = (target[0] - origin[0], target[1] - origin[1], target[2] - origin[2])
        # Attitude error: current PCBM axes to the mated ones (world rotation vector).
        cur = ((qx[0], qy[0], qz[0]), (qx[1], qy[1], qz[1]), (qx[2], qy[2], qz[2]))
        want = _target_rows()
        r_err = tuple(
            tuple(sum_three(want[i], cur[j]) for j in range(3)) for i in range(3)
        )  # R_want · R_cur^T
        e = rotation_vector(r_err)  # type: ignore[arg-type]
        v_cap = TRANSFER_SPEED_FRACTION * vmax
        w_cap = TRANSFER_SPEED_FRACTION * wmax
        # One time for both: the pose moves along the straight line between the two.
        duration = max(_norm(dp) / v_cap, _norm(e) / w_cap, 1.0 / gain)
        v = (dp[0] / duration, dp[1] / duration, dp[2] / duration)
        w = (e[0] / duration, e[1] / duration, e[2] / duration)
        if axial_cap is not None:
            along = v[0] * axis[0] + v[1] * axis[1] + v[2] * axis[2]  # < 0: toward the port
            if -along > axial_cap:
                k = -axial_cap - along
                v = (v[0] + k * axis[0], v[1] + k * axis[1], v[2] + k * axis[2])
        # The LEE carries the PCBM: v_lee = v_pcbm − ω × (p_pcbm − p_lee).
        lever = (origin[0] - lee_p[0], origin[1] - lee_p[1], origin[2] - lee_p[2])
        spin = _cross(w, lever)
        v_lee = (v[0] - spin[0], v[1] - spin[1], v[2] - spin[2])
        r_lee = rows_from_quat(lee_q)
        v_l = to_frame(r_lee, v_lee)
        w_l = to_frame(r_lee, w)
        thc = (_clip(v_l[0] / vmax, 1.0), _clip(v_l[1] / vmax, 1.0), _clip(v_l[2] / vmax, 1.0))
        rhc = (_clip(w_l[0] / wmax, 1.0), _clip(w_l[1] / wmax, 1.0), _clip(w_l[2] / wmax, 1.0))
        return thc, rhc


def sum_three(a: Vec3, b: Vec3) -> float:
    """a · b in a fixed order (docs/DESIGN.md §10)."""
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


class RammingPilot(BerthingAutopilot):
    """The autopilot that drives into the guides at full coarse speed, off the axis."""

    name = "ram"

    def __init__(self) -> None:
        super().__init__(ram=True)


class _Pilot(Protocol):
    def next_state(self, telemetry: Telemetry) -> HandControllerState: ...


class CaptureThenBerth:
    """The capture autopilot until the berthing begins (``Telemetry.berthing``), then the
    berthing autopilot."""

    name = "autopilot"

    def __init__(self, capture: _Pilot, berthing: BerthingAutopilot) -> None:
        self.capture = capture
        self.berthing = berthing

    def next_state(self, telemetry: Telemetry) -> HandControllerState:
        if telemetry.berthing is None:
            return self.capture.next_state(telemetry)
        return self.berthing.next_state(telemetry)


DECISION_HZ = CONTROL_HZ / DECISION_EVERY_TICKS
