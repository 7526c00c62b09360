"""Shared by the campaign tests: a scenario whose sessions end in seconds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_support import short_scenario as write_short_scenario


@pytest.fixture(scope="session")
def short_scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """crs20-capture with a 2 s hard limit after free drift: a seed with nobody flying ends
    after 7 simulated seconds (about 0.1 s of work), with every dispersion of the real one."""
    return write_short_scenario(tmp_path_factory.mktemp("scenario"))
