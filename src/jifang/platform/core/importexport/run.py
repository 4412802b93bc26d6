"""Import (validate every row, then write all or nothing) and export.

Import runs in passes so that every problem of every row is found in one go:

1. the header: unknown, duplicate and missing key columns;
2. each cell through its format (cells.py);
3. each row's natural key, and duplicates within the file;
4. the record: the existing one with that key (updated) or a new one (created);
5. references: by natural key, to rows of the same file (divisions' parents) or to records
   in the database; unknown ones are problems;
6. the model's `full_clean()` (field validators, the models' `clean()`, unique checks).

Only when no row has a problem, and it is not a dry run, are the changed rows saved, one
`.save()` each (so the audit log sees each change), all in one transaction.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import translation

from .cells import CellError, _norm, is_blank
from .spec import Key, Registry
from .tables import Table, TableError, format_of, read_table, write_csv, write_xlsx


@dataclass(frozen=True)
class Problem:
    """One bad cell, row or column: the line a user sees, the header as written."""

    line: int
    field: str
    zh: str
    en: str

    def __str__(self) -> str:
        where_zh = f"第{self.line}行" if self.line else "文件"
        where_en = f"line {self.line}" if self.line else "file"
        if self.field:
            return f"{where_zh} {self.field}：{self.zh} / {where_en}, {self.field}: {self.en}"
        return f"{where_zh}：{self.zh} / {where_en}: {self.en}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "field": self.field,
            "message_zh": self.zh,
            "message_en": self.en,
        }


@dataclass
class ImportReport:
    registry: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["ok"] = self.ok
        data["problems"] = [p.as_dict() for p in self.problems]
        return data


class ImportFileError(Exception):
    """The file could not be read at all (carries the problems to report)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# English for the Chinese-only messages of the models' clean() methods, by prefix.
_CLEAN_EN = {
    "单位应当登记统一社会信用代码": "an organisation must have a unified social credit code",
    "至少需要一个场所类别": "at least one place category is needed",
    "未知的场所类别代码": "unknown place category codes",
    "未知的子系统代码": "unknown subsystem codes",
    "未知的义务代码": "unknown duty codes",
    "义务取值应为": "a duty is true, false or null",
    "有效期至不能早于有效期起": "valid until is before valid from",
    "下级区划代码应以上级区划代码开头": "a division's code must start with its parent's prefix",
    "没有已编码的法规": "no encoded regime has that id",
}


def _bilingual(err: ValidationError) -> tuple[str, str]:
    with translation.override("zh-hans"):
        zh = " ".join(err.messages)
    with translation.override("en"):
        en = " ".join(err.messages)
    if zh == en:
        if " / " in zh:
            zh, en = zh.split(" / ", 1)
        else:
            rest = ""
            for prefix, english in _CLEAN_EN.items():
                if zh.startswith(prefix):
                    rest = zh[len(prefix) :].lstrip("：: ")
                    en = f"{english}: {rest}" if rest else english
                    break
            else:
                en = "invalid value (see the Chinese message)"
    return zh, en


INVALID = type("Invalid", (), {"__repr__": lambda self: "<invalid>"})()  # a bad cell's value


@dataclass
class _Row:
    index: int
    line: int
    values: dict[str, Any]
    bad: set[str] = field(default_factory=set)  # column names already reported
    key: Key | None = None
    ref_keys: dict[str, Key | None] = field(default_factory=dict)
    instance: models.Model | None = None
    existing: bool = False
    before: dict[str, Any] | None = None
    many: dict[str, list[models.Model]] = field(default_factory=dict)
    many_before: dict[str, set[Any]] = field(default_factory=dict)
    deps: set[int] = field(default_factory=set)
    resolved: set[str] = field(default_factory=set)  # references set to a found record
    failed: bool = False


def _state(obj: models.Model) -> dict[str, Any]:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.name not in ("id", "created_at", "updated_at")
    }


class _Importer:
    def __init__(self, reg: Registry, table: Table):
        self.reg = reg
        self.table = table
        self.problems: list[Problem] = []
        self.header_of: dict[str, str] = {}  # column name → header as written
        self.positions: dict[str, int] = {}  # column name → cell index
        self.rows: list[_Row] = []
        self.by_key: dict[Key, _Row] = {}
        self.cache: dict[tuple[str, Key], models.Model | str] = {}

    # -- helpers

    def problem(self, row: _Row | None, column: str | None, zh: str, en: str) -> None:
        header = ""
        if column:
            header = self.header_of.get(column) or self.reg.column[column].header
        self.problems.append(Problem(row.line if row else self.table.header_line, header, zh, en))
        if row is not None:
            row.failed = True
            if column:
                row.bad.add(column)

    def field_header(self, field_name: str) -> str:
        for name, col in self.reg.column.items():
            if col.field == field_name and name in self.header_of:
                return self.header_of[name]
        if field_name in self.reg.ref:
            return "+".join(
                self.header_of.get(c) or self.reg.column[c].header
                for c in self.reg.ref[field_name].columns
            )
        for m in self.reg.many:
            if m.field == field_name:
                return self.header_of.get(m.column) or self.reg.column[m.column].header
        header = self.reg.header_of_field(field_name)
        if header:
            return header
        if field_name == NON_FIELD_ERRORS:
            return "+".join(
                self.header_of.get(c) or self.reg.column[c].header for c in self.reg.key_columns()
            )
        try:
            return str(self.reg.model._meta.get_field(field_name).verbose_name)
        except Exception:
            return field_name

    # -- pass 1: the header

    def read_header(self) -> bool:
        aliases = self.reg.aliases()
        width = len(self.table.header)
        for i, raw in enumerate(self.table.header):
            if not raw:
                if any(i < len(cells) and not is_blank(cells[i]) for _, cells in self.table.rows):
                    self.problems.append(
                        Problem(
                            self.table.header_line,
                            f"第{i + 1}列",
                            "列名为空，但该列有数据",
                            "the column has data but no header",
                        )
                    )
                continue
            col = aliases.get(_norm(raw))
            if col is None:
                self.problems.append(
                    Problem(self.table.header_line, raw, "未知的列", "unknown column")
                )
            elif col.name in self.positions:
                self.problems.append(
                    Problem(
                        self.table.header_line,
                        raw,
                        f"与「{self.header_of[col.name]}」重复的列",
                        f"the same column as {self.header_of[col.name]!r}",
                    )
                )
            else:
                self.positions[col.name] = i
                self.header_of[col.name] = raw
        missing = self.reg.missing_columns(set(self.positions))
        for c in missing:
            self.problems.append(
                Problem(
                    self.table.header_line,
                    self.reg.column[c].header,
                    "缺少必需的列（用于识别记录）",
                    "required column missing (it identifies the record)",
                )
            )
        # A reference needs all its columns or none.
        for ref in self.reg.refs:
            have = [c for c in ref.columns if c in self.positions]
            if have and len(have) < len(ref.columns):
                for c in ref.columns:
                    if c not in self.positions:
                        self.problems.append(
                            Problem(
                                self.table.header_line,
                                self.reg.column[c].header,
                                f"缺少列：应与「{self.header_of[have[0]]}」一并提供",
                                f"column missing: it goes with {self.header_of[have[0]]!r}",
                            )
                        )
        self.width = width
        return not missing

    # -- pass 2: cells

    def parse_rows(self) -> None:
        for index, (line, cells) in enumerate(self.table.rows):
            row = _Row(index=index, line=line, values={})
            self.rows.append(row)
            extra = [c for c in cells[self.width :] if not is_blank(c)]
            if extra:
                self.problem(
                    row,
                    None,
                    f"本行有 {len(extra)} 个单元格超出列名范围",
                    f"{len(extra)} cells beyond the last header",
                )
            for name, pos in self.positions.items():
                col = self.reg.column[name]
                raw = cells[pos] if pos < len(cells) else None
                if is_blank(raw):
                    row.values[name] = self.reg.blank_value(col)
                    continue
                try:
                    row.values[name] = col.cell.parse(raw)
                except CellError as exc:
                    row.values[name] = INVALID
                    self.problem(row, name, exc.zh, exc.en)

    # -- pass 3: keys

    def make_keys(self) -> None:
        for row in self.rows:
            for ref in self.reg.refs:
                if not all(c in self.positions for c in ref.columns):
                    continue
                if any(c in row.bad for c in ref.columns):
                    row.ref_keys[ref.field] = None
                    row.bad.add(ref.field)
                    continue
                vals = [row.values.get(c) for c in ref.columns]
                blank = [c for c, v in zip(ref.columns, vals, strict=True) if v in (None, "")]
                if blank and len(blank) < len(vals):
                    for c in blank:
                        given = next(x for x in ref.columns if x not in blank)
                        self.problem(
                            row,
                            c,
                            f"应与「{self.header_of[given]}」一并填写",
                            f"must be filled with {self.header_of[given]!r}",
                        )
                    row.bad.add(ref.field)
                    row.ref_keys[ref.field] = None
                    continue
                row.ref_keys[ref.field] = self.reg.ref_key(ref, row.values)
            parts = self.reg.key_parts(row.values)
            key: list[Any] = []
            for part in parts:
                if part in self.reg.ref:
                    value = row.ref_keys.get(part)
                    bad = part in row.bad
                    columns = self.reg.ref[part].columns
                else:
                    value = row.values.get(part)
                    bad = part in row.bad
                    columns = (part,)
                if bad:
                    key = []
                    break
                if value in (None, ""):
                    for c in columns:
                        self.problem(
                            row,
                            c,
                            "不能为空（用于识别记录）",
                            "must not be blank (it identifies the record)",
                        )
                    key = []
                    break
                key.append(value)
            if not key:
                continue
            row.key = tuple(key)
            first = self.by_key.get(row.key)
            if first is not None:
                self.problem(
                    row,
                    self.reg.key_columns(parts)[0],
                    f"与第{first.line}行重复（{self.reg.describe_key(row.key)}）",
                    f"duplicates line {first.line} ({self.reg.describe_key(row.key)})",
                )
            else:
                self.by_key[row.key] = row

    # -- pass 4: the records

    def existing(self) -> dict[Key, list[models.Model]]:
        """The records the file's keys name, fetched in chunks (not one query a row): by the
        first plain part of each key, then matched on the whole natural key in Python."""
        reg = self.reg
        groups: dict[tuple[str, ...], set[Key]] = defaultdict(set)
        for row in self.rows:
            if row.key is not None:
                groups[reg.key_parts_of_key(row.key)].add(row.key)
        found: dict[Key, list[models.Model]] = defaultdict(list)
        qs = reg.model.objects.all()
        if paths := reg.related_paths():
            qs = qs.select_related(*paths)
        for parts, keys in groups.items():
            plain = [i for i, part in enumerate(parts) if part not in reg.ref]
            if not plain:
                for key in keys:
                    found[key] = list(qs.filter(**reg.lookup(key))[:2])
                continue
            # The most selective plain part: the one with the most distinct values.
            i = max(plain, key=lambda i: len({key[i] for key in keys}))
            field_name = reg.column[parts[i]].field
            values = sorted({key[i] for key in keys}, key=str)
            for start in range(0, len(values), 500):
                chunk = values[start : start + 500]
                for obj in qs.filter(**{f"{field_name}__in": chunk}).order_by("pk"):
                    key = reg.natural_key(obj)
                    if key in keys:
                        found[key].append(obj)
        return found

    def load_records(self) -> None:
        model = self.reg.model
        existing = self.existing()
        for row in self.rows:
            obj = None
            if row.key is not None:
                found = existing.get(row.key, [])
                if row is not self.by_key.get(row.key):
                    # A duplicate line (already reported): its own copy of the record.
                    found = list(model.objects.filter(pk__in=[o.pk for o in found]))
                if len(found) > 1:
                    self.problem(
                        row,
                        self.reg.key_columns(self.reg.key_parts(row.values))[0],
                        "数据库中有多条记录与之对应，无法确定更新哪一条",
                        "several records in the database match; cannot tell which to update",
                    )
                elif found:
                    obj = found[0]
            row.existing = obj is not None
            if obj is None:
                obj = model()
            else:
                row.before = _state(obj)
                for m in self.reg.many:
                    row.many_before[m.field] = set(
                        getattr(obj, m.field).values_list("pk", flat=True)
                    )
            row.instance = obj
            for name, value in row.values.items():
                col = self.reg.column[name]
                if col.field is None or name in row.bad:
                    continue
                if col.duty:
                    duties = dict(getattr(obj, col.field) or {})
                    if value is None:
                        duties.pop(col.duty, None)
                    else:
                        duties[col.duty] = value
                    setattr(obj, col.field, duties)
                else:
                    setattr(obj, col.field, value)

    # -- pass 5: references

    def find(self, target: Registry, key: Key) -> models.Model | str:
        """The record with this key, or a reason it cannot be had ('missing', 'ambiguous')."""
        ck = (target.name, key)
        if ck not in self.cache:
            found = list(target.model.objects.filter(**target.lookup(key))[:2])
            self.cache[ck] = found[0] if len(found) == 1 else ("ambiguous" if found else "missing")
        return self.cache[ck]

    def resolve_refs(self) -> None:
        for row in self.rows:
            obj = row.instance
            for ref in self.reg.refs:
                if ref.field not in row.ref_keys or ref.field in row.bad:
                    continue
                key = row.ref_keys[ref.field]
                target = self.reg.registry(ref.target)
                if key is None:
                    setattr(obj, ref.field, None)
                    continue
                if target is self.reg and key in self.by_key:
                    other = self.by_key[key]
                    setattr(obj, ref.field, other.instance)
                    row.deps.add(other.index)
                    row.resolved.add(ref.field)
                    continue
                found = self.find(target, key)
                if isinstance(found, str):
                    self.ref_problem(row, ref.columns[0], target, key, found)
                    row.bad.add(ref.field)
                else:
                    setattr(obj, ref.field, found)
                    row.resolved.add(ref.field)
            for m in self.reg.many:
                if m.column not in self.positions or m.column in row.bad:
                    continue
                scope = row.ref_keys.get(m.scope)
                if scope is None or m.scope in row.bad:
                    continue
                target = self.reg.registry(m.target)
                items = []
                for name in row.values.get(m.column) or []:
                    found = self.find(target, (scope, name))
                    if isinstance(found, str):
                        self.ref_problem(row, m.column, target, (scope, name), found)
                    else:
                        items.append(found)
                if m.column not in row.bad:
                    row.many[m.field] = items

    def ref_problem(self, row: _Row, column: str, target: Registry, key: Key, reason: str) -> None:
        desc = target.describe_key(key)
        if reason == "ambiguous":
            self.problem(
                row,
                column,
                f"有多条{target.label}与「{desc}」对应，无法确定",
                f"several {target.label_en}s match {desc!r}",
            )
        else:
            self.problem(
                row,
                column,
                f"找不到{target.label}「{desc}」（请先导入{target.label}）",
                f"no {target.label_en} {desc!r} (import the {target.label_en}s first)",
            )

    def check_cycles(self) -> None:
        """Rows that refer to each other in a circle (a division its own parent)."""
        done: set[int] = set()
        for row in self.rows:
            seen: list[int] = []
            current: _Row | None = row
            while current is not None and current.index not in done:
                if current.index in seen:
                    cycle = seen[seen.index(current.index) :]
                    lines = sorted(self.rows[i].line for i in cycle)
                    ref = next(r for r in self.reg.refs if r.target == self.reg.name)
                    self.problem(
                        self.rows[min(cycle)],
                        ref.columns[0],
                        "循环引用：第" + "、".join(map(str, lines)) + "行",
                        "circular reference: lines " + ", ".join(map(str, lines)),
                    )
                    break
                seen.append(current.index)
                current = self.rows[next(iter(current.deps))] if current.deps else None
            done.update(seen)

    # -- pass 6: the model's validation

    def validate(self) -> None:
        """full_clean(), in its parts, so that what is already known is not asked again:
        references found by natural key need no existence query, and the key's own fields
        no unique query (the record with that key was looked up already)."""
        reg = self.reg
        for row in self.rows:
            obj = row.instance
            bad = set()
            for name in row.bad:
                if name in reg.column and reg.column[name].field:
                    bad.add(reg.column[name].field)
                elif name in reg.ref:
                    bad.add(name)
            for ref in reg.refs:
                if ref.field not in row.ref_keys and row.existing:
                    bad.add(ref.field)  # its columns are not in the file: left as it is
            if row.key is None:
                # Without a key it is unknown whether the record exists: say nothing of the
                # fields whose columns the file leaves out.
                bad |= {c.field for c in reg.columns if c.field and c.name not in self.positions}
                bad |= {r.field for r in reg.refs if r.field not in row.ref_keys}
            key_fields = {
                part if part in reg.ref else reg.column[part].field
                for part in reg.key_parts(row.values)
            }
            errors: dict[str, list[ValidationError]] = {}
            try:
                obj.clean_fields(exclude=bad | row.resolved)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
            try:
                obj.clean()
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
            except ObjectDoesNotExist:
                row.failed = True  # clean() followed a reference already reported unknown
            skip = bad | key_fields | set(errors)
            try:
                obj.validate_unique(exclude=skip)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
            try:
                obj.validate_constraints(exclude=skip)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
            for field_name, errs in errors.items():
                if field_name in bad:
                    continue
                # One problem per field: a field's messages (say, "cannot be blank" from
                # the field and "at least one category" from clean()) together.
                texts = list(dict.fromkeys(_bilingual(err) for err in errs))
                self.problems.append(
                    Problem(
                        row.line,
                        self.field_header(field_name),
                        "；".join(zh for zh, _ in texts),
                        "; ".join(en for _, en in texts),
                    )
                )
                row.failed = True

    # -- the plan

    def changed(self, row: _Row) -> bool:
        if not row.existing:
            return True
        if any(not self.rows[i].existing for i in row.deps):
            return True
        if _state(row.instance) != row.before:
            return True
        return any(
            {o.pk for o in items} != row.many_before.get(f, set()) for f, items in row.many.items()
        )

    def order(self) -> list[_Row]:
        """Rows in an order that saves every referenced row before the rows that refer to it."""
        out: list[_Row] = []
        placed: set[int] = set()

        def visit(row: _Row) -> None:
            if row.index in placed:
                return
            placed.add(row.index)
            for i in sorted(row.deps):
                visit(self.rows[i])
            out.append(row)

        for row in self.rows:
            visit(row)
        return out

    def run(self, report: ImportReport) -> list[_Row]:
        if self.read_header():
            self.parse_rows()
            self.make_keys()
            self.load_records()
            self.resolve_refs()
            self.check_cycles()
            self.validate()
        report.rows = len(self.table.rows)
        # By line, then in the order of the columns in the file.
        position = {h: i for i, h in enumerate(self.table.header)}
        report.problems = sorted(
            self.problems, key=lambda p: (p.line, position.get(p.field, len(position)))
        )
        plan = []
        if not report.problems:
            for row in self.order():
                if not self.changed(row):
                    report.unchanged += 1
                    continue
                plan.append(row)
                if row.existing:
                    report.updated += 1
                else:
                    report.created += 1
        return plan


def import_table(reg: Registry, table: Table, *, dry_run: bool = False) -> ImportReport:
    """Validate every row; unless it is a dry run and if all are good, write them all in one
    transaction. Existing records (by natural key) are updated, new ones created."""
    report = ImportReport(registry=reg.name, dry_run=dry_run)
    if dry_run:
        _Importer(reg, table).run(report)
        return report
    with transaction.atomic():
        # Validation and writing see the same database: nothing changes in between.
        plan = _Importer(reg, table).run(report)
        if report.problems:
            return report
        for row in plan:
            row.instance.save()
            for field_name, items in row.many.items():
                getattr(row.instance, field_name).set(items)
        report.written = True
    return report


def import_file(
    reg: Registry, path: str | Path, *, fmt: str | None = None, dry_run: bool = False
) -> ImportReport:
    try:
        table = read_table(path, fmt)
    except TableError as exc:
        raise ImportFileError([Problem(0, "", exc.zh, exc.en)]) from None
    return import_table(reg, table, dry_run=dry_run)


def export_rows(reg: Registry, queryset: models.QuerySet | None = None) -> Iterable[list[Any]]:
    """The rows of every record, or of the records of `queryset` (of the registry's model)."""
    for obj in reg.export_queryset(queryset).iterator(chunk_size=2000):
        yield reg.export_row(obj)


def export_file(
    reg: Registry,
    path: str | Path,
    *,
    fmt: str | None = None,
    queryset: models.QuerySet | None = None,
) -> int:
    """Write every record of the registry (or those of `queryset`), with the import headers.
    Returns the row count."""
    try:
        fmt = format_of(path, fmt)
    except TableError as exc:
        raise ImportFileError([Problem(0, "", exc.zh, exc.en)]) from None
    if fmt == "csv":
        return write_csv(path, reg.headers(), export_rows(reg, queryset))
    return write_xlsx(path, reg.headers(), export_rows(reg, queryset), title=reg.label)
