"""The rows a registry's list (or its export) shows: the user's rows for the action, narrowed
by a search and the registry's filterset, sorted by a listed column, and the links that keep
the query as it goes (sort headers, pages, the chips of filters by a related row)."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import or_
from typing import Any
from urllib.parse import urlencode

import django_filters
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections, models
from django.db.models import Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import translation

from jifang.platform.accounts.scope import restrict_choices
from jifang.platform.core.catalog import filterset_for
from jifang.web.access import scoped

from .columns import Column, select_paths
from .values import Lens, name_of

PAGE_SIZE = 50
_INT64 = 2**63 - 1

# `q` searches these fields of the row itself (never a related row's: a search by another
# registry's names would tell which of one's rows belong to a row one may not see). A
# filterset that declares its own `q` takes precedence.
SEARCH: dict[str, tuple[str, ...]] = {
    "divisions": ("code", "name"),
    "police-organs": ("name", "office"),
    "responsible-persons": ("name", "role", "phone"),
    "places": ("name",),
    "products": ("name", "manufacturer", "model_number", "certificate_number"),
    "systems": ("name",),
    "devices": ("code", "certificate_number"),
    "certificates": ("number",),
    "personnel": ("name", "role"),
    "orders": ("subject",),
    "acts": ("code",),
    "assessments": ("regime_id",),
    "findings": ("code", "subject", "division_code"),
    "sweeps": (),
}

# Labels for filters whose generated label is half English ("区划代码 starts with").
FILTER_LABELS = {
    "prefix": "区划代码（前缀）",
    "division": "区划代码（前缀）",
    "retention_below": "留存天数少于",
    "overdue_on": "整改期限早于",
}


@dataclass
class Filter:
    name: str
    label: str
    kind: str  # text, number, date, choice, context (a related row, kept as a hidden field)
    value: str
    options: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Listing:
    """The rows a list or export shows: scoped, searched and filtered, and how it says so."""

    rows: QuerySet
    search: dict | None
    filters: list[Filter]
    problems: list[str]

    @property
    def shown(self) -> list[Filter]:
        return [f for f in self.filters if f.kind != "context"]

    @property
    def context(self) -> list[Filter]:
        return [f for f in self.filters if f.kind == "context" and f.value]


def _kind(flt: django_filters.Filter) -> str:
    if isinstance(flt, django_filters.ModelChoiceFilter) or (
        isinstance(flt, django_filters.NumberFilter) and flt.field_name.endswith("_id")
    ):
        return "context"
    if isinstance(flt, django_filters.BooleanFilter):
        return "bool"
    if isinstance(flt, django_filters.ChoiceFilter):
        return "choice"
    if isinstance(flt, django_filters.DateFilter):
        return "date"
    if isinstance(flt, django_filters.NumberFilter):
        return "number"
    return "text"


def _label(name: str, label: Any) -> str:
    text = str(label or name)
    return FILTER_LABELS.get(name, text) if re.search(r"[A-Za-z]", text) else text


def _problems(form, names: dict[str, str]) -> list[str]:
    """Each bad filter, Chinese first and English beside: 「字段：说明 / field: message」."""
    out = []
    for name, errors in form.errors.as_data().items():
        for error in errors:
            with translation.override("zh-hans"):
                zh = " ".join(error)
            with translation.override("en"):
                en = " ".join(error)
            out.append(f"{names.get(name, name)}：{zh} / {name}: {en}")
    return out


def _huge(params: QueryDict, names: Iterable[str], labels: dict[str, str]) -> list[str]:
    """Numbers no database column can hold are bad input, not a server error."""
    out = []
    for name in names:
        for value in params.getlist(name):
            try:
                number = float(value)
            except ValueError:
                continue
            if number != number or abs(number) > _INT64:
                out.append(f"{labels.get(name, name)}：数值超出范围 / {name}: number out of range")
    return out


def listing(request: HttpRequest, slug: str, model: type[models.Model], action: str) -> Listing:
    """The user's rows for `action`, narrowed by the request's search and filters."""
    rows = scoped(request, model, action)
    params = request.GET
    fs_class = filterset_for(model)
    filters: list[Filter] = []
    problems: list[str] = []
    search = None
    has_q = False
    if fs_class is not None:
        fs = fs_class(data=params, queryset=rows, request=request)
        restrict_choices(fs, request.user)
        labels = {name: _label(name, flt.label) for name, flt in fs.filters.items()}
        has_q = "q" in fs.filters
        for name, flt in fs.filters.items():
            if name == "q":
                search = {"value": params.get("q", ""), "placeholder": labels["q"]}
                continue
            kind = _kind(flt)
            options: list[tuple[str, str]] = []
            if kind == "bool":
                options = [("", "全部"), ("true", "是"), ("false", "否")]
                kind = "choice"
            elif kind == "choice":
                options = [("", "全部")] + [
                    (str(k), str(text)) for k, text in fs.form.fields[name].choices if k != ""
                ]
            filters.append(Filter(name, labels[name], kind, params.get(name, ""), options))
        problems = _huge(params, [n for n in fs.filters if n != "q"], labels)
        if not problems and not fs.is_valid():
            problems = _problems(fs.form, labels)
        rows = rows.none() if problems else fs.qs
    fields = SEARCH.get(slug)
    if fields is None:
        fields = tuple(
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField) and not f.choices
        )
    if not has_q and fields:
        names = "、".join(str(model._meta.get_field(n).verbose_name) for n in fields)
        search = {"value": params.get("q", ""), "placeholder": names}
        q = params.get("q", "").strip()
        if q:
            rows = rows.filter(functools.reduce(or_, (Q(**{f"{n}__icontains": q}) for n in fields)))
    return Listing(rows, search, filters, problems)


# ---------------------------------------------------------------- order


def own_order(model: type[models.Model]) -> list[str]:
    """The registry's own order, ending in pk so that pages never overlap."""
    return [*(model._meta.ordering or []), "pk"]


def ordering(model: type[models.Model], cols: list[Column], sort: str) -> tuple[str, list[str]]:
    """The sort the user asked for, if it is one of the listed columns (else the registry's
    own order; an unknown field is ignored, not an error), always ending in pk, which goes
    the same way as the column: an index on (column, id) then reads a province's sorted
    list from either end (units.0005_sort_indexes)."""
    allowed = {c.field.name: c.sort for c in cols if c.sort}
    name = sort.removeprefix("-")
    if name in allowed:
        way = "-" if sort.startswith("-") else ""
        return sort, [f"{way}{allowed[name]}", f"{way}pk"]
    return "", own_order(model)


def ordered(rows: QuerySet, cols: list[Column], order_by: list[str] | None = None) -> QuerySet:
    """`rows` in `order_by` (by default the registry's own order), with the rows the columns
    name read along.

    A list's page (`order_by` given) counts its rows cheaply (see `estimated`). When it asks
    for the registry's own order, an order a filter has set keeps (the open findings come
    newest first); otherwise, when the planner expects more than ESTIMATE_ABOVE rows, the
    rows come in the order they were registered (pk): the own order of a province's units
    (by division code, a joined table, then name) would sort a million rows for each page,
    while the pk order reads the first fifty from the index."""
    if order_by is not None:
        rows = estimated(rows)
        if order_by == own_order(rows.model):
            if rows.query.order_by:
                order_by = list(rows.query.order_by)
            elif (planned_rows(rows) or 0) > ESTIMATE_ABOVE:
                order_by = ["pk"]
    return rows.select_related(*select_paths(cols)).order_by(*(order_by or own_order(rows.model)))


# ---------------------------------------------------------------- pages far into a list

# The links to the next and the previous page of a list in pk order carry the pk of the row
# they continue from (`after`, `before`) beside the page's number: the page then reads its
# rows from the index from there, however far into the list, where `?page=N` alone skips
# N × 50 rows (half a second in the middle of a province's units).
CURSORS = ("after", "before")


def page_number(params: QueryDict) -> int | None:
    value = params.get("page", "")
    return int(value) if value.isdigit() and 0 < int(value) <= _INT64 else None


def cursor(params: QueryDict) -> tuple[str, int] | None:
    """The cursor a page link carries, if exactly one is given and it is a valid pk."""
    given = [(name, params.get(name, "")) for name in CURSORS if params.get(name, "") != ""]
    if len(given) != 1 or not given[0][1].isdigit() or int(given[0][1]) > _INT64:
        return None
    return given[0][0], int(given[0][1])


def pk_order(rows: QuerySet) -> str | None:
    """The order cursors can follow: "pk" or "-pk" when `rows` are ordered by pk alone."""
    order = tuple(rows.query.order_by)
    pk = rows.model._meta.pk.name
    return {("pk",): "pk", (pk,): "pk", ("-pk",): "-pk", (f"-{pk}",): "-pk"}.get(order)


class KeysetPage(Page):
    """A page read from a cursor: its number is the one the link carried."""

    def __init__(self, object_list, number: int, paginator: Paginator, more: bool) -> None:
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def has_previous(self) -> bool:
        return self.number > 1

    # the neighbours' numbers as the links carry them (a count may be an estimate)
    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


def keyset_page(paginator: Paginator, params: QueryDict) -> Page | None:
    """The page the request's cursor and number name, read from the cursor (None when the
    request has no usable cursor, the rows are not in pk order or the page is the first)."""
    rows, size = paginator.object_list, paginator.per_page
    order, at, number = pk_order(rows), cursor(params), page_number(params)
    if order is None or at is None or number is None or number < 2:
        return None
    direction, pk = at
    forward = (direction == "after") == (order == "pk")  # towards greater pks
    beyond = rows.filter(pk__gt=pk) if forward else rows.filter(pk__lt=pk)
    if direction == "after":
        got = list(beyond[: size + 1])
        return KeysetPage(got[:size], number, paginator, len(got) > size)
    got = list(beyond.order_by({"pk": "-pk", "-pk": "pk"}[order])[: size + 1])
    if len(got) <= size:  # nothing before these rows: the first page
        return paginator.page(1)
    return KeysetPage(got[:size][::-1], number, paginator, True)


def keyset_links(page: Page) -> tuple[dict, dict]:
    """The cursors of the links to the previous and the next page (None drops one): each
    continues from this page's first or last row when the rows are in pk order, except the
    link to the first page, which reads from the start."""
    previous: dict = dict.fromkeys(CURSORS)
    following: dict = dict.fromkeys(CURSORS)
    rows = list(page.object_list)
    if rows and pk_order(page.paginator.object_list) is not None:
        if page.number > 2:
            previous["before"] = rows[0].pk
        following["after"] = rows[-1].pk
    return previous, following


# ---------------------------------------------------------------- counts of large lists

# Above this many rows (as the PostgreSQL planner expects them) a list's count is the
# planner's estimate, shown as 「约 N」; below it, and always on SQLite, it is exact.
ESTIMATE_ABOVE = 10_000


class ApproximateCount(int):
    """A count the planner estimated: an int that says so when shown."""

    exact = False

    def __str__(self) -> str:
        return f"约 {int(self)}"


def planned_rows(rows: QuerySet) -> int | None:
    """The rows the PostgreSQL planner expects `rows` to give (None elsewhere, and for a
    table the statistics say holds at most ESTIMATE_ABOVE rows, which is counted exactly):
    EXPLAIN plans the query without running it, in a millisecond or two."""
    connection = connections[rows.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        # every table's size as the statistics have it (a few dozen rows from the catalogue)
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' "
            "AND relnamespace = current_schema()::regnamespace"
        )
        sizes = dict(cursor.fetchall())
    # -1: never analysed (autovacuum analyses a table soon after a bulk load): count exactly
    if sizes.get(rows.model._meta.db_table, -1) <= ESTIMATE_ABOVE:
        return None
    try:
        sql, params = rows.order_by().query.sql_with_params()
    except EmptyResultSet:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def count_rows(rows: QuerySet) -> int:
    """Exact below ESTIMATE_ABOVE planned rows, else the estimate (an ApproximateCount)."""
    planned = planned_rows(rows)
    if planned is not None and planned > ESTIMATE_ABOVE:
        return ApproximateCount(planned)
    return QuerySet.count(rows)


class _EstimatedCount:
    def count(self) -> int:
        if self._result_cache is not None:
            return len(self._result_cache)
        return count_rows(self)


@functools.cache
def _estimating(cls: type[QuerySet]) -> type[QuerySet]:
    return type(f"Estimated{cls.__name__}", (_EstimatedCount, cls), {})


def estimated(rows: QuerySet) -> QuerySet:
    """`rows`, counting themselves by count_rows (what a Paginator asks)."""
    rows = rows.all()
    if not isinstance(rows, _EstimatedCount):
        rows.__class__ = _estimating(type(rows))
    return rows


# ---------------------------------------------------------------- links that keep the query


def query(params: QueryDict, drop: Iterable[str] = (), **changes: Any) -> str:
    """The query string of `params` with `changes` (None drops a key), blanks left out."""
    data = {k: [x for x in params.getlist(k) if x != ""] for k in params if k not in drop}
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = [str(value)]
    data = {k: vals for k, vals in data.items() if vals}
    return "?" + urlencode(data, doseq=True) if data else ""


def headers(request: HttpRequest, cols: list[Column], sort: str) -> list[dict]:
    """The table's headers: a sortable column links to the list sorted by it (again: the
    other way), the current sort marked by an arrow."""
    out = []
    for c in cols:
        header = {"label": c.label, "url": "", "arrow": ""}
        if c.sort:
            name = c.field.name
            header["url"] = request.path + query(
                request.GET, drop=["page", *CURSORS], sort=f"-{name}" if sort == name else name
            )
            header["arrow"] = {name: " ▲", f"-{name}": " ▼"}.get(sort, "")
        out.append(header)
    return out


def chips(request: HttpRequest, model: type[models.Model], found: Listing) -> list[dict]:
    """The filters by a related row (from links such as 「全部」 on a row's page): each named
    when the user may view that row, with a link that drops it."""
    out = []
    fs_class = filterset_for(model)
    lens = Lens(request.user)
    for flt in found.context:
        declared = fs_class.base_filters[flt.name]
        target = model._meta.get_field(declared.field_name.removesuffix("_id")).related_model
        text = f"#{flt.value}"
        pk = int(flt.value) if flt.value.isdigit() and int(flt.value) <= _INT64 else None
        if pk is not None and lens.may_view(target, pk):
            text = name_of(target._default_manager.get(pk=pk))
        out.append(
            {
                "label": flt.label,
                "text": text,
                "clear_url": request.path + query(request.GET, drop=["page", *CURSORS, flt.name]),
            }
        )
    return out
