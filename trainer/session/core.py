"""The session loop: input → control → world → capture → judge → listeners, one control
tick (1/60 s = 4 physics steps) at a time, the same for ``fly`` and ``grade`` (docs/DESIGN.md §2).

A session owns one World built from a scenario and a seed (one seeded generator, passed
in, docs/DESIGN.md §3). Each tick it applies the workstation buttons, runs the arm controller and
steps the world, advances the capture mechanism, fires the scenario's timeline
(``timeline``), watches contacts (``contacts``), builds the tick's ``Telemetry`` and hands
it to the outcome judge (``trainer.scoring.judge``) and the listeners (the recorder,
``recorder``). Pilots (a person's device, the autopilot, a recording) only hand it
``HandControllerState`` values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from trainer.clock import CONTROL_STEPS, CONTROL_TICK_S
from trainer.control.controller import ArmController, apply
from trainer.control.telemetry import ControlTelemetry
from trainer.drill import OffsetGrappleDrill
from trainer.errors import SimulationDivergedError
from trainer.fixedmath import norm3
from trainer.input.state import Button, HandControllerState
from trainer.observation import build_telemetry
from trainer.procedure import Procedure
from trainer.record.sink import RecordingSink
from trainer.scenario.build import initial_world_spec, scenario_to_json
from trainer.scenario.model import Scenario
from trainer.scoring.accumulate import ScoreAccumulator
from trainer.scoring.judge import OutcomeJudge
from trainer.scoring.report import SessionFacts
from trainer.session.contacts import ContactWatch
from trainer.session.events import SessionEvent, SessionListener
from trainer.session.recorder import SessionRecorder, open_writer
from trainer.session.timeline import ZERO, Timeline, Vec3
from trainer.sim.capture import CaptureEvent, LeeCapture
from trainer.sim.frames import FrameTree
from trainer.sim.world import World
from trainer.telemetry import Telemetry

# After Dragon's response to RETREAT the session ends once the retreat shows (E: 5 s, as
# an ABORT's watch in trainer/scoring/judge.py).
RETREAT_WATCH_S = 5.0


class Session:
    """One capture attempt, ticked by a pilot. See the module docstring.

    Public surface: ``tick(hc) -> Telemetry``, ``finished``, ``outcome``,
    ``stop(reason)``, ``close(summary)``, ``facts(recording)``, ``events`` (the log so far),
    ``listeners`` (callables given every event as it happens), ``last_telemetry``."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        *,
        pilot: str = "none",
        recording_path: Path | None = None,
        extra_metadata: dict[str, Any] | None = None,
        recording_sink: RecordingSink | None = None,
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.pilot = pilot
        self.world = World(initial_world_spec(scenario, np.random.default_rng(seed)))
        self.controller = ArmController()
        self.judge = OutcomeJudge(scenario)
        self.capture = LeeCapture(
            self.world, lambda m: self.judge.judge_trigger(self.time_s, m).tier
        )
        self.contacts = ContactWatch()
        self.timeline = Timeline(scenario.timeline)
        self.events: list[SessionEvent] = []
        self.listeners: list[Callable[[SessionEvent], None]] = []
        self.messages: list[str] = []
        self.cameras_lost: set[str] = set()
        self.tick_count = 0
        self.paused = False
        self._connected = True
        self._safing_since_s: float | None = None  # when the arm was last safed
        self._safing_cause: str | None = None
        self._safing_reported = False
        self._previous_buttons: frozenset[Button] = frozenset()
        self._bias: tuple[Vec3, Vec3] = (ZERO, ZERO)
        self._drift_origin: tuple[float, ...] | None = None
        self.recording_path = recording_path
        self.recorder: SessionRecorder | None = None
        self._tick_listeners: list[SessionListener] = []
        # ``recording_sink`` stands in for the file: the replay verifier compares instead
        sink = recording_sink
        if sink is None and recording_path is not None:
            sink = open_writer(
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
        if sink is not None:
            frames = FrameTree(self.world)
            self.recorder = SessionRecorder(
                sink,
                lambda: (self.world.step_count, self.world.state_digest()),
                frames.transforms,
            )
            self._tick_listeners.append(self.recorder)
        # Dragon's station-keeping, the free-drift command and gate, vehicle commands, cues.
        self.procedure = Procedure(
            scenario, self.world, CONTROL_TICK_S, self.event, self.say, self._on_free_drift
        )
        # The offset-grapple drill: snares disabled, graded on alignment (trainer/drill.py).
        self.drill = OffsetGrappleDrill.from_scenario(scenario)
        if not self.procedure.flown:
            # No free drift scheduled (a fixed target, a drift from t = 0): the clock runs now.
            self._on_free_drift()
        self.timeline.fire(self.time_s, self)
        self.last_telemetry = self._telemetry(HandControllerState(), None)

    # ------------------------------------------------------------------ the tick
    def tick(self, hc: HandControllerState) -> Telemetry:
        """Advance one control tick with ``hc`` from the pilot; returns the new snapshot."""
        if self.finished:
            return self.last_telemetry
        pressed = hc.buttons - self._previous_buttons
        self._previous_buttons = hc.buttons
        for listener in self._tick_listeners:
            listener.on_input(self.tick_count, self.time_s, hc, self.last_telemetry.control)
        self._device(hc.connected)
        if Button.PAUSE in pressed:
            self.paused = not self.paused
            self.event("pause" if self.paused else "resume")
        effective = self._biased(hc)
        if not self.paused:
            self._buttons(pressed)
        control: ControlTelemetry | None = None
        try:
            output = self.controller.tick(
                effective, self.world, payload_mass_kg=self._payload_mass(), paused=self.paused
            )
            apply(output, self.world)
            control = output.telemetry
            self._safing(control)
            if not self.paused:
                self._advance()
        except SimulationDivergedError as exc:
            self._finish("fault", str(exc))
            control = None
        telemetry = self.last_telemetry = self._telemetry(effective, control)
        if not self.paused and not self.finished:
            # Dragon decides its thrust for the next tick; the gate and cues are checked.
            self.procedure.after_step(self.time_s, telemetry.range_m)
            if self.drill is not None:
                self.drill.update(self.time_s, telemetry.metrics)
        self.judge.on_tick(telemetry)
        for listener in self._tick_listeners:
            listener.on_tick(telemetry)
        if not self.finished:
            end = self._procedure_end(telemetry) or self.judge.check_end(telemetry)
            if end is not None:
                self._finish(*end)
        if self.finished and self.recorder is not None and self.outcome != "fault":
            # (after a fault the physics state is not to be trusted: the last good one stays)
            self.recorder.on_end(telemetry)
        return telemetry

    def _procedure_end(self, t: Telemetry) -> tuple[str, str] | None:
        """The end rules of the approach procedure and the drill (trainer/procedure.py)."""
        procedure = self.procedure
        holding = self.capture.holding
        if (
            procedure.retreat_flown_s is not None
            and not holding
            and t.time_s - procedure.retreat_flown_s >= RETREAT_WATCH_S
        ):
            return "retreated", "RETREAT commanded: Dragon backed away to a hold point"
        if holding or self.judge.aborted_at_s is not None:
            return None
        cue = procedure.cue_missed
        if cue is not None:
            return "timeout", (
                f"no RETREAT or ABORT within the {cue.window_s:.0f} s response window after the "
                f"cue ({cue.cue.replace('_', ' ')}) at t = {cue.time_s:.1f} s"
            )
        deadline = procedure.free_drift_deadline_s
        if (
            deadline is not None
            and procedure.free_drift_requested_s is None
            and procedure.free_drift_confirmed_s is None
            and t.time_s >= deadline
        ):
            return "timeout", (
                f"free drift was not commanded by t = {deadline:.0f} s (M2 sends it when the "
                "LEE is about 2 m from the fixture)"
            )
        if self.drill is not None:
            if self.drill.aligned_at_s is not None:
                return "aligned", f"the LEE held alignment for {self.drill.hold_s:.0f} s"
            limit = self.scenario.time_limits.hard_limit_s
            if limit is not None and t.time_s >= limit:
                return "timeout", f"no alignment held within the hard limit of {limit:.0f} s"
        return None

    def _advance(self) -> None:
        """Simulated time moves on by one tick: physics, capture, timeline, contacts."""
        self.world.step(CONTROL_STEPS)
        self.tick_count += 1
        self._capture_events(self.capture.update(self.time_s))
        self.timeline.fire(self.time_s, self)
        for pair in self.contacts.update(self.world, self.capture.holding):
            if pair.new:
                self.event(
                    "contact", bodies=pair.bodies, speed_m_s=pair.speed_m_s, force_n=pair.force_n
                )
                self.judge.on_contact(self.time_s, pair.bodies, pair.speed_m_s)
            if pair.impact is not None:
                self._finish("collision", pair.impact)

    # ------------------------------------------------------------------ state
    @property
    def time_s(self) -> float:
        return self.world.time_s

    @property
    def finished(self) -> bool:
        return self.judge.outcome is not None

    @property
    def outcome(self) -> str | None:
        return self.judge.outcome

    @property
    def outcome_reason(self) -> str | None:
        return self.judge.outcome_reason

    @property
    def free_drift_start_s(self) -> float | None:
        return self.judge.free_drift_start_s

    @property
    def score(self) -> ScoreAccumulator:
        return self.judge.score

    def facts(self, recording: str | None) -> SessionFacts:
        """What the report is built from (the session must have ended)."""
        facts = self.judge.facts(
            seed=self.seed,
            pilot=self.pilot,
            end_time_s=self.time_s,
            recording=recording,
            events=[e.to_dict() for e in self.events],
        )
        return dataclasses.replace(
            facts,
            procedure=self.procedure.to_dict(),
            drill=None if self.drill is None else self.drill.to_dict(),
        )

    # ------------------------------------------------------------------ events
    def event(self, kind: str, **detail: Any) -> None:
        """Log an event now: it reaches the recording and every listener."""
        event = SessionEvent(self.time_s, kind, detail)
        self.events.append(event)
        for tick_listener in self._tick_listeners:
            tick_listener.on_event(event)
        for listener in self.listeners:
            listener(event)

    def say(self, text: str) -> None:
        """A call the crew hears (shown in the call log)."""
        self.messages.append(text)
        self.event("call", text=text)

    def start_free_drift(self) -> None:
        """MCC's free-drift call (the timeline): Dragon is in free drift now."""
        self.procedure.timeline_free_drift(self.time_s)

    def _on_free_drift(self) -> None:
        """Free drift is confirmed: the capture clock and the drift sphere start now."""
        self.judge.on_free_drift(self.time_s)
        self._drift_origin = tuple(float(v) for v in self.world.shaft_tip().position_m)

    def procedure_event(self, kind: str, params: Mapping[str, Any]) -> None:
        self.procedure.timeline(self.time_s, kind, params)

    def stick_brake(self, joint: str) -> None:
        self.world.set_brake_stuck(joint)

    def bias_hand_controllers(self, thc: Vec3, rhc: Vec3) -> None:
        self._bias = (thc, rhc)

    def _safing(self, control: ControlTelemetry) -> None:
        """One ``arm_safed`` event per safing: the controlled stop has brought the arm to
        rest and its brakes are on (trainer.control.stop)."""
        if not control.safed:
            self._safing_since_s = None
            self._safing_reported = False
            return
        if self._safing_since_s is None:
            self._safing_since_s = self.time_s
            self._safing_cause = control.safed_reason
        if not control.stopping and not self._safing_reported:
            self._safing_reported = True
            self.event(
                "arm_safed",
                cause=self._safing_cause,
                stop_s=round(self.time_s - self._safing_since_s, 6),
            )

    def _device(self, connected: bool) -> None:
        if connected != self._connected:
            self.event("device_plugged" if connected else "device_unplugged")
        self._connected = connected

    def _capture_events(self, events: list[CaptureEvent]) -> None:
        for ev in events:
            if ev.kind == "miss":
                self.judge.on_miss()
            elif ev.kind == "snare_closed" and self.judge.on_snare_closed(self.time_s):
                self.say("Houston, Station: capture is complete.")
            self.event(ev.kind, **ev.detail)

    # ------------------------------------------------------------------ workstation
    def _buttons(self, pressed: frozenset[Button]) -> None:
        if Button.CAPTURE in pressed and self.drill is not None:
            self.event("vehicle_command", command="capture", effect="none: snares disabled")
        elif Button.CAPTURE in pressed:
            self._capture_events(self.capture.trigger(self.time_s))
        if Button.RELEASE in pressed:
            self._capture_events(self.capture.release(self.time_s))
        if Button.ABORT in pressed and self.judge.aborted_at_s is None:
            self._abort()
        for button in (Button.HOLD, Button.RETREAT, Button.FREE_DRIFT):
            if button in pressed:
                # Flown by Dragon after its response time (trainer/procedure.py).
                self.procedure.command(self.time_s, button.value, self.capture.holding)

    def _abort(self) -> None:
        if self.capture.holding:
            self.event("vehicle_command", command="abort", effect="refused: vehicle is captured")
            self.say("ABORT refused: Dragon is held by the arm; release first.")
            return
        closing = float(self.world.vehicle_state().velocity_m_s[2])
        correct = self.judge.judge_abort(
            self.time_s, closing, answers_cue=self.procedure.cue_pending
        )
        self.procedure.command(self.time_s, "abort", captured=False)
        limit = self.scenario.abort.closing_speed_limit_m_s
        self.event("abort", closing_speed_m_s=closing, limit_m_s=limit, correct=correct)
        self.say("ABORT: Dragon is departing.")

    def _biased(self, hc: HandControllerState) -> HandControllerState:
        thc_bias, rhc_bias = self._bias
        if (thc_bias == ZERO and rhc_bias == ZERO) or not hc.connected:
            return hc
        thc = (hc.thc[0] + thc_bias[0], hc.thc[1] + thc_bias[1], hc.thc[2] + thc_bias[2])
        rhc = (hc.rhc[0] + rhc_bias[0], hc.rhc[1] + rhc_bias[1], hc.rhc[2] + rhc_bias[2])
        return HandControllerState(thc=thc, rhc=rhc, buttons=hc.buttons, connected=hc.connected)

    def _payload_mass(self) -> float:
        if self.capture.holding and not self.world.spec.vehicle_fixed:
            return self.world.vehicle_mass_kg
        return 0.0

    # ------------------------------------------------------------------ the end
    def _finish(self, outcome: str, reason: str) -> None:
        if self.judge.finish(outcome, reason):
            self.event("end", outcome=outcome, reason=reason)

    def stop(self, reason: str = "stopped by the user") -> None:
        """End the session now (the trainee quit)."""
        if not self.finished:
            self._finish(self.judge.failed_outcome, reason)
            if self.recorder is not None:
                self.recorder.on_end(self.last_telemetry)

    def close(self, summary: dict[str, Any] | None = None) -> None:
        if self.recorder is not None:
            self.recorder.close(summary)
        self.world.close()

    def _telemetry(self, hc: HandControllerState, control: ControlTelemetry | None) -> Telemetry:
        load = self.world.snare.load()
        return build_telemetry(
            self.world.snapshot(),
            tick=self.tick_count,
            time_s=self.time_s,
            free_drift_start_s=self.judge.free_drift_start_s,
            drift_origin_m=self._drift_origin,
            hand_controller=hc,
            control=control,
            capture_state=self.capture.state,
            payload_mass_kg=self._payload_mass(),
            joint_brakes_engaged=self.world.brakes_engaged(),
            constraint_force_n=0.0 if load is None else norm3(load[0]),
            constraint_torque_nm=0.0 if load is None else norm3(load[1]),
            paused=self.paused,
            cameras_lost=tuple(sorted(self.cameras_lost)),
            messages=tuple(self.messages[-5:]),
        )
