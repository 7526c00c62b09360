"""Write ssrms.urdf, the SSRMS (Canadarm2) model, from the published numbers.

Run from anywhere: ``python robots/ssrms/make_urdf.py``. Deterministic; the output is
committed next to this script. Every number below carries its provenance tag from
docs/REFERENCE.md (S sourced, D derived, E estimate); README.md repeats them. The URDF
text helpers are shared with the other generators (trainer/urdf.py).

Kinematics and link mass properties: docs/REFERENCE.md §1.1 (Nguyen & Hughes 1994), written from
the published table, not copied from any model file. Collision and visual shapes are
estimates (E) built from the sourced sizes: 0.35 m booms (S), ~1 m LEE (S, low).
"""

from __future__ import annotations

import math
from pathlib import Path

from trainer.urdf import Link, box, cyl, f, fixed_joint, inertial, material, vec

HERE = Path(__file__).resolve().parent

# --- Kinematics: docs/REFERENCE.md §1.1 (S, medium confidence). All joint rpy = 0. -----------------
# (joint name, parent link, child link, origin in parent frame [m], axis)
JOINTS = [
    ("shoulder_roll", "base_lee", "shoulder_roll_link", (1.3589, 0.0, 0.0), (1, 0, 0)),
    ("shoulder_yaw", "shoulder_roll_link", "shoulder_yaw_link", (0.0, 0.0, 0.7026), (0, 0, 1)),
    ("shoulder_pitch", "shoulder_yaw_link", "boom_a", (0.0, -0.5692, 0.0), (0, 1, 0)),
    ("elbow_pitch", "boom_a", "boom_b", (7.11, -0.475, 0.0), (0, 1, 0)),
    ("wrist_pitch", "boom_b", "wrist_pitch_link", (7.11, 0.0, 0.0), (0, 1, 0)),
    ("wrist_yaw", "wrist_pitch_link", "wrist_yaw_link", (0.0, -0.5692, 0.0), (0, 0, 1)),
    ("wrist_roll", "wrist_yaw_link", "tip_lee_housing", (0.0, 0.0, -0.7026), (1, 0, 0)),
]
TIP_OFFSET_M = (1.3589, 0.0, 0.0)  # J7 -> tip LEE interface plane, docs/REFERENCE.md §1.1 (S)

LIMIT_RAD = math.radians(270.0)  # ±270° every joint (S, CSA)
EFFORT_NM = 2332.0  # joint torque (S, low confidence)
VELOCITY_RAD_S = math.radians(4.0)  # 4 °/s joint rate limit (S, low confidence)

# --- Mass properties: docs/REFERENCE.md §1.1 (S). COM positions are D/E: mid-link, i.e. half of the
# vector from the link's proximal joint to its distal joint (booms: 3.555 m along the boom,
# docs/REFERENCE.md suggests ≈ 3.6 m). The inertia tensors are taken as given, about that COM, in
# axes parallel to the link frame. Ixz = Iyz = 0 (not published; table gives only Ixy).
# The booms' published Ixy (boom A 49.52, boom B -39.95 kg m^2, S) is NOT written: with any
# non-zero Ixy, pybullet 3.2.7 diagonalises the tensor, re-assembles it for its inverse-
# dynamics tree with a 3e-14 asymmetry, rejects it ("invalid inertia tensor") and
# calculateJacobian fails. Dropping it rotates the booms' principal axes by
# atan2(2*49.52, 2094.71-15.41)/2 = 1.4 deg; the large principal moments change by < 0.06 %
# and the small axial one by 8-9 % (15.41 vs 14.23, 9.52 vs 8.71 kg m^2) (D): negligible
# for the trainer (the axial moment of a boom is < 1 % of its bending moments). PUBLISHED_IXY keeps the values.
PUBLISHED_IXY = {"boom_a": 49.52, "boom_b": -39.95}
# name: (mass kg, COM xyz m, (ixx, iyy, izz, ixy written to the URDF))
MASS = {
    "base_lee": (243.66, (0.67945, 0.0, 0.0), (9.336, 44.413, 44.413, 0.0)),
    "shoulder_roll_link": (105.98, (0.0, 0.0, 0.3513), (12.19, 12.13, 3.061, 0.0)),
    "shoulder_yaw_link": (105.98, (0.0, -0.2846, 0.0), (8.088, 3.061, 8.446, 0.0)),
    "boom_a": (314.88, (3.555, -0.2375, 0.0), (15.41, 2094.71, 2103.19, 0.0)),
    "boom_b": (279.2, (3.555, 0.0, 0.0), (9.522, 1966.28, 1966.28, 0.0)),
    "wrist_pitch_link": (105.98, (0.0, -0.2846, 0.0), (8.305, 3.061, 8.0386, 0.0)),
    "wrist_yaw_link": (105.98, (0.0, 0.0, -0.3513), (12.13, 12.13, 3.061, 0.0)),
    "tip_lee_housing": (243.66, (0.67945, 0.0, 0.0), (9.336, 44.41, 44.41, 0.0)),
}
TINY_MASS_KG = 0.001  # tip_lee: Jacobian/pose frame only (E: negligible)
TINY_INERTIA = 1e-6

# --- Shape sizes (E unless noted) -------------------------------------------------------------
BOOM_R = 0.175  # 0.35 m boom diameter (S)
HOUSING_R = 0.225  # joint housings ~0.45 m diameter (E, from photos: wider than the booms)
HOUSING_L = 0.45
STRUT_R = 0.2  # offset structure between the shoulder/wrist joints (E)
LEE_R_OUT = 0.28  # LEE outer radius (E: ~0.56 m diameter, larger than the housings)
LEE_R_IN = 0.21  # open bore inner radius (E: clears a grapple shaft, ball and cams)
LEE_MOUTH_DEPTH = 0.35  # open tube depth before the carriage/back plate (E)
LEE_PLATE_T = 0.05  # back plate / carriage thickness (E)
LEE_LENGTH = 1.0  # LEE about 1 m long (S, low)
N_STAVES = 8
CAMERA_OFFSET_M = 0.34  # LEE camera from the boresight, along LEE +z (E; matches the FRGF
# target offset in robots/dragon so the camera sees the target head-on when aligned)
CAMERA_SETBACK_M = 0.35  # camera behind the mouth plane (E: clears the target standoff)

WHITE = ("white", (0.93, 0.93, 0.91, 1.0))
GREY = ("grey", (0.55, 0.56, 0.58, 1.0))
DARK = ("dark", (0.12, 0.12, 0.14, 1.0))
CAMERA = ("camera_black", (0.05, 0.05, 0.05, 1.0))

ALONG_X = (0.0, math.pi / 2, 0.0)
ALONG_Y = (math.pi / 2, 0.0, 0.0)
ALONG_Z = (0.0, 0.0, 0.0)


def add_lee(link: Link, mouth_x: float, direction: int) -> None:
    """An LEE whose mouth plane is at x = mouth_x, opening toward `direction` (+1 or -1) x.

    Open bore: eight box staves (inner radius LEE_R_IN, outer LEE_R_OUT) from the mouth
    back LEE_MOUTH_DEPTH; then the carriage/back plate; then a solid body to 1 m.
    """
    depth_c = mouth_x - direction * LEE_MOUTH_DEPTH / 2
    thick = LEE_R_OUT - LEE_R_IN
    r_c = (LEE_R_OUT + LEE_R_IN) / 2
    width = 2 * LEE_R_OUT * math.tan(math.pi / N_STAVES)
    for k in range(N_STAVES):
        th = 2 * math.pi * k / N_STAVES
        link.add(
            box(LEE_MOUTH_DEPTH, thick, width),
            (depth_c, r_c * math.cos(th), r_c * math.sin(th)),
            (th, 0, 0),
        )
    plate_c = mouth_x - direction * (LEE_MOUTH_DEPTH + LEE_PLATE_T / 2)
    link.add(cyl(LEE_R_OUT, LEE_PLATE_T), (plate_c, 0, 0), ALONG_X, GREY, collide=False)
    # Visual: dark carriage face seen down the bore.
    link.add(
        cyl(LEE_R_IN, 0.002),
        (mouth_x - direction * (LEE_MOUTH_DEPTH - 0.001), 0, 0),
        ALONG_X,
        DARK,
        collide=False,
    )
    body_len = LEE_LENGTH - LEE_MOUTH_DEPTH
    body_c = mouth_x - direction * (LEE_MOUTH_DEPTH + body_len / 2)
    # Collision: back plate and body as one solid cylinder behind the bore.
    link.add(cyl(LEE_R_OUT, body_len), (body_c, 0, 0), ALONG_X, collide=True, vis=False)
    visual_body_len = body_len - LEE_PLATE_T
    link.add(
        cyl(LEE_R_OUT, visual_body_len),
        (mouth_x - direction * (LEE_MOUTH_DEPTH + LEE_PLATE_T + visual_body_len / 2), 0, 0),
        ALONG_X,
        WHITE,
        collide=False,
    )
    # Dark bands (visual only): at the mouth rim and two on the body.
    for d in (0.02, 0.5, 0.85):
        link.add(
            cyl(LEE_R_OUT + 0.006, 0.04),
            (mouth_x - direction * d, 0, 0),
            ALONG_X,
            DARK,
            collide=False,
        )


def housing(link: Link, xyz, rpy) -> None:
    link.add(cyl(HOUSING_R, HOUSING_L), xyz, rpy, GREY)


def build_links() -> dict[str, Link]:
    links = {name: Link(name, grouped=True) for name in MASS}

    # base_lee: LEE mouth at x = 0 opening toward -x (onto the PDGF), roll housing to J1.
    base = links["base_lee"]
    add_lee(base, 0.0, -1)
    base.add(cyl(HOUSING_R, 1.3589 - LEE_LENGTH), ((1.3589 + LEE_LENGTH) / 2, 0, 0), ALONG_X, GREY)

    # shoulder_roll_link (frame at J1): roll drive, then the strut up (+z) to J2.
    link = links["shoulder_roll_link"]
    link.add(cyl(HOUSING_R, 0.3), (0.15, 0, 0), ALONG_X, GREY)
    link.add(cyl(STRUT_R, 0.5), (0.0, 0, 0.25), ALONG_Z, GREY)

    # shoulder_yaw_link (frame at J2): yaw housing, strut along -y to J3.
    link = links["shoulder_yaw_link"]
    housing(link, (0, 0, 0), ALONG_Z)
    link.add(cyl(STRUT_R, 0.35), (0, -0.175, 0), ALONG_Y, GREY)

    # boom_a (frame at J3): pitch housing, boom along +x, elbow collar at x = 7.11.
    link = links["boom_a"]
    housing(link, (0, 0, 0), ALONG_Y)
    boom_len = 7.11 - 2 * HOUSING_R
    link.add(cyl(BOOM_R, boom_len), (7.11 / 2, 0, 0), ALONG_X, WHITE)
    housing(link, (7.11, 0, 0), ALONG_Y)

    # boom_b (frame at J4): elbow collar, boom, wrist collar at J5.
    link = links["boom_b"]
    housing(link, (0, 0, 0), ALONG_Y)
    link.add(cyl(BOOM_R, boom_len), (7.11 / 2, 0, 0), ALONG_X, WHITE)
    housing(link, (7.11, 0, 0), ALONG_Y)
    # Elbow camera (visual only) on a short mast on boom B.
    link.add(box(0.16, 0.12, 0.12), (0.5, 0, 0.30), (0, 0, 0), CAMERA, collide=False)
    link.add(cyl(0.03, 0.15), (0.5, 0, 0.175), ALONG_Z, GREY, collide=False)

    # wrist_pitch_link (frame at J5): strut along -y, yaw housing at J6.
    link = links["wrist_pitch_link"]
    link.add(cyl(STRUT_R, 0.35), (0, -0.5692 + 0.175, 0), ALONG_Y, GREY)
    housing(link, (0, -0.5692, 0), ALONG_Z)

    # wrist_yaw_link (frame at J6): strut down (-z) to J7, roll drive at J7.
    link = links["wrist_yaw_link"]
    link.add(cyl(STRUT_R, 0.5), (0, 0, -0.25), ALONG_Z, GREY)
    link.add(cyl(HOUSING_R, 0.3), (-0.15, 0, -0.7026), ALONG_X, GREY)

    # tip_lee_housing (frame at J7): roll housing, then the tip LEE, mouth at x = 1.3589.
    link = links["tip_lee_housing"]
    mouth = TIP_OFFSET_M[0]
    link.add(cyl(HOUSING_R, mouth - LEE_LENGTH), ((mouth - LEE_LENGTH) / 2, 0, 0), ALONG_X, GREY)
    add_lee(link, mouth, +1)
    # LEE camera body (visual only) on a bracket, behind the mouth, on the +z side.
    cam_x = mouth - CAMERA_SETBACK_M
    link.add(
        box(0.18, 0.1, 0.1), (cam_x - 0.05, 0, CAMERA_OFFSET_M), (0, 0, 0), CAMERA, collide=False
    )
    link.add(
        box(0.1, 0.06, CAMERA_OFFSET_M - LEE_R_OUT),
        (cam_x - 0.05, 0, (CAMERA_OFFSET_M - 0.05 + LEE_R_OUT) / 2),
        (0, 0, 0),
        GREY,
        collide=False,
    )
    return links


def build() -> str:
    links = build_links()
    out = [
        '<?xml version="1.0"?>',
        "<!-- SSRMS (Canadarm2). GENERATED by make_urdf.py: edit that script, not this file.",
        "     Kinematics and mass properties: docs/REFERENCE.md §1.1 (Nguyen & Hughes 1994), S.",
        "     COMs mid-link (D/E); shapes E; limits ±270° (S), 2332 N·m (S low), 4 °/s (S low).",
        "     Provenance of every number: README.md. -->",
        '<robot name="ssrms">',
    ]
    for name, rgba in (WHITE, GREY, DARK, CAMERA):
        out.append(material(name, rgba))
    for name, link in links.items():
        mass, com, (ixx, iyy, izz, ixy) = MASS[name]
        out.append(link.xml(inertial(mass, com, (ixx, iyy, izz), ixy)))
    for name, parent, child, xyz, axis in JOINTS:
        out.append(
            f'  <joint name="{name}" type="revolute"><parent link="{parent}"/>'
            f'<child link="{child}"/><origin xyz="{vec(xyz)}" rpy="0 0 0"/>'
            f'<axis xyz="{vec(axis)}"/><limit lower="{f(-LIMIT_RAD)}" upper="{f(LIMIT_RAD)}" '
            f'effort="{f(EFFORT_NM)}" velocity="{f(VELOCITY_RAD_S)}"/></joint>'
        )
    # tip_lee: LEE frame of docs/DESIGN.md §3 at the tip LEE interface plane (the mouth).
    out.append(
        "  <!-- tip_lee: LEE frame (docs/DESIGN.md §3), +x boresight out of the LEE, +z camera up."
        " Inertial frame = link frame: read getLinkState index 0/1. -->"
    )
    tiny = inertial(TINY_MASS_KG, inertia=(TINY_INERTIA,) * 3)
    out.append(Link("tip_lee").xml(tiny))
    out.append(fixed_joint("tip_lee_joint", "tip_lee_housing", "tip_lee", TIP_OFFSET_M))
    # Camera frames (+x optical axis, +z image up), massless (mass 0 is legal for fixed links).
    out.append(Link("lee_camera").xml(inertial(0.0)))
    out.append(
        fixed_joint(
            "lee_camera_joint",
            "tip_lee_housing",
            "lee_camera",
            (TIP_OFFSET_M[0] - CAMERA_SETBACK_M + 0.04, 0, CAMERA_OFFSET_M),
        )
    )
    out.append(Link("elbow_camera").xml(inertial(0.0)))
    out.append(fixed_joint("elbow_camera_joint", "boom_b", "elbow_camera", (0.58, 0, 0.30)))
    out.append("</robot>")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    (HERE / "ssrms.urdf").write_text(build(), encoding="utf-8")
    print(f"wrote {HERE / 'ssrms.urdf'}")
