"""The columnar case layout: the case-file contract flattened into seven tables keyed by unit.

`SCHEMA` below is the layout (table -> {column: dtype}); `NULLABLE` says which columns may be
null. Conventions:

- ``unit`` (Int64) is the key every table carries; it is unique in ``units``.
- Positions are 0-based Int32 indexes into the case file's lists: ``place`` in
  ``unit.places``, ``system`` in ``unit.systems``, ``device`` in that system's ``devices``,
  ``practitioner``, ``act`` and ``order`` in their lists. (unit, position) is unique in each
  table (devices: (unit, system, device)). Positions stay below 2**20 and unit keys within
  ±2**43 (the engine packs the two into one Int64). Rows need not be sorted; tables sorted by
  (unit, position) are read fastest (others are sorted once).
- Systems point at places, and devices at systems, by position, not by id:
  ``systems.places`` is a List(Int32) of ``place`` positions in the case file's order.
- A nullable Boolean is the contract's tri-state: null is *unknown*, not false.
- Codes are the vocabulary's strings. ``units.regime`` is the regime that governs the unit,
  already resolved (``cases_to_frames`` resolves it as ``law.assess`` does).
- Duties are one Boolean column per duty code: ``duty_<code>`` (``units``: every
  ``UNIT_DUTIES`` code; ``practitioners``: every ``PRACTITIONER_DUTIES`` code).

units: unit Int64, regime String, division String?, as_of Date, name String?, kind String
  (organisation | individual), duty_<unit duty> Boolean?.
places: unit Int64, place Int32, id String, name String?, categories List(String),
  public_area / anti_terror_target / police_key_place / central_urban / new_construction
  Boolean?.
systems: unit Int64, system Int32, id String, places List(Int32), subsystems List(String),
  built_by_government Boolean?, design_review String?, built_per_design Boolean?,
  built_with_project Boolean?, acceptance String?, in_use / standards_compliant /
  products_certified / network_interface / connected_to_police_platform /
  police_requested_connection Boolean?, retention_days Int32?, signage Boolean?,
  practitioner String?.
devices: unit Int64, system Int32, device Int32, id String, location String?, video Boolean?,
  audio Boolean?.
practitioners: unit Int64, practitioner Int32, id String, name String?, home_province String?,
  filed / out_of_province_filed Boolean?, qualification_level Int32?,
  qualification_valid_until Date?, required_level Int32?, duty_<practitioner duty> Boolean?.
acts: unit Int64, act Int32, id String?, code String, by String (unit | individual),
  serious Boolean, illegal_income Float64.
orders: unit Int64, order Int32, finding String, subject String, served Date?, deadline Date,
  corrected / harm / serious Boolean.

(``?``: nullable.) On disk a directory holds ``<table>.parquet`` for each table, or a folder
``<table>/`` of Parquet parts read as one table. A nullable column missing from a file reads as
all null; a missing non-null column is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import polars as pl

from .. import parse_assess, resolve
from ..case import AssessCase
from ..vocabulary import PRACTITIONER_DUTIES, UNIT_DUTIES

SCHEMA_VERSION = 1

_Bool, _Str, _I32, _I64 = pl.Boolean, pl.String, pl.Int32, pl.Int64

UNIT_DUTY_COLUMNS = {f"duty_{d}": d for d in UNIT_DUTIES}
PRACTITIONER_DUTY_COLUMNS = {f"duty_{d}": d for d in PRACTITIONER_DUTIES}
PLACE_FLAG_COLUMNS = (
    "public_area",
    "anti_terror_target",
    "police_key_place",
    "central_urban",
    "new_construction",
)
SYSTEM_BOOL_COLUMNS = (
    "built_by_government",
    "built_per_design",
    "built_with_project",
    "in_use",
    "standards_compliant",
    "products_certified",
    "network_interface",
    "connected_to_police_platform",
    "police_requested_connection",
    "signage",
)

SCHEMA: dict[str, dict[str, pl.DataType]] = {
    "units": {
        "unit": _I64,
        "regime": _Str,
        "division": _Str,
        "as_of": pl.Date,
        "name": _Str,
        "kind": _Str,
        **dict.fromkeys(UNIT_DUTY_COLUMNS, _Bool),
    },
    "places": {
        "unit": _I64,
        "place": _I32,
        "id": _Str,
        "name": _Str,
        "categories": pl.List(_Str),
        **dict.fromkeys(PLACE_FLAG_COLUMNS, _Bool),
    },
    "systems": {
        "unit": _I64,
        "system": _I32,
        "id": _Str,
        "places": pl.List(_I32),
        "subsystems": pl.List(_Str),
        "built_by_government": _Bool,
        "design_review": _Str,
        "built_per_design": _Bool,
        "built_with_project": _Bool,
        "acceptance": _Str,
        "in_use": _Bool,
        "standards_compliant": _Bool,
        "products_certified": _Bool,
        "network_interface": _Bool,
        "connected_to_police_platform": _Bool,
        "police_requested_connection": _Bool,
        "retention_days": _I32,
        "signage": _Bool,
        "practitioner": _Str,
    },
    "devices": {
        "unit": _I64,
        "system": _I32,
        "device": _I32,
        "id": _Str,
        "location": _Str,
        "video": _Bool,
        "audio": _Bool,
    },
    "practitioners": {
        "unit": _I64,
        "practitioner": _I32,
        "id": _Str,
        "name": _Str,
        "home_province": _Str,
        "filed": _Bool,
        "out_of_province_filed": _Bool,
        "qualification_level": _I32,
        "qualification_valid_until": pl.Date,
        "required_level": _I32,
        **dict.fromkeys(PRACTITIONER_DUTY_COLUMNS, _Bool),
    },
    "acts": {
        "unit": _I64,
        "act": _I32,
        "id": _Str,
        "code": _Str,
        "by": _Str,
        "serious": _Bool,
        "illegal_income": pl.Float64,
    },
    "orders": {
        "unit": _I64,
        "order": _I32,
        "finding": _Str,
        "subject": _Str,
        "served": pl.Date,
        "deadline": pl.Date,
        "corrected": _Bool,
        "harm": _Bool,
        "serious": _Bool,
    },
}

# Columns that must never be null; every other column may be.
REQUIRED: dict[str, frozenset[str]] = {
    "units": frozenset({"unit", "regime", "as_of", "kind"}),
    "places": frozenset({"unit", "place", "id", "categories"}),
    "systems": frozenset({"unit", "system", "id", "places", "subsystems"}),
    "devices": frozenset({"unit", "system", "device", "id"}),
    "practitioners": frozenset({"unit", "practitioner", "id"}),
    "acts": frozenset({"unit", "act", "code", "by", "serious", "illegal_income"}),
    "orders": frozenset(
        {"unit", "order", "finding", "subject", "deadline", "corrected", "harm", "serious"}
    ),
}
NULLABLE = {t: frozenset(c for c in cols if c not in REQUIRED[t]) for t, cols in SCHEMA.items()}


@dataclass(frozen=True)
class Frames:
    """One DataFrame per table of the layout, each with exactly the columns of SCHEMA. (From
    `scan_parquet` the tables are LazyFrames; `assess_frames` takes either.)"""

    units: pl.DataFrame
    places: pl.DataFrame
    systems: pl.DataFrame
    devices: pl.DataFrame
    practitioners: pl.DataFrame
    acts: pl.DataFrame
    orders: pl.DataFrame

    def tables(self) -> dict[str, pl.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def rows(self) -> dict[str, int]:
        return {
            name: df.height
            if isinstance(df, pl.DataFrame)
            else df.select(pl.len()).collect().item()
            for name, df in self.tables().items()
        }

    def select_units(self, units: pl.Series) -> Frames:
        """The frames of just these units (e.g. those of one regime)."""
        keys = units.implode()
        return Frames(
            **{n: df.filter(pl.col("unit").is_in(keys)) for n, df in self.tables().items()}
        )


def empty_frames() -> Frames:
    return Frames(**{t: pl.DataFrame(schema=s) for t, s in SCHEMA.items()})


# --- from case files ----------------------------------------------------------------------


def cases_to_frames(cases: Iterable[Mapping[str, Any] | AssessCase], start: int = 0) -> Frames:
    """Flatten case files (dicts in the contract's shape, or parsed cases) into the layout.
    Each case is validated and its regime resolved as `law.assess` would; the n-th case becomes
    unit `start + n`. A Python loop: meant for tests and small inputs."""
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in SCHEMA}
    for n, data in enumerate(cases):
        case = parse_assess(data)
        regime = resolve(case.regime, case.division, case.as_of)
        _add_case(rows, start + n, regime.id, case)
    return Frames(**{t: pl.DataFrame(rows[t], schema=SCHEMA[t], orient="row") for t in SCHEMA})


def _add_case(rows: dict[str, list[dict[str, Any]]], key: int, regime: str, case: AssessCase):
    unit = case.unit
    rows["units"].append(
        {
            "unit": key,
            "regime": regime,
            "division": case.division,
            "as_of": case.as_of,
            "name": unit.name,
            "kind": unit.kind,
            **{col: unit.duties.get(d) for col, d in UNIT_DUTY_COLUMNS.items()},
        }
    )
    place_pos = {p.id: i for i, p in enumerate(unit.places)}
    for i, p in enumerate(unit.places):
        rows["places"].append(
            {
                "unit": key,
                "place": i,
                "id": p.id,
                "name": p.name,
                "categories": list(p.categories),
                **{f: getattr(p, f) for f in PLACE_FLAG_COLUMNS},
            }
        )
    for i, s in enumerate(unit.systems):
        rows["systems"].append(
            {
                "unit": key,
                "system": i,
                "id": s.id,
                "places": [place_pos[ref] for ref in s.places],
                "subsystems": list(s.subsystems),
                "design_review": s.design_review,
                "acceptance": s.acceptance,
                "retention_days": s.retention_days,
                "practitioner": s.practitioner,
                **{f: getattr(s, f) for f in SYSTEM_BOOL_COLUMNS},
            }
        )
        for j, d in enumerate(s.devices):
            rows["devices"].append(
                {
                    "unit": key,
                    "system": i,
                    "device": j,
                    "id": d.id,
                    "location": d.location,
                    "video": d.video,
                    "audio": d.audio,
                }
            )
    for i, pr in enumerate(case.practitioners):
        rows["practitioners"].append(
            {
                "unit": key,
                "practitioner": i,
                "id": pr.id,
                "name": pr.name,
                "home_province": pr.home_province,
                "filed": pr.filed,
                "out_of_province_filed": pr.out_of_province_filed,
                "qualification_level": pr.qualification_level,
                "qualification_valid_until": pr.qualification_valid_until,
                "required_level": pr.required_level,
                **{col: pr.duties.get(d) for col, d in PRACTITIONER_DUTY_COLUMNS.items()},
            }
        )
    for i, a in enumerate(case.acts):
        rows["acts"].append(
            {
                "unit": key,
                "act": i,
                "id": a.id,
                "code": a.code,
                "by": a.by,
                "serious": a.serious,
                "illegal_income": float(a.illegal_income),
            }
        )
    for i, o in enumerate(case.orders):
        rows["orders"].append(
            {
                "unit": key,
                "order": i,
                "finding": o.finding,
                "subject": o.subject,
                "served": o.served,
                "deadline": o.deadline,
                "corrected": o.corrected,
                "harm": o.harm,
                "serious": o.serious,
            }
        )


def frames_to_cases(frames: Frames) -> dict[int, dict[str, Any]]:
    """The case file of each unit, back from the layout (the inverse of cases_to_frames, up
    to absent-versus-null). A Python loop: for tests, and to run the single-unit engine on a
    sample of a sweep."""
    cases: dict[int, dict[str, Any]] = {}
    for u in frames.units.iter_rows(named=True):
        cases[u["unit"]] = {
            "regime": u["regime"],
            **({"division": u["division"]} if u["division"] else {}),
            "as_of": u["as_of"],
            "unit": {
                **({"name": u["name"]} if u["name"] is not None else {}),
                "kind": u["kind"],
                "places": [],
                "systems": [],
                "duties": {d: u[c] for c, d in UNIT_DUTY_COLUMNS.items() if u[c] is not None},
            },
            "practitioners": [],
            "acts": [],
            "orders": [],
        }
    place_ids: dict[tuple[int, int], str] = {}
    for p in frames.places.sort("unit", "place").iter_rows(named=True):
        place_ids[(p["unit"], p["place"])] = p["id"]
        cases[p["unit"]]["unit"]["places"].append(
            _present({k: p[k] for k in ("id", "name", "categories", *PLACE_FLAG_COLUMNS)})
        )
    systems: dict[tuple[int, int], dict[str, Any]] = {}
    for s in frames.systems.sort("unit", "system").iter_rows(named=True):
        system = _present({k: s[k] for k in SCHEMA["systems"] if k not in {"unit", "system"}})
        system["places"] = [place_ids[(s["unit"], i)] for i in s["places"]]
        system["devices"] = []
        systems[(s["unit"], s["system"])] = system
        cases[s["unit"]]["unit"]["systems"].append(system)
    for d in frames.devices.sort("unit", "system", "device").iter_rows(named=True):
        device = _present({k: d[k] for k in ("id", "location", "video", "audio")})
        systems[(d["unit"], d["system"])]["devices"].append(device)
    for pr in frames.practitioners.sort("unit", "practitioner").iter_rows(named=True):
        entry = _present({k: pr[k] for k in SCHEMA["practitioners"] if not k.startswith("duty_")})
        entry.pop("unit"), entry.pop("practitioner")
        entry["duties"] = {
            d: pr[c] for c, d in PRACTITIONER_DUTY_COLUMNS.items() if pr[c] is not None
        }
        cases[pr["unit"]]["practitioners"].append(entry)
    for a in frames.acts.sort("unit", "act").iter_rows(named=True):
        act = _present({k: a[k] for k in ("id", "code", "by", "serious", "illegal_income")})
        cases[a["unit"]]["acts"].append(act)
    for o in frames.orders.sort("unit", "order").iter_rows(named=True):
        order = _present({k: o[k] for k in SCHEMA["orders"] if k not in {"unit", "order"}})
        cases[o["unit"]]["orders"].append(order)
    return cases


def _present(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


# --- Parquet ------------------------------------------------------------------------------


def write_parquet(frames: Frames, directory: str | Path) -> Path:
    """Write `<directory>/<table>.parquet` for every table."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    for name, df in frames.tables().items():
        df.write_parquet(out / f"{name}.parquet", statistics=False)
    return out


def scan_table(directory: str | Path, table: str) -> pl.LazyFrame:
    """One table of the layout, lazily, conformed to SCHEMA (see `conform`)."""
    base = Path(directory)
    single = base / f"{table}.parquet"
    if single.is_file():
        source: Path | str = single
    elif (base / table).is_dir():
        source = str(base / table / "*.parquet")
    else:
        raise FileNotFoundError(f"{base}: 缺少表 {table} / no table {table} (.parquet or folder)")
    return conform(table, pl.scan_parquet(source))


def scan_parquet(directory: str | Path) -> Frames:
    """The seven tables of a directory written in the layout, as lazy scans: `assess_frames`
    reads the devices in passes and never holds them whole."""
    return Frames(**{t: scan_table(directory, t) for t in SCHEMA})  # type: ignore[arg-type]


def read_parquet(directory: str | Path) -> Frames:
    """Read the seven tables of a directory written in the layout."""
    return collect(scan_parquet(directory))


def collect(frames: Frames, keep_lazy: frozenset[str] = frozenset()) -> Frames:
    """Frames whose lazy tables (but `keep_lazy`) are read, together (in parallel)."""
    tables = frames.tables()
    lazy = [n for n, t in tables.items() if isinstance(t, pl.LazyFrame) and n not in keep_lazy]
    done = dict(zip(lazy, pl.collect_all([tables[n] for n in lazy]), strict=True))
    return Frames(**{n: done.get(n, t) for n, t in tables.items()})


def conform(table: str, frame: pl.LazyFrame) -> pl.LazyFrame:
    """Exactly SCHEMA's columns, in order, with SCHEMA's dtypes: a missing nullable column is
    all null, a missing non-null column an error; extra columns are dropped."""
    have = frame.collect_schema()
    exprs = []
    for col, dtype in SCHEMA[table].items():
        if col in have:
            exprs.append(pl.col(col) if have[col] == dtype else pl.col(col).cast(dtype))
        elif col in NULLABLE[table]:
            exprs.append(pl.lit(None, dtype=dtype).alias(col))
        else:
            raise ValueError(f"{table}.{col}：缺少必需的列 / missing required column")
    return frame.select(exprs)


def check_frames(frames: Frames) -> list[str]:
    """What in the frames breaks the layout: nulls in non-null columns, unknown regimes or
    codes, dangling or repeated positions. Empty when the frames fit. (Costs a few joins:
    run it on untrusted input, not on every sweep.)"""
    from ..registry import regime_ids
    from ..vocabulary import (
        ACTS,
        DEVICE_LOCATIONS,
        FINDINGS,
        PLACE_CATEGORIES,
        SUBSYSTEMS,
    )

    frames = collect(frames)
    problems: list[str] = []
    for name, df in frames.tables().items():
        for col in sorted(REQUIRED[name]):
            nulls = df[col].null_count()
            if nulls:
                problems.append(f"{name}.{col}: {nulls} 个空值 / {nulls} nulls")
    codes = {
        ("units", "regime"): set(regime_ids()),
        ("units", "kind"): {"organisation", "individual"},
        ("devices", "location"): set(DEVICE_LOCATIONS),
        ("acts", "code"): set(ACTS),
        ("acts", "by"): {"unit", "individual"},
        ("orders", "finding"): set(FINDINGS),
        ("systems", "design_review"): {"none", "pending", "approved", "rejected"},
        ("systems", "acceptance"): {"none", "failed", "passed"},
    }
    lists = {
        ("places", "categories"): set(PLACE_CATEGORIES),
        ("systems", "subsystems"): set(SUBSYSTEMS),
    }
    for (table, col), allowed in codes.items():
        bad = frames.tables()[table][col].drop_nulls().unique()
        bad = sorted(set(bad.to_list()) - allowed)
        if bad:
            problems.append(f"{table}.{col}: 未知代码 / unknown codes {bad[:5]}")
    for (table, col), allowed in lists.items():
        bad = sorted(set(frames.tables()[table][col].explode().drop_nulls().unique()) - allowed)
        if bad:
            problems.append(f"{table}.{col}: 未知代码 / unknown codes {bad[:5]}")
    keys = {
        "units": ["unit"],
        "places": ["unit", "place"],
        "systems": ["unit", "system"],
        "devices": ["unit", "system", "device"],
        "practitioners": ["unit", "practitioner"],
        "acts": ["unit", "act"],
        "orders": ["unit", "order"],
    }
    for name, key in keys.items():
        df = frames.tables()[name]
        dup = df.height - df.select(key).unique().height
        if dup:
            problems.append(f"{name}: {dup} 行键重复 / rows repeat the key {key}")
        if name != "units":
            orphans = df.join(frames.units, on="unit", how="anti").height
            if orphans:
                problems.append(f"{name}: {orphans} 行的 unit 不在 units 中 / rows of no unit")
    # Positions and unit keys are packed into one Int64 by the engine (facts.PACK).
    for name, key in keys.items():
        df = frames.tables()[name]
        for col in key[1:]:
            if df.height and (df[col].max() >= 2**20 or df[col].min() < 0):
                problems.append(f"{name}.{col}: 位置须在 0..2^20-1 / positions must be 0..2^20-1")
    units = frames.units["unit"]
    if units.len() and (units.max() >= 2**43 or units.min() < -(2**43)):
        problems.append("units.unit: 单位键须在 ±2^43 内 / unit keys must lie within ±2^43")
    refs = frames.systems.select("unit", place=pl.col("places")).explode("place").drop_nulls()
    dangling = refs.join(frames.places, on=["unit", "place"], how="anti").height
    if dangling:
        problems.append(f"systems.places: {dangling} 个位置没有场所 / positions name no place")
    dangling = frames.devices.join(frames.systems, on=["unit", "system"], how="anti").height
    if dangling:
        problems.append(f"devices.system: {dangling} 个位置没有系统 / positions name no system")
    return problems
