"""Write station.urdf: a simplified, static ISS around the capture (mass 0).

``python robots/station/make_urdf.py``; deterministic, output committed. The root link
``station`` is the world frame of docs/DESIGN.md §3: LVLH at the ISS reference point, x = V-bar
(forward), y = H-bar (orbit normal, the station's port side), z = zenith.

Module sizes are public ISS figures (S, NASA reference guide); placements along the stack
and everything marked E are estimates for a trainer scene (README.md says why).
"""

from __future__ import annotations

import math
from pathlib import Path

import yaml

from trainer.fixedmath import rows_from_rpy
from trainer.sim import cbm_geometry as cbm
from trainer.urdf import Link, box, cyl, fixed_joint, inertial, material

HERE = Path(__file__).resolve().parent
MOUNTS = yaml.safe_load((HERE / "mounts.yaml").read_text(encoding="utf-8"))

# Cylinders: name, centre (m), axis, diameter (m), length (m). Diameter/length S, centres E.
MODULES = [
    ("destiny", (0.0, 0.0, 0.0), "x", 4.27, 8.5),
    ("harmony", (8.0, 0.0, 0.0), "x", 4.4, 7.2),
    ("columbus", (8.6, -5.65, 0.0), "y", 4.5, 6.9),
    ("kibo_pm", (8.6, 7.9, 0.0), "y", 4.4, 11.2),
    ("kibo_elm", (8.6, 9.0, 3.9), "z", 4.4, 3.9),
    ("pma2", (12.4, 0.0, 0.0), "x", 1.9, 1.6),
    ("unity", (-7.1, 0.0, 0.0), "x", 4.57, 5.47),
    ("tranquility", (-7.1, 5.75, 0.0), "y", 4.48, 6.7),
    ("pma1", (-10.6, 0.0, 0.0), "x", 1.9, 1.5),
    ("zarya", (-17.6, 0.0, 0.0), "x", 4.1, 12.6),
    ("zvezda", (-30.5, 0.0, 0.0), "x", 4.15, 13.1),
]
CUPOLA_DIAMETER_M = 2.95  # S
CUPOLA_HEIGHT_M = 1.5  # S
CUPOLA_AT = (-7.1, 5.75, -2.24)  # Node 3 nadir port (E: at mid-node)
TRUSS_SECTION_M = 4.5  # E
TRUSS_SPAN_M = 100.0  # E: the integrated truss is ~109 m (S); simplified
TRUSS_Z_M = 5.6  # E: S0 sits on a stub above Destiny's zenith
STUB_SECTION_M = 1.6  # E
ARRAY_LENGTH_M = 34.0  # S: ~35 m per solar-array wing
ARRAY_WIDTH_M = 11.6  # S: ~12 m
ARRAY_Y_M = TRUSS_SPAN_M / 2 - ARRAY_WIDTH_M / 2
PDGF_PLATE_M = 0.8  # E
PDGF_HEIGHT_M = 0.15  # E: plate face 0.15 m below Destiny's skin
PDGF_COLLISION_GAP_M = 0.01  # E: collision plate stops 1 cm short of the LEE face so the
# seated base LEE is not a permanent contact (both bodies are fixed; no physics is lost)

COLOURS = {
    "module_white": (0.9, 0.9, 0.87, 1.0),
    "grey": (0.55, 0.56, 0.58, 1.0),
    "truss": (0.6, 0.58, 0.52, 1.0),
    "array": (0.55, 0.42, 0.16, 1.0),
    "window": (0.05, 0.08, 0.15, 1.0),
    "russian": (0.82, 0.82, 0.74, 1.0),
    "dark": (0.12, 0.12, 0.14, 1.0),
    "cbm_metal": (0.72, 0.72, 0.74, 1.0),
    "rtl_amber": (0.85, 0.55, 0.1, 1.0),
}
ROT = {"x": (0.0, math.pi / 2, 0.0), "y": (math.pi / 2, 0.0, 0.0), "z": (0.0, 0.0, 0.0)}


def build() -> str:
    link = Link("station", colour="module_white")
    add = link.add
    for name, centre, axis, d, length in MODULES:
        colour = "russian" if name in ("zarya", "zvezda") else "module_white"
        add(cyl(d / 2, length), centre, ROT[axis], colour, comment=f"{name}: d {d} m, L {length} m")
    # Cupola on Node 3 nadir: base ring + upper section, six side windows, top window.
    cx, cy, cz = CUPOLA_AT
    r = CUPOLA_DIAMETER_M / 2
    add(cyl(r, 0.6), (cx, cy, cz - 0.3), ROT["z"], "grey", comment="cupola: 2.95 m x 1.5 m (S)")
    add(cyl(1.05, 0.9), (cx, cy, cz - 1.05), ROT["z"], "grey")
    for k in range(6):
        th = 2 * math.pi * k / 6
        add(
            box(0.05, 0.9, 0.6),
            (cx + 1.07 * math.cos(th), cy + 1.07 * math.sin(th), cz - 1.05),
            (0, 0, th),
            "window",
            collide=False,
        )
    add(cyl(0.4, 0.02), (cx, cy, cz - 1.51), ROT["z"], "window", collide=False)
    # S0 stub and the integrated truss, arrays at its ends.
    stub_lo = 4.27 / 2 - 0.1
    stub_hi = TRUSS_Z_M - TRUSS_SECTION_M / 2
    add(
        box(STUB_SECTION_M, STUB_SECTION_M, stub_hi - stub_lo),
        (0, 0, (stub_lo + stub_hi) / 2),
        colour="truss",
        comment="S0 stub (E)",
    )
    add(
        box(TRUSS_SECTION_M, TRUSS_SPAN_M, TRUSS_SECTION_M),
        (0, 0, TRUSS_Z_M),
        colour="truss",
        comment="integrated truss along y (E section, ~100 m span)",
    )
    for side in (1, -1):
        for fore in (1, -1):
            x = fore * (TRUSS_SECTION_M / 2 + 0.5 + ARRAY_LENGTH_M / 2)
            add(
                box(ARRAY_LENGTH_M, ARRAY_WIDTH_M, 0.1),
                (x, side * ARRAY_Y_M, TRUSS_Z_M),
                colour="array",
            )
        add(box(1.0, 1.0, 1.0), (0, side * ARRAY_Y_M, TRUSS_Z_M), colour="grey", collide=False)
    # PDGF on Destiny nadir: the base LEE sits on it (mounts.yaml ssrms_base).
    base = MOUNTS["ssrms_base"]["position_m"]
    skin = -4.27 / 2
    face = base[2]
    add(
        box(PDGF_PLATE_M, PDGF_PLATE_M, skin - face + 0.1),
        (base[0], base[1], (skin + 0.1 + face) / 2),
        colour="grey",
        collide=False,
        comment="PDGF base (visual flush with the LEE face)",
    )
    add(
        box(PDGF_PLATE_M, PDGF_PLATE_M, skin - face - PDGF_COLLISION_GAP_M + 0.1),
        (base[0], base[1], (skin + 0.1 + face + PDGF_COLLISION_GAP_M) / 2),
        vis=False,
    )
    add(
        cyl(0.025, 0.25),
        (base[0], base[1], face - 0.125),
        ROT["z"],
        "grey",
        comment="PDGF probe inside the base LEE bore",
    )
    add('<sphere radius="0.04"/>', (base[0], base[1], face - 0.273), colour="grey")
    out = [
        '<?xml version="1.0"?>',
        "<!-- Simplified ISS (static, mass 0). GENERATED by make_urdf.py: edit that script.",
        "     Frame = world (LVLH): x V-bar, y H-bar (port), z zenith. Provenance: README.md -->",
        '<robot name="station">',
    ]
    out += [material(n, c) for n, c in COLOURS.items()]
    out.append(link.xml(inertial(0.0)))
    out += cbm_links()
    out.append("</robot>")
    return "\n".join(out) + "\n"


def cbm_links() -> list[str]:
    """The active CBM on Harmony's nadir port (trainer/sim/cbm_geometry.py gives every
    number and its source): the ring, its hatch, four alignment guides, four RTL switches
    and four capture latches, each its own fixed link so a contact names the part, and
    the CBCS camera's frame behind the hatch window. Each link's frame is the port frame
    (mounts.yaml harmony_nadir_cbm), so the shapes are placed in port coordinates."""
    mount = MOUNTS["harmony_nadir_cbm"]
    port_xyz = mount["position_m"]
    port_rpy = [math.radians(a) for a in mount["rpy_deg"]]
    along = (0.0, math.pi / 2, 0.0)  # a URDF cylinder's axis (z) onto the port's +x
    out: list[str] = []

    def attach(link: Link, xyz: list[float] = port_xyz, rpy: list[float] = port_rpy) -> None:
        out.append(link.xml(inertial(0.0)))
        out.append(fixed_joint(f"{link.name}_joint", "station", link.name, xyz, rpy))

    h = cbm.ACBM_RING_HEIGHT_M
    ring = Link("cbm_ring", colour="cbm_metal")
    # Collision: one solid cylinder whose face is the sealing face; it reaches 0.1 m back
    # into Harmony's skin. Visual: the ring as 16 staves around an open hatchway, the
    # hatch with its window recessed behind it.
    ring.add(
        cyl(cbm.RING_RADIUS_M, h + 0.1),
        (-(h + 0.1) / 2, 0, 0),
        along,
        vis=False,
        comment=f"ACBM ring: r {cbm.RING_RADIUS_M} m (S), {h} m proud of the skin (E)",
    )
    staves = 16
    width = cbm.RING_RADIUS_M - cbm.RING_INNER_RADIUS_M
    mid = (cbm.RING_RADIUS_M + cbm.RING_INNER_RADIUS_M) / 2
    chord = 2 * cbm.RING_RADIUS_M * math.sin(math.pi / staves) + 0.01
    for k in range(staves):
        a = 2 * math.pi * k / staves
        ring.add(
            box(h + 0.1, width, chord),
            (-(h + 0.1) / 2, mid * math.cos(a), mid * math.sin(a)),
            (a - math.pi / 2, 0, 0),
            collide=False,
        )
    attach(ring)
    # The hatch and its window, behind the face: their own link, which the CBCS (behind
    # the window) does not draw (trainer/render/cameras.py).
    hatch = Link("cbm_hatch", colour="grey")
    hatch.add(cyl(cbm.RING_INNER_RADIUS_M, 0.02), (-0.11, 0, 0), along, collide=False)
    hatch.add(cyl(0.12, 0.01), (-0.10, 0, 0), along, "window", collide=False, comment="window")
    attach(hatch)
    for k, azimuth in enumerate(cbm.GUIDE_AZIMUTH_DEG, start=1):
        guide = Link(f"cbm_guide_{k}", colour="cbm_metal")
        # A plate leaning outward: its inner face runs from the base clearance to the tip
        # clearance (D/E, cbm_geometry) over the guide's height.
        r0 = cbm.RING_RADIUS_M + cbm.GUIDE_BASE_CLEARANCE_M
        r1 = cbm.RING_RADIUS_M + cbm.GUIDE_TIP_CLEARANCE_M
        lean = math.atan2(r1 - r0, cbm.GUIDE_HEIGHT_M)
        length = math.hypot(cbm.GUIDE_HEIGHT_M, r1 - r0)
        t = cbm.GUIDE_THICKNESS_M
        r_mid = (r0 + r1) / 2 + t / 2 * math.cos(lean)
        guide.add(
            box(length, t, cbm.GUIDE_WIDTH_M),
            (cbm.GUIDE_HEIGHT_M / 2 - t / 2 * math.sin(lean), r_mid, 0),
            (0, 0, lean),
            comment=f"alignment guide {k}: {cbm.GUIDE_HEIGHT_M} m tall (E), at {azimuth:g} deg",
        )
        attach(guide, rpy=_about_port_x(port_rpy, azimuth))
    for k, azimuth in enumerate(cbm.RTL_AZIMUTH_DEG, start=1):
        rtl = Link(f"cbm_rtl_{k}", colour="rtl_amber")
        rtl.add(
            box(0.04, 0.05, 0.05),
            (0.02, cbm.RTL_RADIUS_M, 0),
            collide=False,
            comment=f"ready-to-latch switch {k} (E: plunger, {cbm.RTL_TRAVEL_M} m travel)",
        )
        attach(rtl, rpy=_about_port_x(port_rpy, azimuth))
    for k, azimuth in enumerate(cbm.LATCH_AZIMUTH_DEG, start=1):
        latch = Link(f"cbm_latch_{k}", colour="dark")
        latch.add(
            box(0.12, 0.06, 0.08),
            (0.06, cbm.RING_RADIUS_M - 0.04, 0),
            collide=False,
            comment=f"capture latch {k} (E)",
        )
        attach(latch, rpy=_about_port_x(port_rpy, azimuth))
    camera = Link("cbcs_camera")
    camera.add(
        box(0.08, 0.06, 0.06),
        (-0.04, 0, 0),
        colour="dark",
        collide=False,
        comment=f"CBCS camera, {cbm.CBCS_BEHIND_FACE_M} m behind the face (E); frame = optics",
    )
    attach(camera, xyz=_port_point(mount, (-cbm.CBCS_BEHIND_FACE_M, 0.0, 0.0)))
    return out


def _rpy_matrix(rpy: list[float]) -> list[list[float]]:
    return [list(row) for row in rows_from_rpy(rpy[0], rpy[1], rpy[2])]


def _about_port_x(port_rpy: list[float], azimuth_deg: float) -> list[float]:
    """URDF rpy of the port frame turned by ``azimuth_deg`` about its own +x (so a part
    built at azimuth 0, on +y, lands at that azimuth)."""
    m = _rpy_matrix(port_rpy)
    a = math.radians(azimuth_deg)
    c, s = math.cos(a), math.sin(a)
    rx = [[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]]
    r = [[sum(m[i][k] * rx[k][j] for k in range(3)) for j in range(3)] for i in range(3)]
    pitch = math.asin(max(-1.0, min(1.0, -r[2][0])))
    if abs(math.cos(pitch)) > 1e-9:
        roll = math.atan2(r[2][1], r[2][2])
        yaw = math.atan2(r[1][0], r[0][0])
    else:  # gimbal lock (the nadir port's pitch is 90°): put the whole turn in roll
        roll = math.atan2(-r[1][2], r[1][1])
        yaw = 0.0
    return [roll, pitch, yaw]


def _port_point(mount: dict[str, list[float]], point: tuple[float, float, float]) -> list[float]:
    m = _rpy_matrix([math.radians(a) for a in mount["rpy_deg"]])
    p = mount["position_m"]
    return [p[i] + sum(m[i][k] * point[k] for k in range(3)) for i in range(3)]


if __name__ == "__main__":
    (HERE / "station.urdf").write_text(build(), encoding="utf-8")
    print(f"wrote {HERE / 'station.urdf'}")
