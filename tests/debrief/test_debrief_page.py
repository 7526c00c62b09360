"""The debrief page opened in a real headless browser with the network cut: it shows its
plots and asks for nothing outside the file; report.json carries the debrief."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from trainer.record.notes import append_note, notes_path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium's own services (updates, time, accounts): not requests of the page
BROWSER_HOSTS = ("google.com", "googleapis.com", "gvt1.com", "gstatic.com")
FULL_BAND = (0xD4, 0xEF, 0xDF)  # plots.FULL_COLOUR
OUTSIDE_BAND = (0xF9, 0xD6, 0xD2)  # plots.OUTSIDE_COLOUR


def need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing (tools/system-deps.sh installs it)")
        pytest.skip("chromium is not installed")


@pytest.fixture(scope="module")
def debrief(graded_recording: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("debrief")
    recording = folder / "session.mcap"
    shutil.copy(graded_recording, recording)
    append_note(recording, 40.0, "Closing rate steady; <good> & calm.", "Instructor A")
    append_note(recording, 56.0, "Trigger with the roll settled.", "Instructor A")
    with notes_path(recording).open("a") as f:
        f.write('{"time_s": 60, "text": "a note cut off mid-wri')  # a crash mid-append
    out = folder / "out"
    run = subprocess.run(
        [sys.executable, "-m", "trainer.cli", "report", str(recording), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    return out


def test_page_is_self_contained(debrief: Path) -> None:
    page = (debrief / "debrief.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "<link" not in page.lower() and "@import" not in page
    assert not re.search(r"https?://", page)
    sources = re.findall(r'\b(?:src|href)="([^"]*)"', page)
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)
    # final approach, range, six envelope plots, joints, hand controllers, timeline
    assert len(re.findall(r"<img\b", page)) == 11


def test_page_opens_offline_and_shows_its_plots(debrief: Path, tmp_path: Path) -> None:
    need_chromium()
    shot = tmp_path / "shot.png"
    netlog = tmp_path / "netlog.json"
    base = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--proxy-server=127.0.0.1:9",  # the network is off: any request would fail
        "--hide-scrollbars",
    ]
    url = (debrief / "debrief.html").as_uri()
    subprocess.run(
        [*base, f"--log-net-log={netlog}", "--window-size=1400,3600", f"--screenshot={shot}", url],
        capture_output=True,
        timeout=120,
        check=True,
    )
    dom = subprocess.run(
        [*base, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    assert dom.count("<img") == 11
    assert "CAPTURED: PASS" in dom
    assert "Closing rate steady; &lt;good&gt; &amp; calm." in dom  # notes shown, escaped

    events = json.loads(netlog.read_text())["events"]
    urls = {
        str(e["params"][k])
        for e in events
        for k in ("url", "original_url")
        if k in e.get("params", {})
    }
    page_requests = [u for u in urls if not any(h in u for h in BROWSER_HOSTS)]
    assert page_requests == []

    image = Image.open(shot).convert("RGB")
    assert image.size == (1400, 3600)
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None
    count = {rgb: n for n, rgb in colours}
    # the envelope bands of the plots are on screen: the images were decoded and drawn
    assert count.get(FULL_BAND, 0) > 20_000
    assert count.get(OUTSIDE_BAND, 0) > 20_000


def test_report_json_carries_the_debrief(
    debrief: Path, report_schema: Callable[[Mapping[str, Any]], None]
) -> None:
    report = json.loads((debrief / "report.json").read_text())
    report_schema(report)  # docs/report.schema.json, the debrief block included
    assert report["format"] == "canadarm-trainer/report@3"
    assert report["outcome"] == "captured" and report["passed"] is True
    d = report["debrief"]
    assert d["aids"] == "not recorded"
    assert d["report_source"] == "recording summary"
    assert [a["title"] for a in d["lesson_marks"]] == [
        "General situational awareness",
        "Manoeuvre and task performance",
        "Hand-controller technique",
    ]
    for area in d["lesson_marks"]:
        assert area["mark"] in ("good", "satisfactory", "needs work")
        assert area["metrics"] and all(m["basis"] is not None for m in area["metrics"])
    hc = d["hand_controller"]
    assert 0.0 <= hc["multi_axis_share"] <= 1.0
    assert hc["corrections"] >= 1 and hc["corrections_per_min"] > 0
    assert [n["time_s"] for n in d["annotations"]] == [40.0, 56.0]  # the cut line skipped
