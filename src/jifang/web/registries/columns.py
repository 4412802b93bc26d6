"""The columns a registry's list shows: declared per registry (URL slug), else its first few
plain fields."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Col:
    """A listed column: a field of the model, how it sorts ("" by itself, None not at all,
    else an order_by path) and whether it links to the row's page."""

    name: str
    sort: str | None = ""
    link: bool = False


TABLES: dict[str, tuple[Col, ...]] = {
    "divisions": (
        Col("code", link=True),
        Col("name"),
        Col("level"),
        Col("parent", "parent__code"),
        Col("regime_id"),
    ),
    "police-organs": (
        Col("name", link=True),
        Col("division", "division__code"),
        Col("office"),
        Col("phone"),
    ),
    "units": (
        Col("name", link=True),
        Col("uscc"),
        Col("kind"),
        Col("division", "division__code"),
        Col("address"),
        Col("phone"),
    ),
    "responsible-persons": (
        Col("name", link=True),
        Col("unit", "unit__name"),
        Col("role"),
        Col("phone"),
    ),
    "places": (
        Col("name", link=True),
        Col("unit", "unit__name"),
        Col("categories", None),
        Col("public_area"),
        Col("anti_terror_target"),
        Col("police_key_place"),
    ),
    "products": (
        Col("name", link=True),
        Col("manufacturer"),
        Col("model_number"),
        Col("certification"),
        Col("certificate_number"),
    ),
    "systems": (
        Col("name", link=True),
        Col("unit", "unit__name"),
        Col("subsystems", None),
        Col("status"),
        Col("acceptance"),
        Col("retention_days"),
        Col("practitioner", "practitioner__name"),
    ),
    "devices": (
        Col("code", link=True),
        Col("system", "system__name"),
        Col("kind"),
        Col("location"),
        Col("video"),
        Col("product", "product__model_number"),
    ),
    "practitioners": (
        Col("name", link=True),
        Col("uscc"),
        Col("home_province"),
        Col("division", "division__code"),
        Col("filed"),
        Col("filing_number"),
        Col("on_warning_list"),
    ),
    "certificates": (
        Col("number", link=True),
        Col("practitioner", "practitioner__name"),
        Col("level"),
        Col("issuing_organ", "issuing_organ__name"),
        Col("valid_from"),
        Col("valid_until"),
    ),
    "personnel": (
        Col("name", link=True),
        Col("practitioner", "practitioner__name"),
        Col("role"),
        Col("trained"),
    ),
    "orders": (
        Col("finding", link=True),
        Col("unit", "unit__name"),
        Col("subject"),
        Col("served"),
        Col("deadline"),
        Col("corrected"),
        Col("issued_by", "issued_by__name"),
    ),
    "acts": (
        Col("code", link=True),
        Col("unit", "unit__name"),
        Col("by"),
        Col("occurred"),
        Col("serious"),
        Col("illegal_income"),
    ),
    "assessments": (
        Col("as_of", link=True),
        Col("unit", "unit__name"),
        Col("regime_id"),
        Col("key_unit"),
        Col("findings_count"),
        Col("created_at"),
    ),
    "findings": (
        Col("code", link=True),
        Col("assessment", "assessment__as_of"),
        Col("division_code"),
        Col("subject"),
        Col("article"),
        Col("due_now"),
    ),
    "sweeps": (
        Col("as_of", link=True),
        Col("division", "division__code"),
        Col("started_at"),
        Col("finished_at"),
        Col("units"),
        Col("findings"),
    ),
    "complaints": (
        Col("tracking_code", link=True),
        Col("division", "division__code"),
        Col("about"),
        Col("subject_name"),
        Col("status"),
        Col("submitted_at"),
    ),
}


@dataclass(frozen=True)
class Column:
    field: models.Field
    label: str
    sort: str | None  # the order_by path, None when it does not sort
    link: bool


def label_of(f: models.Field) -> str:
    """A field's Chinese label: its verbose name, or for a reference left unnamed (which
    Django names in English) the registry it refers to."""
    text = str(f.verbose_name)
    if f.is_relation and re.search(r"[A-Za-z]", text):
        return str(f.related_model._meta.verbose_name)
    return text


_UNSORTABLE = (models.JSONField, models.TextField, models.ManyToManyField)


def columns_for(model: type[models.Model], slug: str) -> list[Column]:
    """The listed columns of a registry: its table above, else its first few plain fields."""
    cols = TABLES.get(slug)
    if cols is None:
        plain = [
            f
            for f in model._meta.concrete_fields
            if f.name not in ("id", "created_at", "updated_at")
            and not isinstance(f, models.JSONField | models.TextField)
        ][:5]
        cols = tuple(Col(f.name, link=i == 0 and not f.is_relation) for i, f in enumerate(plain))
    out = []
    for col in cols:
        f = model._meta.get_field(col.name)
        sort = None if col.sort is None or isinstance(f, _UNSORTABLE) else col.sort or f.name
        out.append(Column(f, label_of(f), sort, col.link))
    if out and not any(c.link for c in out):
        first = next((i for i, c in enumerate(out) if not c.field.is_relation), None)
        if first is not None:
            out[first] = dataclasses.replace(out[first], link=True)
    return out


def references(cols: Iterable[Column]) -> list[Column]:
    """The columns that name one row of another registry."""
    return [c for c in cols if c.field.many_to_one or c.field.one_to_one]


def select_paths(cols: Iterable[Column]) -> list[str]:
    """The select_related paths that read the rows the columns name along with the list."""
    paths = []
    for c in references(cols):
        paths.append(c.field.name)
        # str() of these rows reads a row of their own
        if c.field.related_model._meta.label_lower == "compliance.assessment":
            paths.append(f"{c.field.name}__unit")
    return paths
