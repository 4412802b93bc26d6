"""The batch engine: the provisions of every regime evaluated over columns (polars), for a
sweep of many units at once, with the same answers as the single-unit engine.

    from jifang.law import batch
    frames = batch.read_parquet("province/")          # or batch.cases_to_frames(cases)
    result = batch.assess_frames(frames)              # findings (+ obligations) frames
    answers = batch.frames_to_results(result, frames) # per unit, as jifang.law.assess gives

The columnar case layout is documented in `frames` (and docs/scaling.md). Each provision kind
has a columnar counterpart parametrised by the regime's data, as the scalar engine's functions
are; penalties and cited texts come from the scalar engine's own code.
"""

from __future__ import annotations

from .assess import PROVISIONS, BatchResult, assess_frames
from .frames import (
    SCHEMA,
    Frames,
    cases_to_frames,
    check_frames,
    frames_to_cases,
    read_parquet,
    scan_parquet,
    write_parquet,
)
from .results import frames_to_results, summary

__all__ = [
    "PROVISIONS",
    "SCHEMA",
    "BatchResult",
    "Frames",
    "assess_frames",
    "cases_to_frames",
    "check_frames",
    "frames_to_cases",
    "frames_to_results",
    "read_parquet",
    "scan_parquet",
    "summary",
    "write_parquet",
]
