"""grade's seed ranges: ``--seeds A..B`` is parsed lazily and bounded."""

from __future__ import annotations

import pytest

import trainer.grade as grade
from trainer.errors import TrainerError


def test_seed_ranges_are_lazy_and_bounded() -> None:
    seeds = grade.parse_seeds("0..9999")
    assert isinstance(seeds, range) and len(seeds) == grade.MAX_SEEDS
    for text in ("0..10000", "1..100000000", "5..1", "-1..3", "a..b", "1..4294967296"):
        with pytest.raises(TrainerError, match="--seeds"):
            grade.parse_seeds(text)
