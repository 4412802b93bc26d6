"""From the batch frames back to the scalar engine's answers, unit by unit: what the
equivalence test compares with `jifang.law.assess`.

The rebuilt answer holds `regime`, `as_of`, `obligations` and `findings` exactly as the
scalar answer does (same keys, same order, the cited `text`, the full `penalty`). It has no
`notes`: notes are the regime's explanatory sentences, said once per answer, not results of a
provision (see docs/scaling.md).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from ..engine.outcome import Outcome
from ..regime import Basis, Regime
from ..registry import load
from .assess import BatchResult
from .frames import Frames
from .outcome import Penalties

_OBLIGATION_EXTRAS = ("value", "duty", "act", "strength", "note", "text_incomplete")
_FINDING_EXTRAS = ("duty", "act", "system", "text_incomplete")


class _Texts:
    """Cited words and penalties per regime, through the scalar engine's own code."""

    def __init__(self, regime: Regime):
        self.regime = regime
        self.outcome = Outcome(regime, None)  # type: ignore[arg-type]  # text() reads no case
        self.penalty = Penalties(regime)

    def text(self, basis: dict[str, int]) -> str:
        return self.outcome.text(Basis(**basis))


def _basis(row: dict[str, Any], prefix: str = "") -> dict[str, int]:
    out = {"article": row[f"{prefix}article"]}
    for k in ("paragraph", "item"):
        if row[f"{prefix}{k}"] is not None:
            out[k] = row[f"{prefix}{k}"]
    return out


def frames_to_results(result: BatchResult, frames: Frames) -> dict[int, dict[str, Any]]:
    """Per unit, the answer `law.assess` gives (without notes). Meant for tests and small
    sweeps: a Python loop over every row."""
    texts: dict[str, _Texts] = {}
    out: dict[int, dict[str, Any]] = {}
    regime_of: dict[int, _Texts] = {}
    for unit, regime_id, as_of in frames.units.select("unit", "regime", "as_of").iter_rows():
        if regime_id not in texts:
            texts[regime_id] = _Texts(load(regime_id))
        t = regime_of[unit] = texts[regime_id]
        out[unit] = {
            "regime": t.regime.header(),
            "as_of": as_of.isoformat(),
            "obligations": [],
            "findings": [],
        }
    order = ["unit", "check", "pos", "pos2"]
    if result.obligations is not None:
        for row in result.obligations.sort(order).iter_rows(named=True):
            basis = _basis(row)
            entry = {
                "code": row["code"],
                "subject": row["subject"],
                "status": row["status"],
                "basis": basis,
                "text": regime_of[row["unit"]].text(basis),
            }
            entry.update({k: row[k] for k in _OBLIGATION_EXTRAS if row[k] is not None})
            out[row["unit"]]["obligations"].append(entry)
    for row in result.findings.sort(order).iter_rows(named=True):
        t = regime_of[row["unit"]]
        basis = _basis(row)
        entry = {
            "code": row["code"],
            "subject": row["subject"],
            "basis": basis,
            "evidence": row["evidence"],
            "text": t.text(basis),
        }
        entry.update({k: row[k] for k in _FINDING_EXTRAS if row[k] is not None})
        if row["penalty_article"] is None:
            entry["penalty"] = None
        else:
            ref = _basis(row, "penalty_")
            entry["penalty"] = t.penalty(
                (ref["article"], ref.get("paragraph"), ref.get("item")),
                row["actor"],
                row["serious"],
                row["illegal_income"],
                row["overdue"],
                row["harm"],
            )
        out[row["unit"]]["findings"].append(entry)
    return out


def summary(result: BatchResult) -> pl.DataFrame:
    """Findings per code, with how many have a fine due now: the sweep's headline table."""
    return (
        result.findings.group_by("code")
        .agg(findings=pl.len(), due_now=pl.col("due_now").sum(), units=pl.col("unit").n_unique())
        .sort("findings", descending=True)
    )
