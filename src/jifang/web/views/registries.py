"""The registry pages (see jifang.web.registries): a registry's list, a row's page, and the
export of the listed rows as CSV or XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from jifang.platform.core.catalog import model_for
from jifang.web.access import get_scoped_or_404
from jifang.web.registries import detail
from jifang.web.registries.columns import columns_for
from jifang.web.registries.export import BAD_FORMAT, FORMATS, export_response
from jifang.web.registries.listing import (
    CURSORS,
    PAGE_SIZE,
    chips,
    headers,
    keyset_links,
    keyset_page,
    listing,
    ordered,
    ordering,
    query,
)
from jifang.web.registries.values import Lens, name_of, table_rows


def _model(slug: str) -> type[models.Model]:
    model = model_for(slug)
    if model is None:
        raise Http404
    return model


def _bad_request(lines: list[str]) -> HttpResponse:
    return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")


@login_required
def registry_list(request: HttpRequest, registry: str) -> HttpResponse:
    model = _model(registry)
    cols = columns_for(model, registry)
    found = listing(request, registry, model, "view")
    sort, order_by = ordering(model, cols, request.GET.get("sort", ""))
    params = request.GET
    paginator = Paginator(ordered(found.rows, cols, order_by), PAGE_SIZE)
    page = keyset_page(paginator, params)
    if page is None:
        page = paginator.get_page(params.get("page"))
    before, after = keyset_links(page)
    filtered = query(params, drop=["page", "sort", *CURSORS])
    context = {
        "slug": registry,
        "title": str(model._meta.verbose_name_plural),
        "listing": found,
        "chips": chips(request, model, found),
        "sort": sort,
        "headers": headers(request, cols, sort),
        "rows": table_rows(list(page.object_list), cols, Lens(request.user)),
        "page": page,
        "previous_url": request.path + query(params, page=page.previous_page_number(), **before)
        if page.has_previous()
        else "",
        "next_url": request.path + query(params, page=page.next_page_number(), **after)
        if page.has_next()
        else "",
        "exports": [
            (fmt.upper(), reverse("web:registry-export", args=[registry, fmt]) + filtered)
            for fmt in FORMATS
        ],
        "reset_url": request.path,
    }
    partial = request.headers.get("HX-Request") == "true" and (
        request.headers.get("HX-Target") == "registry"
    )
    template = "web/registry_table.html" if partial else "web/registry_list.html"
    response = render(request, template, context)
    if partial:  # the address bar shows the filters without the form's blank fields
        response["HX-Push-Url"] = request.path + query(params)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
def registry_detail(request: HttpRequest, registry: str, pk: int) -> HttpResponse:
    model = _model(registry)
    obj = get_scoped_or_404(request, model, pk, "view")
    lens = Lens(request.user)
    context = {
        "slug": registry,
        "title": str(model._meta.verbose_name_plural),
        "heading": name_of(obj),
        "obj": obj,
        "fields": detail.fields(obj, lens),
        "badges": detail.badges(request, obj),
        "links": detail.links(obj),
        "related": detail.related(request, obj, lens),
        "list_url": reverse("web:registry-list", args=[registry]),
    }
    return render(request, "web/registry_detail.html", context)


@login_required
def registry_export(request: HttpRequest, registry: str, fmt: str) -> HttpResponse:
    model = _model(registry)
    if fmt not in FORMATS:
        return _bad_request([BAD_FORMAT])
    found = listing(request, registry, model, "export")
    if found.problems:
        return _bad_request(found.problems)
    return export_response(request, registry, found.rows, fmt)
