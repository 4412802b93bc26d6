"""What the columnar checks conclude, as two frames: obligations and findings (with penalties).

Each check yields `Part`s: rows with the obligation columns (one row per obligation the scalar
engine would record) and the expressions that make a finding of a violated row. A finding is
recorded exactly when its obligation is violated, in the scalar engine and here alike.

Penalties are not re-implemented: the fines, measures and due_now of a finding depend only on
its penalty article and on its *situation* (actor, serious, illegal income, an overdue order and
its harm), so they are computed by the scalar engine's own `Outcome.penalty` once per distinct
situation and joined onto the findings.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from ..case import AssessCase, Order
from ..engine.outcome import Outcome
from ..regime import Basis, Regime
from ..vocabulary import OBLIGATION_STATUSES

# Statuses are Int8 codes while the checks run (cheap to compute and to filter), in the order
# of vocabulary.OBLIGATION_STATUSES; the obligations frame names them (STATUS).
MET, VIOLATED, INSUFFICIENT, NOT_APPLICABLE = 0, 1, 2, 3
STATUS = pl.Enum(list(OBLIGATION_STATUSES))

# The order of the scalar engine's CHECKS (engine/assess.py): results sort by it.
CHECK_INSTALLATION, CHECK_PUBLIC_AREA, CHECK_PRIVACY, CHECK_SYSTEMS = 0, 1, 2, 3
CHECK_UNIT_DUTIES, CHECK_PRACTITIONERS, CHECK_ACTS = 4, 5, 6

KEYS: dict[str, pl.DataType] = {
    "unit": pl.Int64,
    "check": pl.Int8,  # which check recorded it (the scalar engine's order)
    "pos": pl.Int32,  # position of its subject (place, system, practitioner, act; 0: unit)
    "pos2": pl.Int32,  # order within the subject (device, provision, duty)
}
BASIS: dict[str, pl.DataType] = {"article": pl.Int32, "paragraph": pl.Int32, "item": pl.Int32}

OBLIGATIONS: dict[str, pl.DataType] = {
    **KEYS,
    "code": pl.Categorical(),
    "subject": pl.String,
    "status": STATUS,
    **BASIS,
    # extras, as in the scalar answer (null: absent)
    "value": pl.Int32,
    "duty": pl.Categorical(),
    "act": pl.Categorical(),
    "strength": pl.Categorical(),
    "note": pl.String,
    "text_incomplete": pl.Boolean,
}

# Columns a part gives its findings (the rest come from its obligation columns).
ACTOR = pl.Enum(["organisation", "individual"])
FINDING_PARTS: dict[str, pl.DataType] = {
    "code": pl.Categorical(),
    "evidence": pl.String,
    "duty": pl.Categorical(),
    "act": pl.Categorical(),
    "system": pl.String,
    "text_incomplete": pl.Boolean,
    "penalty_article": pl.Int32,
    "penalty_paragraph": pl.Int32,
    "penalty_item": pl.Int32,
    "actor": ACTOR,  # who answers: the unit's kind unless the part says
    "serious": pl.Boolean,  # an act recorded as serious
    "illegal_income": pl.Float64,
}
# A finding as a check gives it, before its penalty situation is filled in.
RAW_FINDINGS: dict[str, pl.DataType] = {**KEYS, "subject": pl.String, **BASIS, **FINDING_PARTS}
FINDINGS: dict[str, pl.DataType] = {
    **KEYS,
    "code": pl.Categorical(),
    "subject": pl.String,
    **BASIS,
    **{k: v for k, v in FINDING_PARTS.items() if k != "code"},
    # the situation that decides the penalty
    "overdue": pl.Boolean,  # an uncorrected order for this finding is past its deadline
    "harm": pl.Boolean,  # the first such order records harm
    "due_now": pl.Boolean,  # a fine may be imposed on as_of (null: no penalty article)
}


@dataclass
class Part:
    """The obligations of one provision: `base` has a row per obligation, `status` its Int8
    status, `obligation` the columns of the obligation (keys, code, subject, basis, extras)
    and `finding` those a violated row adds. `can_violate` False: no row can be violated."""

    base: pl.LazyFrame
    status: pl.Expr
    obligation: dict[str, pl.Expr]
    finding: dict[str, pl.Expr] = field(default_factory=dict)
    can_violate: bool = True


def lit_basis(basis: Basis | None, prefix: str = "") -> dict[str, pl.Expr]:
    b = basis.as_dict() if basis else {}
    return {
        f"{prefix}{k}": pl.lit(b.get(k), dtype=pl.Int32) for k in ("article", "paragraph", "item")
    }


def choose_basis(
    cases: list[tuple[pl.Expr, Basis | None]], default: Basis | None, prefix: str = ""
) -> dict[str, pl.Expr]:
    """Basis columns chosen row by row: the first case whose condition holds, else default."""
    out = {}
    for k in ("article", "paragraph", "item"):
        expr = pl.lit(default.as_dict().get(k) if default else None, dtype=pl.Int32)
        for cond, basis in reversed(cases):
            value = basis.as_dict().get(k) if basis else None
            expr = pl.when(cond).then(pl.lit(value, dtype=pl.Int32)).otherwise(expr)
        out[f"{prefix}{k}"] = expr
    return out


def by_index(index: pl.Expr, values: list[Any], dtype: pl.DataType) -> pl.Expr:
    """values[index] row by row (null index: null)."""
    return index.replace_strict(list(range(len(values))), values, default=None, return_dtype=dtype)


def basis_by_index(index: pl.Expr, bases: list[Basis | None], prefix: str = "") -> dict:
    dicts = [b.as_dict() if b else {} for b in bases]
    return {
        f"{prefix}{k}": by_index(index, [d.get(k) for d in dicts], pl.Int32)
        for k in ("article", "paragraph", "item")
    }


def fmt(template: str, *args: str | pl.Expr) -> pl.Expr:
    """pl.format, built from concat_str: pl.format can panic in polars 1.35 and later
    (pola-rs/polars#25339, #25525), concat_str does not."""
    pieces = template.split("{}")
    exprs: list[pl.Expr] = []
    for i, piece in enumerate(pieces):
        if piece:
            exprs.append(pl.lit(piece))
        if i < len(args):
            arg = args[i]
            exprs.append((pl.col(arg) if isinstance(arg, str) else arg).cast(pl.String))
    return pl.concat_str(exprs)


def code(value: int) -> pl.Expr:
    return pl.lit(value, dtype=pl.Int8)


def status_of(value: pl.Expr) -> pl.Expr:
    """STATUS_OF over a nullable Boolean: met, violated, insufficient_facts."""
    return (
        pl.when(value.is_null())
        .then(code(INSUFFICIENT))
        .when(value)
        .then(code(MET))
        .otherwise(code(VIOLATED))
    )


def obligations_of(part: Part) -> pl.LazyFrame:
    cols = []
    for c, t in OBLIGATIONS.items():
        if c == "status":
            expr = by_index(part.status, list(OBLIGATION_STATUSES), STATUS)
        else:
            expr = part.obligation.get(c, pl.lit(None))
        cols.append(expr.cast(t).alias(c))
    return part.base.select(cols)


def findings_of(part: Part, individuals: pl.Series) -> pl.LazyFrame:
    """The findings of a part's violated rows; `individuals` are the units whose kind is
    individual (the actor of a finding on the unit's own things)."""
    defaults = {
        "actor": pl.when(pl.col("unit").is_in(individuals.implode()))
        .then(pl.lit("individual"))
        .otherwise(pl.lit("organisation")),
        "serious": pl.lit(False),
        "illegal_income": pl.lit(0.0),
    }
    cols = []
    for c, t in RAW_FINDINGS.items():
        expr = part.finding.get(c, part.obligation.get(c) if c in _FROM_OBLIGATION else None)
        if expr is None:
            expr = defaults.get(c, pl.lit(None))
        cols.append(expr.cast(t).alias(c))
    violated = part.base.filter(part.status == VIOLATED).select(cols)
    return violated.with_columns(_situation=situation_of())


_FROM_OBLIGATION = {*KEYS, "subject", *BASIS}


def no_findings() -> pl.LazyFrame:
    return pl.DataFrame(schema={**RAW_FINDINGS, "_situation": pl.Int64}).lazy()


def no_obligations() -> pl.LazyFrame:
    return pl.DataFrame(schema=OBLIGATIONS).lazy()


# --- penalties ----------------------------------------------------------------------------

_PAST, _AS_OF = dt.date(2000, 1, 1), dt.date(2000, 1, 2)
_CODE = "RETENTION_SHORT"  # any finding code: the order below is made to match it


class Penalties:
    """The scalar engine's penalty of a finding in a given situation, by its own code (not a
    copy of it), cached per situation: few situations cover millions of findings."""

    def __init__(self, regime: Regime):
        self.regime = regime
        self._cache: dict[tuple, dict[str, Any]] = {}

    def __call__(
        self,
        ref: tuple[int, int | None, int | None],
        actor: str,
        serious: bool,
        illegal_income: float,
        overdue: bool,
        harm: bool,
    ) -> dict[str, Any]:
        key = (ref, actor, serious, illegal_income, overdue, harm)
        if key not in self._cache:
            orders = (
                [Order(finding=_CODE, subject="x", deadline=_PAST, harm=harm)] if overdue else []
            )
            case = AssessCase(regime=self.regime.id, as_of=_AS_OF, orders=orders)
            basis = Basis(article=ref[0], paragraph=ref[1], item=ref[2])
            out = Outcome(self.regime, case)
            self._cache[key] = out.penalty(basis, _CODE, "x", actor, serious, illegal_income)
        return copy.deepcopy(self._cache[key])


# The situation of a finding as one integer: its penalty article, then five flags.
_INDIVIDUAL, _SERIOUS, _INCOME, _OVERDUE, _HARM = 16, 8, 4, 2, 1


def situation_of() -> pl.Expr:
    """The situation a finding's own columns give (orders are added by with_penalties)."""
    return (
        pl.col("penalty_article").cast(pl.Int64) * (1 << 24)
        + pl.col("penalty_paragraph").fill_null(0).cast(pl.Int64) * (1 << 16)
        + pl.col("penalty_item").fill_null(0).cast(pl.Int64) * (1 << 8)
        + (pl.col("actor") == "individual").cast(pl.Int64) * _INDIVIDUAL
        + pl.col("serious").cast(pl.Int64) * _SERIOUS
        + (pl.col("illegal_income") > 0).cast(pl.Int64) * _INCOME
    )


def with_penalties(
    findings: pl.DataFrame, regime: Regime, units: pl.DataFrame, orders: pl.DataFrame
) -> pl.DataFrame:
    """Fill overdue, harm, serious (an act's, or an order's) and due_now. New columns are
    set beside the findings, never by copying the findings frame: it is the big one."""
    n = findings.height
    serious = findings["serious"]
    situation = findings["_situation"]
    overdue = pl.Series("overdue", [False]).gather(pl.zeros(n, pl.UInt32, eager=True))
    harm = overdue.alias("harm")
    if orders.height:
        # Only findings of units with orders can meet one.
        ordered = (
            findings.select("unit", "code", "subject")
            .with_row_index("i")
            .filter(pl.col("unit").is_in(orders["unit"].unique().implode()))
            .with_columns(pl.col("code").cast(pl.String))
        )
        met = _order_situation(ordered, units, orders)
        i = met["i"]
        made_serious = met["serious"] & ~serious.gather(i)
        overdue = overdue.clone().scatter(i, met["overdue"])
        harm = harm.clone().scatter(i, met["harm"])
        serious = serious.clone().scatter(i, met["serious"] | serious.gather(i))
        situation = situation.clone().scatter(
            i,
            situation.gather(i)
            + made_serious.cast(pl.Int64) * _SERIOUS
            + met["overdue"].cast(pl.Int64) * _OVERDUE
            + met["harm"].cast(pl.Int64) * _HARM,
        )
    penalty = Penalties(regime)
    due: dict[int, bool] = {}
    for key in situation.drop_nulls().unique().to_list():
        ref = (key >> 24, (key >> 16) % 256 or None, (key >> 8) % 256 or None)
        actor = "individual" if key & _INDIVIDUAL else "organisation"
        flags = [bool(key & b) for b in (_SERIOUS, _INCOME, _OVERDUE, _HARM)]
        pen = penalty(ref, actor, flags[0], 1.0 if flags[1] else 0.0, flags[2], flags[3])
        due[key] = pen["due_now"]
    due_now = situation.replace_strict(due, default=None, return_dtype=pl.Boolean)
    return findings.with_columns(
        serious=serious, overdue=overdue, harm=harm, due_now=due_now.alias("due_now")
    ).select(list(FINDINGS))


def _order_situation(
    findings: pl.DataFrame, units: pl.DataFrame, orders: pl.DataFrame
) -> pl.DataFrame:
    """Per finding (row i): overdue, harm and serious from the orders on it, as
    Outcome._overdue_order and _serious_order decide: the first uncorrected order past its
    deadline, and any order recording serious consequences."""
    o = orders.join(units.select("unit", "name", "as_of"), on="unit", how="inner")
    # Orders on the unit itself may name it "unit" or by its name.
    o = pl.concat(
        [o, o.filter(pl.col("subject") == pl.col("name")).with_columns(subject=pl.lit("unit"))]
    )
    o = o.with_columns(late=(pl.col("deadline") < pl.col("as_of")) & ~pl.col("corrected"))
    by_finding = o.group_by("unit", "finding", "subject").agg(
        o_overdue=pl.col("late").any(),
        o_harm=pl.col("harm").filter("late").sort_by(pl.col("order").filter("late")).first(),
        o_serious=pl.col("serious").any(),
    )
    return findings.join(
        by_finding,
        left_on=["unit", "code", "subject"],
        right_on=["unit", "finding", "subject"],
        how="inner",
    ).select(
        "i",
        serious=pl.col("o_serious"),
        overdue=pl.col("o_overdue"),
        harm=pl.col("o_harm").fill_null(False) & pl.col("o_overdue"),
    )
