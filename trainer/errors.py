"""The trainer's error hierarchy: every failure a user can cause or meet.

Each error carries one sentence that names the file, key path or quantity at fault. The
command line prints ``str(error)`` on one line of stderr and exits with status 2 (bad
input) or the status the error names; nothing above this module prints tracebacks for
these errors (docs/STYLE.md §5).
"""

from __future__ import annotations


class TrainerError(Exception):
    """Base class: a failure with a one-line, user-facing message."""

    exit_status = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ResourceError(TrainerError):
    """A packaged folder or file (robots, scenarios, assets) cannot be found."""


class ModelError(TrainerError):
    """A robot model file is missing or malformed."""


class ScenarioError(TrainerError):
    """A scenario file is missing, malformed or invalid, or an id is unknown."""


class BindingsError(TrainerError):
    """A hand-controller bindings file is malformed or inconsistent."""


class OutputError(TrainerError):
    """An output path (``--out``) cannot hold the files a command writes."""


class DeviceError(TrainerError):
    """An input device cannot be opened or used."""


class RecordingError(TrainerError):
    """A recording is missing, corrupt or of an unknown format."""


class SimulationDivergedError(TrainerError):
    """The physics produced a non-finite or runaway state."""

    exit_status = 3


class ValidationError(ScenarioError):
    """One or more validation failures, one line each (``file: key.path: what``)."""

    def __init__(self, problems: list[str], total: int | None = None) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)
        # ``problems`` may hold a screenful and a closing "and N more" line: the count
        self.total = len(problems) if total is None else total

    def one_line(self) -> str:
        """The first problem, and how many more there are (a command that is not
        ``validate`` reports a bad file in one line)."""
        if not self.problems:
            return "invalid"
        first = self.problems[0]
        more = self.total - 1
        if more <= 0:
            return first
        return f"{first} (and {more} more problem{'s' if more > 1 else ''}; `validate` lists them)"


def one_line(error: TrainerError) -> str:
    """The error as the single stderr line a command prints (docs/STYLE.md §5)."""
    if isinstance(error, ValidationError):
        return error.one_line()
    lines = str(error).splitlines()
    return " ".join(line.strip() for line in lines if line.strip()) or type(error).__name__
