"""Light like on orbit: the sun's direction from the orbit phase, the station's eclipse
(night), Earthshine from the lit Earth below, the station floodlights and the lamps beside
the LEE camera (docs/REFERENCE.md §7.2).

Sun direction in the world frame (LVLH, docs/DESIGN.md §3: x V-bar, y orbit normal, z zenith) for
an orbit phase θ measured from orbital noon (the sun at zenith) and a beta angle β (the
sun's elevation above the orbit plane):

    s = (−sin θ cos β,  sin β,  cos θ cos β)

(the station moves toward +x, so after noon the sun falls behind it, toward −x). The
phase advances with the mean motion n: θ(t) = θ0 + n t (a 240 s capture sweeps 15°).

The station is in Earth's shadow when the sun lies within the Earth's disc seen from the
station: the angle between s and nadir below ρ = asin(R / (R + h)) (D: 69.7° at 421.5 km,
an eclipse of 36 of the 92.6 minutes at β = 0, as the ISS has).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from trainer.sim.orbit import (
    ISS_ALTITUDE_M,
    earth_disc_half_angle_rad,
    mean_motion_rad_s,
    sun_direction_lvlh,
)

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from trainer.scenario.model import Scenario

Vec3 = tuple[float, float, float]

# Earth's Bond albedo ≈ 0.3 (S, textbook value): the irradiance of the lit Earth on a
# nadir-facing surface is about albedo × cos(solar zenith angle below) of the sun's.
EARTH_ALBEDO = 0.3
# Twilight: the sun fades over this many degrees of phase as it sets behind the limb
# (E: the atmosphere's refraction band, ~1°, i.e. ~15 s of orbit).
SUNSET_WIDTH_DEG = 1.0


@dataclass(frozen=True)
class SpotLight:
    """A lamp: world position (m), unit direction, cone half-angle, intensity at 0 m and the
    distance at which it has fallen to half (``intensity / (1 + (r / half_m)²)``)."""

    position_m: Vec3
    direction: Vec3
    half_angle_deg: float
    intensity: float
    half_m: float


def _unit(v: Vec3) -> Vec3:
    n = math.sqrt(v[0] ** 2 + v[1] ** 2 + v[2] ** 2)
    return (v[0] / n, v[1] / n, v[2] / n)


def _aim(src: Vec3, dst: Vec3) -> Vec3:
    return _unit((dst[0] - src[0], dst[1] - src[1], dst[2] - src[2]))


# Station floodlights (E: the ISS carries floodlights on its truss and modules; positions
# chosen on Destiny's and Harmony's nadir side, aimed at the CRS-20 capture point
# robots/station/mounts.yaml, so a night capture is flyable as on orbit).
_CAPTURE_POINT: Vec3 = (8.5, 0.0, -9.0)
STATION_FLOODLIGHTS: tuple[SpotLight, ...] = (
    SpotLight((1.0, -2.6, -2.3), _aim((1.0, -2.6, -2.3), _CAPTURE_POINT), 30.0, 0.5, 6.0),
    SpotLight((11.0, 2.6, -2.4), _aim((11.0, 2.6, -2.4), _CAPTURE_POINT), 30.0, 0.5, 6.0),
)


@dataclass(frozen=True)
class Lighting:
    """The light of one instant.

    | field               | meaning                                                       |
    |---------------------|---------------------------------------------------------------|
    | sun_direction       | unit vector toward the sun, world frame                       |
    | sun_intensity       | 1 in sunlight, 0 in Earth's shadow (fades over the twilight)  |
    | earth_intensity     | Earthshine on a nadir-facing surface, 0…EARTH_ALBEDO          |
    | earth_phase_rad     | how far the ground below has turned (scrolls the Earth)       |
    | floodlights         | station lamps, switched on for the night pass                 |
    | camera_lights       | the lamps beside the LEE and elbow cameras, on at night       |
    """

    sun_direction: Vec3
    sun_intensity: float
    earth_intensity: float
    earth_phase_rad: float = 0.0
    floodlights: tuple[SpotLight, ...] = field(default=STATION_FLOODLIGHTS)
    camera_lights: bool = True
    orbit_altitude_m: float = ISS_ALTITUDE_M

    @property
    def night(self) -> bool:
        return self.sun_intensity < 0.5

    @classmethod
    def orbit(
        cls,
        phase_deg: float,
        beta_deg: float = 0.0,
        *,
        altitude_m: float = ISS_ALTITUDE_M,
        time_s: float = 0.0,
    ) -> Lighting:
        """The light at orbit phase ``phase_deg`` (0 = orbital noon, 180 = midnight) plus
        ``time_s`` of orbital motion, with sun beta angle ``beta_deg``."""
        theta = math.radians(phase_deg) + mean_motion_rad_s(altitude_m) * time_s
        sun = sun_direction_lvlh(theta, math.radians(beta_deg))
        rho = earth_disc_half_angle_rad(altitude_m)
        from_nadir = math.acos(max(-1.0, min(1.0, -sun[2])))
        # > 0 above the limb (lit), < 0 behind the Earth, in degrees
        margin_deg = math.degrees(from_nadir - rho)
        sun_intensity = min(1.0, max(0.0, 0.5 + margin_deg / SUNSET_WIDTH_DEG))
        earth = EARTH_ALBEDO * max(0.0, sun[2])
        # The crew switch the lamps on for the eclipse (E: in sunlight they add nothing
        # the cameras can see, and leaving them out keeps the day images cheap).
        lamps_on = sun_intensity < 1.0
        return cls(
            sun,
            sun_intensity,
            earth,
            theta,
            floodlights=STATION_FLOODLIGHTS if lamps_on else (),
            camera_lights=lamps_on,
            orbit_altitude_m=altitude_m,
        )


def lighting_for(scenario: Scenario, time_s: float) -> Lighting:
    """The light of ``scenario`` (its ``lighting:`` section) at ``time_s`` seconds into the
    session: the orbit moves on, so a long session can pass into or out of the night."""
    spec = scenario.lighting
    return Lighting.orbit(
        spec.orbit_phase_deg,
        spec.beta_deg,
        altitude_m=scenario.orbit_altitude_m,
        time_s=time_s,
    )


def lighting_for_recorded(scenario_json: Mapping[str, Any], time_s: float) -> Lighting:
    """The light of a recording at ``time_s``, from the resolved scenario its header holds
    (``scenario_to_json``: ``lighting`` and ``orbit.altitude_km``); a recording made
    before scenarios had a ``lighting:`` section gets the default (model.LightingSpec)."""
    from trainer.scenario.model import LightingSpec

    default = LightingSpec()
    lit = scenario_json.get("lighting") or {}
    altitude_km = (scenario_json.get("orbit") or {}).get("altitude_km")
    return Lighting.orbit(
        float(lit.get("orbit_phase_deg", default.orbit_phase_deg)),
        float(lit.get("beta_deg", default.beta_deg)),
        altitude_m=ISS_ALTITUDE_M if altitude_km is None else float(altitude_km) * 1000.0,
        time_s=time_s,
    )
