"""The ``canadarm-trainer`` command line (DESIGN §5, contract).

This module only parses arguments and calls library functions. Every ``TrainerError`` ends
as one line on stderr and its exit status (2 for bad input); no Python traceback reaches a
user for bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from trainer import __version__
from trainer.errors import TrainerError

Handler = Callable[[argparse.Namespace], int]


def _cmd_fly(args: argparse.Namespace) -> int:
    from trainer.demo import run_world_demo

    return run_world_demo(duration_s=args.duration)


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    parser = argparse.ArgumentParser(
        prog="canadarm-trainer",
        description="Canadarm2 capture trainer: capture a free-drifting cargo Dragon.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    handlers: dict[str, Handler] = {}

    fly = sub.add_parser("fly", help="fly a capture (headless world demonstration for now)")
    fly.add_argument("--duration", type=float, default=99.0, help="simulated seconds (default 99)")
    handlers["fly"] = _cmd_fly
    return parser, handlers


def main(argv: Sequence[str] | None = None) -> int:
    parser, handlers = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return handlers[args.command](args)
    except TrainerError as exc:
        print(f"canadarm-trainer {args.command}: {exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print(f"canadarm-trainer {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
