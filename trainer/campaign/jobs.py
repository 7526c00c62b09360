"""One job of a grading campaign and the function a worker runs for it (docs/DESIGN.md §12).

A job is plain, picklable data that any backend ships to any worker: the resolved
scenario as JSON text (the same text every recording carries, docs/DESIGN.md §7), the
seed, the pilot, a recording's hand-controller inputs when a recording is the pilot, and
the campaign's start time. The worker grades the session in a private temporary folder
with the same ``run_graded`` a single ``grade`` uses (trainer/graded.py), and returns the
files' bytes: it writes nothing the user sees, so the output folder is the driver's alone
(trainer/campaign/driver.py) and cannot depend on which worker ran which seed.

| ``JobResult`` field | what                                                              |
|---------------------|-------------------------------------------------------------------|
| key, seed           | the job's output folder name (``seed-7``, or a recording's) and seed |
| report              | the graded report (docs/DESIGN.md §6)                             |
| files               | (name, bytes) of ``report.json``, ``report.md``, ``session.mcap`` |
| fingerprint         | the worker's environment fingerprint (trainer/fingerprint.py, docs/DESIGN.md §10) |
| draws               | the scenario's dispersion draws for this seed, each dispersed parameter's offset from its nominal (trainer/scenario/build.py ``dispersed_state``) |
| sim_time_s, wall_time_s | simulated seconds and the worker's wall seconds (shown, never compared) |

A signal that stops a worker mid-session (the local pool's stop) ends the session as
``grade`` ends one: its recording finalized with the ``end`` event; ``JobInterrupted``
carries that recording to the driver, which keeps it (docs/DESIGN.md §5).
"""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.record.inputs import TickFeed
from trainer.signals import SessionInterrupted, deferred

# trainer/session/reports.py's SESSION_OUTPUTS, in order (not imported: it loads pybullet)
OUTPUT_NAMES = ("report.json", "report.md", "session.mcap")
RECORDING_PREFIX = "recording:"
# The twelve draws of trainer/scenario/build.py, in its order: (quantity, axis names).
DISPERSED = (
    ("position_m", ("x", "y", "z")),
    ("velocity_m_s", ("x", "y", "z")),
    ("attitude_deg", ("roll", "pitch", "yaw")),
    ("angular_velocity_deg_s", ("x", "y", "z")),
)

Files = tuple[tuple[str, bytes], ...]


@dataclass(frozen=True)
class Job:
    """One session to grade on whatever worker takes it.

    | field          | meaning                                                          |
    |----------------|------------------------------------------------------------------|
    | key            | the output folder's name: ``seed-N``, or the recording's key     |
    | seed           | the dispersion seed (a recording's own)                          |
    | scenario_json  | the resolved scenario, ``scenario_to_json`` as JSON text        |
    | pilot          | ``none``, ``autopilot`` or ``recording:FILE NAME``               |
    | inputs         | a recording's hand-controller states, tick by tick, with the instructor's actions before their ticks (trainer/record/inputs.py TickFeed); None for a scripted pilot |
    | notices        | what the report must say first (a recording cut off by a crash)  |
    | start_time_utc | the campaign's start, the recording's ``start_time_utc`` (§12)   |
    """

    key: str
    seed: int
    scenario_json: str
    pilot: str
    inputs: tuple[TickFeed, ...] | None = None
    notices: tuple[str, ...] = ()
    start_time_utc: str = ""

    @property
    def label(self) -> str:
        """How the terminal names the job: ``seed 7``, or the recording's key and seed."""
        return f"seed {self.seed}" if self.key == f"seed-{self.seed}" else self.key


@dataclass(frozen=True)
class JobResult:
    """A graded job (module docstring)."""

    key: str
    seed: int
    report: dict[str, Any]
    files: Files
    fingerprint: dict[str, str | None]
    draws: tuple[tuple[str, float], ...]
    sim_time_s: float
    wall_time_s: float


@dataclass(frozen=True)
class Failure:
    """A job that was not graded: failed twice on its workers, or refused before it ran
    (a recording that cannot be replayed). ``seed`` is None when it could not be read."""

    key: str
    seed: int | None
    error: str


class JobInterrupted(SessionInterrupted):
    """A signal stopped the job's session: ``files`` holds its finalized recording."""

    def __init__(self, signum: int, key: str, files: Files) -> None:
        super().__init__(signum)
        self.key = key
        self.files = files

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled whole: the local pool's worker sends it back (trainer/batch.py)."""
        return type(self), (self.signum, self.key, self.files)


@functools.lru_cache(maxsize=8)
def _scenario(text: str) -> Any:
    """The job's scenario, parsed and checked once per worker (a campaign has one, or a
    few when recordings of several scenarios are re-graded)."""
    from trainer.scenario.loader import scenario_from_json

    return scenario_from_json(json.loads(text), "the campaign's scenario")


def dispersion_draws(scenario: Any, seed: int) -> tuple[tuple[str, float], ...]:
    """Each dispersed parameter's draw for ``seed`` (its offset from the nominal value),
    named ``position_m.x``...; parameters whose sigma is 0 are left out."""
    import numpy as np

    from trainer.scenario.build import dispersed_state

    v = scenario.vehicle
    nominal = (v.position_m, v.velocity_m_s, v.attitude_rpy_deg, v.angular_velocity_deg_s)
    d = v.dispersions
    sigmas = (d.position_m, d.velocity_m_s, d.attitude_deg, d.angular_velocity_deg_s)
    drawn = dispersed_state(scenario, np.random.default_rng(seed))
    out: list[tuple[str, float]] = []
    for (quantity, axes), values, centre, sigma in zip(
        DISPERSED, drawn, nominal, sigmas, strict=True
    ):
        for axis, value, n, s in zip(axes, values, centre, sigma, strict=True):
            if s != 0.0:
                out.append((f"{quantity}.{axis}", value - n))
    return tuple(out)


def _read(folder: Path, names: tuple[str, ...]) -> Files:
    return tuple((name, (folder / name).read_bytes()) for name in names if (folder / name).exists())


def grade_job(job: Job) -> JobResult:
    """Grade ``job`` here (on a worker) and return its files (module docstring)."""
    from trainer.sim.engine import import_pybullet_quietly

    import_pybullet_quietly()  # pybullet's build banner stays off the worker's stderr

    from trainer.fingerprint import fingerprint
    from trainer.graded import run_graded
    from trainer.pilots import Pilot, make_pilot
    from trainer.refly.plan import RecordedInputs

    scenario = _scenario(job.scenario_json)
    pilot: Pilot | RecordedInputs
    if job.inputs is not None:  # checked whole when the job was planned (work.py)
        name = Path(job.pilot.removeprefix(RECORDING_PREFIX))
        pilot = RecordedInputs(name, list(job.inputs), {}, None, 0.0)
    else:
        pilot = make_pilot(job.pilot, scenario)
    folder = Path(tempfile.mkdtemp(prefix="canadarm-trainer-job-"))
    try:
        try:
            result = run_graded(
                scenario,
                job.seed,
                pilot,
                job.pilot,
                folder,
                notices=job.notices,
                metadata={"start_time_utc": job.start_time_utc},
            )
            with deferred():  # a graded session's files are read whole
                files = _read(folder, OUTPUT_NAMES)
        except KeyboardInterrupt as exc:  # run_graded has finalized the recording
            signum = exc.signum if isinstance(exc, SessionInterrupted) else 2
            raise JobInterrupted(signum, job.key, _read(folder, ("session.mcap",))) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return JobResult(
        key=job.key,
        seed=job.seed,
        report=result.report,
        files=files,
        fingerprint=dict(fingerprint()),
        draws=dispersion_draws(scenario, job.seed),
        sim_time_s=result.sim_time_s,
        wall_time_s=result.wall_time_s,
    )
