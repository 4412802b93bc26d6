"""Registry endpoints and the engine endpoints. Every query goes through `restrict`."""

from __future__ import annotations

from django.apps import apps
from django.http import Http404
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from jifang import law
from jifang.platform.accounts.scope import PATHS, can, restrict
from jifang.platform.auditlog.refusals import note_refusal
from jifang.platform.core.catalog import READ_ONLY

from .serializers import serializer_for

_ACTION = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


class RegistryViewSet(viewsets.ModelViewSet):
    """CRUD of one registry, scoped to the user (out-of-scope rows are 404, never leaked)."""

    model = None
    permission_classes = [permissions.IsAuthenticated]

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        _refuse_huge_numbers({**request.query_params.dict(), **kwargs})

    def get_queryset(self):
        action = _ACTION.get(self.action, "view")
        return restrict(self.model._default_manager.all(), self.request.user, action).order_by("pk")

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            pk = self.kwargs.get(self.lookup_field)
            if str(pk).isdigit() and self.model._default_manager.filter(pk=pk).exists():
                action = _ACTION.get(self.action, "view")
                note_refusal(self.request, action, self.model._meta.label_lower, pk, "out_of_scope")
            raise

    def _check(self, instance, action: str) -> None:
        instance.full_clean()
        if not can(self.request.user, action, instance):
            # ATOMIC_REQUESTS rolls the write back with its audit entry.
            raise PermissionDenied("无权在此范围内进行此操作 / not allowed in your scope")

    def perform_create(self, serializer) -> None:
        self._check(serializer.save(), "add")

    def perform_update(self, serializer) -> None:
        self._check(serializer.save(), "change")


def viewset_for(label: str) -> type[RegistryViewSet]:
    model = apps.get_model(label)
    filterset = _filterset(model)
    attrs = {
        "model": model,
        "serializer_class": serializer_for(model),
        "queryset": model._default_manager.none(),
    }
    if filterset is not None:
        attrs["filterset_class"] = filterset
    if PATHS[label].public:
        attrs["permission_classes"] = [permissions.IsAuthenticatedOrReadOnly]
    if label in READ_ONLY:
        attrs["http_method_names"] = ["get", "head", "options"]
    return type(f"{model.__name__}ViewSet", (RegistryViewSet,), attrs)


def _filterset(model):
    import importlib

    module = importlib.import_module(f"{model.__module__.rsplit('.', 1)[0]}.filtersets")
    return getattr(module, f"{model.__name__}FilterSet", None)


@extend_schema(
    request=OpenApiTypes.OBJECT,
    responses=OpenApiTypes.OBJECT,
    summary="评估案卷 / assess a case file (shared/spec/case-file.md)",
)
@api_view(["POST"])
@permission_classes([permissions.IsAuthenticated])
def assess(request: Request) -> Response:
    return Response(law.assess(request.data, explain=_explain(request)))


@extend_schema(
    request=OpenApiTypes.OBJECT,
    responses=OpenApiTypes.OBJECT,
    summary="调阅审查 / decide a footage-access request",
)
@api_view(["POST"])
@permission_classes([permissions.IsAuthenticated])
def access_check(request: Request) -> Response:
    return Response(law.access_check(request.data, explain=_explain(request)))


_INT64 = 2**63 - 1


def _refuse_huge_numbers(params: dict) -> None:
    """A number no database column can hold is bad input (400), not a server error."""
    problems = {}
    for name, value in params.items():
        try:
            number = float(str(value))
        except ValueError:
            continue
        if number != number or abs(number) > _INT64:  # NaN, infinities, or beyond 64 bits
            problems[name] = ["数值超出范围 / number out of range"]
    if problems:
        raise ValidationError(problems)


def _explain(request: Request) -> bool:
    return request.query_params.get("explain") in {"1", "true"}
