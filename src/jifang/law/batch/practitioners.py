"""Practitioners over columns (the counterpart of engine/practitioners.py): filing,
out-of-province filing, graded qualification, and their duties."""

from __future__ import annotations

import polars as pl

from ..engine.practitioners import home_province
from ..regime import Basis, PractitionerDutyRule, QualificationRule, Regime
from .duties import duty_list
from .facts import ENGINE, TRI, TRUE, lookup
from .outcome import (
    CHECK_PRACTITIONERS,
    INSUFFICIENT,
    MET,
    VIOLATED,
    Part,
    choose_basis,
    code,
    fmt,
    lit_basis,
    status_of,
)

# Order of a practitioner's obligations (pos2): filing, out-of-province filing,
# qualification, then the duties.
_FILING, _OUT_OF_PROVINCE, _QUALIFICATION, _DUTIES = 0, 1, 2, 3


def practitioners(regime: Regime, units: pl.DataFrame, frame: pl.DataFrame) -> list[Part]:
    rules = regime.provisions.practitioners
    if frame.height == 0:
        return []
    home = pl.col("home_province")
    as_of = lookup(units, "unit", frame["unit"], {"as_of": "as_of"})
    base = (
        frame.hstack(as_of.get_columns())
        .lazy()
        .with_columns(
            local=pl.when(home.is_null()).then(None).otherwise(home == home_province(regime))
        )
        .collect(engine=ENGINE)
        .lazy()
    )
    local = pl.col("local")
    keys = {
        "unit": pl.col("unit"),
        "check": pl.lit(CHECK_PRACTITIONERS),
        "pos": pl.col("practitioner"),
        "subject": pl.col("id"),
    }
    parts: list[Part] = []
    filings = (
        (rules.local_filing, _FILING, "PRACTITIONER_FILING", "filed", local),
        (
            rules.out_of_province,
            _OUT_OF_PROVINCE,
            "PRACTITIONER_OUT_OF_PROVINCE_FILING",
            "out_of_province_filed",
            ~local,
        ),
    )
    for rule, pos2, obligation, fact, applies in filings:
        if rule is None:
            continue
        status = (
            pl.when(local.is_null()).then(code(INSUFFICIENT)).otherwise(status_of(pl.col(fact)))
        )
        columns = {
            **keys,
            "pos2": pl.lit(pos2),
            "code": pl.lit(obligation),
            **lit_basis(rule.basis),
        }
        finding = {
            "code": pl.lit("PRACTITIONER_UNQUALIFIED"),
            "evidence": pl.lit(f"{fact} false"),
            "actor": pl.lit("organisation"),
            **lit_basis(rule.penalty, "penalty_"),
        }
        rows = base.filter(local.is_null() | applies)
        parts.append(Part(rows, status, columns, finding))
    if rules.qualification is not None:
        parts.append(_qualification(rules.qualification, base, keys))
    if rules.duties is not None:
        parts += _duties(rules.duties, base, keys)
    return parts


def _qualification(rule: QualificationRule, base: pl.LazyFrame, keys: dict) -> Part:
    level, required = pl.col("qualification_level"), pl.col("required_level")
    until, filed = pl.col("qualification_valid_until"), pl.col("filed")
    # The problems in the order the scalar engine looks for them; the first one found decides.
    no_certificate = level.is_null() & ~filed  # an unknown filing is not "not filed"
    no_such_level = level > rule.levels
    below_required = ~no_such_level & required.is_not_null() & (level > required)
    expired = ~no_such_level & ~below_required & until.is_not_null() & (until < pl.col("as_of"))
    problems: list[tuple[pl.Expr, Basis, pl.Expr]] = [
        (no_certificate, rule.basis, pl.lit("no qualification certificate (资格证)")),
        (
            no_such_level,
            rule.level_basis,
            fmt(f"qualification_level {{}} does not exist (levels 1..{rule.levels})", level),
        ),
        (
            below_required,
            rule.level_basis,
            fmt("qualification_level {} below required_level {} (1 is highest)", level, required),
        ),
        (
            expired,
            rule.validity_basis,
            fmt("qualification expired {}", until.dt.strftime("%Y-%m-%d")),
        ),
    ]
    problems = [(p.fill_null(False), b, text) for p, b, text in problems]
    unknown = pl.when(level.is_null()).then(True).otherwise(required.is_null() | until.is_null())
    status = (
        pl.when(pl.col("local").is_null())
        .then(code(INSUFFICIENT))
        .when(pl.any_horizontal([p for p, _, _ in problems]))
        .then(code(VIOLATED))
        .when(unknown)
        .then(code(INSUFFICIENT))
        .otherwise(code(MET))
    )
    # The problems exclude one another: the evidence is the one that holds.
    evidence = pl.concat_str([pl.when(p).then(text) for p, _, text in problems], ignore_nulls=True)
    columns = {
        **keys,
        "pos2": pl.lit(_QUALIFICATION),
        "code": pl.lit("PRACTITIONER_QUALIFICATION"),
        **choose_basis([(pl.col("local") & p, b) for p, b, _ in problems], rule.basis),
    }
    finding = {
        "code": pl.lit("PRACTITIONER_UNQUALIFIED"),
        "evidence": evidence,
        "actor": pl.lit("organisation"),
        **lit_basis(rule.penalty, "penalty_"),
    }
    rows = base.filter(pl.col("local").is_null() | pl.col("local"))
    return Part(rows, status, columns, finding)


def _duties(rule: PractitionerDutyRule, base: pl.LazyFrame, keys: dict) -> list[Part]:
    rows = base.with_columns(_scope=pl.lit(TRUE, TRI))
    parts = duty_list(
        rows,
        {k: keys[k] for k in ("check", "pos", "subject")},
        rule,
        "PRACTITIONER_DUTY",
        "PRACTITIONER_DUTIES_UNMET",
        pos2_start=_DUTIES,
    )
    for part in parts:
        part.finding["actor"] = pl.lit("organisation")
    if rule.text_incomplete and not rule.duties:
        columns = {
            **keys,
            "pos2": pl.lit(_DUTIES),
            "code": pl.lit("PRACTITIONER_DUTY"),
            **lit_basis(rule.basis),
            "text_incomplete": pl.lit(True),
        }
        parts.append(Part(base, code(INSUFFICIENT), columns, can_violate=False))
    return parts
