"""The approach procedure around a capture (docs/REFERENCE.md §3): Dragon keeping station until
free drift, the free-drift command and its 1.5 m gate, the crew's vehicle commands, the
approach between holds, and cue drills with a response window.

The session owns one ``Procedure`` and calls it at fixed points of a tick (timeline events,
workstation buttons, after the physics steps); it reports back through the ``emit``
(event log) and ``say`` (voice call) callbacks it is given and through its own fields,
which grading reads. Dragon itself is flown by ``trainer.sim.dragon_gnc``.

| rule                  | what happens                                                     |
|-----------------------|------------------------------------------------------------------|
| before free drift     | Dragon station-keeps at its hold point (dead-band, pulses)       |
| free drift            | by the timeline (MCC's call confirms it at once) or, after a     |
|                       | ``crew_free_drift`` event, by M2's FREE DRIFT command, confirmed |
|                       | by Dragon after its response time                                 |
| free-drift gate       | the LEE within 1.5 m of the fixture before free drift is        |
|                       | confirmed: a procedure violation, named in the report (S)        |
| HOLD / RETREAT        | flown by Dragon after its response time; refused while captured  |
| ABORT                 | Dragon departs after its response time (the session grades it)   |
| ``approach``          | with go: Dragon flies to ``to_m`` and holds there; no-go: stays  |
| ``retreat_cue``       | a cue (closing too fast, loss of communication, a fault) that    |
|                       | must be answered with RETREAT or ABORT within ``window_s``       |
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from trainer.scenario.model import Scenario
from trainer.sim.dragon_gnc import DragonGnc, GncMode
from trainer.sim.world import World

# docs/REFERENCE.md §3 (S, ESA logbook): the crew may not bring the LEE closer than 1.5 m to the
# fixture until free drift is confirmed. Measured from the LEE origin to the shaft tip.
FREE_DRIFT_GATE_M = 1.5
# A closing_too_fast cue: a Dragon fault sets it closing on the station at this speed (E:
# above the 0.02 m/s abort limit of docs/REFERENCE.md §4, so the autopilot's own check sees it).
CUE_CLOSING_SPEED_M_S = 0.03
CUES = ("closing_too_fast", "loss_of_comm", "fault")

Vec3 = tuple[float, float, float]


@dataclass
class Cue:
    """A retreat cue and how the crew answered it."""

    time_s: float
    cue: str
    window_s: float
    answer: str | None = None
    answered_at_s: float | None = None
    missed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "time_s": self.time_s,
            "cue": self.cue,
            "window_s": self.window_s,
            "answer": self.answer,
            "response_time_s": None
            if self.answered_at_s is None
            else self.answered_at_s - self.time_s,
        }


class Procedure:
    """See the module docstring."""

    def __init__(
        self,
        scenario: Scenario,
        world: World,
        tick_s: float,
        emit: Callable[..., None],
        say: Callable[[str], None],
        start_free_drift: Callable[[], None],
    ) -> None:
        self.scenario = scenario
        self.world = world
        self._emit = emit
        self._say = say
        self._start_free_drift = start_free_drift
        # A scenario that schedules free drift, an approach or a cue flies the procedure:
        # Dragon keeps station until free drift. One that does not (a drift from t = 0)
        # has Dragon in free drift from the start.
        self.flown = any(
            scenario.events(kind)
            for kind in ("free_drift", "crew_free_drift", "approach", "retreat_cue")
        )
        self.gnc: DragonGnc | None = None
        # The scenario's initial velocity and rate (dispersions drawn) are the residual drift
        # Dragon is left with when its thrusters go quiet at free drift; until then it holds.
        self._residual = (
            world.spec.vehicle_velocity_m_s,
            world.spec.vehicle_angular_velocity_rad_s,
        )
        if not world.spec.vehicle_fixed:
            p = world.vehicle_state().position_m
            mode = GncMode.HOLD if self.flown else GncMode.FREE_DRIFT
            position: Vec3 = (float(p[0]), float(p[1]), float(p[2]))
            self.gnc = DragonGnc(world.vehicle_mass_kg, position, tick_s, mode)
            if self.flown:
                world.set_vehicle_velocity((0.0, 0.0, 0.0), (0.0, 0.0, 0.0))
        self.crew_free_drift = False
        self.free_drift_deadline_s: float | None = None
        self.free_drift_requested_s: float | None = None
        # Not flown: in free drift (or a fixed target) from the start.
        self.free_drift_confirmed_s: float | None = None if self.flown else 0.0
        self.gate_violation: dict[str, float] | None = None
        self.commands: list[dict[str, Any]] = []
        self.cues: list[Cue] = []
        self.retreat_flown_s: float | None = None
        self._thrust: Vec3 = (0.0, 0.0, 0.0)

    # ------------------------------------------------------------------ inputs
    def timeline(self, now_s: float, kind: str, params: Mapping[str, Any]) -> bool:
        """A timeline event; False when it is not one of the procedure's."""
        if kind == "crew_free_drift":
            self.crew_free_drift = True
            within = params.get("within_s")
            self.free_drift_deadline_s = None if within is None else now_s + float(within)
            self._emit("crew_free_drift")
            self._say(str(params.get("call", "Station: you have the free-drift command.")))
        elif kind == "approach":
            go = bool(params.get("go", True))
            self._emit("go_no_go", decision="go" if go else "no-go")
            self._say(str(params.get("call", "GO for approach." if go else "NO-GO: Dragon holds.")))
            if go and self.gnc is not None:
                to = params["to_m"]
                target: Vec3 = (float(to[0]), float(to[1]), float(to[2]))
                speed = params.get("speed_m_s")
                self.gnc.command(now_s, "approach", target, None if speed is None else float(speed))
        elif kind == "retreat_cue":
            cue = Cue(now_s, str(params["cue"]), float(params["window_s"]))
            self.cues.append(cue)
            self._emit("cue", cue=cue.cue, window_s=cue.window_s)
            if cue.cue == "closing_too_fast" and self.gnc is not None:
                # A Dragon fault: it loses its hold and closes on the station.
                self.gnc.mode = GncMode.FREE_DRIFT
                v = self.world.vehicle_state().velocity_m_s
                push = (0.0, 0.0, CUE_CLOSING_SPEED_M_S - float(v[2]))
                self.world.apply_vehicle_impulse(
                    [self.world.vehicle_mass_kg * x for x in push],
                    self.world.vehicle_state().position_m.tolist(),
                )
            default = {
                "closing_too_fast": "Dragon is closing too fast!",
                "loss_of_comm": "Loss of communication with Dragon!",
                "fault": "Dragon reports a fault!",
            }[cue.cue]
            self._say(str(params.get("call", default)))
        else:
            return False
        return True

    def timeline_free_drift(self, now_s: float) -> None:
        """MCC's free-drift call: Dragon is in free drift now."""
        self._confirm_free_drift(now_s)

    def command(self, now_s: float, command: str, captured: bool) -> None:
        """The crew's HOLD, RETREAT, ABORT or FREE DRIFT (M2) to Dragon."""
        self._answer_cues(now_s, command)
        if self.gnc is None:
            self._log(now_s, command, "none: the target is fixed")
            return
        if captured and command != "free_drift":
            self._log(now_s, command, "refused: vehicle is captured")
            return
        if command == "free_drift":
            if not self.crew_free_drift:
                self._log(now_s, command, "ignored: free drift is MCC's call in this scenario")
                self._say("FREE DRIFT not sent: MCC commands free drift in this scenario.")
                return
            if self.free_drift_requested_s is not None or self.free_drift_confirmed_s is not None:
                return
            self.free_drift_requested_s = now_s
        self.gnc.command(now_s, command)
        self._log(now_s, command, "sent")
        self._say(f"{command.replace('_', ' ').upper()} sent to Dragon.")

    def _log(self, now_s: float, command: str, effect: str) -> None:
        self.commands.append({"time_s": now_s, "command": command, "effect": effect})
        self._emit("vehicle_command", command=command, effect=effect)

    def _answer_cues(self, now_s: float, command: str) -> None:
        if command not in ("retreat", "abort"):
            return
        for cue in self.cues:
            if cue.answer is None and not cue.missed:
                cue.answer = command
                cue.answered_at_s = now_s
                in_time = now_s - cue.time_s <= cue.window_s
                self._emit(
                    "cue_answered",
                    cue=cue.cue,
                    answer=command,
                    response_time_s=now_s - cue.time_s,
                    in_time=in_time,
                )
                cue.missed = not in_time

    def _confirm_free_drift(self, now_s: float) -> None:
        if self.free_drift_confirmed_s is not None:
            return
        self.free_drift_confirmed_s = now_s
        if self.gnc is not None:
            self.gnc.mode = GncMode.FREE_DRIFT
            self.world.set_vehicle_thrust((0.0, 0.0, 0.0))
            self._thrust = (0.0, 0.0, 0.0)
            self.world.set_vehicle_velocity(*self._residual)
        self._start_free_drift()

    # ------------------------------------------------------------------ each tick
    def after_step(self, now_s: float, range_m: float) -> None:
        """After the physics steps: Dragon decides its thrust for the next tick; the gate
        (``range_m``: LEE origin to the shaft tip) and the cue windows are checked."""
        gnc = self.gnc
        if gnc is not None:
            position, velocity = self.world.vehicle_motion()
            force, events = gnc.update(now_s, position, velocity)
            for ev in events:
                if ev.kind == "response":
                    command = str(ev.detail["command"])
                    self._emit("vehicle_response", **ev.detail)
                    if command == "free_drift":
                        self._confirm_free_drift(now_s)
                        self._emit("free_drift_start")
                        self._say("Dragon is in free drift.")
                    elif command == "retreat":
                        self.retreat_flown_s = now_s
                        self._say("Dragon is retreating.")
                    elif command == "hold":
                        self._say("Dragon is holding.")
                else:
                    self._emit("vehicle_" + ev.kind, **ev.detail)
            if force != self._thrust:
                self._thrust = force
                self.world.set_vehicle_thrust(force)
        if self.free_drift_confirmed_s is None and self.gate_violation is None:
            d = range_m
            if d < FREE_DRIFT_GATE_M:
                self.gate_violation = {"time_s": now_s, "range_m": d}
                self._emit("procedure_violation", rule="free_drift_gate", range_m=d)
                self._say(
                    f"Stop: LEE within {FREE_DRIFT_GATE_M} m of the fixture before free drift."
                )
        for cue in self.cues:
            if cue.answer is None and not cue.missed and now_s - cue.time_s > cue.window_s:
                cue.missed = True
                self._emit("cue_missed", cue=cue.cue, window_s=cue.window_s)

    @property
    def cue_pending(self) -> bool:
        """A cue is waiting for its answer, inside its window."""
        return any(c.answer is None and not c.missed for c in self.cues)

    @property
    def cue_missed(self) -> Cue | None:
        """The first cue not answered in its window, if any."""
        return next((c for c in self.cues if c.missed), None)

    def to_dict(self) -> dict[str, Any]:
        """The report's ``procedure`` block."""
        return {
            "free_drift_by": "crew" if self.crew_free_drift else "timeline",
            "free_drift_requested_s": self.free_drift_requested_s,
            "free_drift_confirmed_s": self.free_drift_confirmed_s,
            "free_drift_gate_violation": self.gate_violation,
            "vehicle_commands": list(self.commands),
            "cues": [c.to_dict() for c in self.cues],
            "station_keeping_pulses": 0 if self.gnc is None else self.gnc.pulses,
        }
