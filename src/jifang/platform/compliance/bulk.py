"""A sweep's writes: the batch engine's results for a slice of units, stored in bulk, and the
running counts of the sweep (by finding, by division, the dashboard's figures, the hash of
the results)."""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from typing import Any

import polars as pl
from django.db import connection
from django.utils import timezone

from jifang.law import batch
from jifang.platform.units.models import Unit

from .columns import Slice, read
from .models import Assessment, AssessmentFinding, SweepRun

AREA_FIGURES = ("units", "assessed", "compliant", "key_units", "findings")
AREA_COUNTS = ("places", "systems", "devices")


def _table(model) -> str:
    return model._meta.db_table


def write(model, frame: pl.DataFrame) -> None:
    """Append the rows of `frame` (columns named as the table's) to the model's table."""
    if not frame.height:
        return
    names = ", ".join(frame.columns)
    if connection.vendor == "postgresql":
        sql = f"COPY {_table(model)} ({names}) FROM STDIN (FORMAT csv)"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for part in frame.iter_slices(200_000):
                buffer = io.BytesIO()
                part.write_csv(buffer, include_header=False, date_format="%Y-%m-%d")
                copy.write(buffer.getvalue())
        return
    frame = frame.with_columns(pl.col(pl.Date).cast(pl.String))
    marks = ", ".join(["?"] * frame.width)
    raw = connection.connection.cursor()  # sqlite3's own executemany, in our transaction
    try:
        raw.executemany(
            f"INSERT INTO {_table(model)} ({names}) VALUES ({marks})", frame.iter_rows()
        )
    finally:
        raw.close()


def key_units(obligations: pl.DataFrame) -> pl.DataFrame:
    """unit, key_unit: as services._key_unit decides from the INSTALL obligations (none:
    false; any met or violated: true; else any insufficient facts: unknown)."""
    status = pl.col("status").cast(pl.String)
    return (
        obligations.select("unit", "code", "status")
        .filter(pl.col("code") == "INSTALL")  # compared as a category: no cast of every row
        .group_by("unit")
        .agg(
            decided=status.is_in(["met", "violated"]).any(),
            unknown=(status == "insufficient_facts").any(),
        )
        .select(
            "unit",
            key_unit=pl.when(pl.col("decided"))
            .then(True)
            .when(pl.col("unknown"))
            .then(None)
            .otherwise(False),
            installs=pl.lit(True),
        )
    )


class Tally:
    """What a sweep has found so far."""

    def __init__(self) -> None:
        self.units = 0
        self.findings = 0
        self.by_finding: Counter[str] = Counter()
        self.by_division: dict[str, Counter[str]] = {}
        self.errors: list[dict[str, Any]] = []
        self.areas: dict[str, dict[str, Any]] = {}
        self.digest = hashlib.sha256()

    def _area(self, code: str) -> dict[str, Any]:
        if code not in self.areas:
            self.areas[code] = {
                **dict.fromkeys(AREA_FIGURES + AREA_COUNTS, 0),
                "by_finding": {},
                "by_category": Counter(),
            }
        return self.areas[code]

    def add_slice(self, piece: Slice, units: pl.DataFrame, findings: pl.DataFrame) -> None:
        """`units`: unit, division, key_unit, findings_count of the assessed units;
        `findings`: unit, division, code of their findings."""
        self.units += units.height
        self.findings += findings.height
        self.errors += piece.errors
        for code, n in findings.group_by("code").len().iter_rows():
            self.by_finding[code] += n
        for division, code, n, distinct in (
            findings.group_by("division", "code")
            .agg(pl.len(), pl.col("unit").n_unique())
            .iter_rows()
        ):
            self.by_division.setdefault(division, Counter())[code] += n
            pair = self._area(division)["by_finding"].setdefault(code, [0, 0])
            pair[0] += n
            pair[1] += distinct
        for row in (
            units.group_by("division")
            .agg(
                assessed=pl.len(),
                compliant=(pl.col("findings_count") == 0).sum(),
                key_units=(pl.col("key_unit") == True).sum(),  # noqa: E712 (null is not key)
                findings=pl.col("findings_count").sum(),
            )
            .iter_rows(named=True)
        ):
            area = self._area(row["division"])
            for name in ("assessed", "compliant", "key_units", "findings"):
                area[name] += int(row[name])
        for row in (
            piece.counts.group_by("division")
            .agg(units=pl.len(), **{c: pl.col(c).sum() for c in AREA_COUNTS})
            .iter_rows(named=True)
        ):
            area = self._area(row["division"])
            for name in ("units", *AREA_COUNTS):
                area[name] += int(row[name])
        for division, category, n in (
            piece.categories.group_by("division", "category").len().iter_rows()
        ):
            self._area(division)["by_category"][category] += n
        self.digest.update(units.sort("unit").write_csv().encode())
        self.digest.update(findings.sort("unit", "code").write_csv().encode())

    def add_single(self, unit: Unit, assessment: Assessment, rows: list[AssessmentFinding]):
        """A unit assessed by the single-unit path within the sweep (its places, systems and
        devices were counted with its slice)."""
        code = unit.division.code
        self.units += 1
        self.findings += len(rows)
        area = self._area(code)
        area["assessed"] += 1
        area["compliant"] += not rows
        area["key_units"] += assessment.key_unit is True
        area["findings"] += len(rows)
        counts = Counter(r.code for r in rows)
        for finding, n in counts.items():
            self.by_finding[finding] += n
            self.by_division.setdefault(code, Counter())[finding] += n
            pair = area["by_finding"].setdefault(finding, [0, 0])
            pair[0] += n
            pair[1] += 1
        self.digest.update(f"{unit.pk},{sorted(counts.items())}\n".encode())

    def finish(self, run: SweepRun) -> None:
        run.units, run.findings = self.units, self.findings
        run.by_finding = dict(sorted(self.by_finding.items()))
        run.by_division = {k: dict(sorted(v.items())) for k, v in sorted(self.by_division.items())}
        run.errors = self.errors
        run.areas = {
            code: {
                **{k: int(area[k]) for k in AREA_FIGURES + AREA_COUNTS},
                "by_finding": dict(sorted(area["by_finding"].items())),
                "by_category": dict(sorted(area["by_category"].items())),
            }
            for code, area in sorted(self.areas.items())
        }
        run.finished_at = timezone.now()
        run.save()

    def record(self, run: SweepRun) -> dict[str, Any]:
        """The sweep's audit entry."""
        return {
            "division": run.division.code,
            "as_of": run.as_of.isoformat(),
            "units": run.units,
            "findings": run.findings,
            "errors": len(run.errors),
            "by_finding": run.by_finding,
            "results_sha256": self.digest.hexdigest(),
        }


def store(run: SweepRun, piece: Slice, tally: Tally) -> None:
    """Assess a slice with the batch engine and write its assessments and findings."""
    from .services import regime_version

    frames = piece.frames
    if not frames.units.height:
        tally.add_slice(piece, _no_units(), _no_findings())
        return
    # of the obligations, only those deciding a key unit (installation's INSTALL)
    result = batch.assess_frames(frames, obligations=frozenset({"installation"}))
    findings = result.findings.select(
        "unit",
        pl.col("code").cast(pl.String),
        "subject",
        pl.col("article").cast(pl.Int32),
        pl.col("due_now").fill_null(False),
    ).join(piece.division, on="unit")
    counts = findings.group_by("unit").agg(findings_count=pl.len())
    units = (
        frames.units.select("unit", "regime")
        .join(piece.division, on="unit")
        .join(counts, on="unit", how="left")
        .join(key_units(result.obligations), on="unit", how="left")
        .with_columns(
            pl.col("findings_count").fill_null(0).cast(pl.Int64),
            # no INSTALL obligation at all: not a key unit
            key_unit=pl.when(pl.col("installs").is_null())
            .then(False)
            .otherwise(pl.col("key_unit")),
        )
        .drop("installs")
    )
    versions = {r: regime_version(r) for r in units["regime"].unique().to_list()}
    write(
        Assessment,
        units.select(
            pl.col("unit").alias("unit_id"),
            pl.lit(run.as_of).alias("as_of"),
            pl.col("regime").alias("regime_id"),
            pl.col("regime")
            .replace_strict(versions, return_dtype=pl.String)
            .alias("regime_version"),
            pl.lit("").alias("data_version"),
            "key_unit",
            "findings_count",
            pl.lit(run.pk).alias("sweep_id"),
        ),
    )
    low, high = units["unit"].min(), units["unit"].max()
    ids = read(
        f"SELECT id, unit_id FROM {_table(Assessment)} WHERE sweep_id = {int(run.pk)} "
        f"AND unit_id >= {int(low)} AND unit_id <= {int(high)}",
        {"assessment_id": pl.Int64, "unit": pl.Int64},
    )
    write(
        AssessmentFinding,
        findings.join(ids, on="unit").select(
            "assessment_id",
            pl.col("division").alias("division_code"),
            "code",
            "subject",
            "article",
            "due_now",
        ),
    )
    tally.add_slice(piece, units.drop("regime"), findings.select("unit", "division", "code"))


def _no_units() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "unit": pl.Int64,
            "division": pl.String,
            "findings_count": pl.Int64,
            "key_unit": pl.Boolean,
        }
    )


def _no_findings() -> pl.DataFrame:
    return pl.DataFrame(schema={"unit": pl.Int64, "division": pl.String, "code": pl.String})
