"""A field's value as a person reads it: labels for codes, 是/否/未知, and the names of rows of
other registries, shown (and linked) only when the user may view those rows too."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from jifang import law
from jifang.law import vocabulary as v
from jifang.platform.accounts.scope import restrict
from jifang.platform.core import choices
from jifang.platform.core.catalog import slug_for

from .columns import Column, references

# JSON lists of vocabulary codes, shown by their labels.
CODE_LISTS = {
    ("units.place", "categories"): dict(choices.PLACE_CATEGORY_CHOICES),
    ("systems.system", "subsystems"): dict(choices.SUBSYSTEM_CHOICES),
}
# JSON dicts of duty code → true/false (missing: unknown).
DUTIES = {
    ("units.unit", "duties"): v.UNIT_DUTIES,
    ("practitioners.practitioner", "duties"): v.PRACTITIONER_DUTIES,
}
# JSON dicts of finding code → count.
FINDING_COUNTS = {("compliance.sweeprun", "by_finding"): dict(choices.FINDING_CHOICES)}

YES_NO = {True: "是", False: "否", None: "未知"}
EMPTY = "—"
OUT_OF_SCOPE = format_html(
    '<span class="muted" title="{}">（无权查看）</span>', "不在本账号的查看范围内"
)


class Lens:
    """Which rows of any registry the user may view, asked of `restrict` in batches: values
    that name a row outside the user's scope are not shown."""

    def __init__(self, user):
        self.user = user
        self.everything = bool(user.is_active and user.is_superuser)
        self.asked: dict[type, set] = {}
        self.seen: dict[type, set] = {}

    def learn(self, model: type[models.Model], pks: Iterable[Any]) -> None:
        if self.everything:
            return
        asked = self.asked.setdefault(model, set())
        new = {pk for pk in pks if pk is not None} - asked
        if new:
            asked |= new
            visible = restrict(model._default_manager.filter(pk__in=new), self.user, "view")
            self.seen.setdefault(model, set()).update(visible.values_list("pk", flat=True))

    def learn_rows(self, objs: list[models.Model], cols: Iterable[Column]) -> None:
        """Ask at once about every row the columns of `objs` name."""
        for c in references(cols):
            self.learn(c.field.related_model, [getattr(o, c.field.attname) for o in objs])

    def may_view(self, model: type[models.Model], pk: Any) -> bool:
        if self.everything:
            return True
        self.learn(model, [pk])
        return pk in self.seen.get(model, set())


def row_url(obj: models.Model) -> str:
    """The page of a row: units have their own page, every other registry the generic one."""
    model = type(obj)
    if model._meta.label_lower == "units.unit":
        return reverse("web:unit", args=[obj.pk])
    return reverse("web:registry-detail", args=[slug_for(model), obj.pk])


def name_of(obj: models.Model) -> str:
    """A row's name: its own __str__, or its registry and number (never Django's English)."""
    if type(obj).__str__ is models.Model.__str__:
        return f"{obj._meta.verbose_name} #{obj.pk}"
    return str(obj)


def _local(value: dt.datetime) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d %H:%M")


def plain(obj: models.Model, f: models.Field, lens: Lens) -> Any:
    """A field's value as a person reads it: labels for codes, 是/否/未知, names of related
    rows the user may view (None for those they may not). Dates stay dates."""
    key = (obj._meta.label_lower, f.name)
    if f.many_to_one or f.one_to_one:
        pk = getattr(obj, f.attname)
        if pk is None or not lens.may_view(f.related_model, pk):
            return None
        return name_of(getattr(obj, f.name))
    value = getattr(obj, f.attname)
    if isinstance(f, models.BooleanField):
        return YES_NO[value]
    if value is None or (value in ("", [], {}) and key not in DUTIES):
        return None
    if f.flatchoices:
        return str(dict(f.flatchoices).get(value, value))
    if key in CODE_LISTS:
        return "、".join(CODE_LISTS[key].get(code, code) for code in value)
    if key in DUTIES:
        return "；".join(
            f"{label}：{YES_NO[value.get(code)]}" for code, label in DUTIES[key].items()
        )
    if isinstance(f, models.JSONField):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, dt.datetime):
        return _local(value)
    return value


@functools.cache
def _regimes() -> frozenset[str]:
    return frozenset(law.regime_ids())


def _bare(label: Any, code: Any) -> str:
    """A vocabulary label without the code core.choices appends: 「视频监控（video）」 → 「视频监控」."""
    return str(label).removesuffix(f"（{code}）")


def cell(obj: models.Model, f: models.Field, lens: Lens, short: bool = False) -> SafeString:
    """A field's value as HTML for a table cell: related rows as links when visible. `short`
    (in tables) leaves vocabulary codes to the title attribute."""
    if f.many_to_one or f.one_to_one:
        pk = getattr(obj, f.attname)
        if pk is None:
            return mark_safe(EMPTY)
        if not lens.may_view(f.related_model, pk):
            return OUT_OF_SCOPE
        related = getattr(obj, f.name)
        return format_html('<a href="{}">{}</a>', row_url(related), name_of(related))
    value = plain(obj, f, lens)
    if value is None:
        return mark_safe(EMPTY)
    codes = getattr(obj, f.attname)
    if short and (obj._meta.label_lower, f.name) in CODE_LISTS:
        labels = CODE_LISTS[(obj._meta.label_lower, f.name)]
        text = "、".join(_bare(labels.get(c, c), c) for c in codes)
        return format_html('<span title="{}">{}</span>', "、".join(codes), text)
    if short and f.flatchoices and not isinstance(f, models.BooleanField):
        return format_html('<span title="{}">{}</span>', codes, _bare(value, codes))
    if f.name == "regime_id" and value in _regimes():
        return format_html('<a href="{}">{}</a>', reverse("web:law-regime", args=[value]), value)
    if isinstance(value, dt.date):
        value = value.isoformat()
    return format_html("{}", value)


def _code_list(items: Iterable[tuple[Any, ...]], item: str = "<li>{}：{}</li>") -> SafeString:
    return format_html("<ul class='codes'>{}</ul>", format_html_join("", item, items))


def detail_value(obj: models.Model, f: models.Field, lens: Lens) -> SafeString:
    """A field's value for the row's page: lists and JSON laid out in full."""
    key = (obj._meta.label_lower, f.name)
    if f.many_to_many:
        related = list(getattr(obj, f.name).all())
        lens.learn(f.related_model, [r.pk for r in related])
        shown = [r for r in related if lens.may_view(f.related_model, r.pk)]
        html = format_html_join(
            "、", '<a href="{}">{}</a>', ((row_url(r), name_of(r)) for r in shown)
        )
        if len(shown) < len(related):
            html = format_html("{}{}", html, OUT_OF_SCOPE)
        return html or mark_safe(EMPTY)
    value = getattr(obj, f.attname)
    if key in CODE_LISTS and value:
        return _code_list(((CODE_LISTS[key].get(c, c),) for c in value), "<li>{}</li>")
    if key in DUTIES:
        return _code_list(
            (label, YES_NO[(value or {}).get(code)]) for code, label in DUTIES[key].items()
        )
    if key in FINDING_COUNTS:
        if not value:
            return mark_safe(EMPTY)
        return _code_list((FINDING_COUNTS[key].get(c, c), n) for c, n in sorted(value.items()))
    if isinstance(f, models.JSONField) and value not in (None, "", [], {}):
        text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
        return format_html(
            "<details><summary>展开</summary><pre class='json'>{}</pre></details>", text
        )
    if isinstance(f, models.TextField) and value:
        return format_html("<div class='pre-wrap'>{}</div>", value)
    return cell(obj, f, lens)


def table_rows(objs: list[models.Model], cols: list[Column], lens: Lens) -> list[dict]:
    """The rows of a table on a page: each cell as HTML, the linked column to the row's page."""
    lens.learn_rows(objs, cols)
    out = []
    for obj in objs:
        url = row_url(obj)
        cells = []
        for c in cols:
            html = cell(obj, c.field, lens, short=True)
            if c.link:
                html = format_html('<a href="{}">{}</a>', url, html)
            cells.append(html)
        out.append({"pk": obj.pk, "url": url, "cells": cells})
    return out


def plain_rows(objs: list[models.Model], cols: list[Column], lens: Lens) -> Iterator[list]:
    """The rows of a table in a file: the row's number, then each column as `plain` gives it."""
    lens.learn_rows(objs, cols)
    for obj in objs:
        yield [obj.pk, *(plain(obj, c.field, lens) for c in cols)]
