"""The session loop: input → control → world → capture → scoring → recorder, one control
tick (1/60 s = 4 physics steps) at a time, the same for ``fly`` and ``grade`` (DESIGN §2).

A session owns one World built from a scenario and a seed (one seeded generator, passed
in, DESIGN §3), fires the scenario's timeline, applies the workstation buttons, judges the
trigger against the envelope, detects contacts, decides the outcome, and writes every tick
to the recording. Pilots (a person's device, the autopilot, a recording) only hand it
``HandControllerState`` values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from trainer.control.controller import ArmController, apply
from trainer.control.telemetry import ControlTelemetry
from trainer.drill import OffsetGrappleDrill
from trainer.errors import SimulationDivergedError
from trainer.input.state import Button, HandControllerState
from trainer.observation import build_telemetry
from trainer.procedure import Procedure
from trainer.record.writer import RecordingWriter
from trainer.scenario.build import initial_world_spec, scenario_to_json
from trainer.scenario.model import Scenario
from trainer.scoring.accumulate import ScoreAccumulator
from trainer.scoring.envelope import tier_of
from trainer.sim.capture import LeeCapture
from trainer.sim.capture_state import CaptureState
from trainer.sim.contacts import detect_contacts
from trainer.sim.metrics import (
    CaptureMetrics,
)
from trainer.sim.world import PHYSICS_STEP_S, World
from trainer.telemetry import Telemetry

CONTROL_STEPS = 4  # physics steps per control tick (DESIGN §3), checked below
CONTROL_TICK_S = CONTROL_STEPS * PHYSICS_STEP_S
assert abs(CONTROL_TICK_S - 1.0 / 60.0) < 1e-12, "control tick must be 1/60 s"
STATE_EVERY_TICKS = 6  # /state at 10 Hz (DESIGN §7: at least 10 Hz)
CHECKPOINT_EVERY_TICKS = 60  # a physics-state digest every simulated second
# A session with no hard time limit (the easy and drill scenarios) still ends (E: ten
# minutes is longer than any capture flown; the trainee can always start again).
SESSION_CAP_S = 600.0
# ABORT and RETREAT: Dragon flies them (trainer/sim/dragon_gnc.py); the session ends this
# long after the command, once the departure shows (E).
ABORT_WATCH_S = 5.0
RETREAT_WATCH_S = 5.0
# A contact faster than this is an impact, not a brush: a collision ends the attempt
# (E: 3x the 0.03 m/s allowed capture speed of REFERENCE §4).
COLLISION_SPEED_M_S = 0.09
# A contact with more force than this is an impact too (E: a 7.2 t vehicle stopped from
# 0.03 m/s in 0.1 s).
COLLISION_FORCE_N = 2_200.0


@dataclass(frozen=True, slots=True)
class SessionEvent:
    time_s: float
    kind: str
    detail: dict[str, Any] = field(default_factory=dict)


def _vec(values: Any) -> tuple[float, float, float]:
    return (float(values[0]), float(values[1]), float(values[2]))


class Session:
    """One capture attempt, ticked by a pilot. See the module docstring."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        *,
        pilot: str = "none",
        recording_path: Path | None = None,
        extra_metadata: dict[str, Any] | None = None,
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.pilot = pilot
        rng = np.random.default_rng(seed)
        self.world = World(initial_world_spec(scenario, rng))
        self.controller = ArmController()
        self.capture = LeeCapture(self.world, lambda m: tier_of(m, scenario.envelope))
        self.score = ScoreAccumulator(scenario)
        self.events: list[SessionEvent] = []
        self.messages: list[str] = []
        self.tick_count = 0
        self.paused = False
        self.free_drift_start_s: float | None = None
        self._drift_origin: tuple[float, ...] | None = None
        self._timeline = sorted(scenario.timeline, key=lambda e: e.time_s)
        self._timeline_index = 0
        self._bias_thc = (0.0, 0.0, 0.0)
        self._bias_rhc = (0.0, 0.0, 0.0)
        self.cameras_lost: set[str] = set()
        self._previous_buttons: frozenset[Button] = frozenset()
        self._input_key: tuple[object, ...] | None = None
        self._input_payload: dict[str, object] = {}
        self._contacting: dict[tuple[str, str], float] = {}
        self.aborted_at_s: float | None = None
        self.closing_speed_at_abort_m_s: float | None = None
        self.peak_closing_speed_m_s = 0.0
        self.abort_correct: bool | None = None
        self.outcome: str | None = None
        self.outcome_reason: str | None = None
        self.trigger_time_s: float | None = None
        self.trigger_metrics: CaptureMetrics | None = None
        self.trigger_tier: str | None = None
        self.misses = 0
        self.captured_at_s: float | None = None
        self.last_telemetry: Telemetry | None = None
        self.listeners: list[Callable[[SessionEvent], None]] = []
        self.recording_path = recording_path
        self.recorder: RecordingWriter | None = None
        if recording_path is not None:
            self.recorder = RecordingWriter(
                recording_path,
                {
                    "scenario_id": scenario.id,
                    "scenario_version": scenario.version,
                    "scenario": scenario_to_json(scenario),
                    "seed": seed,
                    "pilot": pilot,
                    "start_time_utc": datetime.now(UTC).isoformat(timespec="seconds"),
                    **(extra_metadata or {}),
                },
            )
        # Dragon's station-keeping, the free-drift command and gate, vehicle commands, cues.
        self.procedure = Procedure(
            scenario, self.world, CONTROL_TICK_S, self._event, self._say, self._start_free_drift
        )
        # The offset-grapple drill: snares disabled, graded on alignment (trainer/drill.py).
        self.drill = OffsetGrappleDrill.from_scenario(scenario)
        if not self.procedure.flown:
            # No free drift scheduled (a fixed target, a drift from t = 0): the clock runs
            # from the start.
            self._start_free_drift(announce=False)
        self._fire_timeline()
        self.last_telemetry = self._telemetry(HandControllerState())

    # ------------------------------------------------------------------ events
    @property
    def time_s(self) -> float:
        return self.world.time_s

    @property
    def finished(self) -> bool:
        return self.outcome is not None

    def _event(self, kind: str, **detail: Any) -> None:
        event = SessionEvent(self.time_s, kind, detail)
        self.events.append(event)
        if self.recorder is not None:
            self.recorder.write_event(event.time_s, kind, detail)
        for listener in self.listeners:
            listener(event)

    def _say(self, text: str) -> None:
        self.messages.append(text)
        self._event("call", text=text)

    def _start_free_drift(self, announce: bool = True) -> None:
        """Free drift is confirmed: the capture clock and the drift sphere start now."""
        self.free_drift_start_s = self.time_s
        self._drift_origin = tuple(float(v) for v in self.world.shaft_tip().position_m)
        if announce:
            self._event("free_drift_start")

    def _fire_timeline(self) -> None:
        now = self.time_s + 1e-9
        while (
            self._timeline_index < len(self._timeline)
            and self._timeline[self._timeline_index].time_s <= now
        ):
            event = self._timeline[self._timeline_index]
            self._timeline_index += 1
            params = dict(event.params)
            if event.kind == "free_drift":
                self.procedure.timeline_free_drift(self.time_s)
                self._say(str(params.get("call", "Dragon is in free drift.")))
            elif self.procedure.timeline(self.time_s, event.kind, params):
                pass
            elif event.kind == "offset_grapple":
                self._say(str(params.get("call", "Offset grapple: align the LEE on the fixture.")))
            elif event.kind == "go_for_capture":
                self._event("go_for_capture")
                self._say(str(params.get("call", "Station, Houston: you are GO for capture.")))
            elif event.kind == "call":
                self._say(str(params.get("text", "")))
            elif event.kind == "camera_loss":
                self.cameras_lost.add(str(params["camera"]))
                self._event("fault", fault="camera_loss", camera=str(params["camera"]))
            elif event.kind == "camera_restore":
                self.cameras_lost.discard(str(params["camera"]))
                self._event("fault_cleared", fault="camera_loss", camera=str(params["camera"]))
            elif event.kind == "brake_stuck":
                self.world.set_brake_stuck(str(params["joint"]))
                self._event("fault", fault="brake_stuck", joint=str(params["joint"]))
            elif event.kind == "hand_controller_bias":
                self._bias_thc = _vec(params.get("thc", (0.0, 0.0, 0.0)))
                self._bias_rhc = _vec(params.get("rhc", (0.0, 0.0, 0.0)))
                self._event(
                    "fault", fault="hand_controller_bias", thc=self._bias_thc, rhc=self._bias_rhc
                )

    # ------------------------------------------------------------------ the tick
    def tick(self, hc: HandControllerState) -> Telemetry:
        """Advance one control tick with ``hc`` from the pilot; returns the new snapshot."""
        if self.finished:
            assert self.last_telemetry is not None
            return self.last_telemetry
        pressed = hc.buttons - self._previous_buttons
        self._previous_buttons = hc.buttons
        if self.recorder is not None:
            control = self.last_telemetry.control if self.last_telemetry is not None else None
            key = (
                (hc, "", "", "")
                if control is None
                else (hc, control.mode.value, control.frame.value, control.rate_scale.value)
            )
            if key != self._input_key:
                # A new payload only when the input changed: the writer reuses the encoding
                # of a held one (sticks are held for many ticks by people and pilots alike).
                self._input_key = key
                self._input_payload = {
                    **hc.to_dict(),
                    "mode": key[1],
                    "frame": key[2],
                    "rate_scale": key[3],
                }
            self.recorder.write_input(self.tick_count, self.time_s, self._input_payload)
        if not hc.connected and self._connected_before:
            self._event("device_unplugged")
        elif hc.connected and not self._connected_before:
            self._event("device_plugged")
        self._connected_before = hc.connected
        if Button.PAUSE in pressed:
            self.paused = not self.paused
            self._event("pause" if self.paused else "resume")
            if self.recorder is not None:
                self.recorder.flush()  # simulated time stops: no per-second flush while paused
        effective = self._biased(hc)
        self._buttons(pressed)
        try:
            output = self.controller.tick(
                effective, self.world, payload_mass_kg=self._payload_mass(), paused=self.paused
            )
            apply(output, self.world)
            if not self.paused:
                self.world.step(CONTROL_STEPS)
                self.tick_count += 1
                for ev in self.capture.update(self.time_s):
                    self._capture_event(ev.kind, ev.detail)
                self._fire_timeline()
                self._contacts()
        except SimulationDivergedError as exc:
            self._finish("fault", str(exc))
            output = None
        telemetry = self._telemetry(effective, output.telemetry if output is not None else None)
        self.last_telemetry = telemetry
        if not self.paused and not self.finished:
            self.procedure.after_step(self.time_s, telemetry.range_m)
            if self.drill is not None:
                self.drill.update(self.time_s, telemetry.metrics)
        self.score.add(telemetry)
        if telemetry.free_drift_elapsed_s is not None and self.aborted_at_s is None:
            self.peak_closing_speed_m_s = max(
                self.peak_closing_speed_m_s, telemetry.closing_speed_m_s
            )
        if self.recorder is not None and not self.paused:
            if self.tick_count % STATE_EVERY_TICKS == 0:
                self.recorder.write_state(self.time_s, telemetry.state_record())
            if self.tick_count % CHECKPOINT_EVERY_TICKS == 0:
                self.recorder.write_checkpoint(
                    self.tick_count, self.time_s, self.world.step_count, self.world.state_digest()
                )
        if not self.finished:
            self._check_end(telemetry)
        return telemetry

    _connected_before = True

    def _biased(self, hc: HandControllerState) -> HandControllerState:
        if self._bias_thc == (0.0, 0.0, 0.0) and self._bias_rhc == (0.0, 0.0, 0.0):
            return hc
        if not hc.connected:
            return hc
        thc = tuple(a + b for a, b in zip(hc.thc, self._bias_thc, strict=True))
        rhc = tuple(a + b for a, b in zip(hc.rhc, self._bias_rhc, strict=True))
        return HandControllerState(thc=thc, rhc=rhc, buttons=hc.buttons, connected=hc.connected)  # type: ignore[arg-type]

    def _payload_mass(self) -> float:
        return (
            self.world.vehicle_mass_kg
            if self.capture.holding and not self.world.spec.vehicle_fixed
            else 0.0
        )

    def _buttons(self, pressed: frozenset[Button]) -> None:
        if self.paused:
            return
        if Button.CAPTURE in pressed and self.drill is not None:
            self._event("vehicle_command", command="capture", effect="none: snares disabled")
        elif Button.CAPTURE in pressed:
            events = self.capture.trigger(self.time_s)
            for ev in events:
                self._capture_event(ev.kind, ev.detail)
        if Button.RELEASE in pressed:
            for ev in self.capture.release(self.time_s):
                self._capture_event(ev.kind, ev.detail)
        if Button.ABORT in pressed and self.aborted_at_s is None:
            self._abort()
        for button in (Button.HOLD, Button.RETREAT, Button.FREE_DRIFT):
            if button in pressed:
                # Flown by Dragon after its response time (trainer/procedure.py).
                self.procedure.command(self.time_s, button.value, self.capture.holding)

    def _abort(self) -> None:
        closing = float(self.world.vehicle_state().velocity_m_s[2])
        limit = self.scenario.abort.closing_speed_limit_m_s
        if self.capture.holding:
            self._event("vehicle_command", command="abort", effect="refused: vehicle is captured")
            self._say("ABORT refused: Dragon is held by the arm; release first.")
            return
        self.aborted_at_s = self.time_s
        self.closing_speed_at_abort_m_s = closing
        self.abort_correct = (
            self.scenario.abort.expected or closing > limit or bool(self.procedure.cues)
        )
        self.procedure.command(self.time_s, "abort", captured=False)
        self._event("abort", closing_speed_m_s=closing, limit_m_s=limit, correct=self.abort_correct)
        self._say("ABORT: Dragon is departing.")

    def _capture_event(self, kind: str, detail: dict[str, Any]) -> None:
        if kind == "trigger":
            self.trigger_time_s = self.time_s
            self.trigger_metrics = self.capture.trigger_metrics
            self.trigger_tier = self.capture.trigger_tier
        elif kind == "miss":
            self.misses += 1
        elif kind == "snare_closed" and self.captured_at_s is None:
            self.captured_at_s = self.time_s
            self._say("Houston, Station: capture is complete.")
        self._event(kind, **detail)

    def _contacts(self) -> None:
        """Log each pair of bodies when it comes into contact (its fastest point and total
        force this tick), and end the attempt on an impact."""
        now: dict[tuple[str, str], tuple[float, float]] = {}
        for c in detect_contacts(self.world):
            if self.capture.holding and {c.link_a, c.link_b} & {
                "tip_lee",
                "tip_lee_housing",
                "frgf",
                "frgf_tip",
            }:
                continue  # the snared fixture against its LEE is the capture, not a contact
            key = (f"{c.body_a}/{c.link_a}", f"{c.body_b}/{c.link_b}")
            speed, force = now.get(key, (0.0, 0.0))
            # Judged by the speed they came together at (sim/contacts.py), not what the
            # solver has left of it after the step.
            now[key] = (max(speed, c.approach_speed_m_s), force + c.normal_force_n)
        for key, (speed, force) in now.items():
            bodies = f"{key[0]} - {key[1]}"
            if key not in self._contacting:
                self._event("contact", bodies=bodies, speed_m_s=speed, force_n=force)
                self.score.contact(self.time_s, bodies, speed)
            if speed > COLLISION_SPEED_M_S or force > COLLISION_FORCE_N:
                self._finish(
                    "collision",
                    f"collision between {key[0]} and {key[1]} at {speed:.3f} m/s ({force:.0f} N); "
                    f"an impact is above {COLLISION_SPEED_M_S} m/s or {COLLISION_FORCE_N:.0f} N",
                )
        self._contacting = {k: v[0] for k, v in now.items()}

    def _check_end(self, t: Telemetry) -> None:
        if self.capture.state is CaptureState.RIGID:
            self._finish("captured", "rigidized")
            return
        if self.aborted_at_s is not None and self.time_s - self.aborted_at_s >= ABORT_WATCH_S:
            self._finish("aborted", "ABORT commanded")
            return
        procedure = self.procedure
        if (
            procedure.retreat_flown_s is not None
            and not self.capture.holding
            and self.time_s - procedure.retreat_flown_s >= RETREAT_WATCH_S
        ):
            self._finish("retreated", "RETREAT commanded: Dragon backed away to a hold point")
            return
        if self.capture.holding or self.aborted_at_s is not None:
            return
        cue = procedure.cue_missed
        if cue is not None:
            self._finish(
                "timeout",
                f"no RETREAT or ABORT within the {cue.window_s:.0f} s response window after the "
                f"cue ({cue.cue.replace('_', ' ')}) at t = {cue.time_s:.1f} s",
            )
            return
        deadline = procedure.free_drift_deadline_s
        if (
            deadline is not None
            and procedure.free_drift_requested_s is None
            and procedure.free_drift_confirmed_s is None
            and self.time_s >= deadline
        ):
            self._finish(
                "timeout",
                f"free drift was not commanded by t = {deadline:.0f} s (M2 sends it when the "
                "LEE is about 2 m from the fixture)",
            )
            return
        if self.drill is not None and self.drill.aligned_at_s is not None:
            self._finish(
                "aligned", f"the LEE held alignment for {self.drill.hold_s:.0f} s at the fixture"
            )
            return
        limits = self.scenario.time_limits
        elapsed = t.free_drift_elapsed_s
        failed = "missed" if self.misses else "timeout"
        if (
            elapsed is not None
            and limits.hard_limit_s is not None
            and elapsed >= limits.hard_limit_s
        ):
            self._finish(
                failed,
                f"no alignment held within the hard limit of {limits.hard_limit_s:.0f} s"
                if self.drill is not None
                else f"no capture within the hard limit of {limits.hard_limit_s:.0f} s of free "
                f"drift; the fixture drifted {t.drift_from_start_m:.2f} m from its free-drift "
                "position",
            )
        elif (
            limits.drift_sphere_radius_m is not None
            and t.drift_from_start_m > limits.drift_sphere_radius_m
        ):
            self._finish(
                failed,
                f"the fixture drifted {t.drift_from_start_m:.2f} m from its free-drift position, "
                f"beyond the {limits.drift_sphere_radius_m:.1f} m capture sphere",
            )
        elif self.time_s >= SESSION_CAP_S:
            self._finish(
                failed,
                f"session time cap of {SESSION_CAP_S:.0f} s reached "
                f"(the fixture drifted {t.drift_from_start_m:.2f} m)",
            )

    def _finish(self, outcome: str, reason: str) -> None:
        if self.outcome is not None:
            return
        self.outcome = outcome
        self.outcome_reason = reason
        self._event("end", outcome=outcome, reason=reason)

    def stop(self, reason: str = "stopped by the user") -> None:
        """End the session now (the trainee quit)."""
        if not self.finished:
            self._finish("missed" if self.misses else "timeout", reason)

    def close(self, summary: dict[str, Any] | None = None) -> None:
        if self.recorder is not None:
            self.recorder.close(summary)
        self.world.close()

    # ------------------------------------------------------------------ telemetry
    def _telemetry(
        self, hc: HandControllerState, control: ControlTelemetry | None = None
    ) -> Telemetry:
        load = self.world.snare.load()
        return build_telemetry(
            self.world.snapshot(),
            tick=self.tick_count,
            time_s=self.time_s,
            free_drift_start_s=self.free_drift_start_s,
            drift_origin_m=self._drift_origin,
            hand_controller=hc,
            control=control,
            capture_state=self.capture.state,
            payload_mass_kg=self._payload_mass(),
            joint_brakes_engaged=self.world.brakes_engaged(),
            constraint_force_n=0.0 if load is None else float(np.linalg.norm(load[0])),
            constraint_torque_nm=0.0 if load is None else float(np.linalg.norm(load[1])),
            paused=self.paused,
            cameras_lost=tuple(sorted(self.cameras_lost)) if self.cameras_lost else (),
            messages=tuple(self.messages[-5:]),
        )
