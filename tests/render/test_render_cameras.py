"""The camera images match the camera geometry: the LEE camera sees the FRGF stand-off
target where a pinhole of the documented field of view, placed on the arm's lee_camera
link, projects it; moving Dragon moves the target the right way; the other cameras show
the scene. Poses and projection here come from pybullet and plain math, not the renderer."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from tests.render.conftest import CLOSE_UP_RAISE_M, make_world
from trainer.render import Lighting, Renderer, Scene, poses_from_world
from trainer.render.cameras import LEE_FOV_Y_DEG
from trainer.render.geometry import quat_to_matrix
from trainer.sim.world import World

SIZE = (320, 240)
DAY = Lighting.orbit(-45.0, 20.0)
# The target's black circle: its centre in the FRGF frame (robots/dragon/dragon.urdf).
CIRCLE_IN_FRGF_M = np.array([0.002, 0.0, 0.34])
CIRCLE_RADIUS_M = 0.06
# The black circle (albedo 0.03) reads below this in sun or lamp light; the grey plate in
# a shadow (albedo 0.7 lit by Earthshine) stays above it.
DARK = 25


def expected_pixel(world: World, point_in_frgf_m: npt.NDArray[np.float64]) -> tuple[float, float]:
    """Pinhole projection, independent of the renderer: camera on the lee_camera link
    (boresight +x, image up +z, right −y), vertical field of view LEE_FOV_Y_DEG."""
    cam = world.arm_link("lee_camera")
    fixture = world.fixture()
    p = fixture.position_m + fixture.rotation() @ point_in_frgf_m
    d = quat_to_matrix(cam.orientation_xyzw).T @ (p - cam.position_m)
    f = (SIZE[1] / 2) / math.tan(math.radians(LEE_FOV_Y_DEG) / 2)
    return (SIZE[0] / 2 - f * d[1] / d[0], SIZE[1] / 2 - f * d[2] / d[0])


def dark_blob_centre(
    image: npt.NDArray[np.uint8], near: tuple[float, float], radius_px: float
) -> tuple[float, float]:
    """Centre of the bounding box of the near-black pixels within ``radius_px`` of ``near``
    (the target's black circle: the bounding box ignores the white cross inside it)."""
    v, u = np.nonzero(image.max(axis=2) < DARK)
    keep = np.hypot(u + 0.5 - near[0], v + 0.5 - near[1]) < radius_px
    u, v = u[keep], v[keep]
    assert len(u) > 20, "no dark target circle near the expected place"
    return ((u.min() + u.max() + 1) / 2, (v.min() + v.max() + 1) / 2)


def lee_image(
    renderer: Renderer, scene: Scene, world: World, lighting: Lighting = DAY
) -> npt.NDArray[np.uint8]:
    return renderer.render("lee", poses_from_world(world, scene), SIZE, lighting)


def test_lee_camera_shows_the_target_circle_where_the_geometry_puts_it(
    gl_renderer: Renderer, scene: Scene
) -> None:
    # off-centre on purpose: the camera is 0.34 m above the boresight, so an aligned
    # target would sit at the image centre whatever the field of view
    with make_world(raise_m=1.0, shift_m=(0.12, -0.1, 0.0)) as world:
        image = lee_image(gl_renderer, scene, world)
        want = expected_pixel(world, CIRCLE_IN_FRGF_M)
        d = np.linalg.norm(world.fixture().position_m - world.arm_link("lee_camera").position_m)
    assert image.shape == (SIZE[1], SIZE[0], 3)
    assert image.dtype == np.uint8
    radius_px = CIRCLE_RADIUS_M * (SIZE[1] / 2) / math.tan(math.radians(LEE_FOV_Y_DEG) / 2) / d
    got = dark_blob_centre(image, want, 3 * radius_px)
    assert math.dist(got, want) < 2.0, (got, want)
    assert abs(want[0] - SIZE[0] / 2) > 15  # the check above was not at the centre


def test_aligned_at_capture_ready_the_target_is_centred(
    gl_renderer: Renderer, scene: Scene
) -> None:
    with make_world() as world:
        image = lee_image(gl_renderer, scene, world)
        want = expected_pixel(world, CIRCLE_IN_FRGF_M)
    assert math.dist(want, (SIZE[0] / 2, SIZE[1] / 2)) < 3.0  # the pose is aligned
    got = dark_blob_centre(image, want, 30)
    assert math.dist(got, want) < 2.0, (got, want)
    # the stand-off cross (white) sits in the middle of its black circle
    centre = image[int(want[1]), int(want[0])]
    assert centre.min() > 120, centre


def test_moving_dragon_left_and_up_in_the_camera_moves_the_target_left_and_up(
    gl_renderer: Renderer, scene: Scene
) -> None:
    with make_world(raise_m=1.0) as world:
        rot = quat_to_matrix(world.arm_link("lee_camera").orientation_xyzw)
        before = dark_blob_centre(
            lee_image(gl_renderer, scene, world), expected_pixel(world, CIRCLE_IN_FRGF_M), 40
        )
    left, up = rot[:, 1], rot[:, 2]
    for axis, index, sign in ((left, 0, -1.0), (up, 1, -1.0)):
        shift = tuple(float(v) for v in 0.08 * axis)
        with make_world(raise_m=1.0, shift_m=shift) as world:  # type: ignore[arg-type]
            want = expected_pixel(world, CIRCLE_IN_FRGF_M)
            after = dark_blob_centre(lee_image(gl_renderer, scene, world), want, 40)
        moved = after[index] - before[index]
        assert sign * moved > 10, (axis, moved)
        assert math.dist(after, want) < 2.0


def test_close_up_the_circle_spans_the_width_the_field_of_view_gives(
    gl_renderer: Renderer, scene: Scene
) -> None:
    with make_world(raise_m=CLOSE_UP_RAISE_M) as world:
        image = lee_image(gl_renderer, scene, world)
        want = expected_pixel(world, CIRCLE_IN_FRGF_M)
        fixture = world.fixture()
        centre = fixture.position_m + fixture.rotation() @ CIRCLE_IN_FRGF_M
        depth = float(np.linalg.norm(centre - world.arm_link("lee_camera").position_m))
    f = (SIZE[1] / 2) / math.tan(math.radians(LEE_FOV_Y_DEG) / 2)
    diameter_px = 2 * CIRCLE_RADIUS_M * f / depth
    v, u = np.nonzero(image.max(axis=2) < DARK)
    keep = np.hypot(u + 0.5 - want[0], v + 0.5 - want[1]) < diameter_px
    width = u[keep].max() - u[keep].min() + 1
    assert diameter_px > 50  # close: the circle is large
    assert abs(width - diameter_px) < 3.0, (width, diameter_px)
    assert math.dist(dark_blob_centre(image, want, diameter_px), want) < 2.0


def test_elbow_and_external_cameras_show_the_arm_and_dragon(
    gl_renderer: Renderer, scene: Scene
) -> None:
    with make_world() as world:
        poses = poses_from_world(world, scene)
    for name in ("elbow", "external"):
        image = gl_renderer.render(name, poses, (160, 120), DAY)
        bright = (image.max(axis=2) > 150).mean()
        assert 0.05 < bright < 0.9, (name, bright)  # sunlit hardware, not an empty frame


def test_the_overlay_projection_agrees_with_the_camera_geometry(scene: Scene) -> None:
    from trainer.render import camera

    with make_world(raise_m=1.0, shift_m=(0.12, -0.1, 0.0)) as world:
        poses = poses_from_world(world, scene)
        want = expected_pixel(world, CIRCLE_IN_FRGF_M)
        fixture = world.fixture()
        centre = fixture.position_m + fixture.rotation() @ CIRCLE_IN_FRGF_M
        above_the_lee = world.lee().position_m + np.array([0.0, 0.0, 5.0])  # behind the camera
    lee = camera("lee", poses)
    got = lee.project(centre, SIZE)
    assert got is not None
    assert math.dist(got, want) < 0.01
    assert lee.project(above_the_lee, SIZE) is None


def test_the_same_poses_give_the_same_image(gl_renderer: Renderer, scene: Scene) -> None:
    with make_world() as world:
        poses = poses_from_world(world, scene)
    first = gl_renderer.render("external", poses, (160, 120), DAY)
    gl_renderer.render("lee", poses, (96, 64), DAY)  # another size and camera in between
    assert np.array_equal(first, gl_renderer.render("external", poses, (160, 120), DAY))


def cross_angle_deg(
    image: npt.NDArray[np.uint8], centre: tuple[float, float], radius_px: float
) -> float:
    """Orientation of the white stand-off cross inside its circle, modulo 90° (a '+' looks
    the same turned a quarter): the argument of the mean of exp(4iφ) over its pixels."""
    v, u = np.nonzero(image.min(axis=2) > 150)
    du, dv = u + 0.5 - centre[0], -(v + 0.5 - centre[1])  # image up positive
    r = np.hypot(du, dv)
    keep = (r > 0.3 * radius_px) & (r < 0.9 * radius_px)  # the arms, not the hub or the rim
    assert keep.sum() > 30, "no cross arms found"
    phi = np.arctan2(dv[keep], du[keep])
    return math.degrees(np.angle(np.exp(4j * phi).mean()) / 4.0)


def test_a_fixture_rolled_15_degrees_turns_the_wings_of_the_cross_15_degrees(
    gl_renderer: Renderer, scene: Scene
) -> None:
    angles = []
    for yaw in (0.0, 15.0):
        with make_world(raise_m=CLOSE_UP_RAISE_M, yaw_deg=yaw) as world:
            image = lee_image(gl_renderer, scene, world)
            centre = expected_pixel(world, CIRCLE_IN_FRGF_M)
            tip = expected_pixel(world, np.array([0.2, 0.0, 0.34]))  # the cross's hub
            wing = expected_pixel(world, np.array([0.2, 0.045, 0.34]))  # the end of a wing
            fixture = world.fixture()
            depth = float(
                np.linalg.norm(
                    fixture.position_m
                    + fixture.rotation() @ CIRCLE_IN_FRGF_M
                    - world.arm_link("lee_camera").position_m
                )
            )
        radius_px = (
            CIRCLE_RADIUS_M * (SIZE[1] / 2) / math.tan(math.radians(LEE_FOV_Y_DEG) / 2) / depth
        )
        measured = cross_angle_deg(image, tip, radius_px)
        expected = math.degrees(math.atan2(-(wing[1] - tip[1]), wing[0] - tip[0]))
        # compare modulo 90°
        assert abs((measured - expected + 45.0) % 90.0 - 45.0) < 2.0, (yaw, measured, expected)
        angles.append(measured)
        assert math.dist(dark_blob_centre(image, centre, 2 * radius_px), centre) < 2.0
    turned = (angles[1] - angles[0] + 45.0) % 90.0 - 45.0
    assert abs(abs(turned) - 15.0) < 2.0, angles
