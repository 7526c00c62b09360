"""The viewer's reading of the events: every kind a recording can hold is marked on the
timeline (in a lane, with a colour) and written in the call log, as ``fly`` logs it."""

from __future__ import annotations

from trainer.record.schemas import EVENT_KINDS
from trainer.ui.replay.model import _EVENT_CATEGORY, CATEGORIES, NOT_MARKED, _event_text
from trainer.ui.replay.strip import LANES, MARKER_COLOURS


def test_every_recorded_event_kind_has_a_lane_and_a_colour() -> None:
    laned = {c for _title, categories in LANES for c in categories}
    for kind, _constants, _fields in EVENT_KINDS:
        if kind in NOT_MARKED:
            continue
        category = _EVENT_CATEGORY.get(kind)
        assert category in CATEGORIES, kind
        assert category in laned and category in MARKER_COLOURS, kind
    assert "other" in laned  # a kind of a newer trainer is still drawn


def test_event_log_lines_read_like_the_windows() -> None:
    assert _event_text({"kind": "trigger", "tier": "full"}) == ("TRIGGER full", "capture")
    assert _event_text({"kind": "go_no_go", "decision": "go"}) == ("GO NO GO go", "capture")
    text, category = _event_text({"kind": "fault", "fault": "camera_loss", "camera": "lee"})
    assert text == "FAULT: fault camera_loss, camera lee" and category == "fault"
    assert _event_text({"kind": "call", "text": "Station, Houston: GO."}) == (
        "Station, Houston: GO.",
        "call",
    )
