"""The batch engine sweeping a province: Parquet in, every finding with its penalty out.

For 10k / 100k / 1M units (about ten devices each) a vectorised generator writes the columnar
layout (jifang.law.batch.frames) to build/bench/sweep/<n>/; a fresh process then reads it and
assesses it, so that its peak RSS is the sweep's own. The single-unit engine runs on a sample
of the same units; its time per unit, scaled to the count, is the baseline.

The generator's proportions are plausible statistics of a province, not legal values: the
categories that must install and every other legal fact come from the regime data.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pyarrow as pa

from jifang import law
from jifang.law import batch
from jifang.law import vocabulary as v
from jifang.law.batch.frames import (
    PRACTITIONER_DUTY_COLUMNS,
    SYSTEM_BOOL_COLUMNS,
    UNIT_DUTY_COLUMNS,
    Frames,
    conform,
)

from .engine import row

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "bench" / "sweep" / "v2"  # v: the generator's version
REGIME = "guangdong-2017"
AS_OF = dt.date(2024, 6, 1)
TARGET_S, TARGET_GIB, TARGET_SPEEDUP = 3.0, 4.0, 100.0


# --- a province, in columns ---------------------------------------------------------------


class _Random:
    """Seeded pseudo-random columns from polars alone (a hash of the row number)."""

    def __init__(self, seed: int):
        self.seed = seed

    def uniform(self, n: int) -> pl.Series:
        self.seed += 1
        bits = pl.int_range(n, eager=True, dtype=pl.UInt64).hash(self.seed) // (1 << 11)
        return bits.cast(pl.Float64) / float(1 << 53)

    def ints(self, n: int, low: int, high: int) -> pl.Series:
        """Uniform in [low, high)."""
        return (self.uniform(n) * (high - low)).floor().cast(pl.Int64) + low

    def pick(self, n: int, values: list, weights: list[float]) -> pl.Series:
        total = float(sum(weights))
        bounds = pl.Series([sum(weights[: i + 1]) / total for i in range(len(weights))])
        at = bounds.search_sorted(self.uniform(n), side="right").clip(0, len(values) - 1)
        return pl.Series(values, strict=False).gather(at)

    def tri(self, n: int, p_true: float, p_null: float) -> pl.Series:
        return self.pick(n, [True, None, False], [p_true, p_null, 1 - p_true - p_null])


def _children(counts: pl.Series) -> tuple[pl.Series, pl.Series]:
    """For per-owner counts: each child's owner (index) and its position within the owner."""
    counts = counts.cast(pl.UInt32)
    owner = pl.int_range(counts.len(), eager=True, dtype=pl.UInt32).repeat_by(counts).explode()
    owner = owner.drop_nulls()
    starts = (counts.cum_sum() - counts).gather(owner)
    return owner, (pl.int_range(owner.len(), eager=True, dtype=pl.UInt32) - starts).cast(pl.Int32)


def _lists(counts: pl.Series, values: pl.Series) -> pl.Series:
    """A list column: `counts` values each, taken in turn from `values`."""
    offsets = pl.concat([pl.Series([0]), counts.cast(pl.Int64).cum_sum()]).cast(pl.Int32)
    return pl.from_arrow(pa.ListArray.from_arrays(offsets.to_arrow(), values.to_arrow()))


def _days_from(day: dt.date, days: pl.Series) -> pl.Series:
    return pl.select(pl.lit(day) + pl.duration(days=pl.lit(days))).to_series()


def _text(prefix: str, *columns: str) -> pl.Expr:
    parts: list[pl.Expr] = [pl.lit(prefix)]
    for i, c in enumerate(columns):
        parts += [pl.lit("d")] if i else []
        parts.append(pl.col(c).cast(pl.String))
    return pl.concat_str(parts)


def province(n: int, seed: int = 7, regime_id: str = REGIME) -> Frames:
    """n units of one regime: ~2 places, ~2 systems, ~10 devices per unit, some
    practitioners, acts and rectification orders."""
    rnd = _Random(seed)
    regime = law.load(regime_id)
    listed = sorted({c for r in regime.provisions.installation.rules for c in r.categories})
    prefix = regime.jurisdiction.division_prefixes[0]
    unit = pl.int_range(n, eager=True, dtype=pl.Int64)
    units = pl.DataFrame(
        {
            "unit": unit,
            "regime": pl.repeat(regime_id, n, eager=True),
            "division": rnd.pick(n, [(prefix + f"{i:02d}01")[:6] for i in range(1, 20)], [1] * 19),
            "as_of": pl.repeat(AS_OF, n, eager=True),
            "kind": rnd.pick(n, ["organisation", "individual"], [97, 3]),
            **{c: rnd.tri(n, 0.88, 0.08) for c in UNIT_DUTY_COLUMNS},
        }
    ).with_columns(name=_text("单位", "unit"))

    n_places = rnd.pick(n, [0, 1, 2, 3], [3, 35, 40, 22])
    owner, pos = _children(n_places)
    np_ = owner.len()
    n_cats = rnd.pick(np_, [1, 2], [85, 15])
    k = int(n_cats.sum())
    pool = pl.Series(listed + sorted(v.PLACE_CATEGORIES))
    cat_idx = pl.select(
        pl.when(pl.lit(rnd.uniform(k)) < 0.9)
        .then(pl.lit(rnd.ints(k, 0, len(listed))))
        .otherwise(pl.lit(rnd.ints(k, len(listed), pool.len())))
    ).to_series()
    places = pl.DataFrame(
        {
            "unit": unit.gather(owner),
            "place": pos,
            "categories": _lists(n_cats, pool.gather(cat_idx)),
            "public_area": rnd.tri(np_, 0.02, 0.6),
            "anti_terror_target": rnd.tri(np_, 0.03, 0.6),
            "police_key_place": rnd.tri(np_, 0.05, 0.6),
            "central_urban": rnd.tri(np_, 0.3, 0.4),
            "new_construction": rnd.tri(np_, 0.05, 0.5),
        }
    ).with_columns(id=_text("p", "place"))

    n_systems = rnd.pick(n, [0, 1, 2, 3], [5, 30, 40, 25])
    owner, pos = _children(n_systems)
    ns = owner.len()
    # Each system covers one of its unit's places (none when the unit lists none).
    unit_places = n_places.gather(owner)
    has_place = unit_places > 0
    covered = (pos.cast(pl.Int64) % unit_places.clip(1, None)).cast(pl.Int32).filter(has_place)
    subsystems = pl.Series([["video"], ["video", "intrusion_alarm"], [], ["intrusion_alarm"]])
    systems = pl.DataFrame(
        {
            "unit": unit.gather(owner),
            "system": pos,
            "places": _lists(has_place.cast(pl.Int64), covered),
            "subsystems": subsystems.gather(rnd.pick(ns, [0, 1, 2, 3], [70, 20, 5, 5])),
            "built_by_government": rnd.tri(ns, 0.02, 0.5),
            "design_review": rnd.pick(ns, ["approved", "pending", "none", None], [85, 5, 5, 5]),
            "acceptance": rnd.pick(ns, ["passed", "failed", "none", None], [85, 5, 5, 5]),
            "retention_days": rnd.pick(ns, [7, 15, 30, 60, 90, None], [3, 5, 60, 15, 10, 7]),
            **{
                f: rnd.tri(ns, 0.85, 0.08)
                for f in SYSTEM_BOOL_COLUMNS
                if f != "built_by_government"
            },
        }
    ).with_columns(id=_text("s", "system"))

    owner, pos = _children(rnd.ints(ns, 1, 10))
    nd = owner.len()
    locations = sorted(v.ORDINARY_LOCATIONS) + sorted(v.PRIVACY_LOCATIONS) + [None]
    weights = [97 / len(v.ORDINARY_LOCATIONS)] * len(v.ORDINARY_LOCATIONS)
    weights += [2 / len(v.PRIVACY_LOCATIONS)] * len(v.PRIVACY_LOCATIONS) + [1]
    devices = pl.DataFrame(
        {
            "unit": systems["unit"].gather(owner),
            "system": systems["system"].gather(owner),
            "device": pos,
            "location": rnd.pick(nd, locations, weights),
            "video": rnd.tri(nd, 0.85, 0.10),
            "audio": rnd.tri(nd, 0.05, 0.35),
        }
    ).with_columns(id=_text("s", "system", "device"))

    with_pr = unit.filter(rnd.uniform(n) < 0.3)
    npr = with_pr.len()
    level = rnd.ints(npr, 1, 6)
    practitioners = pl.DataFrame(
        {
            "unit": with_pr,
            "practitioner": pl.repeat(0, npr, eager=True, dtype=pl.Int32),
            "home_province": rnd.pick(npr, [prefix[:2], "35", None], [80, 15, 5]),
            "filed": rnd.tri(npr, 0.9, 0.05),
            "out_of_province_filed": rnd.tri(npr, 0.85, 0.1),
            "qualification_level": level,
            "qualification_valid_until": _days_from(AS_OF, rnd.ints(npr, -200, 900)),
            "required_level": (level + rnd.ints(npr, 0, 2)).clip(None, 4),
            **{c: rnd.tri(npr, 0.9, 0.05) for c in PRACTITIONER_DUTY_COLUMNS},
        }
    ).with_columns(id=pl.lit("pr0"))

    with_act = unit.filter(rnd.uniform(n) < 0.01)
    na = with_act.len()
    acts = pl.DataFrame(
        {
            "unit": with_act,
            "act": pl.repeat(0, na, eager=True, dtype=pl.Int32),
            "code": rnd.pick(na, sorted(v.ACTS), [1] * len(v.ACTS)),
            "by": rnd.pick(na, ["unit", "individual"], [1, 1]),
            "serious": rnd.uniform(na) < 0.1,
            "illegal_income": rnd.pick(na, [5000.0, 0.0], [1, 9]),
        }
    )

    with_order = unit.filter(rnd.uniform(n) < 0.05)
    no = with_order.len()
    aims = [
        ("RETENTION_SHORT", "s0"),
        ("USER_DUTIES_UNMET", "unit"),
        ("INSTALL_REQUIRED_MISSING", "p0"),
        ("DESIGN_REVIEW_MISSING", "s1"),
        ("PRACTITIONER_DUTIES_UNMET", "pr0"),
    ]
    aim = rnd.ints(no, 0, len(aims))
    orders = pl.DataFrame(
        {
            "unit": with_order,
            "order": pl.repeat(0, no, eager=True, dtype=pl.Int32),
            "finding": pl.Series([a[0] for a in aims]).gather(aim),
            "subject": pl.Series([a[1] for a in aims]).gather(aim),
            "deadline": _days_from(AS_OF, rnd.ints(no, -60, 30)),
            "corrected": rnd.uniform(no) < 0.3,
            "harm": rnd.uniform(no) < 0.2,
            "serious": rnd.uniform(no) < 0.05,
        }
    )
    tables = {
        "units": units,
        "places": places,
        "systems": systems,
        "devices": devices,
        "practitioners": practitioners,
        "acts": acts,
        "orders": orders,
    }
    return Frames(**{t: conform(t, df.lazy()).collect() for t, df in tables.items()})


# --- the measurements ---------------------------------------------------------------------


def _peak_rss_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def sweep(directory: str, obligations: bool) -> dict:
    """Scan the layout and assess it, in this process: what a fresh child reports."""
    t0 = time.perf_counter()
    result = batch.assess_frames(batch.scan_parquet(directory), obligations=obligations)
    wall = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,  # the whole process, imports included
        "peak_rss": _peak_rss_bytes(),
        "rows": batch.scan_parquet(directory).rows(),
        "findings": result.findings.height,
        "due_now": int(result.findings["due_now"].sum()),
        "obligations": None if result.obligations is None else result.obligations.height,
    }


def _child(directory: Path, obligations: bool) -> dict:
    """One sweep in a fresh process (its own peak RSS, nothing cached)."""
    code = f"import json, bench.sweep as s; print(json.dumps(s.sweep({str(directory)!r}, {obligations})))"
    cmd = [sys.executable, "-c", code]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout)


def _inputs(n: int) -> Path:
    out = WORK / str(n)
    if not (out / "units.parquet").is_file():
        batch.write_parquet(province(n), out)
    return out


def scalar_seconds_per_unit(directory: Path, sample: int) -> float:
    """The single-unit engine on the first `sample` units of the same input (validation and
    assessment per unit, as `law.assess` on a case file)."""
    frames = batch.read_parquet(directory)
    keep = frames.units["unit"].head(sample)
    cases = list(batch.frames_to_cases(frames.select_units(keep)).values())
    law.assess(cases[0])
    t0 = time.perf_counter()
    for case in cases:
        law.assess(case)
    return (time.perf_counter() - t0) / len(cases)


def run(small: bool = False) -> list[dict]:
    sizes = (10_000, 100_000) if small else (10_000, 100_000, 1_000_000)
    sample = 500 if small else 2000
    rows = []
    for n in sizes:
        directory = _inputs(n)
        # The baseline is measured beside the sweeps (before and after), in the same
        # conditions: on a shared machine both slow down together.
        per_unit = scalar_seconds_per_unit(directory, sample)
        runs = [_child(directory, False) for _ in range(2 if small else 3)]
        per_unit = (per_unit + scalar_seconds_per_unit(directory, sample)) / 2
        got = min(runs, key=lambda r: r["wall_s"])
        scalar = per_unit * n
        label = f"{n // 1000}k units" if n < 1_000_000 else f"{n // 1_000_000}M units"
        full = n == 1_000_000
        rows += [
            row(
                f"sweep {label} ({got['rows']['devices'] / 1e6:.1f}M devices): Parquet to "
                "findings, wall",
                got["wall_s"],
                "s",
                TARGET_S if full else None,
                baseline=round(scalar, 2),
            ),
            row(
                f"sweep {label}: speed-up over the single-unit engine "
                f"({per_unit * 1000:.3f} ms a unit)",
                scalar / got["wall_s"],
                "x",
                TARGET_SPEEDUP if full else None,
                lower_is_better=False,
            ),
            row(
                f"sweep {label}: peak RSS",
                got["peak_rss"] / 2**30,
                "GiB",
                TARGET_GIB if full else None,
            ),
            row(f"sweep {label}: findings", got["findings"], "rows", None),
        ]
        if n == sizes[-1]:
            both = _child(directory, True)
            rows += [
                row(
                    f"sweep {label} with its {both['obligations'] / 1e6:.1f}M obligations, wall",
                    both["wall_s"],
                    "s",
                    None,
                ),
                row(
                    f"sweep {label} with obligations: peak RSS",
                    both["peak_rss"] / 2**30,
                    "GiB",
                    None,
                ),
            ]
    return rows
