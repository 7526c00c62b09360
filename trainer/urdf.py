"""URDF text for the robot generators (``robots/*/make_urdf.py``): compact deterministic
numbers, shapes, origins, inertials, materials, links and fixed joints, written once.

The generators write the committed ``robots/<name>/<name>.urdf`` files from the numbers
in their own modules (each with its provenance, docs/REFERENCE.md); these helpers only
format. The output must not change when a helper is touched: tests/robots/
test_generated_files.py regenerates every file and compares it byte for byte. Pure: no
pybullet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Rgba = tuple[float, float, float, float]
Material = str | tuple[str, Rgba]
Numbers = Sequence[float]


def f(v: float) -> str:
    """A number, compactly and deterministically: 9 decimals, trailing zeros dropped."""
    s = f"{v:.9f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def vec(v: Iterable[float]) -> str:
    return " ".join(f(x) for x in v)


def cyl(r: float, length: float) -> str:
    return f'<cylinder radius="{f(r)}" length="{f(length)}"/>'


def box(sx: float, sy: float, sz: float) -> str:
    return f'<box size="{f(sx)} {f(sy)} {f(sz)}"/>'


def sphere(r: float) -> str:
    return f'<sphere radius="{f(r)}"/>'


def material(name: str, rgba: Numbers) -> str:
    return f'  <material name="{name}"><color rgba="{vec(rgba)}"/></material>'


def inertial(
    mass: float,
    com: Numbers = (0.0, 0.0, 0.0),
    inertia: Numbers = (0.0, 0.0, 0.0),
    ixy: float = 0.0,
) -> str:
    """An inertial at ``com`` (axes parallel to the link frame): mass and the principal
    moments (ixx, iyy, izz), ixy if given; ixz = iyz = 0."""
    ixx, iyy, izz = inertia
    return (
        f'    <inertial><origin xyz="{vec(com)}" rpy="0 0 0"/><mass value="{f(mass)}"/>'
        f'<inertia ixx="{f(ixx)}" iyy="{f(iyy)}" izz="{f(izz)}" ixy="{f(ixy)}" ixz="0" iyz="0"/>'
        f"</inertial>"
    )


def fixed_joint(
    name: str, parent: str, child: str, xyz: Numbers, rpy: Numbers = (0.0, 0.0, 0.0)
) -> str:
    return (
        f'  <joint name="{name}" type="fixed"><parent link="{parent}"/><child link="{child}"/>'
        f'<origin xyz="{vec(xyz)}" rpy="{vec(rpy)}"/></joint>'
    )


class Link:
    """The visual and collision elements of one link, in the order added (or, with
    ``grouped``, every visual before every collision)."""

    def __init__(self, name: str, *, grouped: bool = False, colour: Material = "white") -> None:
        self.name = name
        self.grouped = grouped
        self.colour = colour  # the material of elements added without one
        self._elements: list[tuple[str, str]] = []  # (kind, xml line)

    def add(
        self,
        geom: str,
        xyz: Numbers,
        rpy: Numbers = (0.0, 0.0, 0.0),
        colour: Material | None = None,
        collide: bool = True,
        vis: bool = True,
        comment: str = "",
    ) -> None:
        origin = f'<origin xyz="{vec(xyz)}" rpy="{vec(rpy)}"/>'
        chosen = self.colour if colour is None else colour
        name = chosen if isinstance(chosen, str) else chosen[0]
        if comment:
            self._elements.append(("visual", f"    <!-- {comment} -->"))
        if vis:
            self._elements.append(
                (
                    "visual",
                    f"    <visual>{origin}<geometry>{geom}</geometry>"
                    f'<material name="{name}"/></visual>',
                )
            )
        if collide:
            self._elements.append(
                ("collision", f"    <collision>{origin}<geometry>{geom}</geometry></collision>")
            )

    def xml(self, inertial_xml: str) -> str:
        if self.grouped:
            lines = [x for k, x in self._elements if k == "visual"]
            lines += [x for k, x in self._elements if k == "collision"]
        else:
            lines = [x for _, x in self._elements]
        return "\n".join([f'  <link name="{self.name}">', inertial_xml, *lines, "  </link>"])
