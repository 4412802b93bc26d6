"""The requirements on each system and the minimum retention over columns: the counterpart of
engine/systems.py, one expression per SystemCheck of the regime."""

from __future__ import annotations

from typing import Literal, get_args, get_origin

import polars as pl

from ..case import System
from ..regime import SystemCheck
from .facts import FALSE, UNKNOWN, RegimeFacts, scope_of
from .outcome import (
    CHECK_SYSTEMS,
    INSUFFICIENT,
    MET,
    NOT_APPLICABLE,
    VIOLATED,
    Part,
    choose_basis,
    code,
    fmt,
    lit_basis,
)

_STRING_FACTS = {"design_review", "acceptance"}


def _values(check: SystemCheck) -> list[bool | str]:
    """The values the case file allows for the checked fact (System's field type)."""
    annotation = System.model_fields[check.fact].annotation
    kind = next(a for a in get_args(annotation) if a is not type(None))
    return list(get_args(kind)) if get_origin(kind) is Literal else [True, False]


def _same_type(fact: str, value: object) -> bool:
    """Whether a value from the regime can equal this fact (bool facts vs string facts)."""
    return isinstance(value, str) if fact in _STRING_FACTS else isinstance(value, bool)


def system_checks(rf: RegimeFacts) -> list[Part]:
    checks = rf.regime.provisions.systems
    base = rf.systems_in_scope.lazy()
    return [_check(base, k, check) for k, check in enumerate(checks)]


def _check(base: pl.LazyFrame, k: int, check: SystemCheck) -> Part:
    value = pl.col(check.fact)
    scope = scope_of(check.scope, "system")
    # A `when` fact known and different: the provision does not reach the system.
    differs = [
        pl.col(n).is_not_null() & (pl.col(n) != want if _same_type(n, want) else pl.lit(True))
        for n, want in check.when.items()
    ]
    unknown = [scope == UNKNOWN, value.is_null(), *(pl.col(n).is_null() for n in check.when)]
    expect = [v for v in check.expect if _same_type(check.fact, v)]
    ok = value.is_in(expect) if expect else pl.lit(False)
    status = (
        pl.when(scope == FALSE)
        .then(code(NOT_APPLICABLE))
        .when(pl.any_horizontal(differs) if differs else pl.lit(False))
        .then(code(NOT_APPLICABLE))
        .when(pl.any_horizontal(unknown))
        .then(code(INSUFFICIENT))
        .when(ok)
        .then(code(MET))
        .otherwise(code(VIOLATED))
    )
    obligation = {
        "unit": pl.col("unit"),
        "check": pl.lit(CHECK_SYSTEMS),
        "pos": pl.col("system"),
        "pos2": pl.lit(k),
        "code": pl.lit(check.obligation),
        "subject": pl.col("id"),
        **lit_basis(check.basis),
    }
    # A system fact takes few values: each value's evidence is written once, then looked up.
    expected = " or ".join(str(v).lower() for v in check.expect)
    evidence = {v: f"{check.fact} {str(v).lower()}, required {expected}" for v in _values(check)}
    finding = {
        "code": pl.lit(check.finding),
        "evidence": value.replace_strict(evidence, default=None, return_dtype=pl.String),
        **lit_basis(check.penalty, "penalty_"),
    }
    return Part(base, status, obligation, finding)


def retention(rf: RegimeFacts) -> list[Part]:
    rule = rf.regime.provisions.retention
    if rule is None:
        return []
    # The raises apply in order, each only if it lengthens the period (engine: check_retention).
    days: pl.Expr = pl.lit(rule.days, pl.Int32)
    chosen: pl.Expr = pl.lit(-1, pl.Int32)
    for j, raise_ in enumerate(rule.raises):
        lengthens = pl.col(f"raise_{raise_.flag}") & (raise_.days > days)
        chosen = pl.when(lengthens).then(pl.lit(j, pl.Int32)).otherwise(chosen)
        days = pl.when(lengthens).then(pl.lit(raise_.days, pl.Int32)).otherwise(days)
    base = rf.systems_in_scope.lazy().with_columns(_days=days, _raise=chosen)
    scope = scope_of(rule.scope, "system")
    have = pl.col("retention_days")
    status = (
        pl.when(scope == FALSE)
        .then(code(NOT_APPLICABLE))
        .when(have.is_null() | (scope == UNKNOWN))
        .then(code(INSUFFICIENT))
        .when(have >= pl.col("_days"))
        .then(code(MET))
        .otherwise(code(VIOLATED))
    )
    obligation = {
        "unit": pl.col("unit"),
        "check": pl.lit(CHECK_SYSTEMS),
        "pos": pl.col("system"),
        "pos2": pl.lit(len(rf.regime.provisions.systems)),
        "code": pl.lit("RETENTION_MIN_DAYS"),
        "subject": pl.col("id"),
        **choose_basis(
            [(pl.col("_raise") == j, r.basis) for j, r in enumerate(rule.raises)], rule.basis
        ),
        "value": pl.col("_days"),
    }
    finding = {
        "code": pl.lit("RETENTION_SHORT"),
        "evidence": fmt("retention_days {} < {}", "retention_days", "_days"),
        **lit_basis(rule.penalty, "penalty_"),
    }
    return [Part(base, status, obligation, finding)]
