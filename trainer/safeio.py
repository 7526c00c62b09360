"""Opening the files a user hands over, and writing the files a command leaves behind,
without being led astray by links, special files or another run (docs/DESIGN.md §5).

Reading: ``open_regular`` opens without blocking (``O_NONBLOCK``: a FIFO with no writer
would otherwise hang the open) and keeps the file only if ``fstat`` says it is a regular
file; anything else is an ``OSError`` whose ``strerror`` names what it is, so every caller's
existing one-line ``cannot read: ...`` message covers it.

Writing: every output is created without following a link and only in a real folder.

| helper              | what it guarantees                                                  |
|---------------------|---------------------------------------------------------------------|
| ``check_output_folder`` | before any work: the folder can take the command's files (no file |
|                     | or link in its place, writable, no folder or link where a file goes) |
| ``make_folder``     | the folder exists and is a real directory (a link there is refused)  |
| ``create_file``     | a new file (``O_EXCL | O_NOFOLLOW``) replacing a regular one: a link |
|                     | or a hard-linked file's other names are never written through (an   |
|                     | OSError naming why, which the recording writer reports in one line)  |
| ``write_atomically``| the whole text or nothing: a temporary file in the (checked) folder, |
|                     | then a rename, which replaces a name and never follows it           |
| ``write_together``  | several files of one run: all written, then all renamed in place    |
| ``append_line``     | one write at the end of a regular file, never through a link         |
| ``FolderLock``      | one run per output folder: ``flock`` on a lock file inside it, held  |
|                     | for the run's lifetime; a second run is refused naming the first     |
| ``remove_leftovers``| the temporary files a killed run left in a folder it now holds       |

A link or a non-regular file where an output goes is an ``OutputError``: one line, exit 2.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from trainer.errors import OutputError

LOCK_NAME = ".canadarm-trainer.lock"
TEMP_SUFFIX = ".tmp"


class NotRegularFileError(OSError):
    """A FIFO, a device, a socket ... where a file was expected."""


def describe_mode(mode: int) -> str:
    """What kind of file ``mode`` is, for a message ("a FIFO (named pipe)" ...)."""
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a symbolic link"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def open_regular(path: Path | str) -> BinaryIO:
    """``path`` opened for reading if it is a regular file; never blocks on a FIFO or a
    device. Raises FileNotFoundError, IsADirectoryError or NotRegularFileError (OSErrors)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(
                errno.EINVAL, f"is {describe_mode(mode)}, not a regular file", str(path)
            )
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path | str, max_bytes: int) -> bytes | None:
    """The bytes of a regular file, or None when it holds more than ``max_bytes``."""
    with open_regular(path) as f:
        if os.fstat(f.fileno()).st_size > max_bytes:
            return None
        data = f.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


def _link_refused(what: str, path: Path) -> OutputError:
    return OutputError(
        f"{what}: {path} is a symbolic link; an output is never written through a link "
        "(remove it or choose another folder)"
    )


def check_output_target(path: Path, what: str) -> None:
    """Refuse a link, or anything but a regular file, where the output file ``path`` goes."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        raise _link_refused(what, path)
    if not stat.S_ISREG(mode):
        raise OutputError(f"{what}: {path} is {describe_mode(mode)}; it must be a file")


def check_real_folder(path: Path, what: str) -> None:
    """Refuse ``path`` unless it is a real directory (not a link to one)."""
    mode = os.lstat(path).st_mode
    if stat.S_ISLNK(mode):
        raise _link_refused(what, path)
    if not stat.S_ISDIR(mode):
        raise OutputError(f"{what}: {path} is {describe_mode(mode)}, not a folder")


def check_output_folder(out: Path, names: Sequence[str]) -> None:
    """Refuse, before anything runs, an output folder that cannot take ``names``: a file
    in its place or above it, a folder that cannot be written, a symbolic link as the
    folder or where one of the files goes (never followed), or a
    folder or special file where one of the files should go. OutputError names the path."""
    existing = out
    while not os.path.lexists(existing):
        if existing.parent == existing:
            break
        existing = existing.parent
    if existing == out:
        if out.is_symlink():
            check_real_folder(out, "--out")  # refuses it, naming the link
    elif existing.is_symlink() and not existing.exists():  # dangling: mkdir would fail
        raise OutputError(f"--out {out}: {existing} is a broken symbolic link")
    if not existing.is_dir():
        if existing == out:
            raise OutputError(f"--out {out}: is a file, not a folder")
        raise OutputError(f"--out {out}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"--out {out}: cannot write in {existing} (permission denied)")
    try:  # os.access cannot see everything (read-only mounts for root, ACLs): try it
        fd, probe = tempfile.mkstemp(dir=existing, prefix=".canadarm-trainer-probe.")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"--out {out}: cannot write in {existing} ({exc.strerror})") from None
    if existing == out:
        for name in names:
            target = out / name
            if target.is_dir() and not target.is_symlink():
                raise OutputError(f"--out {out}: {target} is a folder; it must be a file")
            check_output_target(target, "--out")
            if target.exists() and not os.access(target, os.W_OK):
                raise OutputError(f"--out {out}: {target} cannot be overwritten")


def make_folder(path: Path, what: str) -> None:
    """Create ``path`` (and its missing parents) unless it exists; it must end up a real
    directory: a link in its place is refused, never followed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.mkdir(path)
    check_real_folder(path, what)


def file_mode() -> int:
    """rw for whoever the umask allows: the mode ``open()`` gives a new file, where
    ``mkstemp`` would give 0600."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def create_file(path: Path) -> BinaryIO:
    """A new, empty file at ``path`` for writing, replacing a regular file of that name
    (unlinked, so that another name of a hard-linked file keeps its content). A link or
    anything but a regular file there is an OSError whose ``strerror`` says so."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    for _attempt in range(3):
        try:
            fd = os.open(path, flags, 0o666)
        except FileExistsError:
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                raise OSError(
                    errno.ELOOP, "is a symbolic link (never written through)", str(path)
                ) from None
            if not stat.S_ISREG(mode):
                raise NotRegularFileError(
                    errno.EEXIST, f"is {describe_mode(mode)}, not a file", str(path)
                ) from None
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            continue
        return os.fdopen(fd, "wb")
    raise OSError(errno.EEXIST, "keeps being recreated by another process", str(path))


def write_atomically(path: Path, data: str | bytes, what: str = "--out") -> None:
    """Write ``data`` (text is UTF-8) to ``path`` via a temporary file beside it and a
    rename: never half a file, never through a link. The folder must be a real directory;
    the file gets the same permissions as any other file the user creates."""
    check_real_folder(path.parent, what)
    check_output_target(path, what)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        os.fchmod(fd, file_mode())
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_together(folder: Path, files: dict[str, str | bytes], what: str = "--out") -> None:
    """Write several files that describe one thing (a report and its debrief page): every
    temporary file first, then the old files removed, then each renamed into place, so
    that a run killed in between leaves a file missing, never a new one beside an old one."""
    check_real_folder(folder, what)
    temporaries: dict[str, str] = {}
    try:
        for name, data in files.items():
            check_output_target(folder / name, what)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=TEMP_SUFFIX)
            temporaries[name] = tmp
            os.fchmod(fd, file_mode())
            with os.fdopen(fd, "wb") as f:
                f.write(data.encode("utf-8") if isinstance(data, str) else data)
        for name in files:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(folder / name)
        for name, tmp in temporaries.items():
            os.replace(tmp, folder / name)
    except BaseException:
        for tmp in temporaries.values():
            Path(tmp).unlink(missing_ok=True)
        raise


def append_line(path: Path, line: bytes, what: str) -> None:
    """Append ``line`` to a regular file with one write, then fsync; never through a link."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags | os.O_NONBLOCK, 0o666)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _link_refused(what, path) from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OutputError(f"{what}: {path} is {describe_mode(mode)}; it must be a file")
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_leftovers(folder: Path, names: tuple[str, ...]) -> None:
    """Remove ``.NAME.*.tmp`` files a killed run left behind (``write_atomically``'s
    temporaries); only called by a run that holds the folder's lock, so none is in use."""
    prefixes = tuple(f".{name}." for name in names)
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(prefixes) and entry.name.endswith(TEMP_SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _this_run() -> str:
    """``pid N: canadarm-trainer ARGS`` for the lock file (printable, at most 200 chars)."""
    from trainer.text import terminal_text

    command = " ".join(["canadarm-trainer", *sys.argv[1:]])
    return f"pid {os.getpid()}: {terminal_text(command, 160)}"


class FolderLock:
    """An exclusive ``flock`` on ``FOLDER/.canadarm-trainer.lock`` for one run's lifetime
    (``with FolderLock(folder, "--out"):``). A second run is refused at once (OutputError
    naming the run that holds it, from the lock file); the lock ends with the process even
    when it is killed, and the file is removed when the run ends normally."""

    def __init__(self, folder: Path, what: str) -> None:
        self.folder = folder
        self.what = what
        self.path = folder / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> FolderLock:
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
        while True:
            try:
                fd = os.open(self.path, flags, 0o666)
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    raise _link_refused(self.what, self.path) from None
                raise
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 400, 0).decode("utf-8", "replace").strip()
                os.close(fd)
                raise OutputError(
                    f"{self.what} {self.folder}: in use by another run "
                    f"({holder or 'unknown'}); wait for it to end or choose another folder"
                ) from None
            except BaseException:
                os.close(fd)
                raise
            # A run that was ending may have removed the file we opened: lock the new one.
            try:
                same = os.path.samestat(os.fstat(fd), os.lstat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.pwrite(fd, (_this_run() + "\n").encode("utf-8"), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.path)  # still locked: a waiting run then locks a new file
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> FolderLock:
        return self.acquire() if self._fd is None else self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
