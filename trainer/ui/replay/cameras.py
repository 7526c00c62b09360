"""The replay viewer's images: the three recorded monitors and the free camera, all drawn
by one renderer (trainer/render) from the poses of the snapshot shown.

The free camera orbits the LEE or the Dragon (drag with the mouse or A/D/W/S, zoom with
the wheel or Z/X), or rides the LEE camera (its mount and boresight, zoomed out by backing
along the boresight). Without an OpenGL or CPU renderer the monitors fall back to the
window's schematic views and the free camera says it is unavailable.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from trainer.scenario.model import Scenario
from trainer.telemetry import Telemetry
from trainer.ui.feeds import RGBImage, SchematicFeed

FREE_MODES: tuple[str, ...] = ("lee", "dragon", "ride")
FREE_TITLES = {
    "lee": "FREE CAMERA: ORBIT LEE",
    "dragon": "FREE CAMERA: ORBIT DRAGON",
    "ride": "FREE CAMERA: RIDING LEE CAMERA",
}
# Orbit limits (E: from 1 m, the fixture fills the view, to 60 m, the whole arm and Dragon).
MIN_DISTANCE_M = 0.5
MAX_DISTANCE_M = 60.0


@dataclass
class FreeCamera:
    """Where the free camera is: its mode, orbit angles (world frame, degrees) and
    distance (m; in ``ride`` mode how far it backs along the LEE boresight)."""

    mode: str = "lee"
    azimuth_deg: float = 200.0
    elevation_deg: float = 20.0
    distance_m: float = 8.0
    ride_back_m: float = 0.0

    def cycle(self) -> None:
        self.mode = FREE_MODES[(FREE_MODES.index(self.mode) + 1) % len(FREE_MODES)]
        if self.mode == "dragon":
            self.distance_m = max(self.distance_m, 14.0)
        elif self.mode == "lee":
            self.distance_m = min(self.distance_m, 8.0)

    def orbit(self, d_azimuth_deg: float, d_elevation_deg: float) -> None:
        self.azimuth_deg = (self.azimuth_deg + d_azimuth_deg) % 360.0
        self.elevation_deg = max(-85.0, min(85.0, self.elevation_deg + d_elevation_deg))

    def zoom(self, factor: float) -> None:
        if self.mode == "ride":
            self.ride_back_m = max(0.0, min(10.0, self.ride_back_m * factor + (factor - 1.0)))
        else:
            self.distance_m = max(MIN_DISTANCE_M, min(MAX_DISTANCE_M, self.distance_m * factor))

    @property
    def title(self) -> str:
        return FREE_TITLES[self.mode]


class ReplayFeed:
    """The monitors' ``CameraFeed`` (trainer/ui/feeds.py) and the free camera, from the
    snapshot the viewer shows (``telemetry()``)."""

    def __init__(self, scenario: Scenario, telemetry: Callable[[], Telemetry | None]) -> None:
        self._telemetry = telemetry
        self._scenario = scenario
        self._renderer: Any = None
        self._scene: Any = None
        self._poses_of: tuple[int, Any] | None = None
        self._schematic: SchematicFeed | None = None
        try:
            from trainer.render import Renderer, Scene

            self._scene = Scene.for_scenario(scenario)
            self._renderer = Renderer.create(self._scene)
            self.label = self._renderer.fallback_reason or ""
        except Exception as exc:  # the viewer still opens: schematic monitors
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            self._schematic = SchematicFeed(telemetry)
            self.label = f"{SchematicFeed.label} ({first[:60]})"

    @property
    def has_renderer(self) -> bool:
        return self._renderer is not None

    def _poses(self, t: Telemetry) -> Any:
        from trainer.render import poses_from_telemetry

        if self._poses_of is None or self._poses_of[0] != id(t):
            self._poses_of = (id(t), poses_from_telemetry(t, self._scene))
        return self._poses_of[1]

    def _blank(self, size: tuple[int, int]) -> RGBImage:
        return np.zeros((size[1], size[0], 3), np.uint8)

    def __call__(self, camera: str, size: tuple[int, int]) -> RGBImage:
        if self._schematic is not None:
            return self._schematic(camera, size)
        t = self._telemetry()
        if t is None:
            return self._blank(size)
        from trainer.render import lighting_for

        image: RGBImage = self._renderer.render(
            camera, self._poses(t), size, lighting_for(self._scenario, t.time_s)
        )
        return image

    def free(self, cam: FreeCamera, size: tuple[int, int]) -> RGBImage | None:
        """The free camera's image (None without a renderer)."""
        t = self._telemetry()
        if self._renderer is None or t is None:
            return None
        from trainer.render import camera, lighting_for, orbit_camera

        poses = self._poses(t)
        if cam.mode == "ride":
            spec = camera("lee", poses)
            if cam.ride_back_m > 0.0:
                back = np.asarray(spec.position_m) - spec.rotation[:, 0] * cam.ride_back_m
                # the LEE's own housing stays hidden, as from the real camera's mount
                spec = dataclasses.replace(
                    spec, position_m=(float(back[0]), float(back[1]), float(back[2]))
                )
        else:
            target = t.lee_position_world_m if cam.mode == "lee" else t.vehicle_position_world_m
            spec = orbit_camera(target, cam.azimuth_deg, cam.elevation_deg, cam.distance_m)
        image: RGBImage = self._renderer.render(
            spec, poses, size, lighting_for(self._scenario, t.time_s)
        )
        return image

    def close(self) -> None:
        if self._renderer is not None:
            self._renderer.close()
            self._renderer = None
