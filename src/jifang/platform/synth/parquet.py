"""A synthetic province as the batch engine's input: the columnar case layout of
`jifang.law.batch.frames` (version 1), one folder of Parquet parts per table, written chunk by
chunk, with no database.

Each unit's rows are what `compliance.facts.build_case` would give for it once loaded: ids
``p12``, ``s3``, ``d40``, ``pr7``, ``a5``; devices in the order of their codes; each
practitioner with the certificate in force on the date (else its latest) and the strictest
grade the unit's systems ask of it. Beside the seven tables, ``expected/`` holds the findings
the engine must give each unit (unit, code, count), and ``synth.json`` the summary.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import polars as pl

from jifang.law.batch.frames import PRACTITIONER_DUTY_COLUMNS, SCHEMA, UNIT_DUTY_COLUMNS

from .generate import Params, Summary, Synth

UNIT_DUTIES = pl.Struct({code: pl.Boolean for code in UNIT_DUTY_COLUMNS.values()})
PRACTITIONER_DUTIES = pl.Struct({code: pl.Boolean for code in PRACTITIONER_DUTY_COLUMNS.values()})
CODES = pl.List(pl.String)


def _position(*order: pl.Expr | str, over: str) -> pl.Expr:
    """0-based position of a row among its owner's rows, in the given order."""
    key = pl.struct(*order) if len(order) > 1 else order[0]
    if isinstance(key, str):
        key = pl.col(key)
    return (key.rank("ordinal").over(over) - 1).cast(pl.Int32)


class ParquetSink:
    """Writes the frames of a Synth as they come (the small tables first, then chunks)."""

    def __init__(self, directory: str | Path, synth: Synth) -> None:
        self.root = Path(directory)
        self.synth = synth
        self.part = 0
        self.practitioners: pl.DataFrame | None = None
        for name in (*SCHEMA, "expected"):
            folder = self.root / name
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.glob("part-*.parquet"):
                old.unlink()

    def write(self, frames: dict[str, pl.DataFrame]) -> None:
        if "practitioners.practitioner" in frames:
            self._head(frames)
        if "units.unit" in frames and frames["units.unit"].height:
            for name, frame in self.convert(frames).items():
                frame.write_parquet(
                    self.root / name / f"part-{self.part:05d}.parquet", statistics=False
                )
            self.part += 1

    def close(self) -> None:
        (self.root / "synth.json").write_text(
            json.dumps(self.synth.summary.as_dict(), ensure_ascii=False, sort_keys=True, indent=2)
            + "\n",
            encoding="utf-8",
        )

    # --- the conversion ---------------------------------------------------------------------

    def _head(self, frames: dict[str, pl.DataFrame]) -> None:
        """Each company's facts as a case file gives them (independent of the unit)."""
        as_of = self.synth.params.as_of
        certs = frames["practitioners.qualificationcertificate"]
        in_force = (
            certs.filter((pl.col("valid_from") <= as_of) & (pl.col("valid_until") >= as_of))
            .sort(
                "practitioner_id", "level", pl.col("valid_until"), descending=[False, False, True]
            )
            .unique("practitioner_id", keep="first")
        )
        latest = certs.sort("practitioner_id", "valid_until", descending=[False, True]).unique(
            "practitioner_id", keep="first"
        )
        chosen = pl.concat([in_force, latest.join(in_force, on="practitioner_id", how="anti")])
        self.practitioners = (
            frames["practitioners.practitioner"]
            .join(
                chosen.select("practitioner_id", "level", "valid_until"),
                left_on="id",
                right_on="practitioner_id",
                how="left",
            )
            .select(
                pl.col("id").alias("practitioner_pk"),
                pl.format("pr{}", "id").alias("id"),
                "name",
                "home_province",
                "filed",
                "out_of_province_filed",
                pl.col("level").cast(pl.Int32).alias("qualification_level"),
                pl.col("valid_until").alias("qualification_valid_until"),
                pl.col("duties")
                .str.json_decode(PRACTITIONER_DUTIES)
                .struct.rename_fields(list(PRACTITIONER_DUTY_COLUMNS))
                .alias("duties"),
            )
            .unnest("duties")
        )

    def convert(self, f: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
        p = self.synth.params
        code_of = {i: c for c, i in self.synth.province.division_ids.items()}
        units = (
            f["units.unit"]
            .select(
                pl.col("id").alias("unit"),
                pl.lit(p.regime).alias("regime"),
                pl.col("division_id")
                .replace_strict(code_of, return_dtype=pl.String)
                .alias("division"),
                pl.lit(p.as_of).alias("as_of"),
                "name",
                "kind",
                pl.col("duties")
                .str.json_decode(UNIT_DUTIES)
                .struct.rename_fields(list(UNIT_DUTY_COLUMNS))
                .alias("duties"),
            )
            .unnest("duties")
        )
        places = f["units.place"].select(
            pl.col("unit_id").alias("unit"),
            _position("id", over="unit_id").alias("place"),
            pl.format("p{}", "id").alias("id"),
            "name",
            pl.col("categories").str.json_decode(CODES),
            "public_area",
            "anti_terror_target",
            "police_key_place",
            "central_urban",
            "new_construction",
            pl.col("id").alias("place_pk"),
        )
        systems = f["systems.system"].with_columns(_position("id", over="unit_id").alias("system"))
        covers = (
            f["systems.system_places"]
            .join(places.select("place_pk", "place"), left_on="place_id", right_on="place_pk")
            .group_by("system_id")
            .agg(pl.col("place").sort().alias("places"))
        )
        system_rows = systems.join(covers, left_on="id", right_on="system_id", how="left").select(
            pl.col("unit_id").alias("unit"),
            "system",
            pl.format("s{}", "id").alias("id"),
            pl.col("places").fill_null(pl.lit([], dtype=pl.List(pl.Int32))),
            pl.col("subsystems").str.json_decode(CODES),
            "built_by_government",
            "design_review",
            "built_per_design",
            "built_with_project",
            "acceptance",
            (pl.col("status") == "in_use").alias("in_use"),
            "standards_compliant",
            "products_certified",
            "network_interface",
            "connected_to_police_platform",
            "police_requested_connection",
            pl.col("retention_days").cast(pl.Int32),
            "signage",
            pl.when(pl.col("practitioner_id").is_not_null())
            .then(pl.format("pr{}", "practitioner_id"))
            .alias("practitioner"),
        )
        devices = (
            f["systems.device"]
            .join(
                systems.select(pl.col("id").alias("system_id"), "unit_id", "system"), on="system_id"
            )
            .select(
                pl.col("unit_id").alias("unit"),
                "system",
                _position("code", over="system_id").alias("device"),
                pl.format("d{}", "id").alias("id"),
                "location",
                "video",
                "audio",
            )
        )
        jobs = (
            systems.filter(pl.col("practitioner_id").is_not_null())
            .group_by("unit_id", "practitioner_id")
            .agg(pl.col("required_level").min().cast(pl.Int32).alias("required_level"))
        )
        practitioners = (
            jobs.with_columns(_position("practitioner_id", over="unit_id").alias("practitioner"))
            .join(self.practitioners, left_on="practitioner_id", right_on="practitioner_pk")
            .select(
                pl.col("unit_id").alias("unit"),
                "practitioner",
                *[c for c in SCHEMA["practitioners"] if c not in {"unit", "practitioner"}],
            )
        )
        acts = (
            f["compliance.actrecord"]
            .filter(pl.col("occurred") <= p.as_of)
            .select(
                pl.col("unit_id").alias("unit"),
                _position(-pl.col("occurred").cast(pl.Int32), "id", over="unit_id").alias("act"),
                pl.format("a{}", "id").alias("id"),
                "code",
                "by",
                "serious",
                pl.col("illegal_income").cast(pl.Float64),
            )
        )
        orders = (
            f["compliance.rectificationorder"]
            .filter(pl.col("served") <= p.as_of)
            .select(
                pl.col("unit_id").alias("unit"),
                _position(-pl.col("served").cast(pl.Int32), "id", over="unit_id").alias("order"),
                "finding",
                "subject",
                "served",
                "deadline",
                "corrected",
                "harm",
                "serious",
            )
        )
        out = {
            "units": units,
            "places": places.drop("place_pk"),
            "systems": system_rows,
            "devices": devices,
            "practitioners": practitioners,
            "acts": acts,
            "orders": orders,
        }
        out = {
            name: frame.select([pl.col(c).cast(t) for c, t in SCHEMA[name].items()])
            for name, frame in out.items()
        }
        out["expected"] = self._expected(f["planned"])
        return out

    def _expected(self, planned: pl.DataFrame) -> pl.DataFrame:
        book = self.synth.compiled.book
        rows = [(t.index, code, n) for t in book.templates for code, n in t.findings]
        table = pl.DataFrame(
            rows, schema={"template": pl.Int64, "code": pl.String, "count": pl.Int32}, orient="row"
        )
        return (
            planned.select("unit", "template")
            .join(table, on="template")
            .select("unit", "code", "count")
        )


def write(params: Params, directory: str | Path) -> Summary:
    """Generate a province straight into Parquet (no database)."""
    began = time.perf_counter()
    synth = Synth(params)
    sink = ParquetSink(directory, synth)
    sink.write(synth.head())
    for frames in synth.chunks():
        sink.write(frames)
    synth.summary.seconds = time.perf_counter() - began
    sink.close()
    return synth.summary
