"""Every generated robot file is what its generator writes today: the URDFs of the arm,
Dragon and the station, and Dragon's meshes, regenerated in memory (or into a temporary
folder) and compared byte for byte with the committed files. A change to a generator or
to the shared URDF helpers (trainer/urdf.py) that alters a model fails here until the
model is regenerated and committed on purpose."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROBOTS = Path(__file__).resolve().parents[2] / "robots"


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"generator_{path.parent.name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("robot", ["ssrms", "dragon", "dragon_cbm", "station"])
def test_each_urdf_is_what_its_generator_writes(robot: str) -> None:
    generator = _load(ROBOTS / robot / "make_urdf.py")
    committed = (ROBOTS / robot / f"{robot}.urdf").read_text(encoding="utf-8")
    assert generator.build() == committed, (
        f"robots/{robot}/{robot}.urdf differs from what make_urdf.py writes: regenerate it "
        f"with `python robots/{robot}/make_urdf.py` if the change is meant"
    )


def test_dragons_meshes_are_what_make_meshes_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generator = _load(ROBOTS / "dragon" / "make_meshes.py")
    monkeypatch.setattr(generator, "HERE", tmp_path)
    generator.main()
    committed = sorted((ROBOTS / "dragon" / "meshes").glob("*.obj"))
    assert [p.name for p in committed] == sorted(p.name for p in (tmp_path / "meshes").iterdir())
    for path in committed:
        assert (tmp_path / "meshes" / path.name).read_bytes() == path.read_bytes(), path.name
