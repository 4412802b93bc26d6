"""Duty lists over columns (the counterpart of engine/duties.py): the management duties of
using units, and the one duty-list rule that serves practitioners too."""

from __future__ import annotations

import polars as pl

from ..regime import PractitionerDutyRule, UnitDutyRule
from .facts import FALSE, UNKNOWN, RegimeFacts, scope_of
from .outcome import CHECK_UNIT_DUTIES, INSUFFICIENT, Part, code, lit_basis, status_of


def unit_duties(rf: RegimeFacts) -> list[Part]:
    rule = rf.regime.provisions.unit_duties
    if rule is None:
        return []
    # A case that says nothing of the unit itself (no places, no systems) has no duty rows.
    # unit_scope is in units order: set beside the units, not joined.
    units = (
        rf.units.hstack(rf.unit_scope.drop("unit").get_columns())
        .lazy()
        .filter(pl.col("has_places") | pl.col("has_systems"))
        .with_columns(_scope=scope_of(rule.scope, "unit"))
        .filter(pl.col("_scope") != FALSE)
    )
    keys = {"check": pl.lit(CHECK_UNIT_DUTIES), "pos": pl.lit(0), "subject": pl.lit("unit")}
    return duty_list(units, keys, rule, "USER_DUTY", "USER_DUTIES_UNMET")


def duty_list(
    rows: pl.LazyFrame,
    keys: dict[str, pl.Expr],
    rule: UnitDutyRule | PractitionerDutyRule,
    obligation: str,
    finding: str,
    pos2_start: int = 0,
) -> list[Part]:
    """One obligation per listed duty, cited at its item; a finding for each duty not done.
    `rows` carry unit, the duty_<code> columns and _scope (tri-state); `keys` give check, pos
    and subject."""
    parts = []
    for i, (duty, item) in enumerate(rule.duties.items()):
        basis = rule.basis.model_copy(update={"item": item}) if item else rule.basis
        status = (
            pl.when(pl.col("_scope") == UNKNOWN)
            .then(code(INSUFFICIENT))
            .otherwise(status_of(pl.col(f"duty_{duty}")))
        )
        columns = {
            "unit": pl.col("unit"),
            **keys,
            "pos2": pl.lit(pos2_start + i),
            "code": pl.lit(obligation),
            **lit_basis(basis),
            "duty": pl.lit(duty),
        }
        findings = {
            "code": pl.lit(finding),
            "evidence": pl.lit(f"duties.{duty} false"),
            "duty": pl.lit(duty),
            **lit_basis(rule.penalty, "penalty_"),
        }
        parts.append(Part(rows, status, columns, findings))
    return parts
