"""``canadarm-trainer fly``: open the workstation window, fly, and always leave a finalized
recording and a report behind (docs/DESIGN.md §5).

The outputs of each attempt (session.mcap, report.json, report.md) go to ``--out`` or to a
new folder per attempt under the user's data directory (platformdirs); their paths are
printed on exit. SIGTERM, SIGHUP and SIGINT, like closing the window, end the attempt at
the next frame and finalize its recording; the loop is also wrapped so that an error in
the window still finalizes what was flown before the traceback.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from trainer.errors import TrainerError
from trainer.safeio import check_output_folder
from trainer.scenario.loader import load_scenario
from trainer.session.reports import SESSION_OUTPUTS
from trainer.signals import SessionInterrupted
from trainer.ui.aids import AidLevel

if TYPE_CHECKING:
    from trainer.ui.app import FlyApp

_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name)
)


@contextmanager
def _finalize_on_signals(app: FlyApp) -> Iterator[None]:
    def handler(signum: int, _frame: FrameType | None) -> None:
        app.stop_reason = f"ended by signal {signal.Signals(signum).name}"
        app.stop_signal = signum

    previous = {s: signal.signal(s, handler) for s in _SIGNALS}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def run_fly(
    scenario: str | None,
    *,
    input_kind: str = "auto",
    aids: str = "guided",
    trainee: str | None = None,
    pilot: str | None = None,
    out: Path | None = None,
    seed: int | None = None,
    live: tuple[str, int] | None = None,
) -> int:
    if scenario is not None:
        load_scenario(scenario)  # bad input fails here, before a window opens
    if out is not None:
        check_output_folder(
            out, SESSION_OUTPUTS
        )  # a file in its place, a read-only folder: refused now
    try:
        level = AidLevel(aids)
    except ValueError:
        raise TrainerError(f"--aids: expected guided, crew or none, got {aids!r}") from None
    if pilot not in (None, "autopilot"):
        raise TrainerError(f"--pilot: only autopilot can fly the window, got {pilot!r}")
    # The window (and pybullet, pygame) load only once the arguments are good.
    from trainer.ui.app import FlyApp, FlyOptions

    options = FlyOptions(
        scenario=scenario,
        input_kind=input_kind,
        aids=level,
        trainee=trainee or "",
        pilot=pilot,
        out=out,
        seed=seed,
        live=live,
    )
    app = FlyApp(options)
    try:
        with _finalize_on_signals(app):
            try:
                app.run()
            finally:
                if app.attempt is not None:
                    app.quit("the window stopped")
    finally:
        app.close()
        for attempt in app.finished:
            report = attempt.report or {}
            print(
                f"{attempt.session.scenario.id} seed {attempt.session.seed}: "
                f"{report.get('outcome', '?')}, score {report.get('score', {}).get('total', 0):.1f}"
            )
            for name in ("session.mcap", "report.json", "report.md"):
                print(f"  {attempt.out_dir / name}")
            print(
                f"  reproduce: canadarm-trainer grade {attempt.scenario_ref} "
                f"--pilot {attempt.out_dir / 'session.mcap'}"
            )
            if attempt.history_error:
                print(f"  history not updated: {attempt.history_error}")
        sys.stdout.flush()
    if app.stop_signal is not None:
        # Everything is finalized: end as every command ends on a signal (trainer/signals.py,
        # "interrupted (SIGTERM)" and status 128 + its number).
        raise SessionInterrupted(app.stop_signal)
    return 0
