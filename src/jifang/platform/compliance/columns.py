"""The registries read in bulk as the batch engine's columnar case layout
(`jifang.law.batch.frames`), unit for unit what `facts.build_case` gives.

One SQL query per table for a slice of units (PostgreSQL: Arrow columns through ADBC, or inside
a transaction ``COPY (…) TO STDOUT`` parsed by polars; SQLite: the cursor's rows), then
positions, ids and the derived facts in polars:

- subjects are named as build_case names them: ``p12``, ``s3``, ``d40``, ``pr7``, ``a5``;
- places and systems in id order; devices in code order (compared as bytes: under another
  collation the database may order unusual codes otherwise, which changes the order of
  the answer's entries, never the findings); acts and orders newest first, then id;
  practitioners by id;
- a system whose ``products_certified`` is not recorded takes it from its devices' products
  (any uncertified: false; all certified: true; else unknown);
- each practitioner with the certificate in force on the date (the highest level), else its
  latest, and the strictest level the unit's systems ask of it.

A unit the layout cannot hold as build_case would (a system covering another unit's place) is
returned in `Slice.single` and assessed by the single-unit path instead. A unit whose division
no encoded regime governs is in `Slice.errors`, as the single-unit engine would refuse it.
"""

from __future__ import annotations

import datetime as dt
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import polars as pl
from django.db import connection

from jifang import law
from jifang.law.batch import SCHEMA, Frames
from jifang.law.batch.frames import (
    PRACTITIONER_DUTY_COLUMNS,
    SYSTEM_BOOL_COLUMNS,
    UNIT_DUTY_COLUMNS,
)
from jifang.platform.compliance.models import ActRecord, RectificationOrder
from jifang.platform.geo.models import Division
from jifang.platform.practitioners.models import Practitioner, QualificationCertificate
from jifang.platform.systems.models import Device, Product, System
from jifang.platform.units.models import Place, Unit

_I64, _I32, _S, _B, _D = pl.Int64, pl.Int32, pl.String, pl.Boolean, pl.Date
UNIT_DUTIES = pl.Struct({code: _B for code in UNIT_DUTY_COLUMNS.values()})
PRACTITIONER_DUTIES = pl.Struct({code: _B for code in PRACTITIONER_DUTY_COLUMNS.values()})
CODES = pl.List(_S)
PARALLEL = 4  # queries of a slice run side by side (PostgreSQL)


def _t(model) -> str:
    return model._meta.db_table


def read(sql: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Rows of `sql` (columns in the order of `schema`) as a frame of `schema`'s types.

    Booleans are selected as integers, JSON as text and dates as ISO text, so that both
    databases give the same text or numbers; polars casts them. `sql` holds no user input:
    only table names, integers and a division prefix checked to be digits.
    """
    names = list(schema)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        raw = _read_arrow(sql, names)
    elif connection.vendor == "postgresql":
        raw = _read_copy(sql, names)
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            rows = cursor.fetchall()
        raw = pl.DataFrame(
            [[None if v is None else str(v) for v in row] for row in rows],
            schema=dict.fromkeys(names, _S),
            orient="row",
        )
    if not raw.height:
        return pl.DataFrame(schema=schema)
    return raw.select(_cast(name, dtype) for name, dtype in schema.items())


def _read_arrow(sql: str, names: list[str]) -> pl.DataFrame:
    """PostgreSQL outside a transaction: the rows in Arrow's columns through ADBC (binary COPY
    decoded in C), on a connection of its own: several times cheaper, for both the server
    and this process, than text parsed here. Inside a transaction the rows it has written are
    visible only to Django's own connection (`_read_copy`)."""
    import adbc_driver_postgresql.dbapi as adbc

    with adbc.connect(_uri()) as conn, conn.cursor() as cursor:
        cursor.execute("SET jit = off")  # compiling costs more than it saves here
        cursor.execute(sql)
        table = cursor.fetch_arrow_table().rename_columns(names)
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


def _uri() -> str:
    """Django's PostgreSQL database as a libpq URI."""
    s = connection.settings_dict
    user = quote(s.get("USER") or "", safe="")
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    at = f"{user}{password}@" if user else ""
    host = s.get("HOST") or ""
    if host.startswith("/"):  # a Unix socket directory
        return f"postgresql://{at}/{quote(s['NAME'], safe='')}?host={quote(host, safe='')}"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgresql://{at}{host}{port}/{quote(s['NAME'], safe='')}"


def _read_copy(sql: str, names: list[str]) -> pl.DataFrame:
    """PostgreSQL on Django's connection (inside a transaction): COPY as CSV, parsed by polars."""
    buffer = io.BytesIO()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy,
    ):
        for block in copy:
            buffer.write(block)
    if not buffer.tell():
        return pl.DataFrame(schema=dict.fromkeys(names, _S))
    buffer.seek(0)
    return pl.read_csv(
        buffer,
        has_header=False,
        new_columns=names,
        schema_overrides=dict.fromkeys(names, _S),
        infer_schema=False,
    )


def _cast(name: str, dtype: pl.DataType) -> pl.Expr:
    col = pl.col(name)
    if dtype == _B:
        return col.cast(pl.Float64).cast(pl.Int8).cast(_B)
    if dtype == _D:  # ISO text, or a date as ADBC gives it
        return col.cast(_S).str.slice(0, 10).str.to_date("%Y-%m-%d")
    return col.cast(dtype)


def _read_apart(sql: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """`read` on this thread's own connections, closed afterwards."""
    try:
        return read(sql, schema)
    finally:
        connection.close()


def run_queries(
    queries: dict[str, tuple[str, dict[str, pl.DataType]]],
) -> dict[str, pl.DataFrame]:
    """Run the queries, side by side on PostgreSQL outside a transaction (each on its own
    connection: the server runs them in parallel while ADBC decodes); one after the
    other inside a transaction (whose uncommitted rows other connections cannot see) and on
    SQLite."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return {name: read(sql, schema) for name, (sql, schema) in queries.items()}
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        futures = {name: pool.submit(_read_apart, *query) for name, query in queries.items()}
        return {name: future.result() for name, future in futures.items()}


def _b(column: str) -> str:
    return f"CAST({column} AS INTEGER)"


def _text(column: str) -> str:
    return f"CAST({column} AS TEXT)"


def _prefix(prefix: str) -> str:
    if not prefix.isdigit() and prefix != "":
        raise ValueError(f"division prefix {prefix!r}")
    return prefix


def units_where(prefix: str, low: int, high: int, alias: str = "u") -> str:
    """SQL condition: the units under `prefix` with low < id <= high."""
    divisions = f"SELECT id FROM {_t(Division)} WHERE code LIKE '{_prefix(prefix)}%'"
    return (
        f"{alias}.division_id IN ({divisions}) AND {alias}.id > {int(low)} "
        f"AND {alias}.id <= {int(high)}"
    )


def unit_ids(prefix: str) -> pl.Series:
    """The ids of the units under `prefix`, ascending."""
    sql = f"SELECT u.id FROM {_t(Unit)} u WHERE {units_where(prefix, 0, 2**62)} ORDER BY u.id"
    return read(sql, {"id": _I64})["id"]


@dataclass
class Slice:
    """A slice of units as the batch engine's frames, and what the frames leave out."""

    frames: Frames
    division: pl.DataFrame  # unit, division (code) of the units in the frames
    counts: pl.DataFrame  # unit, division, places, systems, devices: every unit read
    categories: pl.DataFrame  # division, category: one row per unit having a place of it
    errors: list[dict[str, Any]] = field(default_factory=list)  # no regime governs
    single: list[int] = field(default_factory=list)  # assess one by one


def _numbered(
    frame: pl.DataFrame, name: str, owner: str, *order: str, newest: bool = False
) -> pl.DataFrame:
    """`frame` sorted by owner then `order`, with `name`: each row's 0-based position among
    its owner's rows (`newest`: the first of `order` descending). Sorting and a running
    index cost far less than a window per owner."""
    descending = [False, newest, *[False] * (len(order) - 1)]
    frame = frame.sort([owner, *order], descending=descending)
    index = pl.int_range(pl.len(), dtype=pl.Int64)
    first = (pl.col(owner) != pl.col(owner).shift(1)).fill_null(True)
    start = pl.when(first).then(index).forward_fill()
    return frame.with_columns((index - start).cast(_I32).alias(name))


class Reader:
    """Reads slices of the units under one division prefix on one date."""

    def __init__(self, prefix: str, as_of: dt.date) -> None:
        self.prefix = _prefix(prefix)
        self.as_of = as_of
        self.regimes: dict[str, str | law.LawError] = {}
        self._practitioners: pl.DataFrame | None = None
        self._certifications: dict[int, str] | None = None

    def regime(self, code: str) -> str | law.LawError:
        """The regime governing a division code on the date, as law.assess resolves it."""
        if code not in self.regimes:
            try:
                self.regimes[code] = law.resolve(None, code, self.as_of).id
            except law.LawError as exc:
                self.regimes[code] = exc
        return self.regimes[code]

    def practitioners(self) -> pl.DataFrame:
        """Every company's facts as a case file gives them (they do not depend on the unit)."""
        if self._practitioners is not None:
            return self._practitioners
        day = self.as_of
        certs = read(
            f"SELECT id, practitioner_id, level, valid_from, valid_until "
            f"FROM {_t(QualificationCertificate)}",
            {"id": _I64, "pk": _I64, "level": _I32, "valid_from": _D, "valid_until": _D},
        )
        in_force = (
            certs.filter((pl.col("valid_from") <= day) & (pl.col("valid_until") >= day))
            .sort("pk", "level", "valid_until", "id", descending=[False, False, True, False])
            .unique("pk", keep="first", maintain_order=True)
        )
        latest = certs.sort("pk", "valid_until", "id", descending=[False, True, False]).unique(
            "pk", keep="first", maintain_order=True
        )
        chosen = pl.concat([in_force, latest.join(in_force, on="pk", how="anti")])
        rows = read(
            f"SELECT id, name, home_province, {_b('filed')}, {_b('out_of_province_filed')}, "
            f"{_text('duties')} FROM {_t(Practitioner)}",
            {
                "pk": _I64,
                "name": _S,
                "home_province": _S,
                "filed": _B,
                "out_of_province_filed": _B,
                "duties": _S,
            },
        )
        self._practitioners = (
            rows.join(chosen.select("pk", "level", "valid_until"), on="pk", how="left")
            .select(
                "pk",
                pl.format("pr{}", "pk").alias("id"),
                "name",
                "home_province",
                "filed",
                "out_of_province_filed",
                pl.col("level").alias("qualification_level"),
                pl.col("valid_until").alias("qualification_valid_until"),
                pl.col("duties")
                .str.json_decode(PRACTITIONER_DUTIES)
                .struct.rename_fields(list(PRACTITIONER_DUTY_COLUMNS))
                .alias("duties"),
            )
            .unnest("duties")
        )
        return self._practitioners

    def read(self, low: int, high: int) -> Slice:
        """The units with low < id <= high (and their records) as frames."""
        where = units_where(self.prefix, low, high)
        day = self.as_of.isoformat()

        def own(alias: str) -> str:
            """The slice's rows of a table with a unit_id: the units' condition, and their id
            range said of the table's own column, so that its index on unit_id serves."""
            return f"{alias}.unit_id > {int(low)} AND {alias}.unit_id <= {int(high)} AND {where}"

        # The slice's systems, and a condition on a system id column: their id range first
        # (literal, so the planner sees its width), so that the column's index reads only that
        # range when ids follow registration, as they usually do; the range is always right,
        # only its width varies.
        bounds = read(
            f"SELECT MIN(s.id), MAX(s.id) FROM {_t(System)} s "
            f"WHERE s.unit_id > {int(low)} AND s.unit_id <= {int(high)}",
            {"low": _I64, "high": _I64},
        )
        first, last = bounds.row(0) if bounds.height else (None, None)
        slice_systems = (
            f"SELECT s.id FROM {_t(System)} s JOIN {_t(Unit)} u ON u.id = s.unit_id "
            f"WHERE {own('s')}"
        )

        def of_systems(column: str) -> str:
            if first is None:
                return "1 = 0"
            return (
                f"{column} >= {int(first)} AND {column} <= {int(last)} "
                f"AND {column} IN ({slice_systems})"
            )

        q: dict[str, tuple[str, dict[str, pl.DataType]]] = {}
        q["units"] = (
            f"SELECT u.id, d.code, u.name, u.kind, {_text('u.duties')} FROM {_t(Unit)} u "
            f"JOIN {_t(Division)} d ON d.id = u.division_id WHERE {where}",
            {"unit": _I64, "division": _S, "name": _S, "kind": _S, "duties": _S},
        )
        q["places"] = (
            f"SELECT p.unit_id, p.id, p.name, {_text('p.categories')}, {_b('p.public_area')}, "
            f"{_b('p.anti_terror_target')}, {_b('p.police_key_place')}, "
            f"{_b('p.central_urban')}, {_b('p.new_construction')} FROM {_t(Place)} p "
            f"JOIN {_t(Unit)} u ON u.id = p.unit_id WHERE {own('p')}",
            {
                "unit": _I64,
                "pk": _I64,
                "name": _S,
                "categories": _S,
                "public_area": _B,
                "anti_terror_target": _B,
                "police_key_place": _B,
                "central_urban": _B,
                "new_construction": _B,
            },
        )
        bools = [c for c in SYSTEM_BOOL_COLUMNS if c != "in_use"]  # in_use: from the status
        q["systems"] = (
            f"SELECT s.unit_id, s.id, {_text('s.subsystems')}, s.status, s.design_review, "
            f"s.acceptance, s.retention_days, s.practitioner_id, s.required_level, "
            + ", ".join(_b(f"s.{c}") for c in bools)
            + f" FROM {_t(System)} s JOIN {_t(Unit)} u ON u.id = s.unit_id WHERE {own('s')}",
            {
                "unit": _I64,
                "pk": _I64,
                "subsystems": _S,
                "status": _S,
                "design_review": _S,
                "acceptance": _S,
                "retention_days": _I32,
                "practitioner_id": _I64,
                "required_level": _I32,
                **dict.fromkeys(bools, _B),
            },
        )
        through = System.places.through
        q["covers"] = (
            f"SELECT sp.system_id, sp.place_id FROM {_t(through)} sp "
            f"WHERE {of_systems('sp.system_id')}",
            {"system_pk": _I64, "place_pk": _I64},
        )
        # devices by their systems' ids: no join on the largest table (unit and product
        # certification are joined here, from the systems and the products read once)
        q["devices"] = (
            f"SELECT dv.system_id, dv.code, dv.id, dv.location, "
            f"{_b('dv.video')}, {_b('dv.audio')}, dv.product_id FROM {_t(Device)} dv "
            f"WHERE {of_systems('dv.system_id')}",
            {
                "system_pk": _I64,
                "code": _S,
                "pk": _I64,
                "location": _S,
                "video": _B,
                "audio": _B,
                "product": _I64,
            },
        )
        q["acts"] = (
            f"SELECT a.unit_id, a.id, a.code, a.by, {_b('a.serious')}, "
            f"{_text('a.illegal_income')}, {_text('a.occurred')} FROM {_t(ActRecord)} a "
            f"JOIN {_t(Unit)} u ON u.id = a.unit_id WHERE {own('a')} AND a.occurred <= '{day}'",
            {
                "unit": _I64,
                "pk": _I64,
                "code": _S,
                "by": _S,
                "serious": _B,
                "illegal_income": pl.Float64,
                "occurred": _D,
            },
        )
        q["orders"] = (
            f"SELECT o.unit_id, o.id, o.finding, o.subject, {_text('o.served')}, "
            f"{_text('o.deadline')}, {_b('o.corrected')}, {_b('o.harm')}, {_b('o.serious')} "
            f"FROM {_t(RectificationOrder)} o JOIN {_t(Unit)} u ON u.id = o.unit_id "
            f"WHERE {own('o')} AND o.served <= '{day}'",
            {
                "unit": _I64,
                "pk": _I64,
                "finding": _S,
                "subject": _S,
                "served": _D,
                "deadline": _D,
                "corrected": _B,
                "harm": _B,
                "serious": _B,
            },
        )
        # the devices, by far the longest, first: the others fill in beside them
        order = ["devices", *(name for name in q if name != "devices")]
        return self._frames(**run_queries({name: q[name] for name in order}))

    def certifications(self) -> dict[int, str]:
        """Each product's certification (a short list, read once)."""
        if self._certifications is None:
            products = read(
                f"SELECT id, certification FROM {_t(Product)}", {"pk": _I64, "certification": _S}
            )
            self._certifications = dict(products.iter_rows())
        return self._certifications

    def _frames(self, units, places, systems, covers, devices, acts, orders) -> Slice:
        # systems numbered first (removing whole units later keeps positions), so that the
        # devices, the largest table, take their unit and system in one join
        systems = _numbered(systems, "system", "unit", "pk")
        devices = devices.join(
            systems.select(pl.col("pk").alias("system_pk"), "unit", "system"), on="system_pk"
        )
        # --- what the dashboard counts, for every unit read
        per_unit = [
            places.group_by("unit").agg(places=pl.len()),
            systems.group_by("unit").agg(systems=pl.len()),
            devices.group_by("unit").agg(devices=pl.len()),
        ]
        counts = units.select("unit", "division")
        for frame in per_unit:
            counts = counts.join(frame, on="unit", how="left")
        counts = counts.fill_null(0)
        categories = (
            places.select("unit", pl.col("categories").str.json_decode(CODES).alias("category"))
            .explode("category")
            .unique(["unit", "category"])
            .join(units.select("unit", "division"), on="unit")
            .select("division", "category")
        )
        # --- the regime of each unit; units no regime governs are left out
        regimes = {code: self.regime(code) for code in units["division"].unique().to_list()}
        errors: list[dict[str, Any]] = []
        refused = [code for code, r in regimes.items() if not isinstance(r, str)]
        if refused:
            for unit, code, name in (
                units.filter(pl.col("division").is_in(refused))
                .sort("unit")
                .select("unit", "division", "name")
                .iter_rows()
            ):
                problems = regimes[code].problems  # type: ignore[union-attr]
                errors.append(
                    {"unit": unit, "name": name, "error": [p.as_dict() for p in problems]}
                )
        governed = {code: r for code, r in regimes.items() if isinstance(r, str)}
        units = units.filter(pl.col("division").is_in(list(governed)))

        # --- places, and the systems' places by position (another unit's place: one by one)
        places = _numbered(places, "place", "unit", "pk")
        refs = covers.join(
            systems.select(pl.col("pk").alias("system_pk"), "unit"), on="system_pk"
        ).join(
            places.select(pl.col("pk").alias("place_pk"), "unit", "place"),
            on=["place_pk", "unit"],
            how="left",
        )
        single = sorted(set(refs.filter(pl.col("place").is_null())["unit"].to_list()))
        if single:
            units = units.filter(~pl.col("unit").is_in(single))
        keep = units.select("unit")

        def own(frame: pl.DataFrame) -> pl.DataFrame:
            if not refused and not single:  # every unit read is in the frames
                return frame
            return frame.join(keep, on="unit", how="semi")

        places, systems, devices = own(places), own(systems), own(devices)
        acts, orders = own(acts), own(orders)
        covered = (
            refs.filter(pl.col("place").is_not_null())
            .group_by("system_pk")
            .agg(pl.col("place").sort().alias("places"))
        )
        # products_certified from the devices' products when the system does not record it
        # (compared by product id: the products are few, the devices millions)
        certs = self.certifications()
        of = {
            c: [pk for pk, v in certs.items() if v == c]
            for c in (Product.Certification.CERTIFIED, Product.Certification.UNCERTIFIED)
        }
        product = pl.col("product")
        with_cert = product.is_in([pk for pk, v in certs.items() if v is not None])
        products = devices.group_by("system_pk").agg(
            any_product=with_cert.any(),
            uncertified=product.is_in(of[Product.Certification.UNCERTIFIED]).any(),
            all_certified=product.filter(with_cert)
            .is_in(of[Product.Certification.CERTIFIED])
            .all(),
        )
        systems = systems.join(covered, left_on="pk", right_on="system_pk", how="left").join(
            products, left_on="pk", right_on="system_pk", how="left"
        )
        from_products = (
            pl.when(~pl.col("any_product").fill_null(False))
            .then(None)
            .when(pl.col("uncertified"))
            .then(False)
            .when(pl.col("all_certified"))
            .then(True)
            .otherwise(None)
        )
        system_rows = systems.select(
            "unit",
            "system",
            pl.format("s{}", "pk").alias("id"),
            pl.col("places").fill_null(pl.lit([], dtype=pl.List(_I32))),
            pl.col("subsystems").str.json_decode(CODES),
            "built_by_government",
            "design_review",
            "built_per_design",
            "built_with_project",
            "acceptance",
            (pl.col("status") == System.Status.IN_USE).alias("in_use"),
            "standards_compliant",
            pl.coalesce(pl.col("products_certified"), from_products).alias("products_certified"),
            "network_interface",
            "connected_to_police_platform",
            "police_requested_connection",
            "retention_days",
            "signage",
            pl.when(pl.col("practitioner_id").is_not_null())
            .then(pl.format("pr{}", "practitioner_id"))
            .alias("practitioner"),
        )
        device_rows = _numbered(devices, "device", "system_pk", "code", "pk").select(
            "unit",
            "system",
            "device",
            pl.format("d{}", "pk").alias("id"),
            "location",
            "video",
            "audio",
        )
        # the unit's practitioners: those of its systems, by id, with the strictest level
        jobs = (
            systems.filter(pl.col("practitioner_id").is_not_null())
            .group_by("unit", "practitioner_id")
            .agg(
                pl.col("required_level")
                .filter(pl.col("required_level") > 0)
                .min()
                .alias("required_level")
            )
        )
        practitioner_rows = (
            _numbered(jobs, "practitioner", "unit", "practitioner_id")
            .join(self.practitioners(), left_on="practitioner_id", right_on="pk")
            .select(
                "unit",
                "practitioner",
                *[c for c in SCHEMA["practitioners"] if c not in {"unit", "practitioner"}],
            )
        )
        unit_rows = units.with_columns(
            pl.col("division").replace_strict(governed, return_dtype=_S).alias("regime"),
            pl.lit(self.as_of).alias("as_of"),
            pl.col("duties")
            .str.json_decode(UNIT_DUTIES)
            .struct.rename_fields(list(UNIT_DUTY_COLUMNS)),
        ).unnest("duties")
        place_rows = places.select(
            "unit",
            "place",
            pl.format("p{}", "pk").alias("id"),
            "name",
            pl.col("categories").str.json_decode(CODES),
            *["public_area", "anti_terror_target", "police_key_place"],
            *["central_urban", "new_construction"],
        )
        act_rows = _numbered(acts, "act", "unit", "occurred", "pk", newest=True).select(
            "unit",
            "act",
            pl.format("a{}", "pk").alias("id"),
            "code",
            "by",
            "serious",
            "illegal_income",
        )
        order_rows = _numbered(orders, "order", "unit", "served", "pk", newest=True).select(
            "unit",
            "order",
            *["finding", "subject", "served", "deadline", "corrected", "harm", "serious"],
        )
        tables = {
            "units": unit_rows,
            "places": place_rows,
            "systems": system_rows,
            "devices": device_rows,
            "practitioners": practitioner_rows,
            "acts": act_rows,
            "orders": order_rows,
        }
        frames = Frames(
            **{
                name: frame.select([pl.col(c).cast(t) for c, t in SCHEMA[name].items()])
                for name, frame in tables.items()
            }
        )
        return Slice(frames, units.select("unit", "division"), counts, categories, errors, single)
