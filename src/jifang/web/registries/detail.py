"""A row's page: its fields, the badges and links some registries add, and the rows of other
registries that refer to it, a few each, scoped."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from jifang.platform.accounts.scope import restrict
from jifang.platform.core.catalog import filterset_for, slug_for
from jifang.web.roles import registries_for, role_of

from .columns import columns_for, label_of
from .listing import ordered
from .values import Lens, detail_value, table_rows

RELATED_ROWS = 20  # rows of each related registry shown on a row's page


def fields(obj: models.Model, lens: Lens) -> list[tuple[str, Any]]:
    """Each field of the row with its label: the number first, the time stamps last."""
    model = type(obj)
    own = [*model._meta.concrete_fields, *model._meta.many_to_many]
    stamps = [f for f in own if f.name in ("created_at", "updated_at")]
    out: list[tuple[str, Any]] = [("编号", obj.pk)]
    for f in [*(f for f in own if f.name != "id" and f not in stamps), *stamps]:
        out.append((label_of(f), detail_value(obj, f, lens)))
    return out


def badges(request: HttpRequest, obj: models.Model) -> list[tuple[str, str]]:
    label = obj._meta.label_lower
    if label == "practitioners.practitioner":
        filed = {
            True: ("ok", "已备案"),
            False: ("bad", "未备案"),
            None: ("unknown", "备案情况未知"),
        }
        out = [filed[obj.filed]]
        if obj.on_warning_list:
            out.append(("bad", "列入警示名单"))
        today = timezone.localdate()
        certs = restrict(obj.certificates.all(), request.user, "view").filter(
            valid_from__lte=today, valid_until__gte=today
        )
        best = certs.order_by("level").first()
        if best is not None:
            out.append(("ok", f"资格等级 {best.level} 级（至 {best.valid_until.isoformat()}）"))
        return out
    if label == "compliance.assessment":
        return (
            [("bad", f"违法认定 {obj.findings_count} 项")]
            if obj.findings_count
            else [("ok", "无违法认定")]
        )
    return []


def links(obj: models.Model) -> list[tuple[str, str]]:
    if obj._meta.label_lower == "units.unit":
        return [
            ("单位主页", reverse("web:unit", args=[obj.pk])),
            ("合规自查", reverse("web:unit-self-check", args=[obj.pk])),
        ]
    return []


def related(request: HttpRequest, obj: models.Model, lens: Lens) -> list[dict]:
    """The rows of other registries that refer to this one (reverse keys), scoped, a few each,
    for the registries the user's role has at all."""
    readable = set(registries_for(role_of(request.user)))
    sections = []
    for rel in obj._meta.related_objects:
        slug = slug_for(rel.related_model)
        if slug is None or slug not in readable or not (rel.one_to_many or rel.many_to_many):
            continue
        model = rel.related_model
        cols = [c for c in columns_for(model, slug) if c.field is not rel.field]
        rows = restrict(model._default_manager.filter(**{rel.field.name: obj}), request.user)
        count = rows.count()
        shown = list(ordered(rows, cols)[:RELATED_ROWS])
        more = ""
        param = _filter_param(model, rel.field)
        if param and count:
            more = reverse("web:registry-list", args=[slug]) + "?" + urlencode({param: obj.pk})
        sections.append(
            {
                "title": str(model._meta.verbose_name_plural),
                "by": label_of(rel.field),
                "count": count,
                "more_url": more,
                "headers": [{"label": c.label, "url": "", "arrow": ""} for c in cols],
                "rows": table_rows(shown, cols, lens),
            }
        )
    # Two references from one registry (none today) would share a title: name the field.
    titles = [s["title"] for s in sections]
    for section in sections:
        if titles.count(section["title"]) > 1:
            section["title"] += f"（{section['by']}）"
    return sections


def _filter_param(model: type[models.Model], fk: models.Field) -> str | None:
    """The name of the list filter that selects the rows referring to one row by `fk`."""
    fs_class = filterset_for(model)
    if fs_class is None:
        return None
    for name, flt in fs_class.base_filters.items():
        if flt.field_name in (fk.name, fk.attname) and flt.lookup_expr == "exact":
            return name
    return None
