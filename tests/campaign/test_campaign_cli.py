"""``grade`` campaigns on the command line (docs/DESIGN.md §5, §12), in subprocesses:
recordings found by a folder or a glob re-graded each on its own scenario and seed, a
recording that cannot be replayed reported as not graded while the others are, and every
bad input (an unknown executor, an address without a port, a scheduler nobody answers, a
glob that finds nothing) one line on stderr with status 2 and nothing written; a signal
stops a campaign graded in the command's own process and keeps the session in progress."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from hostile_support import CLI, ENV, cli, forge, refused

from trainer.record.seek import open_recording


@pytest.fixture(scope="module")
def classroom(short_scenario: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three trainees' recordings (seeds 1..3 of the short scenario) and a fourth whose
    /input was tampered with, in one folder per trainee."""
    made = tmp_path_factory.mktemp("made")
    result = cli(
        "grade", str(short_scenario), "--pilot", "none", "--seeds", "1..3", "--jobs", "2",
        "--no-history", "--out", str(made),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    room = tmp_path_factory.mktemp("class")
    for name, seed in (("alice", 1), ("bob", 2), ("carol", 3)):
        (room / name).mkdir()
        shutil.copy(made / f"seed-{seed}" / "session.mcap", room / name / "session.mcap")
        shutil.copy(made / f"seed-{seed}" / "report.json", room / name / "flown.json")
    (room / "dave").mkdir()
    forge(
        made / "seed-1" / "session.mcap",
        room / "dave" / "session.mcap",
        input_bytes=lambda i, data: (
            data.replace(b'"connected":true', b'"connected":1') if i == 30 else data
        ),
    )
    return room


def test_a_folder_of_recordings_is_regraded_each_on_its_own_scenario_and_seed(
    classroom: Path, tmp_path: Path
) -> None:
    out = tmp_path / "regrade"
    result = cli(
        "grade", "--pilot", str(classroom), "--jobs", "2", "--no-history", "--out", str(out)
    )
    assert result.returncode == 1, result.stderr  # one recording was not graded
    assert "Traceback" not in result.stderr
    summary = json.loads((out / "campaign.json").read_text())
    assert summary["work"] == "recordings" and summary["requested"] == 4
    assert summary["graded"] == 3 and summary["scenario"] is None
    assert [j["key"] for j in summary["jobs"]] == [
        "alice__session",
        "bob__session",
        "carol__session",
    ]
    for name, job in zip(("alice", "bob", "carol"), summary["jobs"], strict=True):
        flown = json.loads((classroom / name / "flown.json").read_text())
        graded = json.loads((out / f"{name}__session" / "report.json").read_text())
        assert job["seed"] == flown["seed"] == graded["seed"]
        assert graded["scenario"] == flown["scenario"]  # the recording's own
        assert graded["pilot"] == "recording:session.mcap"
        for key in ("outcome", "passed", "score", "reasons", "metrics"):
            assert graded[key] == flown[key], (name, key)
    (refusal,) = summary["not_graded"]
    assert refusal["key"] == "dave__session" and refusal["seed"] is None
    assert "connected" in refusal["error"]  # the field at fault, from the one input check
    assert not (out / "dave__session").exists()
    assert "not graded    dave__session:" in result.stdout
    page = (out / "campaign.html").read_text(encoding="utf-8")
    # three jobs: no plots (a short batch does not pay matplotlib for them), said so
    assert "data:image/png" not in page and "drawn for longer campaigns" in page


def test_a_glob_picks_the_recordings_and_leaves_the_output_folder_out(
    classroom: Path, tmp_path: Path
) -> None:
    out = classroom / "regraded"  # inside the folder searched: its recordings are not work
    for _ in range(2):
        result = cli(
            "grade", "--pilot", str(classroom / "**" / "*.mcap"), "--jobs", "1",
            "--no-history", "--out", str(out),
        )  # fmt: skip
        assert result.returncode == 1, result.stderr
        summary = json.loads((out / "campaign.json").read_text())
        assert summary["requested"] == 4 and summary["graded"] == 3
    shutil.rmtree(out)


def test_a_recording_of_another_scenario_is_not_graded_on_the_one_given(
    classroom: Path, tmp_path: Path
) -> None:
    result = cli(
        "grade", "crs20-capture", "--pilot", str(classroom / "[ab]*" / "session.mcap"),
        "--no-history", "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert result.returncode == 1
    summary = json.loads((tmp_path / "out" / "campaign.json").read_text())
    assert summary["graded"] == 0 and len(summary["not_graded"]) == 2
    assert all("--allow-mismatch" in item["error"] for item in summary["not_graded"])


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--executor", "cluster"], ["--executor", "'cluster'", "dask://HOST:PORT"]),
        (["--executor", "dask://127.0.0.1"], ["--executor", "dask://HOST:PORT"]),
        (["--executor", "dask://:8786"], ["--executor", "dask://HOST:PORT"]),
        (["--executor", "dask://127.0.0.1:9"], ["--executor dask://127.0.0.1:9", "cannot reach"]),
        (["--jobs", "0"], ["--jobs", "0"]),
    ],
    ids=["unknown", "no-port", "no-host", "nobody-there", "zero-jobs"],
)
def test_bad_campaign_input_is_one_line_and_status_2(
    short_scenario: Path, tmp_path: Path, args: list[str], words: list[str]
) -> None:
    out = tmp_path / "out"
    result = cli(
        "grade", str(short_scenario), "--pilot", "none", "--seeds", "1..2", *args,
        "--out", str(out),
        env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"},
    )  # fmt: skip
    refused(result, *words)
    assert not out.exists()


def test_recordings_that_are_not_there_are_one_line_and_status_2(
    classroom: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    refused(
        cli("grade", "--pilot", str(tmp_path / "*.mcap"), "--out", str(out)),
        "no recording",
    )
    (tmp_path / "empty").mkdir()
    refused(cli("grade", "--pilot", str(tmp_path / "empty"), "--out", str(out)), "no recording")
    refused(
        cli("grade", "--pilot", str(classroom), "--seeds", "1..2", "--out", str(out)),
        "own seeds",
    )
    refused(cli("grade", "--pilot", "none", "--out", str(out)), "scenario is needed")
    assert not out.exists()


def test_a_signal_stops_an_in_process_campaign_and_keeps_the_session_in_progress(
    short_scenario: Path, tmp_path: Path
) -> None:
    """``--jobs 1`` grades in the command's own process: the session a signal stops ends
    with its recording's ``end`` event, written into its seed's folder without a report,
    as the local pool's workers leave theirs (tests/test_batch.py)."""
    out = tmp_path / "out"
    command = [*CLI, "grade", str(short_scenario), "--pilot", "none", "--seeds", "1..300"]
    process = subprocess.Popen(
        [*command, "--jobs", "1", "--no-history", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    deadline = time.monotonic() + 120
    while len(list(out.glob("seed-*/report.json"))) < 3:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no seed graded in 120 s"
        time.sleep(0.02)
    process.send_signal(signal.SIGTERM)
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr
    assert stderr.splitlines()[-1] == "canadarm-trainer grade: interrupted (SIGTERM)"
    graded = sorted(int(p.parent.name[5:]) for p in out.glob("seed-*/report.json"))
    folders = sorted(int(p.name[5:]) for p in out.glob("seed-*"))
    assert graded == list(range(1, len(graded) + 1)) and len(graded) < 300
    assert folders in (graded, [*graded, len(graded) + 1])  # at most the one in progress
    for seed in set(folders) - set(graded):
        assert sorted(p.name for p in (out / f"seed-{seed}").iterdir()) == ["session.mcap"]
        with open_recording(out / f"seed-{seed}" / "session.mcap") as recording:
            assert recording.complete
            ends = [e for e in recording.events() if e["kind"] == "end"]
            assert "interrupted (SIGTERM)" in ends[-1]["reason"]
    assert json.loads((out / "campaign.json").read_text())["stopped"] == "SIGTERM"
