"""The determinism domain by construction (docs/DESIGN.md §10): nothing on the simulation
path (what feeds the physics, the controller, scoring or a recorded message) calls code
whose arithmetic the CPU chooses at run time. Checked by parsing every module of those
rooms:

| banned                                    | why                                            |
|-------------------------------------------|------------------------------------------------|
| the ``@`` operator, ``numpy.dot``, ``matmul``, ``einsum``, ``inner``, ``outer``, ``tensordot``, ``vdot``, ``kron``, ``.dot()`` | BLAS kernels per CPU (OpenBLAS's Sandybridge, Haswell, SkylakeX sum in different orders) or SIMD-dispatched loops |
| ``numpy.linalg``, ``scipy``               | LAPACK through BLAS                             |
| numpy reductions (``sum``, ``prod``, ``mean``, ``std``, ``var``, ``cumsum``, ``cumprod``, ``trace``, ``average``, ``nansum``…), also as methods | pairwise sums in SIMD-width blocks             |
| numpy transcendental ufuncs (``sin``, ``cos``, ``exp``, ``log``, ``arctan2``, ``power``, ``hypot``…) | SIMD code per CPU (AVX-512 SVML, AVX2 and baseline differ in the last bit) |
| numpy's private modules (``numpy.linalg._umath_linalg``, any ``numpy.*._*``) | not an API, and LAPACK underneath |
| the builtin ``sum`` on floats             | CPython 3.12 changed it to compensated summation: the result depends on the Python version; ``trainer.fixedmath.dot`` or ``math.fsum`` instead (a ``sum`` inside ``math.isfinite(…)`` only tests finiteness: allowed) |

The small linear algebra the arm needs is in ``trainer/fixedmath.py`` and
``trainer/control/linalg6.py`` (fixed-order arithmetic). The rooms outside the simulation
path (the window, the renderer, the debrief's plots, the history) may use numpy freely.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TRAINER = Path(__file__).resolve().parents[1] / "trainer"

# The simulation path: rooms and top-level modules whose results reach the physics, the
# controller, scoring, a report or a recorded message.
SIMULATION_PATH = (
    "sim",
    "control",
    "scoring",
    "session",
    "tasks",
    "pilots",
    "scenario",
    "record",
    "refly",
    "input",
    "telemetry.py",
    "observation.py",
    "prediction.py",
    "clock.py",
    "grade.py",
    "graded.py",  # run_graded: every graded session, one `grade` or a campaign's job
    "fixedmath.py",
    "envs",  # its actions feed the session; its reward is the report's arithmetic
    "campaign/jobs.py",  # what a campaign's worker runs: the same session as `grade`
    "campaign/work.py",
)
NUMPY_BANNED = frozenset(
    {
        "dot",
        "matmul",
        "einsum",
        "inner",
        "outer",
        "tensordot",
        "vdot",
        "kron",
        "linalg",
        "sum",
        "prod",
        "mean",
        "std",
        "var",
        "cumsum",
        "cumprod",
        "trace",
        "average",
        "nansum",
        "nanprod",
        "nanmean",
        "median",
        "sin",
        "cos",
        "tan",
        "arcsin",
        "arccos",
        "arctan",
        "arctan2",
        "sinh",
        "cosh",
        "tanh",
        "arcsinh",
        "arccosh",
        "arctanh",
        "exp",
        "exp2",
        "expm1",
        "log",
        "log2",
        "log10",
        "log1p",
        "power",
        "float_power",
        "hypot",
        "cbrt",
        "deg2rad",
        "rad2deg",
        "degrees",
        "radians",
        "logaddexp",
    }
)
METHODS_BANNED = frozenset(
    {"dot", "sum", "prod", "mean", "std", "var", "cumsum", "cumprod", "trace"}
)


def _simulation_modules() -> list[Path]:
    out: list[Path] = []
    for entry in SIMULATION_PATH:
        path = TRAINER / entry
        out.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return out


MODULES = _simulation_modules()


def _numpy_names(tree: ast.AST) -> set[str]:
    """The names this module binds to numpy (``import numpy as np``)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "numpy":
                    names.add(alias.asname or "numpy")
    return names


def violations(source: str, filename: str = "<module>") -> list[str]:
    """Every banned use in one module's source, as 'line: what'."""
    tree = ast.parse(source, filename)
    numpy_names = _numpy_names(tree)
    finiteness_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "isfinite"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "math"
        for inner in ast.walk(node)
    }
    found: list[str] = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.BinOp | ast.AugAssign) and isinstance(node.op, ast.MatMult):
            found.append(f"{line}: the @ operator (BLAS)")
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module.startswith(("numpy.linalg", "scipy")) or (
                module.startswith("numpy") and any(p.startswith("_") for p in module.split("."))
            ):
                found.append(f"{line}: from {module} import …")
            elif module == "numpy":
                for alias in node.names:
                    if alias.name in NUMPY_BANNED or alias.name.startswith("_"):
                        found.append(f"{line}: from numpy import {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(("numpy.", "scipy")) and alias.name != "numpy.typing":
                    found.append(f"{line}: import {alias.name}")
        elif isinstance(node, ast.Attribute):
            if (
                isinstance(node.value, ast.Name)
                and node.value.id in numpy_names
                and (node.attr in NUMPY_BANNED or node.attr.startswith("_"))
            ):
                found.append(f"{line}: {node.value.id}.{node.attr}")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in METHODS_BANNED:
                owner = func.value
                if not (isinstance(owner, ast.Name) and owner.id in ("math", "operator")):
                    found.append(f"{line}: .{func.attr}() (a numpy method would dispatch)")
            elif (
                isinstance(func, ast.Name) and func.id == "sum" and id(node) not in finiteness_only
            ):
                found.append(f"{line}: the builtin sum (Python-version dependent on floats)")
    return found


def test_the_walk_sees_the_simulation_path() -> None:
    names = {p.relative_to(TRAINER).as_posix() for p in MODULES}
    assert {"control/resolved_rate.py", "sim/world.py", "session/core.py"} <= names


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import numpy as np\nc = a @ b\n", "the @ operator"),
        ("import numpy as np\nx = np.linalg.svd(a)\n", "np.linalg"),
        ("from numpy.linalg import _umath_linalg\n", "from numpy.linalg"),
        ("import numpy\ny = numpy.sin(x)\n", "numpy.sin"),
        ("import numpy as np\ny = np.dot(a, b)\n", "np.dot"),
        ("y = a.sum()\n", ".sum()"),
        ("y = sum(values)\n", "builtin sum"),
        ("from numpy import einsum\n", "from numpy import einsum"),
    ],
)
def test_each_banned_use_is_caught(source: str, expected: str) -> None:
    """Guard against a rule that can never fail."""
    found = violations(source)
    assert any(expected in line for line in found), found


def test_element_wise_numpy_and_math_are_allowed() -> None:
    source = (
        "import math\nimport numpy as np\n"
        "a = np.array([1.0]) * 2.0 + np.sqrt(np.abs(b))\n"
        "c = math.sin(x) + math.fsum(v)\nd = np.cross(a, b)\n"
        "import numpy.typing as npt\nok = math.isfinite(sum(v))\n"
    )
    assert violations(source) == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(TRAINER).as_posix())
def test_the_simulation_path_uses_only_fixed_order_arithmetic(path: Path) -> None:
    found = violations(path.read_text(encoding="utf-8"), str(path))
    assert not found, f"{path.relative_to(TRAINER.parent)}: " + "; ".join(found)
