"""Nothing overwritten, nothing hangs (issue 24; trainer/safeio.py, docs/DESIGN.md §5): no
output is written through a link, one run at a time holds an output folder, a FIFO is
never opened as an input, a killed run's temporary files are cleaned up, and an OS error
has one exit status. Through the real command line in a subprocess."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest
from hostile_support import CLI, ENV, cli, refused, short_scenario

from trainer.errors import OutputError
from trainer.record.notes import append_note, notes_path
from trainer.safeio import LOCK_NAME


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    return short_scenario(tmp_path)


def test_a_linked_recording_is_refused_and_its_target_untouched(
    tmp_path: Path, scenario: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me")
    (out / "session.mcap").symlink_to(victim)
    refused(cli("grade", str(scenario), "--out", str(out)), "session.mcap", "symbolic link")
    assert victim.read_text() == "keep me"
    assert not (out / "report.json").exists()


@pytest.mark.parametrize("name", ["report.json", "report.md"])
def test_a_linked_report_is_refused(tmp_path: Path, scenario: Path, name: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me")
    (out / name).symlink_to(victim)
    refused(cli("grade", str(scenario), "--out", str(out)), name, "symbolic link")
    assert victim.read_text() == "keep me" and (out / name).is_symlink()


def test_a_linked_output_folder_and_seed_folder_are_refused(tmp_path: Path, scenario: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "linked").symlink_to(elsewhere)
    refused(cli("grade", str(scenario), "--out", str(tmp_path / "linked")), "symbolic link")
    out = tmp_path / "batch"
    out.mkdir()
    (out / "seed-2").symlink_to(elsewhere)
    result = cli("grade", str(scenario), "--pilot", "none", "--seeds", "1..3", "--out", str(out))
    refused(result, "seed-2", "symbolic link")
    assert list(elsewhere.iterdir()) == []


def test_a_hard_linked_recording_is_replaced_not_overwritten(
    tmp_path: Path, scenario: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    other = tmp_path / "other-name.mcap"
    other.write_text("the other name's content")
    os.link(other, out / "session.mcap")
    result = cli("grade", str(scenario), "--pilot", "none", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert other.read_text() == "the other name's content"
    assert (out / "session.mcap").stat().st_nlink == 1


def test_the_notes_sidecar_is_never_appended_through_a_link(tmp_path: Path) -> None:
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me")
    recording = tmp_path / "session.mcap"
    notes_path(recording).symlink_to(victim)
    with pytest.raises(OutputError, match="symbolic link"):
        append_note(recording, 1.0, "a note", "instructor")
    assert victim.read_text() == "keep me"


def test_the_history_plot_is_not_written_through_a_link_and_has_the_usual_mode(
    tmp_path: Path,
) -> None:
    env = {"CANADARM_TRAINER_DATA_DIR": str(tmp_path / "data")}
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me")
    (tmp_path / "linked.png").symlink_to(victim)
    refused(cli("history", "--plot", str(tmp_path / "linked.png"), env=env), "symbolic link")
    assert victim.read_text() == "keep me"
    result = cli("history", "--plot", str(tmp_path / "plot.png"), env=env, umask=0o022)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((tmp_path / "plot.png").stat().st_mode) == 0o644


def _start_batch(scenario: str, out: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*CLI, "grade", scenario, "--pilot", "none", "--seeds", "1..40", "--out", str(out), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )


def _wait_for(path: Path, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def test_a_second_run_into_the_same_folder_is_refused_naming_the_first(tmp_path: Path) -> None:
    out = tmp_path / "shared"
    first = _start_batch("crs20-capture", out, "--jobs", "1", "--no-history")
    try:
        _wait_for(out / "seed-1" / "report.json")  # the lock was taken before the first seed
        second = cli("grade", "crs20-approach", "--out", str(out), "--no-history", timeout=30)
        line = refused(second, f"--out {out}", "in use by another run", f"pid {first.pid}")
        assert "crs20-capture" in line  # the other run's command
        report = cli("report", str(out / "seed-1" / "session.mcap"), "--out", str(out))
        refused(report, "in use by another run")
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=30)
    assert not (out / LOCK_NAME).exists()  # released (and removed) when the run ends
    after = cli("grade", str(short_scenario(tmp_path)), "--out", str(out), "--no-history")
    assert after.returncode == 0, after.stderr


def test_a_killed_runs_temporary_files_are_cleaned_up(tmp_path: Path, scenario: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stale = [out / ".report.json.abc123.tmp", out / ".report.md.x.tmp"]
    for path in stale:
        path.write_text("half")
    keep = out / ".my-own-file.tmp"
    keep.write_text("not ours")
    result = cli("grade", str(scenario), "--pilot", "none", "--out", str(out), "--no-history")
    assert result.returncode == 0, result.stderr
    assert not any(p.exists() for p in stale) and keep.exists()


def test_report_checks_its_out_before_any_work(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    # the recording does not even exist: the folder is refused first, at no cost
    refused(
        cli("report", str(tmp_path / "missing.mcap"), "--out", str(afile / "sub")),
        f"--out {afile / 'sub'}",
        "is a file, not a folder",
    )


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "{fifo}"],
        ["grade", "{fifo}"],
        ["devices", "--once", "--bindings", "{fifo}"],
    ],
    ids=["validate", "grade", "bindings"],
)
def test_a_fifo_input_is_refused_without_blocking(tmp_path: Path, args: list[str]) -> None:
    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)
    result = cli(*[a.format(fifo=fifo) for a in args], timeout=30)
    assert result.returncode == 2, result.stderr
    assert "FIFO" in result.stderr and "Traceback" not in result.stderr


def test_an_os_error_has_the_documented_exit_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """/proc/1/ is a real folder that takes no new file: the write fails in the OS."""
    result = cli("history", "--plot", "/proc/1/plot.png", env={
        "CANADARM_TRAINER_DATA_DIR": str(tmp_path / "data")
    })  # fmt: skip
    refused(result, "--plot /proc/1/plot.png", "cannot write it")
    # an OSError no check foresaw reaches the command line's last handler: status 2 too
    from trainer import cli as cli_module

    def fails(args: object) -> int:
        raise OSError(28, "No space left on device", "/full/disk/report.json")

    parser, handlers = cli_module.build_parser()
    monkeypatch.setattr(cli_module, "build_parser", lambda: (parser, {**handlers, "list": fails}))
    assert cli_module.main(["list"]) == 2
    err = capsys.readouterr().err
    assert err == "canadarm-trainer list: /full/disk/report.json: No space left on device\n"
    assert cli_module.__doc__ is not None
    assert "| the operating system refuses a read or write | " in cli_module.__doc__
    design = (Path(__file__).resolve().parents[1] / "docs/DESIGN.md").read_text()
    assert "An operating-system error (a full disk, a read-only file system) exits 2" in design


def test_a_run_killed_between_the_renames_leaves_no_mismatched_pair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """report.json and debrief.html describe one report: both old files go before either
    new one arrives, so a kill in between leaves one missing, never a new beside an old."""
    from trainer.safeio import write_together

    (tmp_path / "report.json").write_text("old")
    (tmp_path / "debrief.html").write_text("old")
    real_replace = os.replace
    calls: list[str] = []

    def replace_then_die(src: str, dst: os.PathLike[str]) -> None:
        calls.append(str(dst))
        if len(calls) == 2:
            raise KeyboardInterrupt  # the kill, between the two renames
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_then_die)
    with pytest.raises(KeyboardInterrupt):
        write_together(tmp_path, {"report.json": "new", "debrief.html": "new"})
    assert (tmp_path / "report.json").read_text() == "new"
    assert not (tmp_path / "debrief.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]  # no temporaries
