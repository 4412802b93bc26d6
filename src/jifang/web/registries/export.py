"""The file of a registry's listed rows, as CSV or XLSX, for the pages and the API
(`GET /api/<slug>/export/`) alike, so that both export the same columns: a registry that can be
imported is exported with its import headers (a file that can be edited and imported back);
the engine's records (assessments, findings, sweeps), which cannot be imported, as a plain
table of the listed columns."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from jifang.platform.auditlog.services import log_event
from jifang.platform.core.importexport import export_file, get_registry
from jifang.platform.core.importexport.tables import write_csv, write_xlsx

from .columns import columns_for
from .listing import ordered
from .values import Lens, plain_rows

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BAD_FORMAT = "导出格式：应为 csv 或 xlsx / format: must be csv or xlsx"
_BATCH = 2000  # rows read, and asked of the lens, at a time


def export_table(slug: str, rows: QuerySet, lens: Lens) -> tuple[list[str], Iterator[list[Any]]]:
    """The plain table of a registry that cannot be imported: its row number and the listed
    columns, values as `plain` gives them."""
    cols = columns_for(rows.model, slug)

    def data() -> Iterator[list[Any]]:
        batch: list[models.Model] = []
        for obj in ordered(rows, cols).iterator(chunk_size=_BATCH):
            batch.append(obj)
            if len(batch) == _BATCH:
                yield from plain_rows(batch, cols, lens)
                batch = []
        yield from plain_rows(batch, cols, lens)

    return ["编号", *(c.label for c in cols)], data()


def export_response(request: HttpRequest, slug: str, rows: QuerySet, fmt: str) -> HttpResponse:
    """The file of `rows` (already scoped for "export" and filtered), logged in the audit log.
    A registry with an import declaration is written with its import headers."""
    model = rows.model
    reg = get_registry(slug)
    user = request.user
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"export.{fmt}"
        if reg is not None and reg.model is model:
            count = export_file(reg, path, fmt=fmt, queryset=rows)
        else:
            headers, data = export_table(slug, rows, Lens(user))
            title = str(model._meta.verbose_name_plural)
            if fmt == "csv":
                count = write_csv(path, headers, data)
            else:
                count = write_xlsx(path, headers, data, title=title)
        content = path.read_bytes()
    log_event(
        "export",
        model=model._meta.label_lower,
        object_repr=f"{model._meta.verbose_name_plural} {count} 行",
        after={"format": fmt, "rows": count, "query": request.GET.urlencode()},
        actor=f"user:{user.get_username()}",
    )
    stamp = timezone.localdate().isoformat()
    name = f"{model._meta.verbose_name_plural}-{stamp}.{fmt}"
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f"attachment; filename=\"{slug}-{stamp}.{fmt}\"; filename*=UTF-8''{quote(name)}"
    )
    return response
