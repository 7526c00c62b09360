"""The session loop: input → task → control → world → capture → task → listeners, one
control tick (1/60 s = 4 physics steps) at a time, the same for ``fly``, ``grade`` and
every other runner (docs/DESIGN.md §2, §11).

A session owns one World built from a scenario and a seed (one seeded generator, passed
in, docs/DESIGN.md §3) and runs the task the scenario names (trainer/tasks/: it knows
none by name). Each tick it hands the task the buttons that went down, runs the arm
controller and steps the world, advances the LEE's snares, fires the scenario's timeline
(``timeline``: its calls and faults here, the task's own events to the task), watches
contacts (``contacts``: the impact rule ends any task), builds the tick's ``Telemetry``,
shows it to the task and the listeners (the recorder, ``recorder``) and asks the task
whether the episode has ended. Pilots (a person's device, the autopilot, a recording)
only hand it ``HandControllerState`` values; an instructor's actions come between ticks
(``instruct``, docs/DESIGN.md §12), recorded like the inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from trainer.clock import CONTROL_STEPS
from trainer.control.controller import ArmController, apply
from trainer.control.telemetry import ControlTelemetry
from trainer.errors import SimulationDivergedError
from trainer.fixedmath import norm3
from trainer.input.state import Button, ButtonEdges, HandControllerState, TickInput
from trainer.observation import build_telemetry
from trainer.record.instructor import InstructorAction, check_for_task
from trainer.record.sink import RecordingSink, TeeSink
from trainer.scenario.build import initial_world_spec, scenario_to_json
from trainer.scenario.model import Scenario
from trainer.scoring.report import SessionFacts
from trainer.session.contacts import ContactWatch
from trainer.session.events import SessionEvent, SessionListener
from trainer.session.instructor import apply_instruction
from trainer.session.recorder import SessionRecorder, open_writer
from trainer.session.timeline import ZERO, Timeline, Vec3
from trainer.sim.capture import CaptureEvent, LeeCapture
from trainer.sim.frames import FrameTree
from trainer.sim.world import World
from trainer.tasks import Task, make_task
from trainer.telemetry import Telemetry

# The outcome of an attempt the trainee, a window close or a signal ended (docs/DESIGN.md §6).
INTERRUPTED = "interrupted"


class Session:
    """One attempt at a scenario's task, ticked by a pilot. See the module docstring.

    Public surface: ``tick(hc) -> Telemetry``, ``instruct(action)``, ``finished``, ``outcome``,
    ``stop(reason)``, ``close(summary)``, ``facts(recording)``, ``events`` (the log so far),
    ``listeners`` (callables given every event as it happens), ``last_telemetry`` (what
    happened: recorded, judged), ``seen_telemetry`` (what the workstation and a pilot see:
    the same, or through a ground link's downlink, docs/DESIGN.md §11), ``task``."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        *,
        pilot: str = "none",
        recording_path: Path | None = None,
        extra_metadata: dict[str, Any] | None = None,
        recording_sink: RecordingSink | None = None,
        mirror: RecordingSink | None = None,
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.pilot = pilot
        self.world = World(initial_world_spec(scenario, np.random.default_rng(seed)))
        self.controller = ArmController()
        # The envelope is the task's: the snares ask it at the trigger.
        self.capture = LeeCapture(self.world, lambda m: self.task.judge_trigger(m))
        self.contacts = ContactWatch()
        self.timeline = Timeline(scenario.timeline)
        self.events: list[SessionEvent] = []
        self.listeners: list[Callable[[SessionEvent], None]] = []
        self.messages: list[str] = []
        self.cameras_lost: set[str] = set()
        self.tick_count = 0
        self.paused = False
        self.frozen = False  # by the instructor: the trainee's PAUSE cannot resume it
        self._connected = True
        self._edges = ButtonEdges()  # the one place a tick's presses are found
        self._bias: tuple[Vec3, Vec3] = (ZERO, ZERO)
        self.recording_path = recording_path
        self.recorder: SessionRecorder | None = None
        self._tick_listeners: list[SessionListener] = []
        # ``recording_sink`` stands in for the file: the replay verifier compares instead
        sink = recording_sink
        self.metadata: dict[str, Any] = {}  # the recording's (a live server hands it on)
        if sink is None and recording_path is not None:
            self.metadata = {
                "scenario_id": scenario.id,
                "scenario_version": scenario.version,
                "scenario": scenario_to_json(scenario),
                "seed": seed,
                "pilot": pilot,
                "start_time_utc": datetime.now(UTC).isoformat(timespec="seconds"),
                **(extra_metadata or {}),
            }
            sink = open_writer(recording_path, self.metadata)
        if sink is not None and mirror is not None:
            sink = TeeSink(sink, mirror)  # fly --live streams what is recorded (§12)
        if sink is not None:
            frames = FrameTree(self.world)
            self.recorder = SessionRecorder(
                sink,
                lambda: (self.world.step_count, self.world.state_digest()),
                frames.transforms,
            )
            self._tick_listeners.append(self.recorder)
        self.task: Task = make_task(self)
        self.task.start()
        self.timeline.fire(self.time_s, self)
        self.last_input = TickInput(HandControllerState(), frozenset())
        self.last_telemetry = self._telemetry(HandControllerState(), None)
        self.seen_telemetry = self.last_telemetry

    # ------------------------------------------------------------------ the tick
    def tick(self, hc: HandControllerState) -> Telemetry:
        """Advance one control tick with ``hc`` from the pilot; returns the new snapshot."""
        if self.finished:
            return self.seen_telemetry
        tick_input = self.last_input = self._edges.next(hc)
        pressed = tick_input.pressed
        for listener in self._tick_listeners:
            listener.on_input(self.tick_count, self.time_s, hc, self.last_telemetry.control)
        self._device(hc.connected)
        if Button.PAUSE in pressed and not self.frozen:
            self.paused = not self.paused
            self.event("pause" if self.paused else "resume")
        effective = TickInput(self._biased(hc), pressed)
        if not self.paused:
            # The ground's round trip, if any: the command and its button edges that land
            # now (docs/DESIGN.md §11); the task and the controller take the same.
            effective = self.task.uplink(effective)
            self.task.on_buttons(effective.pressed)
        control: ControlTelemetry | None = None
        try:
            output = self.controller.tick(
                effective,
                self.world,
                payload_mass_kg=self._payload_mass(),
                paused=self.paused,
            )
            apply(output, self.world)
            control = output.telemetry
            if output.safed_event is not None:
                cause, stop_s = output.safed_event
                self.event("arm_safed", cause=cause, stop_s=stop_s)
            if not self.paused:
                self._advance()
        except SimulationDivergedError as exc:
            self._finish("fault", str(exc))
            control = None
        telemetry = self.last_telemetry = self._telemetry(effective.state, control)
        if not self.paused and not self.finished:
            self.task.after_step(telemetry)
        self.task.on_tick(telemetry)
        for listener in self._tick_listeners:
            listener.on_tick(telemetry)
        if not self.finished:
            end = self.task.check_end(telemetry)
            if end is not None:
                self._finish(*end)
        if self.finished and self.recorder is not None and self.outcome != "fault":
            # (after a fault the physics state is not to be trusted: the last good one stays)
            self.recorder.on_end(telemetry)
        # what the workstation and a pilot see (docs/DESIGN.md §11: a ground link's is older)
        self.seen_telemetry = self.task.downlink(telemetry)
        return self.seen_telemetry

    def instruct(self, action: InstructorAction) -> None:
        """An instructor's action, at this tick boundary (before the next tick's input):
        recorded on /instructor, then applied (trainer/session/instructor.py). A fault of
        another task than this session's is refused before it is recorded (``ActionError``:
        the live server refuses it before it is queued; a recording that holds one is
        refused by the loop that flies it again)."""
        if self.finished:
            return
        check_for_task(action, self.scenario.task)
        for listener in self._tick_listeners:
            listener.on_instruction(self.tick_count, self.time_s, action)
        apply_instruction(self, action)

    def _advance(self) -> None:
        """Simulated time moves on by one tick: physics, capture, timeline, contacts."""
        self.world.step(CONTROL_STEPS)
        self.tick_count += 1
        self.capture_events(self.capture.update(self.time_s))
        self.timeline.fire(self.time_s, self)
        for pair in self.contacts.update(self.world, self.capture.holding):
            if pair.new:
                self.event(
                    "contact", bodies=pair.bodies, speed_m_s=pair.speed_m_s, force_n=pair.force_n
                )
                self.task.on_contact(pair.bodies, pair.speed_m_s)
            self.task.on_contact_force(pair.bodies, pair.force_n)
            if pair.impact is not None:
                self._finish("collision", pair.impact)

    # ------------------------------------------------------------------ state
    @property
    def time_s(self) -> float:
        return self.world.time_s

    @property
    def finished(self) -> bool:
        return self.task.outcome is not None

    @property
    def outcome(self) -> str | None:
        return self.task.outcome

    @property
    def outcome_reason(self) -> str | None:
        return self.task.outcome_reason

    @property
    def free_drift_start_s(self) -> float | None:
        return self.task.free_drift_start_s

    def facts(self, recording: str | None) -> SessionFacts:
        """What the report is built from (the session must have ended)."""
        return self.task.facts(
            seed=self.seed,
            pilot=self.pilot,
            end_time_s=self.time_s,
            recording=recording,
            events=[e.to_dict() for e in self.events],
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

    def task_event(self, kind: str, params: Mapping[str, Any]) -> None:
        """A timeline event of the task's own (docs/DESIGN.md §11)."""
        self.task.on_timeline(kind, params)

    def stick_brake(self, joint: str) -> None:
        self.world.set_brake_stuck(joint)

    def bias_hand_controllers(self, thc: Vec3, rhc: Vec3) -> None:
        self._bias = (thc, rhc)

    def _device(self, connected: bool) -> None:
        if connected != self._connected:
            self.event("device_plugged" if connected else "device_unplugged")
        self._connected = connected

    def capture_events(self, events: Sequence[CaptureEvent]) -> None:
        """The LEE's snares report phases: the task sees each, then it is logged."""
        for ev in events:
            self.task.on_capture_event(ev)
            self.event(ev.kind, **ev.detail)

    # ------------------------------------------------------------------ workstation
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
        if self.task.finish(outcome, reason):
            self.event("end", outcome=outcome, reason=reason)

    def stop(self, reason: str = "stopped by the user") -> None:
        """End the session now: the trainee quit, the window closed, a signal came, or a
        runner's inputs ran out. Its outcome is ``interrupted`` (docs/DESIGN.md §6)."""
        if not self.finished:
            self._finish(INTERRUPTED, reason)
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
            free_drift_start_s=self.task.free_drift_start_s,
            drift_origin_m=self.task.drift_origin_m,
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
            berthing=self.task.berthing_status(),
        )
