"""Bad input through the real command line (docs/DESIGN.md §5): each case in a subprocess, so what
reaches the terminal is what is checked: exit status 2, exactly one line on stderr (no
pybullet banner), no traceback, and no output file half-written or written at all."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.recorded import read_whole
from trainer.input.state import HandControllerState
from trainer.record.writer import WRITER_METADATA_KEYS, RecordingWriter
from trainer.scenario.loader import load_scenario
from trainer.session import Session

CLI = [sys.executable, "-m", "trainer.cli"]
ENV = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}


def run(
    *args: str, timeout: float = 60.0, prefix: tuple[str, ...] = (), umask: int = -1
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, *CLI, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=ENV,
        check=False,
        umask=umask,
    )


def refused(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """The one stderr line of a refusal (exit 2), holding ``words``."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "pybullet build time" not in result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--seed", "-1"], ["--seed", "-1", "0 to"]),
        (["--seed", "seven"], ["--seed", "'seven'"]),
        (["--seed", "99999999999999999999"], ["--seed"]),
        (["--seeds", "1..100000000"], ["--seeds", "100,000,000", "10,000"]),
        (["--seeds", "9..3"], ["--seeds", "9..3"]),
        (["--seeds", "-5..3"], ["--seeds"]),
        (["--seed", "1", "--seeds", "1..2"], ["not allowed with"]),
        (["--pilot", "no-such-file.mcap"], ["--pilot", "no-such-file.mcap"]),
    ],
    ids=["negative-seed", "text-seed", "huge-seed", "absurd-range", "reversed-range",
         "negative-range", "seed-and-seeds", "missing-recording"],
)  # fmt: skip
def test_grade_arguments_are_refused_in_one_line(
    tmp_path: Path, args: list[str], words: list[str]
) -> None:
    out = tmp_path / "out"
    refused(run("grade", "crs20-capture", *args, "--out", str(out)), *words)
    assert not out.exists(), "nothing is written for a refused command"


def test_unknown_commands_and_scenarios_are_one_line(tmp_path: Path) -> None:
    refused(run("fly-me"), "fly-me")
    refused(run("fly", "--aids", "lots"), "--aids", "lots")
    refused(run("fly", "--seed", "-1"), "--seed")
    refused(run("fly", "crs20-captur", "--out", str(tmp_path / "f")), "crs20-capture")
    a_file = tmp_path / "a-file"
    a_file.write_text("keep me", encoding="utf-8")
    refused(run("fly", "crs20-capture", "--out", str(a_file)), str(a_file), "not a folder")
    assert a_file.read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "f").exists()
    refused(run("grade"), "scenario")
    refused(run("grade", "crs20-captur", "--out", str(tmp_path / "o")), "crs20-capture")
    refused(run("validate"), "PATH")
    assert not (tmp_path / "o").exists()


def test_out_that_cannot_take_the_reports_is_refused_before_running(tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("keep me", encoding="utf-8")
    refused(run("grade", "crs20-capture", "--out", str(a_file)), str(a_file), "not a folder")
    refused(run("grade", "crs20-capture", "--out", str(a_file / "sub")), "a-file", "not a folder")
    assert a_file.read_text(encoding="utf-8") == "keep me"
    holder = tmp_path / "holder"
    (holder / "report.json").mkdir(parents=True)
    refused(run("grade", "crs20-capture", "--out", str(holder)), "report.json", "folder")
    assert sorted(p.name for p in holder.iterdir()) == ["report.json"], "no session was run"


def test_read_only_out_folder_is_refused(tmp_path: Path) -> None:
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    read_only.chmod(0o555)
    # root writes anywhere: drop the capability that lets it, as an ordinary user has none
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:
        prefix = ("setpriv", "--bounding-set=-dac_override,-dac_read_search")
    try:
        line = refused(
            run("grade", "crs20-capture", "--out", str(read_only / "x"), prefix=prefix),
            "cannot write",
        )
        assert "permission denied" in line
        assert list(read_only.iterdir()) == []
    finally:
        read_only.chmod(0o755)


def test_grade_of_an_invalid_scenario_is_one_line_naming_how_many_more(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: Bad Id\nversion: -1\nsurprise: 1\n", encoding="utf-8")
    line = refused(run("grade", str(bad), "--out", str(tmp_path / "o")), "bad.yaml", "more problem")
    assert "validate" in line


def test_validate_of_a_file_of_many_mistakes_prints_a_screenful(tmp_path: Path) -> None:
    many = tmp_path / "many.yaml"
    many.write_text("\n".join(f"key{i}: {i}" for i in range(3000)), encoding="utf-8")
    result = run("validate", str(many), timeout=5)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) <= 25 and lines[-1].endswith("more problems"), lines[-3:]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("sig", "wait_s"),
    [(signal.SIGTERM, 0.3), (signal.SIGHUP, 0.3), (signal.SIGINT, 0.3), (signal.SIGTERM, 0.0)],
    ids=["SIGTERM", "SIGHUP", "SIGINT", "SIGTERM-while-the-session-is-built"],
)
def test_a_signal_ends_the_session_with_a_finalized_recording(
    tmp_path: Path, sig: signal.Signals, wait_s: float
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.json").write_text("{}", encoding="utf-8")  # an earlier run's
    process = subprocess.Popen(
        [*CLI, "grade", "crs20-capture", "--pilot", "none", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    recording = out / "session.mcap"
    deadline = time.monotonic() + 30
    while not recording.exists() and time.monotonic() < deadline:
        time.sleep(0.001)
    time.sleep(wait_s)  # into the session, or at once: while Session() is still built
    process.send_signal(sig)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 128 + sig, err
    assert err.splitlines() == [f"canadarm-trainer grade: interrupted ({sig.name})"]
    rec = read_whole(recording)
    assert rec.complete and rec.notice is None, "the recording is finalized"
    assert rec.events[-1]["kind"] == "end"
    assert sig.name in rec.events[-1]["reason"]
    assert not (out / "report.json").exists(), "no report of a session that did not end"
    assert not (out / "report.md").exists()


# ------------------------------------------------------------------ recordings as pilots
def record(path: Path, scenario_id: str, seed: int, ticks: int = 40) -> Path:
    """A short real session, recorded and finalized as ``grade`` or ``fly`` would."""
    session = Session(load_scenario(scenario_id), seed, pilot="test", recording_path=path)
    try:
        for tick in range(ticks):
            session.tick(HandControllerState(thc=(0.3 if tick < 20 else 0.0, 0.0, 0.0)))
        session.stop("the test stopped here")
    finally:
        session.close(summary={"outcome": session.outcome})
    return path


@pytest.fixture(scope="module")
def easy_seed_3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return record(tmp_path_factory.mktemp("rec") / "easy-3.mcap", "crs20-capture-easy", 3)


def test_a_recording_replays_with_its_own_scenario_and_seed(
    tmp_path: Path, easy_seed_3: Path
) -> None:
    out = tmp_path / "out"
    result = run(
        "grade", "crs20-capture-easy", "--pilot", str(easy_seed_3), "--out", str(out),
        umask=0o027,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", "no banner, no warning"
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    assert modes == dict.fromkeys(["report.json", "report.md", "session.mcap"], 0o640), (
        "every output file as the umask asks, like the recording"
    )
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["seed"] == 3, "the recording's seed, not the default 7"
    assert report["scenario"]["id"] == "crs20-capture-easy"
    assert report["notices"] == []
    original = read_whole(easy_seed_3)
    replayed = read_whole(out / "session.mcap")
    assert [c["digest"] for c in replayed.checkpoints] == [
        c["digest"] for c in original.checkpoints
    ]
    assert replayed.states == original.states
    assert replayed.events[-1]["kind"] == "end"


def test_another_scenario_or_seed_is_refused_unless_allowed(
    tmp_path: Path, easy_seed_3: Path
) -> None:
    out = tmp_path / "out"
    refused(
        run("grade", "crs20-capture", "--pilot", str(easy_seed_3), "--out", str(out)),
        "crs20-capture-easy", "--allow-mismatch",
    )  # fmt: skip
    refused(
        run("grade", "crs20-capture-easy", "--pilot", str(easy_seed_3), "--seed", "4",
            "--out", str(out)),
        "seed 3", "--allow-mismatch",
    )  # fmt: skip
    assert not out.exists()
    result = run(
        "grade", "crs20-capture", "--pilot", str(easy_seed_3), "--seed", "4",
        "--allow-mismatch", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["seed"] == 4 and report["scenario"]["id"] == "crs20-capture"
    assert len(report["notices"]) == 2
    assert all(n in report["notes"] for n in report["notices"])
    assert "crs20-capture-easy" in report["notices"][0]
    assert "## Notice" in (out / "report.md").read_text(encoding="utf-8")


def test_a_recording_cut_off_by_a_crash_is_graded_up_to_the_cut(
    tmp_path: Path, easy_seed_3: Path
) -> None:
    long = record(tmp_path / "long.mcap", "crs20-capture-easy", 3, ticks=300)
    data = long.read_bytes()
    cut = tmp_path / "cut.mcap"
    cut.write_bytes(data[: len(data) // 3])  # a crash a third of the way in
    kept = len(read_whole(cut).inputs)
    assert 0 < kept < 300
    out = tmp_path / "out"
    result = run("grade", "crs20-capture-easy", "--pilot", str(cut), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "notice:" in result.stdout
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert len(report["notices"]) == 1 and "incomplete" in report["notices"][0]
    assert report["notices"][0] in report["notes"]
    assert "recording's inputs end" in report["outcome_reason"]
    # graded up to the cut: one tick per input read, not run on to a timeout
    assert report["metrics"]["session_end_s"] == pytest.approx(kept / 60, abs=1e-9)
    assert "incomplete" in (out / "report.md").read_text(encoding="utf-8")


def _rewrite_inputs(source: Path, target: Path, change: dict[str, object] | None) -> Path:
    """``source`` with its /input messages replaced: ``change`` merged into tick 5's (an
    empty change drops tick 5), or no /input at all when None."""
    rec = read_whole(source)
    metadata = {k: v for k, v in rec.metadata.items() if k not in WRITER_METADATA_KEYS}
    with RecordingWriter(target, metadata) as writer:
        if change is not None:
            for message in rec.inputs:
                payload = {k: v for k, v in message.items() if k not in ("tick", "time_s")}
                if message["tick"] == 5:
                    if not change:
                        continue
                    payload = {**payload, **change}
                writer.write_input(message["tick"], message["time_s"], payload)
        for event in rec.events:
            writer.write_event(event["time_s"], event["kind"], {
                k: v for k, v in event.items() if k not in ("time_s", "kind")
            })  # fmt: skip
    return target


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (None, ["no /input messages"]),
        ({"thc": [5, 5, 5]}, ["tick 5", "thc[0]", "outside [-1, 1]"]),
        ({"rhc": [0.0, "fast", 0.0]}, ["tick 5", "rhc[1]"]),
        ({"connected": "false"}, ["tick 5", "connected", "'false'"]),
        ({"buttons": ["warp"]}, ["tick 5", "buttons[0]", "'warp'"]),
        ({}, ["tick 6", "follows tick 4", "missing"]),
    ],
    ids=[
        "no-inputs",
        "out-of-range",
        "wrong-type",
        "connected-as-text",
        "unknown-button",
        "a-tick-missing",
    ],
)
def test_a_recording_with_bad_inputs_is_refused_naming_tick_and_field(
    tmp_path: Path, easy_seed_3: Path, change: dict[str, object] | None, words: list[str]
) -> None:
    bad = _rewrite_inputs(easy_seed_3, tmp_path / "bad.mcap", change)
    out = tmp_path / "out"
    refused(run("grade", "crs20-capture-easy", "--pilot", str(bad), "--out", str(out)),
            "bad.mcap", *words)  # fmt: skip
    assert not out.exists()


def test_out_may_not_overwrite_the_recording_being_replayed(tmp_path: Path) -> None:
    out = tmp_path / "run"
    out.mkdir()
    recording = record(out / "session.mcap", "crs20-capture-easy", 3, ticks=10)
    before = recording.read_bytes()
    refused(run("grade", "crs20-capture-easy", "--pilot", str(recording), "--out", str(out)),
            "overwrite")  # fmt: skip
    assert recording.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
         + b"".join(f"a{i}: &a{i} [{', '.join(['*a' if i == 0 else f'*a{i - 1}'] * 10)}]\n".encode()
                    for i in range(6)), ["more than 5,000 values"]),
        (b"x: " + b"[" * 3000 + b"]" * 3000 + b"\n", ["nested more than 12 levels"]),
        (b"k: " + b"v" * (200 * 1024), ["too large"]),
        ("thc: 1\n".encode("utf-16"), ["not UTF-8"]),
    ],
    ids=["alias-bomb", "deep", "large", "utf-16"],
)  # fmt: skip
def test_devices_refuses_a_hostile_bindings_file_in_one_line(
    tmp_path: Path, content: bytes, words: list[str]
) -> None:
    bindings = tmp_path / "bindings.yaml"
    bindings.write_bytes(content)
    refused(
        run("devices", "--once", "--bindings", str(bindings), timeout=10), "bindings.yaml", *words
    )


def test_many_seeds_check_every_existing_seed_folder_first(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "seed-2" / "report.md").mkdir(parents=True)
    refused(run("grade", "crs20-capture", "--seeds", "1..2", "--out", str(out)),
            "seed-2", "report.md")  # fmt: skip
    assert sorted(p.name for p in out.iterdir()) == ["seed-2"], "seed 1 never ran"
