"""Light like on orbit: the sun follows the orbit phase, the station's night is the eclipse,
a night image is darker than a day one while the LEE camera's lamps still show the target."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.render.conftest import make_world
from tests.render.test_render_cameras import CIRCLE_IN_FRGF_M, CIRCLE_RADIUS_M, SIZE, expected_pixel
from trainer.render import Lighting, Renderer, Scene, lighting_for, poses_from_world
from trainer.render.cameras import LEE_FOV_Y_DEG
from trainer.scenario.loader import load_scenario


def luminance(image: np.ndarray) -> float:  # type: ignore[type-arg]
    return float((image.astype(float) @ np.array([0.2126, 0.7152, 0.0722])).mean())


def test_sun_at_zenith_at_noon_behind_the_station_in_the_afternoon() -> None:
    noon = Lighting.orbit(0.0, 0.0)
    assert noon.sun_direction == pytest.approx((0.0, 0.0, 1.0))
    assert Lighting.orbit(60.0, 0.0).sun_direction[0] < 0  # the station moves toward +x
    assert noon.earth_intensity == pytest.approx(0.3)  # Earthshine: albedo 0.3 below


def test_eclipse_begins_where_the_earth_hides_the_sun() -> None:
    # D: Earth's angular radius from 421.5 km is 69.7°, so at beta 0 night falls 110.3°
    # after noon and lasts to 249.7°: 36 of the orbit's 92.6 minutes
    assert not Lighting.orbit(109.0).night
    assert Lighting.orbit(111.5).night
    assert Lighting.orbit(249.0).night
    assert not Lighting.orbit(251.0).night
    # the orbit moves on with time: a session starting 2° before sunset ends in the dark
    assert Lighting.orbit(108.0, time_s=240.0).night
    assert Lighting.orbit(180.0).floodlights and Lighting.orbit(180.0).camera_lights
    assert not Lighting.orbit(0.0).floodlights


def test_the_night_scenario_is_flown_in_darkness_and_the_nominal_one_in_daylight() -> None:
    night = load_scenario("crs20-night")
    day = load_scenario("crs20-capture")
    assert night.lighting.night
    for t in (0.0, 120.0, 240.0):  # the whole session, up to the hard time limit
        assert lighting_for(night, t).night
        assert not lighting_for(day, t).night


def test_night_is_darker_but_the_lee_lamps_show_the_target(
    gl_renderer: Renderer, scene: Scene
) -> None:
    with make_world(raise_m=1.0) as world:
        poses = poses_from_world(world, scene)
        want = expected_pixel(world, CIRCLE_IN_FRGF_M)
        fixture = world.fixture()
        centre = fixture.position_m + fixture.rotation() @ CIRCLE_IN_FRGF_M
        depth = float(np.linalg.norm(centre - world.arm_link("lee_camera").position_m))
    day = gl_renderer.render("lee", poses, SIZE, lighting_for(load_scenario("crs20-capture"), 0.0))
    night = gl_renderer.render("lee", poses, SIZE, lighting_for(load_scenario("crs20-night"), 0.0))
    assert luminance(night) < 0.75 * luminance(day)
    # the stand-off cross (white, lit by the lamps) against its black circle
    radius_px = CIRCLE_RADIUS_M * (SIZE[1] / 2) / math.tan(math.radians(LEE_FOV_Y_DEG) / 2) / depth
    u, v = int(want[0]), int(want[1])
    cross = night[v, u].astype(int).min()
    d = int(radius_px * 0.6)  # between the cross's arms, on the black disc
    circle = night[v - d, u - d].astype(int).max()
    assert cross > 90, cross
    assert cross - circle > 60, (cross, circle)
    # and without the lamps the same night view shows almost nothing
    dark = Lighting.orbit(150.0, 10.0)
    unlit = gl_renderer.render(
        "lee",
        poses,
        SIZE,
        Lighting(dark.sun_direction, 0.0, 0.0, floodlights=(), camera_lights=False),
    )
    assert luminance(unlit) < 0.3 * luminance(night)


def test_day_shows_earth_below_and_black_space_above(gl_renderer: Renderer, scene: Scene) -> None:
    from trainer.render import orbit_camera

    with make_world() as world:
        poses = poses_from_world(world, scene)
    day = Lighting.orbit(-45.0, 20.0)
    down = gl_renderer.render(
        orbit_camera((0.0, 0.0, -200.0), 0.0, 89.0, 5.0), poses, (64, 48), day
    )
    up = gl_renderer.render(orbit_camera((0.0, 0.0, 300.0), 0.0, -89.0, 5.0), poses, (64, 48), day)
    assert luminance(down) > 40  # the lit Earth below
    assert up.max() < 10  # black space above
    night = gl_renderer.render(
        orbit_camera((0.0, 0.0, -200.0), 0.0, 89.0, 5.0), poses, (64, 48), Lighting.orbit(180.0)
    )
    assert luminance(night) < 5  # the Earth in its own shadow


def test_at_noon_the_lee_shades_the_fixture_below_it(gl_renderer: Renderer, scene: Scene) -> None:
    """The sun at zenith, the LEE 0.3 m above the fixture: the plate lies in its shadow
    (black, as shadows are in space), and it is bright with the shadows switched off."""
    from tests.render.conftest import CLOSE_UP_RAISE_M
    from trainer.render import camera

    with make_world(raise_m=CLOSE_UP_RAISE_M) as world:
        poses = poses_from_world(world, scene)
        fixture = world.fixture()
        plate = fixture.position_m + fixture.rotation() @ np.array([0.0, 0.2, 0.25])
    noon = Lighting.orbit(0.0, 0.0)
    u, v = (int(c) for c in camera("lee", poses).project(plate, SIZE))  # type: ignore[misc]
    assert gl_renderer.shadows is False  # the fixture's renderer
    try:
        gl_renderer.shadows = True
        shaded = gl_renderer.render("lee", poses, SIZE, noon)
    finally:
        gl_renderer.shadows = False
    lit = gl_renderer.render("lee", poses, SIZE, noon)
    assert lit[v, u].min() > 120, lit[v, u]
    assert shaded[v, u].max() < 40, shaded[v, u]


def test_a_recording_header_gives_the_scenarios_light() -> None:
    from trainer.render import lighting_for_recorded
    from trainer.scenario.build import scenario_to_json

    night = load_scenario("crs20-night")
    header = scenario_to_json(night)  # what a recording's metadata holds
    assert lighting_for_recorded(header, 60.0) == lighting_for(night, 60.0)
    # a recording from before the lighting section: the default daylight
    old = {
        k: v for k, v in scenario_to_json(load_scenario("crs20-capture")).items() if k != "lighting"
    }
    assert lighting_for_recorded(old, 0.0) == lighting_for(load_scenario("crs20-capture"), 0.0)


def test_the_ground_below_falls_behind_the_station_as_it_flies() -> None:
    from trainer.render.earth import ground_normals
    from trainer.sim.orbit import mean_motion_rad_s

    nadir_ground = np.array([[0.0, 0.0, 1.0]])  # the outward normal of the point below
    n = mean_motion_rad_s(421_500.0)
    later = 10.0 * n  # ten seconds on
    # where that Earth-fixed point is seen later: the LVLH normal whose ground is it
    candidates = np.array([[math.sin(a), 0.0, math.cos(a)] for a in (-later, later)])
    fixed = ground_normals(candidates, later)
    behind, ahead = (float(np.linalg.norm(f - nadir_ground[0])) for f in fixed)
    assert behind < 1e-12 < ahead  # it is now toward −x, behind the station
    # the ground turns 0.065°/s about the Earth's centre (D: the mean motion), 7.2 km/s at
    # its surface, ~1°/s seen from 421.5 km
    assert math.degrees(later) / 10.0 == pytest.approx(0.0647, abs=1e-3)
