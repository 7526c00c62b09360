"""The ``canadarm-trainer`` command line (docs/DESIGN.md §5, contract).

This module only parses arguments and calls library functions. Every bad input ends as
one line on stderr naming the argument or file at fault, and exit status 2; no Python
traceback reaches a user for bad input (docs/STYLE.md §5, docs/DESIGN.md §5):

| what went wrong                         | stderr (one line)                              | exit |
|-----------------------------------------|------------------------------------------------|------|
| an argument argparse refuses            | ``canadarm-trainer grade: argument --seed: ...`` | 2  |
| a ``TrainerError`` (bad file, bad value)| ``canadarm-trainer grade: FILE: key: what``    | 2 (3: diverged) |
| SIGINT / SIGTERM / SIGHUP               | ``canadarm-trainer grade: interrupted (SIGTERM)`` | 128 + signal |
| the operating system refuses a read or write | ``canadarm-trainer grade: PATH: reason`` | 2 |

Every command runs inside ``trainer.signals.ending_on_signals`` (a session ends on any of
the three signals as on Ctrl-C, its recording finalized), and pybullet is imported with
its build banner silenced (``trainer.sim.engine``) before a command that builds a world.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from trainer import __version__
from trainer.errors import TrainerError, one_line
from trainer.scenario.defaults import SEED_MAX
from trainer.signals import ending_on_signals, exit_status, interruption_name

if TYPE_CHECKING:  # the executors' module loads concurrent.futures: only for `grade`
    from trainer.campaign.executors import ExecutorChoice

Handler = Callable[[argparse.Namespace], int]
# Commands that never build a physics world: pybullet is not even imported for them.
_NO_PHYSICS = frozenset({"list", "validate", "devices", "history"})


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error: ``PROG: MESSAGE (see PROG --help)``, exit 2, instead
    of the usage block followed by the message."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def seed_value(text: str) -> int:
    """``--seed``: an integer from 0 to 2**32 - 1."""
    try:
        seed = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer seed, got {text!r}") from None
    if not 0 <= seed <= SEED_MAX:
        raise argparse.ArgumentTypeError(f"a seed is an integer from 0 to {SEED_MAX}, got {seed}")
    return seed


def trainee_name(text: str) -> str:
    """``--trainee``: valid UTF-8, printable, at most 200 characters (trainer/text.py)."""
    from trainer.text import checked_name

    try:
        return checked_name(text, "a trainee name")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _cmd_fly(args: argparse.Namespace) -> int:
    from trainer.live.protocol import parse_address
    from trainer.ui.fly import run_fly

    live = parse_address(args.live) if args.live is not None else None
    return run_fly(
        args.scenario,
        input_kind=args.input,
        aids=args.aids,
        trainee=args.trainee,
        pilot=args.pilot,
        out=args.out,
        seed=args.seed,
        live=live,
    )


def _cmd_instruct(args: argparse.Namespace) -> int:
    from trainer.live.protocol import parse_url
    from trainer.ui.instruct.command import run_console

    host, port = parse_url(args.url)
    return run_console(host, port, token=args.token, size=_parse_size(args.size))


def _cmd_grade(args: argparse.Namespace) -> int:
    from trainer.grade import parse_seeds, run_grade_command

    seeds = parse_seeds(args.seeds) if args.seeds else None
    if seeds is None and args.seed is not None:
        seeds = range(args.seed, args.seed + 1)
    return run_grade_command(
        args.scenario,
        args.pilot,
        seeds,
        args.out,
        jobs=args.jobs,
        executor=args.executor,
        allow_mismatch=args.allow_mismatch,
        trainee=args.trainee,
        history=not args.no_history,
    )


def executor_value(text: str) -> ExecutorChoice:
    """``--executor``: local, dask-local or dask://HOST:PORT (trainer/campaign/executors.py)."""
    from trainer.campaign.executors import parse_executor

    try:
        return parse_executor(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _check_recording(path: Path) -> None:
    """Refuse a file that is not a recording before pybullet is imported (its banner would
    otherwise join the one-line error)."""
    from trainer.record.seek import open_recording

    open_recording(path).close()


def _cmd_replay(args: argparse.Namespace) -> int:
    _check_recording(args.recording)
    if args.verify:
        from trainer.refly.verify import run_verify_command

        return run_verify_command(args.recording)
    from trainer.ui.replay.command import run_viewer

    return run_viewer(args.recording, start_s=args.at, size=_parse_size(args.size))


def _parse_size(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    w, sep, h = text.lower().partition("x")
    if (
        not sep
        or not w.isdigit()
        or not h.isdigit()
        or not (320 <= int(w) <= 8192)
        or not (240 <= int(h) <= 8192)
    ):
        raise TrainerError(f"--size: expected WIDTHxHEIGHT in pixels (e.g. 1600x960), got {text!r}")
    return int(w), int(h)


def _cmd_report(args: argparse.Namespace) -> int:
    from trainer.debrief.command import REPORT_NAMES, run_report_command
    from trainer.safeio import check_output_folder

    # the output folder first: a folder that cannot take the files costs no work
    check_output_folder(args.out or args.recording.parent, REPORT_NAMES)
    _check_recording(args.recording)

    return run_report_command(args.recording, args.out)


def _cmd_history(args: argparse.Namespace) -> int:
    from trainer.history.command import run_history_command

    return run_history_command(args.trainee, args.plot)


def _cmd_list(args: argparse.Namespace) -> int:
    from trainer.scenario.commands import run_list

    return run_list()


def _cmd_validate(args: argparse.Namespace) -> int:
    from trainer.scenario.commands import run_validate

    return run_validate(list(args.paths))


def _cmd_devices(args: argparse.Namespace) -> int:
    from trainer.input.devices import run_devices

    return run_devices(once=args.once, bindings_path=args.bindings)


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    parser = _Parser(
        prog="canadarm-trainer",
        description="Canadarm2 capture trainer: capture a free-drifting cargo Dragon.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    handlers: dict[str, Handler] = {}

    fly = sub.add_parser("fly", help="fly a capture in the workstation window")
    fly.add_argument(
        "scenario", nargs="?", default=None, help="scenario id or YAML file (default: start screen)"
    )
    fly.add_argument("--input", choices=("auto", "keyboard", "gamepad"), default="auto")
    fly.add_argument("--aids", choices=("guided", "crew", "none"), default="guided")
    fly.add_argument(
        "--trainee", type=trainee_name, default=None, help="the trainee's name (reports, history)"
    )
    fly.add_argument(
        "--pilot", choices=("autopilot",), default=None, help="autopilot: watch a demonstration"
    )
    fly.add_argument("--out", type=Path, default=None, help="output folder (default: per session)")
    fly.add_argument(
        "--seed", type=seed_value, default=None, help="dispersion seed (default: random)"
    )
    fly.add_argument(
        "--live",
        nargs="?",
        const="127.0.0.1:8765",
        default=None,
        metavar="ADDR:PORT",
        help="stream the session over the Foxglove WebSocket protocol for instructors "
        "(default 127.0.0.1:8765: this computer only; port 0: any free port)",
    )
    handlers["fly"] = _cmd_fly

    instruct = sub.add_parser(
        "instruct", help="the instructor's console on a live session (fly --live)"
    )
    instruct.add_argument("url", metavar="ws://HOST:PORT", help="the trainee's live address")
    instruct.add_argument(
        "--token", default=None, help="the session's token (shown on the trainee's screen)"
    )
    instruct.add_argument("--size", metavar="WxH", help="the console's window size in pixels")
    handlers["instruct"] = _cmd_instruct

    grade = sub.add_parser(
        "grade", help="run a scenario headless with a scripted pilot and grade it"
    )
    grade.add_argument(
        "scenario",
        nargs="?",
        default=None,
        help="scenario id (see `list`) or path to a YAML file (default with recordings: "
        "each recording's own)",
    )
    grade.add_argument(
        "--pilot",
        default="autopilot",
        help="autopilot, none, a recording (.mcap), or a folder or glob of recordings",
    )
    seeds = grade.add_mutually_exclusive_group()
    seeds.add_argument(
        "--seed",
        type=seed_value,
        default=None,
        help="random seed for the dispersions (default 7; a recording's own seed with a "
        "recording pilot)",
    )
    seeds.add_argument("--seeds", default=None, metavar="A..B", help="grade every seed from A to B")
    grade.add_argument("--out", type=Path, default=Path("runs/grade"), help="output folder")
    grade.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="grade N seeds at a time: processes, or dask-local's workers (default: every "
        "core); with dask://, jobs in flight (default: the cluster's threads)",
    )
    grade.add_argument(
        "--executor",
        type=executor_value,
        default=None,
        metavar="local|dask-local|dask://HOST:PORT",
        help="where a campaign's jobs run: the local process pool (default), a Dask "
        "LocalCluster started here, or a running Dask scheduler",
    )
    grade.add_argument(
        "--allow-mismatch",
        action="store_true",
        help="replay a recording on another scenario or seed than it was flown with "
        "(the report says so)",
    )
    grade.add_argument(
        "--trainee",
        type=trainee_name,
        default=None,
        help="whose history the graded session joins (default: your login name)",
    )
    grade.add_argument(
        "--no-history", action="store_true", help="do not add the session to the history"
    )
    handlers["grade"] = _cmd_grade

    replay = sub.add_parser(
        "replay", help="open a recorded session; --verify re-simulates it and checks it"
    )
    replay.add_argument("recording", type=Path, metavar="RECORDING", help="a session .mcap")
    replay.add_argument(
        "--verify",
        action="store_true",
        help="re-simulate headless from the recording's scenario, seed and inputs; "
        "exit 0 reproduced, 1 diverged",
    )
    replay.add_argument(
        "--at",
        type=float,
        metavar="SECONDS",
        help="open the viewer at this simulation time (default: the start)",
    )
    replay.add_argument(
        "--size",
        metavar="WxH",
        help="the viewer's window size in pixels (default: fits the screen)",
    )
    handlers["replay"] = _cmd_replay

    report = sub.add_parser(
        "report", help="write the debrief of a recorded session (debrief.html, report.json)"
    )
    report.add_argument("recording", type=Path, metavar="RECORDING", help="a session .mcap")
    report.add_argument(
        "--out", type=Path, default=None, help="output folder (default: beside the recording)"
    )
    handlers["report"] = _cmd_report

    history = sub.add_parser("history", help="a trainee's graded attempts and trend")
    history.add_argument(
        "--trainee", type=trainee_name, default=None, help="trainee name (default: your login name)"
    )
    history.add_argument(
        "--plot", type=Path, default=None, metavar="FILE", help="write score over attempts (PNG)"
    )
    handlers["history"] = _cmd_history

    lst = sub.add_parser("list", help="list the scenarios")
    del lst
    handlers["list"] = _cmd_list

    validate = sub.add_parser("validate", help="check scenario files")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    handlers["validate"] = _cmd_validate

    devices = sub.add_parser("devices", help="list controllers and show their live values")
    devices.add_argument(
        "--once", action="store_true", help="list the connected controllers and exit"
    )
    devices.add_argument("--bindings", type=Path, default=None, help="a bindings YAML file to use")
    handlers["devices"] = _cmd_devices
    return parser, handlers


def main(argv: Sequence[str] | None = None) -> int:
    # A path or name that is not valid UTF-8 is printed escaped, never as a traceback
    # (stderr already does this; stdout's default is strict).
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="backslashreplace")
    parser, handlers = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    prefix = f"canadarm-trainer {args.command}"
    try:
        with ending_on_signals():
            if args.command not in _NO_PHYSICS:
                from trainer.sim.engine import import_pybullet_quietly

                import_pybullet_quietly()
            return handlers[args.command](args)
    except TrainerError as exc:
        print(f"{prefix}: {one_line(exc)}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt as exc:
        print(f"{prefix}: interrupted ({interruption_name(exc)})", file=sys.stderr)
        return exit_status(exc)
    except OSError as exc:  # the system refused a read or write the checks could not foresee
        # exit 2 like every refusal: 1 already means "diverged" for `replay --verify`
        # (docs/DESIGN.md §5)
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"{prefix}: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
