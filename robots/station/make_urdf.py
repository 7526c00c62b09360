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

from trainer.urdf import Link, box, cyl, inertial, material

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
    out.append("</robot>")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    (HERE / "station.urdf").write_text(build(), encoding="utf-8")
    print(f"wrote {HERE / 'station.urdf'}")
