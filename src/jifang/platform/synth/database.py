"""Write a synthetic province into the registries by bulk paths, in one transaction.

PostgreSQL: ``COPY … FROM STDIN`` (CSV made by polars) into each table; SQLite: ``executemany``.
Table and column names come from the models' ``_meta``; ids come from the generator and the
sequences are moved past them afterwards. On PostgreSQL, when a load at least doubles the
registries, the loaded tables' foreign keys, unique constraints and secondary indexes are
dropped before the copy and rebuilt after it (a foreign key is then checked by one join, not
one lookup per row); being DDL in the same transaction, a failure rolls them back too.

Registry writes through the ORM are logged row by row in the audit log. A bulk load is not: it
appends ONE ``synth_load`` entry, in the same transaction, with the parameters (and their
SHA-256), the rows written per table, the findings planned and, with reset, the rows deleted.
"""

from __future__ import annotations

import io
import queue
import threading
import time
from collections.abc import Iterable, Iterator

import polars as pl
from django.apps import apps
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model
from django.utils import timezone

from jifang.platform.auditlog.services import log_event

from .generate import TABLES, Params, Summary, Synth

SLICE = 200_000  # rows per COPY write / executemany batch


def reset_tables() -> list[str]:
    """What --reset empties, dependants first: every registry, and every table that points at
    one (the assessments and sweeps, the accounts bound to organs, units or companies…),
    found through the models' relations. Users stay."""
    pending = [model(label) for label in TABLES]
    found: dict[type[Model], None] = {}
    while pending:
        m = pending.pop()
        if m in found:
            continue
        found[m] = None
        for rel in m._meta.related_objects:
            pending.append(rel.related_model)
        for f in m._meta.many_to_many:
            pending.append(f.remote_field.through)
    order: list[type[Model]] = []

    def visit(m: type[Model], seen: set) -> None:  # dependants before what they point at
        if m in seen:
            return
        seen.add(m)
        for rel in m._meta.related_objects:
            if rel.related_model in found:
                visit(rel.related_model, seen)
        for f in m._meta.many_to_many:
            visit(f.remote_field.through, seen)
        order.append(m)

    seen: set = set()
    for m in found:
        visit(m, seen)
    return [m._meta.db_table for m in order]


def prefetch(chunks: Iterator[dict[str, pl.DataFrame]]) -> Iterator[dict[str, pl.DataFrame]]:
    """Make the next chunk in a thread while the caller writes this one: numpy and polars
    release the interpreter lock, so generating and copying overlap on two cores. At most
    one chunk waits."""
    box: queue.Queue = queue.Queue(maxsize=1)
    done = object()

    def produce() -> None:
        try:
            for frames in chunks:
                box.put(frames)
            box.put(done)
        except BaseException as exc:  # handed to the consumer, raised there
            box.put(exc)

    worker = threading.Thread(target=produce, name="synth-generate", daemon=True)
    worker.start()
    while True:
        item = box.get()
        if item is done:
            break
        if isinstance(item, BaseException):
            raise item
        yield item
    worker.join()


def _chain(first: dict, rest: Iterator[dict]) -> Iterator[dict]:
    yield first
    yield from rest


def model(label: str) -> type[Model]:
    if label == "systems.system_places":
        return apps.get_model("systems.System").places.through
    return apps.get_model(label)


def table(label: str) -> str:
    return model(label)._meta.db_table


def columns(label: str, frame: pl.DataFrame) -> list[tuple[str, str]]:
    """(frame column, database column) for each field of the frame, by the model's _meta."""
    fields = {f.attname: f.column for f in model(label)._meta.concrete_fields}
    unknown = [c for c in frame.columns if c not in fields]
    if unknown:
        raise ValueError(f"{label}: no fields {unknown}")
    return [(c, fields[c]) for c in frame.columns]


def _stamped(label: str, frame: pl.DataFrame, stamp: object) -> pl.DataFrame:
    names = {f.attname for f in model(label)._meta.concrete_fields}
    extra = [pl.lit(stamp).alias(n) for n in ("created_at", "updated_at") if n in names]
    return frame.with_columns(extra) if extra else frame


class Loader:
    """Loads provinces into one database (by alias)."""

    def __init__(self, using: str = DEFAULT_DB_ALIAS, indexes: str = "auto") -> None:
        self.using = using
        self.connection = connections[using]
        self.vendor = self.connection.vendor
        if self.vendor not in {"postgresql", "sqlite"}:
            raise NotImplementedError(f"no bulk load for database vendor {self.vendor!r}")
        self.indexes = indexes  # auto | keep | rebuild (PostgreSQL)

    # --- reading what is there --------------------------------------------------------------

    def _scalar(self, sql: str) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0] or 0

    def counts(self) -> dict[str, int]:
        return {label: self._scalar(f"SELECT count(*) FROM {table(label)}") for label in TABLES}

    def first_ids(self) -> dict[str, int]:
        return {label: self._scalar(f"SELECT max(id) FROM {table(label)}") + 1 for label in TABLES}

    def existing(self) -> dict[str, dict]:
        """Rows the province may share with what is loaded: divisions by code, organs by name,
        products by maker and model."""
        m = {
            label: model(label) for label in ("geo.division", "geo.policeorgan", "systems.product")
        }
        return {
            "division": dict(m["geo.division"].objects.using(self.using).values_list("code", "id")),
            "organ": dict(m["geo.policeorgan"].objects.using(self.using).values_list("name", "id")),
            "product": {
                (maker, number): pk
                for maker, number, pk in m["systems.product"]
                .objects.using(self.using)
                .values_list("manufacturer", "model_number", "id")
            },
        }

    # --- reset ------------------------------------------------------------------------------

    def reset(self) -> dict[str, int]:
        """Empty every registry (see reset_tables); return the rows each held. Not logged row
        by row: the load's one audit entry records these counts."""
        names = reset_tables()
        counts = {name: self._scalar(f"SELECT count(*) FROM {name}") for name in names}
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {', '.join(names)} RESTART IDENTITY")
            else:
                for name in names:
                    cursor.execute(f"DELETE FROM {name}")
                placeholders = ", ".join(["%s"] * len(names))
                cursor.execute(f"DELETE FROM sqlite_sequence WHERE name IN ({placeholders})", names)
        return {name: n for name, n in counts.items() if n}

    # --- the load ---------------------------------------------------------------------------

    def load(self, params: Params, *, reset: bool = False, parquet: str | None = None) -> Summary:
        """Generate and write a province in one transaction; with `parquet`, also write the
        engine's columnar input there."""
        began = time.perf_counter()
        phases: dict[str, float] = {}

        def lap(name: str) -> None:
            phases[name] = round(time.perf_counter() - began - sum(phases.values()), 3)

        with transaction.atomic(using=self.using):
            if self.vendor == "postgresql":
                with self.connection.cursor() as cursor:  # for rebuilding indexes
                    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            deleted = self.reset() if reset else {}
            before = self.counts()
            lap("reset")
            synth = Synth(params, self.first_ids(), self.existing())
            sink = None
            if parquet:
                from .parquet import ParquetSink

                sink = ParquetSink(parquet, synth)
            head = synth.head()
            lap("plan")
            rebuild = self.vendor == "postgresql" and (
                self.indexes == "rebuild"
                or (self.indexes == "auto" and params.units >= before["units.unit"])
            )
            saved = self._drop_indexes() if rebuild else []
            stamps = self._stamp_defaults() if self.vendor == "postgresql" else []
            stamp = timezone.now()
            for frames in _chain(head, prefetch(synth.chunks())):
                self._write(frames, stamp)
                if sink:
                    sink.write(frames)
            if sink:
                sink.close()
            lap("write")
            if stamps and not rebuild:
                # deferred foreign-key checks must run before the tables can be altered again
                self._restore(["SET CONSTRAINTS ALL IMMEDIATE"])
            self._restore(saved + stamps)
            self._sequences()
            lap("indexes")
            summary = synth.summary
            summary.reset = deleted
            log_event(
                "synth_load",
                object_repr=f"合成辖区 {params.regime}（{params.units} 个单位，种子 {params.seed}）",
                after=summary.record(),
                using=self.using,
            )
        lap("commit")
        if self.vendor == "postgresql":
            # Fresh statistics, or the planner reads a million new rows with nested loops and
            # the lists' count estimates are wrong until autovacuum comes round.
            with self.connection.cursor() as cursor:
                cursor.execute("ANALYZE " + ", ".join(table(label) for label in TABLES))
            lap("analyze")
        summary.phases = phases
        summary.seconds = time.perf_counter() - began
        return summary

    def _write(self, frames: dict[str, pl.DataFrame], stamp) -> None:
        for label in TABLES:
            frame = frames.get(label)
            if frame is None or not frame.height:
                continue
            if self.vendor == "postgresql":
                self._copy(label, frame, stamp)
            else:
                self._insert(label, frame, stamp)

    def _copy(self, label: str, frame: pl.DataFrame, stamp) -> None:
        # created_at and updated_at come from the column defaults (_stamp_defaults): the
        # server parsing two timestamps per row would take most of the copy's time.
        cols = columns(label, frame)
        sql = f"COPY {table(label)} ({', '.join(c for _, c in cols)}) FROM STDIN (FORMAT csv)"
        with self.connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for part in frame.iter_slices(SLICE):
                buffer = io.BytesIO()
                # Nulls are written as empty fields, empty strings as "": COPY reads them so.
                part.write_csv(buffer, include_header=False, date_format="%Y-%m-%d")
                copy.write(buffer.getvalue())

    def _insert(self, label: str, frame: pl.DataFrame, stamp) -> None:
        frame = _stamped(label, frame, self.connection.ops.adapt_datetimefield_value(stamp))
        frame = frame.with_columns(pl.col(pl.Date, pl.Decimal).cast(pl.String))
        cols = columns(label, frame)
        sql = (
            f"INSERT INTO {table(label)} ({', '.join(c for _, c in cols)}) "
            f"VALUES ({', '.join(['?'] * len(cols))})"
        )
        raw = self.connection.connection.cursor()  # sqlite3's own executemany, in our transaction
        try:
            for part in frame.iter_slices(SLICE):
                raw.executemany(sql, part.iter_rows())
        finally:
            raw.close()

    def _sequences(self) -> None:
        models = [model(label) for label in TABLES]
        statements = self.connection.ops.sequence_reset_sql(no_style(), models)
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    # --- PostgreSQL: defaults and indexes ----------------------------------------------------

    def _stamp_defaults(self) -> list[str]:
        """Give the loaded tables' timestamps the default now() (the transaction's start, the
        same for every row) for the load; return the statements that take it away again."""
        undo = []
        with self.connection.cursor() as cursor:
            for label in TABLES:
                names = {f.attname: f.column for f in model(label)._meta.concrete_fields}
                stamped = [names[n] for n in ("created_at", "updated_at") if n in names]
                if stamped:
                    name = table(label)
                    cursor.execute(
                        f"ALTER TABLE {name} "
                        + ", ".join(f"ALTER COLUMN {c} SET DEFAULT now()" for c in stamped)
                    )
                    undo.append(
                        f"ALTER TABLE {name} "
                        + ", ".join(f"ALTER COLUMN {c} DROP DEFAULT" for c in stamped)
                    )
        return undo

    def _drop_indexes(self) -> list[str]:
        """Drop the loaded tables' foreign keys, unique constraints and secondary indexes;
        return the statements that rebuild them (indexes first, foreign keys last)."""
        rebuild: list[tuple[int, str]] = []
        drops: list[tuple[int, str]] = []
        with self.connection.cursor() as cursor:
            for label in TABLES:
                name = table(label)
                cursor.execute(
                    "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
                    [name],
                )
                for conname, kind, definition in cursor.fetchall():
                    order = 0 if kind == "f" else 1
                    drops.append((order, f'ALTER TABLE {name} DROP CONSTRAINT "{conname}"'))
                    rebuild.append(
                        (order, f'ALTER TABLE {name} ADD CONSTRAINT "{conname}" {definition}')
                    )
                cursor.execute(
                    "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                    "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
                    [name],
                )
                for index, definition in cursor.fetchall():
                    drops.append((2, f'DROP INDEX "{index}"'))
                    rebuild.append((2, definition))
            for _, sql in sorted(drops, key=lambda x: x[0]):
                cursor.execute(sql)
        # rebuild: secondary indexes, then unique constraints, then foreign keys
        return [sql for _, sql in sorted(rebuild, key=lambda x: -x[0])]

    def _restore(self, statements: Iterable[str]) -> None:
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def load(
    params: Params,
    *,
    reset: bool = False,
    parquet: str | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> Summary:
    return Loader(using).load(params, reset=reset, parquet=parquet)
