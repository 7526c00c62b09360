"""Where the trainer's data lives: robot models, scenarios and assets.

In an installed wheel these folders are packaged under ``trainer/_data/``; in a source
checkout (editable install) they sit at the top of the repository. This is the one module
that knows both places; everything else asks it.
"""

from __future__ import annotations

from pathlib import Path

from trainer.errors import ResourceError

_PACKAGE_DIR = Path(__file__).resolve().parent
_FOLDERS = ("robots", "scenarios", "assets")


def data_dir(name: str) -> Path:
    """Return the folder ``name`` (one of robots, scenarios, assets)."""
    if name not in _FOLDERS:
        raise ResourceError(f"unknown data folder {name!r}; expected one of {', '.join(_FOLDERS)}")
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise ResourceError(
        f"data folder {name!r} not found next to the trainer package ({_PACKAGE_DIR}); "
        "reinstall the package"
    )


def robot_file(robot: str, filename: str) -> Path:
    """Return ``robots/<robot>/<filename>``, raising ResourceError if it is missing."""
    path = data_dir("robots") / robot / filename
    if not path.is_file():
        raise ResourceError(f"{path}: robot model file not found")
    return path


def scenarios_dir() -> Path:
    return data_dir("scenarios")


def assets_dir() -> Path:
    return data_dir("assets")
