"""Write dragon.urdf, the cargo Dragon 1 (CRS-20) model, from docs/REFERENCE.md §2.

Run ``python robots/dragon/make_meshes.py`` first (it writes the frustum meshes), then
``python robots/dragon/make_urdf.py``. Deterministic; the output is committed.
Provenance of each number: README.md (tags S/D/E as in docs/REFERENCE.md). The URDF
text helpers are shared with the other generators (trainer/urdf.py).
"""

from __future__ import annotations

import math
from pathlib import Path

from trainer.urdf import Link, box, cyl, fixed_joint, inertial, material, sphere

HERE = Path(__file__).resolve().parent

MASS_KG = 7200.0  # E: dry 4,200 (S) + cargo 1,977 (S) + remaining propellant (E)
INERTIA_KG_M2 = (10000.0, 20000.0, 20000.0)  # E: about the COM, axis 1 = symmetry axis
TINY_MASS_KG = 0.001  # frgf: frame only (E: negligible)

BASE_RADIUS_M = 3.66 / 2  # S
SIDEWALL_DEG = 15.0  # S
HEAT_SHIELD_X_M = -1.0  # E: COM 1.0 m forward of the heat shield (see README)
CAPSULE_FRUSTUM_HEIGHT_M = 2.6  # E (must match make_meshes.py)
CBM_RING_HEIGHT_M = 0.4  # E
CBM_RING_RADIUS_M = 0.95  # E
NOSE_HEIGHT_M = 1.4  # E; 2.6 + 0.4 + 1.4 = 4.4 m capsule (S)
TRUNK_LENGTH_M = 2.8  # S
ARRAY_SPAN_M = 16.5  # S: tip to tip
ARRAY_CHORD_M = 2.0  # E
ARRAY_THICK_M = 0.05  # E
ARRAY_X_M = HEAT_SHIELD_X_M - TRUNK_LENGTH_M / 2  # E: wings at mid-trunk

FRGF_BODY_M = (0.0, 0.0, 1.85)  # E: 1.85 m radial from the COM (docs/REFERENCE.md §2)
FRGF_RPY = (0.0, -math.pi / 2, math.pi)  # FRGF +x = body +z, +z = body +x, +y = -body y
SHAFT_LENGTH_M = 0.273  # S medium: probe tip to abutment plate (docs/REFERENCE.md §1.2)
SHAFT_RADIUS_M = 0.025  # E
BALL_RADIUS_M = 0.04  # E
PLATE_SIZE_M = 0.56  # E (~0.5 m square)
PLATE_THICK_M = 0.03  # E
CAM_RADIUS_M = 0.12  # E: cams sit inside the LEE bore (0.21 m inner radius)
CAM_HEIGHT_M = 0.10  # E
TARGET_OFFSET_M = 0.34  # E: along FRGF +z; outside the LEE's 0.28 m outer radius and equal
# to the LEE camera offset in robots/ssrms, so the camera sees the target head-on
TARGET_DISK_RADIUS_M = 0.06  # E
TARGET_POST_M = 0.20  # E: standoff height of the cross


COLOURS = {
    "white": (0.93, 0.93, 0.91, 1.0),
    "black": (0.03, 0.03, 0.03, 1.0),
    "heat_shield": (0.2, 0.18, 0.16, 1.0),
    "array_blue": (0.08, 0.12, 0.32, 1.0),
    "metal": (0.7, 0.7, 0.72, 1.0),
}
ALONG_X = (0.0, math.pi / 2, 0.0)


def mesh(name: str) -> str:
    return f'<mesh filename="meshes/{name}.obj" scale="1 1 1"/>'


def body_link() -> Link:
    link = Link("dragon")
    x0 = HEAT_SHIELD_X_M
    link.add(mesh("capsule_frustum"), (x0, 0, 0))
    link.add(
        cyl(BASE_RADIUS_M + 0.01, 0.1), (x0 + 0.05, 0, 0), ALONG_X, "heat_shield", collide=False
    )
    x_ring = x0 + CAPSULE_FRUSTUM_HEIGHT_M
    link.add(
        cyl(CBM_RING_RADIUS_M, CBM_RING_HEIGHT_M),
        (x_ring + CBM_RING_HEIGHT_M / 2, 0, 0),
        ALONG_X,
        "metal",
    )
    link.add(mesh("nose_cone"), (x_ring + CBM_RING_HEIGHT_M, 0, 0))
    link.add(cyl(BASE_RADIUS_M, TRUNK_LENGTH_M), (x0 - TRUNK_LENGTH_M / 2, 0, 0), ALONG_X, "white")
    # Solar-array wings on the trunk, along body ±y, 16.5 m tip to tip (S).
    wing = ARRAY_SPAN_M / 2 - BASE_RADIUS_M
    for side in (1, -1):
        link.add(
            box(ARRAY_CHORD_M, wing, ARRAY_THICK_M),
            (ARRAY_X_M, side * (BASE_RADIUS_M + wing / 2), 0),
            (0, 0, 0),
            "array_blue",
        )
        link.add(
            box(0.3, 0.4, 0.3),
            (ARRAY_X_M, side * (BASE_RADIUS_M + 0.1), 0),
            (0, 0, 0),
            "metal",
            collide=False,
        )
    # FRGF bracket from the (slanted) capsule wall out to the back of the base plate.
    z_top = FRGF_BODY_M[2] - PLATE_THICK_M
    z_bot = 1.40  # inside the wall (wall radius 1.56 m at x = 0)
    link.add(
        box(0.3, 0.3, z_top - z_bot), (FRGF_BODY_M[0], 0, (z_top + z_bot) / 2), (0, 0, 0), "metal"
    )
    return link


def frgf_link() -> Link:
    """FRGF frame (docs/DESIGN.md §3): origin at the base-plate centre (its outer face is x = 0),
    +x along the shaft away from the vehicle, +z the "up" of the visual target."""
    link = Link("frgf")
    link.add(
        box(PLATE_THICK_M, PLATE_SIZE_M, PLATE_SIZE_M),
        (-PLATE_THICK_M / 2, 0, 0),
        (0, 0, 0),
        "metal",
    )
    shaft = SHAFT_LENGTH_M - BALL_RADIUS_M / 2
    link.add(cyl(SHAFT_RADIUS_M, shaft), (shaft / 2, 0, 0), ALONG_X, "metal")
    link.add(sphere(BALL_RADIUS_M), (SHAFT_LENGTH_M, 0, 0), (0, 0, 0), "metal")
    for k in range(3):  # three cams at 120°, one toward +z
        th = math.pi / 2 + 2 * math.pi * k / 3
        link.add(
            box(CAM_HEIGHT_M, 0.08, 0.04),
            (CAM_HEIGHT_M / 2, CAM_RADIUS_M * math.cos(th), CAM_RADIUS_M * math.sin(th)),
            (th, 0, 0),
            "metal",
        )
    # Visual target (visual only): pad, black disk, white standoff cross on a post.
    pad_lo, pad_hi = PLATE_SIZE_M / 2 - 0.02, TARGET_OFFSET_M + 0.09
    link.add(
        box(PLATE_THICK_M, 0.18, pad_hi - pad_lo),
        (-PLATE_THICK_M / 2, 0, (pad_lo + pad_hi) / 2),
        (0, 0, 0),
        "metal",
        collide=False,
    )
    link.add(
        cyl(TARGET_DISK_RADIUS_M, 0.004),
        (0.002, 0, TARGET_OFFSET_M),
        ALONG_X,
        "black",
        collide=False,
    )
    link.add(
        cyl(0.008, TARGET_POST_M),
        (TARGET_POST_M / 2, 0, TARGET_OFFSET_M),
        ALONG_X,
        "white",
        collide=False,
    )
    link.add(
        box(0.012, 0.09, 0.016),
        (TARGET_POST_M, 0, TARGET_OFFSET_M),
        (0, 0, 0),
        "white",
        collide=False,
    )
    link.add(
        box(0.012, 0.016, 0.09),
        (TARGET_POST_M, 0, TARGET_OFFSET_M),
        (0, 0, 0),
        "white",
        collide=False,
    )
    return link


def build() -> str:
    out = [
        '<?xml version="1.0"?>',
        "<!-- Cargo Dragon 1 (CRS-20). GENERATED by make_urdf.py: edit that script.",
        "     Body frame at the COM, +x = symmetry axis from trunk to nose.",
        "     Mass 7200 kg (E: dry 4200 S + cargo 1977 S + propellant E).",
        "     Inertia diag(10000, 20000, 20000) kg m^2 (E: docs/REFERENCE.md §2).",
        "     Provenance of every number: README.md. -->",
        '<robot name="dragon">',
    ]
    out += [material(n, c) for n, c in COLOURS.items()]
    out.append(body_link().xml(inertial(MASS_KG, inertia=INERTIA_KG_M2)))
    out.append(frgf_link().xml(inertial(TINY_MASS_KG, inertia=(1e-6, 1e-6, 1e-6))))
    out.append(fixed_joint("frgf_joint", "dragon", "frgf", FRGF_BODY_M, FRGF_RPY))
    out.append("  <!-- frgf_tip: ball centre; inertial frame = link frame (massless). -->")
    out.append(Link("frgf_tip").xml(inertial(0.0)))
    out.append(fixed_joint("frgf_tip_joint", "frgf", "frgf_tip", (SHAFT_LENGTH_M, 0, 0)))
    out.append("</robot>")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    (HERE / "dragon.urdf").write_text(build(), encoding="utf-8")
    print(f"wrote {HERE / 'dragon.urdf'}")
