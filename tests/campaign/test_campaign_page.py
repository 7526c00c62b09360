"""``campaign.html`` (trainer/campaign/page.py, docs/DESIGN.md §12) opened in a real headless
Chromium with the network cut, as the debrief page is: it shows its two figures (the score
distribution, the pass rate against each dispersed parameter), the pass rate with its
interval and the worst jobs, asks for nothing outside the file, escapes what reports say;
and the same summary makes the same bytes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from trainer.campaign.page import campaign_page
from trainer.campaign.plots import pass_rate_by_parameter, score_distribution
from trainer.campaign.summary import Row, summarize

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_HOSTS = ("google.com", "googleapis.com", "gvt1.com", "gstatic.com")
PASS_RGB = (0x27, 0xAE, 0x60)  # plots.PASS_COLOUR
FAIL_RGB = (0xC0, 0x39, 0x2B)  # plots.FAIL_COLOUR
NAMES = ("position_m.x", "position_m.y", "velocity_m_s.z", "attitude_deg.yaw")


def _rows() -> list[Row]:
    """60 jobs whose pass depends on position x (a dispersion that decides the outcome)."""
    rng = np.random.default_rng(11)
    rows = []
    for seed in range(1, 61):
        draws = tuple((name, float(rng.normal(0.0, 0.15))) for name in NAMES)
        passed = draws[0][1] < 0.05
        rows.append(
            Row(
                key=f"seed-{seed}",
                seed=seed,
                scenario="crs20-capture",
                outcome="captured" if passed else "missed",
                passed=passed,
                score=float(70 + 25 * rng.random()) if passed else float(20 + 30 * rng.random()),
                reasons=()
                if passed
                else (f"lateral offset {abs(draws[0][1]):.2f} m <b>too far</b>",),
                draws=draws,
                environment=0,
            )
        )
    return rows


def _page(folder: Path) -> Path:
    rows = _rows()
    meta = {
        "started_utc": "2023-11-14T22:13:20+00:00",
        "work": "seeds",
        "requested": 61,
        "scenario": "crs20-capture",
        "pilot": "autopilot",
        "stopped": None,
    }
    not_graded = [{"key": "seed-61", "seed": 61, "error": "its worker died (exit status 9)"}]
    summary = summarize(meta, rows, not_graded, [{"trainer": "0.1.0", "libm_path": "fma"}])
    figures = {
        "score": score_distribution(rows),
        "dispersions": pass_rate_by_parameter(rows, summary["dispersions"]),
    }
    path = folder / "campaign.html"
    path.write_text(campaign_page(json.loads(json.dumps(summary)), figures), encoding="utf-8")
    return path


def test_the_page_is_self_contained_and_the_same_every_time(tmp_path: Path) -> None:
    page = _page(tmp_path).read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "<link" not in page.lower() and "@import" not in page
    assert not re.search(r"https?://", page)
    sources = re.findall(r'\b(?:src|href)="([^"]*)"', page)
    assert len(sources) == 2 and all(s.startswith("data:image/png;base64,") for s in sources)
    assert "&lt;b&gt;too far&lt;/b&gt;" in page and "<b>too far</b>" not in page
    (tmp_path / "again").mkdir()
    assert _page(tmp_path / "again").read_bytes() == page.encode("utf-8")


def test_the_page_opens_offline_and_shows_its_figures(tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing (tools/system-deps.sh installs it)")
        pytest.skip("chromium is not installed")
    page = _page(tmp_path)
    shot, netlog = tmp_path / "shot.png", tmp_path / "netlog.json"
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
    url = page.as_uri()
    subprocess.run(
        [*base, f"--log-net-log={netlog}", "--window-size=1300,2600", f"--screenshot={shot}", url],
        capture_output=True,
        timeout=120,
        check=True,
    )
    dom = subprocess.run(
        [*base, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    assert dom.count("<img") == 2
    passed = sum(1 for r in _rows() if r.passed)
    assert f"{passed} of 60 graded jobs" in dom and "Wilson interval" in dom
    assert "Look at these first" in dom and "its worker died" in dom

    events = json.loads(netlog.read_text())["events"]
    urls = {
        str(e["params"][k])
        for e in events
        for k in ("url", "original_url")
        if k in e.get("params", {})
    }
    assert [u for u in urls if not any(h in u for h in BROWSER_HOSTS)] == []

    colours = Image.open(shot).convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None
    count = {rgb: n for n, rgb in colours}
    # the histogram's bars and the parameters' ticks were decoded and drawn
    assert count.get(PASS_RGB, 0) > 1_000
    assert count.get(FAIL_RGB, 0) > 1_000
