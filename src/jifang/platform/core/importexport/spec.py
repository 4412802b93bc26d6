"""The declarative pieces: a registry is its model, its columns, its references and its key.

- `Column`: one spreadsheet column: its Chinese header, its field name (accepted as a header
  too), its cell format and the model field it sets. A column that belongs to a reference
  has no field of its own.
- `Ref`: a foreign key written as the target's natural key in one or more columns (a
  division by its code, a unit by its USCC, a system by unit USCC + system name…).
- `ManyRef`: a many-to-many field written as a list of names, each looked up within the
  record's scope (a system's places are names of places of the system's unit).
- `Registry`: the natural key is a tuple of parts (column names or reference fields); the
  same tuple identifies a record in a file, in the database (`lookup`) and in references
  from other registries (`natural_key`), so all three agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models

from .cells import Cell, _norm

Key = tuple


@dataclass(frozen=True)
class Column:
    name: str
    header: str
    cell: Cell
    field: str | None = None
    duty: str | None = None  # a key of the JSON dict `field` (the duties columns)
    note: str = ""


@dataclass(frozen=True)
class Ref:
    field: str
    target: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class ManyRef:
    field: str
    column: str
    target: str
    scope: str  # the Ref (by field) whose key is prefixed to each name


class Registry:
    def __init__(
        self,
        name: str,
        model: type[models.Model],
        label_en: str,
        columns: Sequence[Column],
        key: tuple[str, ...],
        refs: Sequence[Ref] = (),
        many: Sequence[ManyRef] = (),
        resolve: Callable[[str], Registry] | None = None,
        note: str = "",
    ):
        self.name = name
        self.model = model
        self.label = str(model._meta.verbose_name)
        self.label_en = label_en
        self.columns = tuple(columns)
        self.key = key
        self.refs = tuple(refs)
        self.many = tuple(many)
        self.note = note
        self._resolve = resolve
        self.column = {c.name: c for c in self.columns}
        self.ref = {r.field: r for r in self.refs}
        self.ref_of_column = {c: r for r in self.refs for c in r.columns}
        self.many_of_column = {m.column: m for m in self.many}
        for part in key:
            assert part in self.column or part in self.ref, (name, part)

    def __repr__(self) -> str:
        return f"<Registry {self.name}>"

    def registry(self, name: str) -> Registry:
        assert self._resolve is not None
        return self._resolve(name)

    # ---- columns and headers

    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def key_columns(self, parts: tuple[str, ...] | None = None) -> list[str]:
        """The column names a key needs (a reference part needs all its columns)."""
        out: list[str] = []
        for part in parts or self.key:
            out += list(self.ref[part].columns) if part in self.ref else [part]
        return out

    def required_columns(self) -> list[str]:
        """Columns a file must have: those of the key."""
        return self.key_columns()

    def missing_columns(self, present: set[str]) -> list[str]:
        """The required columns a file's header lacks."""
        return [c for c in self.required_columns() if c not in present]

    def aliases(self) -> dict[str, Column]:
        """Header spellings accepted for each column: the header, the field name, and the
        model field's verbose name or a duty's label when no other column claims them."""
        taken: dict[str, Column] = {}
        for c in self.columns:
            taken[_norm(c.header)] = c
            taken[_norm(c.name)] = c
        extra: dict[str, list[Column]] = {}
        for c in self.columns:
            spellings = []
            if c.duty:
                spellings += [c.duty, c.header.split("：", 1)[-1]]
            elif c.field:
                spellings += [str(self.model._meta.get_field(c.field).verbose_name)]
            for s in spellings:
                extra.setdefault(_norm(s), []).append(c)
        for spelling, cols in extra.items():
            if spelling not in taken and len(cols) == 1:
                taken[spelling] = cols[0]
        return taken

    def blank_value(self, col: Column) -> Any:
        """What a blank cell stores: null when the field allows it, else its default,
        else an empty string for text (full_clean then says whether blank is allowed)."""
        if col.duty or col.field is None:
            return None
        f = self.model._meta.get_field(col.field)
        if f.null:
            return None
        if f.has_default():
            return f.get_default()
        if isinstance(f, models.CharField | models.TextField):
            return ""
        return None

    def header_of_field(self, field: str) -> str | None:
        for c in self.columns:
            if c.field == field:
                return c.header
        if field in self.ref:
            return "+".join(self.column[c].header for c in self.ref[field].columns)
        for m in self.many:
            if m.field == field:
                return self.column[m.column].header
        return None

    # ---- natural keys

    def key_parts(self, values: dict[str, Any]) -> tuple[str, ...]:
        """The parts that identify this row (units choose by whether a USCC is given)."""
        return self.key

    def lookup(self, key: Key) -> dict[str, Any]:
        """Filter arguments that find the record with this natural key."""
        query: dict[str, Any] = {}
        for part, value in zip(self.key_parts_of_key(key), key, strict=True):
            if part in self.ref:
                ref = self.ref[part]
                sub = self.registry(ref.target).lookup(value)
                query.update({f"{ref.field}__{k}": v for k, v in sub.items()})
            else:
                query[self.column[part].field] = value
        return query

    def key_parts_of_key(self, key: Key) -> tuple[str, ...]:
        return self.key

    def natural_key(self, obj: models.Model) -> Key:
        out: list[Any] = []
        for part in self.key:
            if part in self.ref:
                ref = self.ref[part]
                related = getattr(obj, ref.field)
                out.append(
                    None if related is None else self.registry(ref.target).natural_key(related)
                )
            else:
                out.append(getattr(obj, self.column[part].field))
        return tuple(out)

    def describe_key(self, key: Key) -> str:
        parts = []
        for part, value in zip(self.key_parts_of_key(key), key, strict=True):
            if part in self.ref:
                parts.append(self.registry(self.ref[part].target).describe_key(value))
            else:
                formatted = self.column[part].cell.format(value)
                parts.append("" if formatted is None else str(formatted))
        return " / ".join(parts)

    def ref_cells(self, ref: Ref, key: Key | None) -> list[Any]:
        """The cells of a reference for export: the target's key split over the columns."""
        cols = [self.column[c] for c in ref.columns]
        if key is None:
            return [None] * len(cols)
        if len(cols) == 1:
            return [cols[0].cell.format(key if cols[0].cell.whole_key else key[0])]
        return [c.cell.format(k) for c, k in zip(cols, key, strict=True)]

    def ref_key(self, ref: Ref, values: dict[str, Any]) -> Key | None:
        """The target's key from the parsed cells of a reference (None when all blank)."""
        vals = [values.get(c) for c in ref.columns]
        if all(v in (None, "") for v in vals):
            return None
        if len(vals) == 1:
            return vals[0] if self.column[ref.columns[0]].cell.whole_key else (vals[0],)
        return tuple(vals)

    # ---- export

    def related_paths(self, prefix: str = "", depth: int = 0) -> list[str]:
        """select_related paths that cover every reference's natural key."""
        paths: list[str] = []
        if depth > 4:
            return paths
        for ref in self.refs:
            path = f"{prefix}{ref.field}"
            paths.append(path)
            target = self.registry(ref.target)
            if target is not self:
                paths += target.related_paths(f"{path}__", depth + 1)
        return paths

    def export_queryset(self, queryset: models.QuerySet | None = None) -> models.QuerySet:
        """The rows to export, ready to write: every record, or those of `queryset` (a page or
        the API passes the user's scoped, filtered rows)."""
        qs = self.model.objects.all() if queryset is None else queryset
        if paths := self.related_paths():
            qs = qs.select_related(*paths)
        for m in self.many:
            target = self.registry(m.target)
            qs = qs.prefetch_related(
                models.Prefetch(m.field, queryset=target.model.objects.order_by("pk"))
            )
        ordering = list(self.model._meta.ordering or [])
        return qs.order_by(*ordering, "pk")

    def export_row(self, obj: models.Model) -> list[Any]:
        row: list[Any] = []
        done: set[str] = set()
        for col in self.columns:
            if col.name in done:
                continue
            if col.name in self.ref_of_column:
                ref = self.ref_of_column[col.name]
                related = getattr(obj, ref.field)
                key = None if related is None else self.registry(ref.target).natural_key(related)
                cells = dict(zip(ref.columns, self.ref_cells(ref, key), strict=True))
                row.append(cells[col.name])
                continue
            if col.name in self.many_of_column:
                m = self.many_of_column[col.name]
                target = self.registry(m.target)
                names = [target.natural_key(o)[-1] for o in getattr(obj, m.field).all()]
                row.append(col.cell.format(names))
                continue
            value = getattr(obj, col.field)
            if col.duty:
                value = (value or {}).get(col.duty)
            row.append(col.cell.format(value))
        return row


class UnitRegistry(Registry):
    """Units are keyed by USCC, or by name + division for an individual without one."""

    BY_USCC = ("uscc",)
    BY_NAME = ("name", "division")

    def required_columns(self) -> list[str]:
        return ["name", "division"]

    def missing_columns(self, present: set[str]) -> list[str]:
        # A file keyed by USCC may leave out name and division (an update of some fields).
        return [] if "uscc" in present else super().missing_columns(present)

    def key_parts(self, values: dict[str, Any]) -> tuple[str, ...]:
        return self.BY_USCC if values.get("uscc") else self.BY_NAME

    def key_parts_of_key(self, key: Key) -> tuple[str, ...]:
        return self.BY_USCC if len(key) == 1 else self.BY_NAME

    def lookup(self, key: Key) -> dict[str, Any]:
        query = super().lookup(key)
        if len(key) != 1:
            query["uscc__isnull"] = True
        return query

    def natural_key(self, obj: models.Model) -> Key:
        if obj.uscc:
            return (obj.uscc,)
        return (obj.name, self.registry("divisions").natural_key(obj.division))

    def describe_key(self, key: Key) -> str:
        from .cells import UnitRef

        return str(UnitRef().format(key))
