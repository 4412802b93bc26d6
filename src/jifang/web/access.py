"""The pages' one way to fetch a row: scoped by `restrict`, refusals logged, 404 either way
(a row outside the user's scope looks exactly like a row that does not exist)."""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from jifang.platform.accounts.scope import restrict
from jifang.platform.auditlog.refusals import note_refusal


def scoped(request: HttpRequest, model: type[Model], action: str = "view") -> QuerySet:
    return restrict(model._default_manager.all(), request.user, action)


def get_scoped_or_404(
    request: HttpRequest,
    model: type[Model],
    pk,
    action: str = "view",
    queryset: QuerySet | None = None,
) -> Model:
    """The row `pk` if the user may take `action` on it; else 404, noting a refusal when the
    row exists but lies outside the user's scope."""
    rows = restrict(
        queryset if queryset is not None else model._default_manager.all(), request.user, action
    )
    obj = rows.filter(pk=pk).first()
    if obj is not None:
        return obj
    if model._default_manager.filter(pk=pk).exists():
        note_refusal(request, action, model._meta.label_lower, pk, "out_of_scope")
    raise Http404
