"""The package installed from a built wheel (not editable) finds and loads its robots, and
ships the ``canadarm_trainer`` module that registers the Gymnasium environments."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_installed_wheel_loads_its_robots(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(REPO),
        ],
        check=True,
    )
    (wheel,) = wheels.glob("canadarm_trainer-*.whl")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
    )
    code = (
        "import trainer, trainer.resources as r\n"
        "from trainer.sim.layout import default_world_spec\n"
        "from trainer.sim.world import World\n"
        "from trainer.scenario.loader import load_scenario\n"
        "w = World(default_world_spec()); w.step(4); w.close()\n"
        "load_scenario('crs20-capture')\n"
        "import gymnasium, canadarm_trainer\n"
        "env = gymnasium.make('canadarm_trainer:CanadarmTrainer/Capture-v0')\n"
        "env.reset(seed=0); env.close()\n"
        "print(canadarm_trainer.__file__)\n"
        "print(trainer.__file__); print(r.data_dir('robots'))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = (
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()
    )
    envs_file, module_file, robots = Path(out[-3]), Path(out[-2]), Path(out[-1])
    assert module_file.is_relative_to(site), "the wheel's trainer must be the one imported"
    assert envs_file == site / "canadarm_trainer" / "__init__.py"
    assert robots == site / "trainer" / "_data" / "robots"
