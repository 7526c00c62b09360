"""The Common Berthing Mechanism on Harmony's nadir port as modelled (docs/REFERENCE.md
§10.2, §10.4): the berthing metrics of docs/DESIGN.md §4.1 read zero mated; the RTL
plungers make within their travel and not all four past the derived tilt; the guides let
the PCBM ring through within their derived clearance and stop it beyond; the station's
CBM parts are their own links, so a contact names the part."""

from __future__ import annotations

import math

import pybullet as pb
import pytest

from trainer.sim import cbm_geometry as geo
from trainer.sim.cbm_metrics import berthing_metrics, cbcs_view, pcbm_frame, rtl_indicators
from trainer.sim.layout import default_world_spec, rpy_deg_to_quat
from trainer.sim.world import World

# Dragon mated on the port: its COM 2.0 m below the ACBM face, nose up (robots/dragon_cbm).
MATED = (8.6, 0.0, -2.4 - geo.PCBM_FACE_BODY_X_M)
NOSE_UP = rpy_deg_to_quat((0.0, -90.0, 0.0))


def _at(dx: float = 0.0, dy: float = 0.0, separation: float = 0.0) -> tuple[float, float, float]:
    return (MATED[0] + dx, MATED[1] + dy, MATED[2] - separation)


def test_mated_reads_zero() -> None:
    m = berthing_metrics(MATED, NOSE_UP, (0.0, 0.0, 0.0), (0.0, 0.0, 0.0))
    assert abs(m.separation_m) < 1e-12 and m.lateral_offset_m < 1e-12
    assert m.tilt_deg < 1e-9 and abs(m.roll_deg) < 1e-9


def test_the_metrics_read_what_was_set() -> None:
    tilted = rpy_deg_to_quat((0.0, -88.0, 0.0))  # 2° about y
    m = berthing_metrics(_at(dx=0.03, separation=1.5), tilted, (0.0, 0.0, 0.01), (0.0, 0.0, 0.0))
    assert m.tilt_deg == pytest.approx(2.0, abs=1e-9)
    assert m.separation_m == pytest.approx(1.5, abs=0.08)  # the 2° tilt moves the face
    assert m.axial_speed_m_s == pytest.approx(0.01)  # moving up, toward the port
    rolled = rpy_deg_to_quat((1.0, -90.0, 0.0))
    assert abs(berthing_metrics(MATED, rolled, (0, 0, 0), (0, 0, 0)).roll_deg) == pytest.approx(1.0)


def test_rtl_plungers_make_within_their_travel() -> None:
    travel = geo.RTL_TRAVEL_M
    assert rtl_indicators(_at(separation=travel - 0.001), NOSE_UP) == (True,) * 4
    assert rtl_indicators(_at(separation=travel + 0.001), NOSE_UP) == (False,) * 4


def test_all_four_cannot_make_past_the_derived_tilt() -> None:
    """docs/REFERENCE.md §10.4: asin(0.05 / 1.64) = 1.75° is the most the four allow."""
    limit = math.degrees(math.asin(geo.RTL_TRAVEL_M / (2 * geo.RTL_RADIUS_M)))
    assert limit == pytest.approx(1.75, abs=0.01)
    for tilt, all_four in ((limit - 0.05, True), (limit + 0.05, False)):
        q = rpy_deg_to_quat((0.0, -90.0 + tilt, 0.0))
        # The face centre on the axis, half the travel out: a tilt past the limit lifts
        # one plunger's side beyond the travel while the other side is pressed.
        origin, _x, _y, _z = pcbm_frame(MATED, q)
        shift = (
            MATED[0] - origin[0],
            MATED[1] - origin[1],
            -2.4 - origin[2] - geo.RTL_TRAVEL_M / 2,
        )
        com = (MATED[0] + shift[0], MATED[1] + shift[1], MATED[2] + shift[2])
        assert all(rtl_indicators(com, q)) is all_four, tilt


def test_an_aligned_cbcs_target_sits_on_the_reticle() -> None:
    view = cbcs_view(_at(separation=1.5), NOSE_UP)
    assert abs(view.cross_right) < 1e-12 and abs(view.cross_up) < 1e-12
    assert view.range_m == pytest.approx(1.5 + geo.CBCS_BEHIND_FACE_M)
    # Dragon 5 cm toward V-bar (port +z, image up) shows the cross above the centre.
    assert cbcs_view(_at(dx=0.05, separation=1.5), NOSE_UP).cross_up > 0.0


@pytest.fixture(scope="module")
def world() -> World:
    w = World(default_world_spec("captured", vehicle_model="dragon_cbm"))
    yield w
    w.close()


def _gap(world: World, link: str) -> float:
    """Least distance between the vehicle and one station part (m; < 0 overlapping)."""
    assert world.station is not None
    points = pb.getClosestPoints(
        world.station, world.vehicle, 1.0, world.station_links[link], -1, physicsClientId=world.client
    ) + pb.getClosestPoints(
        world.station, world.vehicle, 1.0, world.station_links[link],
        world.vehicle_links["pcbm"], physicsClientId=world.client,
    )  # fmt: skip
    return min((p[8] for p in points), default=1.0)


def test_the_cbm_parts_are_named_links(world: World) -> None:
    names = set(world.station_links)
    expected = {"cbm_ring", "cbcs_camera"}
    expected |= {f"cbm_{part}_{k}" for part in ("guide", "rtl", "latch") for k in range(1, 5)}
    assert expected <= names
    assert world.link_names[world.station][world.station_links["cbm_guide_1"]] == "cbm_guide_1"


@pytest.mark.parametrize(
    ("lateral_m", "clear"),
    [
        (0.0, True),
        (geo.GUIDE_BASE_CLEARANCE_M - 0.01, True),
        (geo.GUIDE_BASE_CLEARANCE_M + 0.02, False),
    ],
)
def test_the_guides_pass_the_ring_within_their_clearance(
    world: World, lateral_m: float, clear: bool
) -> None:
    """The PCBM 0.1 m out, moved toward guide 1 (45° between port +y and +z)."""
    a = math.radians(geo.GUIDE_AZIMUTH_DEG[0])
    _p, rows = geo.port_frame()
    toward = [rows[i][1] * math.cos(a) + rows[i][2] * math.sin(a) for i in range(3)]
    position = [_at(separation=0.1)[i] + lateral_m * toward[i] for i in range(3)]
    pb.resetBasePositionAndOrientation(
        world.vehicle, position, NOSE_UP, physicsClientId=world.client
    )
    gap = min(_gap(world, f"cbm_guide_{k}") for k in range(1, 5))
    assert (gap > 0.0) is clear, gap
