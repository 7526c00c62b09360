"""Scenario data model: frozen dataclasses that a validated YAML file becomes (docs/DESIGN.md §8).

The loader (``trainer.scenario.loader``) is the only producer; everything downstream reads
these. Units are SI with degrees only where a name ends in ``_deg``/``_deg_s`` (docs/DESIGN.md §3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

Vec3 = tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class Tier:
    """An upper bound with two tiers: full credit up to ``full``, capture up to ``allowed``."""

    full: float
    allowed: float


@dataclass(frozen=True, slots=True)
class RangeTier:
    """A window with two tiers: full credit inside ``full``, capture inside ``allowed``."""

    full: tuple[float, float]
    allowed: tuple[float, float]


@dataclass(frozen=True, slots=True)
class Envelope:
    """Capture envelope at the trigger (docs/REFERENCE.md §4, E)."""

    lateral_offset_m: Tier
    axial_depth_m: RangeTier
    pitch_yaw_misalignment_deg: Tier
    roll_misalignment_deg: Tier
    relative_speed_m_s: Tier
    relative_rate_deg_s: Tier


@dataclass(frozen=True, slots=True)
class TimeLimits:
    """Time limits from free-drift start (docs/REFERENCE.md §4, E); None = no limit."""

    full_credit_s: float | None
    penalty_until_s: float | None
    hard_limit_s: float | None
    drift_sphere_radius_m: float | None


@dataclass(frozen=True, slots=True)
class Dispersions:
    """One-sigma Gaussian dispersions of the vehicle's initial state, drawn from the
    session's seeded generator in a fixed order: position, velocity, attitude, rate."""

    position_m: Vec3 = (0.0, 0.0, 0.0)
    velocity_m_s: Vec3 = (0.0, 0.0, 0.0)
    attitude_deg: Vec3 = (0.0, 0.0, 0.0)
    angular_velocity_deg_s: Vec3 = (0.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class VehicleSpec:
    model: str  # folder under robots/: "dragon", or "frgf_target" for the basic drill
    fixed: bool  # True: bolted to the station (basic drill), no CW motion
    mass_kg: float | None  # None: the model's own
    inertia_kg_m2: Vec3 | None
    position_m: Vec3  # COM, world frame (LVLH)
    attitude_rpy_deg: Vec3
    velocity_m_s: Vec3
    angular_velocity_deg_s: Vec3
    dispersions: Dispersions


@dataclass(frozen=True, slots=True)
class ArmSpec:
    initial_pose: str  # a named pose of robots/ssrms/poses.yaml


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """A scheduled event. Kinds: go_for_capture, free_drift, call, camera_loss,
    camera_restore, brake_stuck, hand_controller_bias."""

    time_s: float
    kind: str
    params: MappingProxyType[str, Any] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class AbortSpec:
    closing_speed_limit_m_s: float  # docs/REFERENCE.md §4: closing faster than 0.02 m/s -> abort
    expected: bool  # True when ABORT is the right call in this scenario


@dataclass(frozen=True, slots=True)
class LightingSpec:
    """Where the station is on its orbit when the session starts: the sun's direction and
    whether the capture is flown in Earth's shadow follow (trainer.render.lighting)."""

    orbit_phase_deg: float = -45.0  # from orbital noon; E: mid-morning, clear of the eclipse
    beta_deg: float = 20.0  # sun above the orbit plane; E: a typical ISS beta (within ±75°)
    night: bool = False  # the station is in Earth's shadow at the start (checked on load)


@dataclass(frozen=True, slots=True)
class BerthingEnvelope:
    """The ready-to-latch envelope (docs/REFERENCE.md §10; trainer/scenario/berthing.py)."""

    lateral_offset_m: Tier
    tilt_deg: Tier
    roll_deg: Tier
    axial_speed_m_s: Tier
    rate_deg_s: Tier


@dataclass(frozen=True, slots=True)
class BerthingSpec:
    """How a berthing is flown and judged (the ``berthing`` section, trainer/scenario/berthing.py)."""

    flown_from: str
    round_trip_s: float
    envelope: BerthingEnvelope
    full_credit_s: float | None
    penalty_until_s: float | None
    hard_limit_s: float


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    version: int
    title: str
    description: str
    tags: tuple[str, ...]
    orbit_altitude_m: float
    vehicle: VehicleSpec
    arm: ArmSpec
    task: str  # what the session is for (trainer/tasks/; scenario.events.TASKS)
    timeline: tuple[TimelineEvent, ...]
    envelope: Envelope
    time_limits: TimeLimits
    abort: AbortSpec
    scoring_weights: MappingProxyType[str, float]
    lighting: LightingSpec = field(default_factory=LightingSpec)
    berthing: BerthingSpec | None = None  # only a berthing task's (scenario/berthing.py)
    source_path: Path | None = None
    raw: MappingProxyType[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def events(self, kind: str) -> tuple[TimelineEvent, ...]:
        return tuple(e for e in self.timeline if e.kind == kind)

    @property
    def free_drift_time_s(self) -> float | None:
        drift = self.events("free_drift")
        return drift[0].time_s if drift else None
