"""Prohibited acts over columns (the counterpart of engine/acts.py)."""

from __future__ import annotations

import polars as pl

from .facts import FALSE, UNKNOWN, RegimeFacts, scope_of
from .outcome import CHECK_ACTS, INSUFFICIENT, NOT_APPLICABLE, VIOLATED, Part, code, fmt


def acts(rf: RegimeFacts, frame: pl.DataFrame) -> list[Part]:
    # As the scalar engine's dict: a code listed twice takes its last rule.
    rules = {r.code: r for r in rf.regime.provisions.acts}
    if not rules or frame.height == 0:
        return []
    act = pl.col("code")

    def per_act(values: dict[str, object], dtype: pl.DataType) -> pl.Expr:
        return act.replace_strict(values, default=None, return_dtype=dtype)

    def basis(of: str, prefix: str = "") -> dict[str, pl.Expr]:
        bases = {c: getattr(r, of).as_dict() if getattr(r, of) else {} for c, r in rules.items()}
        return {
            f"{prefix}{k}": per_act({c: b.get(k) for c, b in bases.items()}, pl.Int32)
            for k in ("article", "paragraph", "item")
        }

    scope: pl.Expr = pl.lit(None, pl.Int8)
    for rule in rules.values():
        scope = pl.when(act == rule.code).then(scope_of(rule.scope, "unit")).otherwise(scope)
    base = (
        frame.lazy()
        .filter(act.is_in(list(rules)))
        .join(
            rf.unit_scope.filter(pl.col("unit").is_in(frame["unit"].implode())).lazy(),
            on="unit",
            how="left",
        )
        .with_columns(_scope=scope)
    )
    status = (
        pl.when(pl.col("_scope") == FALSE)
        .then(code(NOT_APPLICABLE))
        .when(pl.col("_scope") == UNKNOWN)
        .then(code(INSUFFICIENT))
        .otherwise(code(VIOLATED))
    )
    obligation = {
        "unit": pl.col("unit"),
        "check": pl.lit(CHECK_ACTS),
        "pos": pl.col("act"),
        "pos2": pl.lit(0),
        "code": pl.lit("NO_PROHIBITED_ACT"),
        "subject": pl.coalesce("id", fmt("acts[{}]", "act")),
        **basis("basis"),
        "act": act,
    }
    finding = {
        "code": per_act({c: r.finding for c, r in rules.items()}, pl.String),
        "evidence": fmt("act {} by {}", act, "by"),
        "act": act,
        "actor": pl.when(pl.col("by") == "individual")
        .then(pl.lit("individual"))
        .otherwise(pl.lit("organisation")),
        "serious": pl.col("serious"),
        "illegal_income": pl.col("illegal_income"),
        **basis("penalty", "penalty_"),
    }
    return [Part(base, status, obligation, finding)]
