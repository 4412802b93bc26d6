"""Property tests: for any valid case files hypothesis makes, the batch engine answers as the
single-unit engine does; the layout survives its round trips; row order does not matter."""

from __future__ import annotations

import random

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jifang import law
from jifang.law import batch

from .strategies import assess_cases
from .test_batch_equivalence import REGIMES, random_case

# Each example is a batch of cases assessed together (the batch engine's fixed cost is per
# call, not per unit).
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ORDER = ["unit", "check", "pos", "pos2"]


@SETTINGS
@given(st.lists(assess_cases(), min_size=1, max_size=40))
def test_batch_equals_scalar(cases: list[dict]) -> None:
    frames = batch.cases_to_frames(cases)
    answers = batch.frames_to_results(batch.assess_frames(frames), frames)
    for n, case in enumerate(cases):
        want = law.assess(case)
        for key in ("regime", "as_of", "obligations", "findings"):
            assert answers[n][key] == want[key], (key, case)


@SETTINGS
@given(st.lists(assess_cases(), min_size=1, max_size=20))
def test_frames_and_cases_round_trip(cases: list[dict]) -> None:
    frames = batch.cases_to_frames(cases)
    again = batch.cases_to_frames(batch.frames_to_cases(frames).values())
    for name, df in frames.tables().items():
        assert again.tables()[name].equals(df), name


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_row_order_does_not_matter(seed: int) -> None:
    """Tables shuffled and unit keys spread out: the same findings and obligations."""
    rng = random.Random(seed)
    cases = [random_case(rng, rng.choice(list(REGIMES.values()))) for _ in range(30)]
    frames = batch.cases_to_frames(cases)
    spread = {
        name: df.with_columns(unit=pl.col("unit") * 7919 - 50_000).sample(
            fraction=1.0, shuffle=True, seed=seed
        )
        for name, df in frames.tables().items()
    }
    shuffled = batch.assess_frames(batch.Frames(**spread))
    direct = batch.assess_frames(frames)
    for got, want in (
        (shuffled.findings, direct.findings),
        (shuffled.obligations, direct.obligations),
    ):
        assert got is not None and want is not None
        unspread = got.with_columns(unit=(pl.col("unit") + 50_000) // 7919)
        assert unspread.sort(ORDER).equals(want.sort(ORDER))
