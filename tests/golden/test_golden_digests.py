"""Golden seed digests: every shipped scenario, flown by the autopilot with seed 1 for ten
simulated seconds, passes through exactly the physics states recorded in
tests/golden/digests.json (regenerated on purpose only, by tests/golden/regenerate.py)."""

from __future__ import annotations

import json

import pytest
from regenerate import DIGESTS_PATH, SEED, TICKS, fly

from trainer.scenario.loader import scenario_ids

GOLDEN = json.loads(DIGESTS_PATH.read_text(encoding="utf-8"))


def test_the_golden_file_covers_every_shipped_scenario() -> None:
    assert GOLDEN["seed"] == SEED and GOLDEN["ticks"] == TICKS
    assert sorted(GOLDEN["scenarios"]) == scenario_ids(), (
        "a scenario was added or removed: run `python tests/golden/regenerate.py`"
    )


@pytest.mark.parametrize("scenario_id", scenario_ids())
def test_each_scenario_flies_through_its_golden_states(scenario_id: str) -> None:
    expected = GOLDEN["scenarios"].get(scenario_id)
    assert expected is not None, "no golden digests: run `python tests/golden/regenerate.py`"
    got = fly(scenario_id)
    first = next((i for i, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b), None)
    assert first is None, (
        f"{scenario_id}: the physics state differs from the golden one from t = {first + 1} s "
        "(seed 1, autopilot): if the change is meant, run `python tests/golden/regenerate.py` "
        "and say why in the commit"
    )
