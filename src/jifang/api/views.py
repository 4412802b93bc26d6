"""Registry endpoints and the engine endpoints. Every query goes through `restrict`."""

from __future__ import annotations

from django.apps import apps
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from jifang import law
from jifang.platform.accounts.scope import PATHS, can, may_ever, restrict
from jifang.platform.auditlog.refusals import note_refusal
from jifang.platform.core.catalog import READ_ONLY, filterset_for, slug_for
from jifang.web.registries.export import CONTENT_TYPES, FORMATS, export_response
from jifang.web.registries.listing import CURSORS, count_rows, keyset_links, keyset_page

from .serializers import serializer_for

_ACTION = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


class _FileNegotiation(DefaultContentNegotiation):
    """An export answers with a file whatever `format` names (a bad one is a 400 of the
    action, not DRF's 404 for an unknown renderer); its errors are JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class _EstimatingPaginator(Paginator):
    """Counts as a registry list's page does: exact below ESTIMATE_ABOVE rows, above it (on
    PostgreSQL) the planner's estimate, since COUNT(*) over a province reads every row."""

    @cached_property
    def count(self) -> int:
        return count_rows(self.object_list)


class RegistryPagination(PageNumberPagination):
    """Pages of 50 with `count`, and `count_exact` false when the count is an estimate.

    `next` and `previous` carry the id of the row they continue from (`after`, `before`)
    beside the page's number, so that following them reads each page from the index however
    far into the list (`?page=N` alone skips N × 50 rows)."""

    django_paginator_class = _EstimatingPaginator

    def paginate_queryset(self, queryset, request, view=None):
        if self.get_page_size(request):
            self.request = request
            paginator = self.django_paginator_class(queryset, self.get_page_size(request))
            page = keyset_page(paginator, request.query_params)
            if page is not None:
                self.page = page
                return list(page)
        return super().paginate_queryset(queryset, request, view)

    def _with_cursors(self, url: str | None, cursors: dict) -> str | None:
        if url is None:
            return None
        for name, value in cursors.items():
            url = (
                remove_query_param(url, name)
                if value is None
                else replace_query_param(url, name, value)
            )
        return url

    def get_next_link(self) -> str | None:
        return self._with_cursors(super().get_next_link(), keyset_links(self.page)[1])

    def get_previous_link(self) -> str | None:
        return self._with_cursors(super().get_previous_link(), keyset_links(self.page)[0])

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        count = self.page.paginator.count
        response.data["count"] = int(count)
        response.data["count_exact"] = getattr(count, "exact", True)
        return response

    def get_schema_operation_parameters(self, view) -> list[dict]:
        described = {
            "after": "接续的记录编号（下一页链接所带）/ the id the next page continues after",
            "before": "接续的记录编号（上一页链接所带）/ the id the previous page ends before",
        }
        return super().get_schema_operation_parameters(view) + [
            {
                "name": name,
                "required": False,
                "in": "query",
                "description": described[name],
                "schema": {"type": "integer"},
            }
            for name in CURSORS
        ]

    def get_paginated_response_schema(self, schema: dict) -> dict:
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_exact"] = {
            "type": "boolean",
            "description": "false: count 为数据库估计值 / the count is the planner's estimate",
        }
        return schema


class RegistryViewSet(viewsets.ModelViewSet):
    """CRUD of one registry, scoped to the user (out-of-scope rows are 404, never leaked)."""

    model = None
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = RegistryPagination

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        _refuse_huge_numbers({**request.query_params.dict(), **kwargs})

    def get_queryset(self):
        action = _ACTION.get(self.action, "view")
        rows = restrict(self.model._default_manager.all(), self.request.user, action)
        if self.action == "list":  # a page's many-to-many ids (a system's places) at once
            rows = rows.prefetch_related(*(f.name for f in self.model._meta.many_to_many))
        return rows.order_by("pk")

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

    def create(self, request, *args, **kwargs):
        # A role that may not add here is refused before its input is read: a 400 naming a
        # taken key would describe the registry to someone who may not write to it.
        if not may_ever(request.user, "add", self.model):
            raise PermissionDenied("无权在此登记簿中新增 / not allowed to add to this registry")
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer) -> None:
        self._check(serializer.save(), "add")

    def perform_update(self, serializer) -> None:
        # Validate before saving too: a rule that compares with the stored row (a complaint's
        # words stay as submitted) must see the row as it was.
        instance = serializer.instance
        for name, value in serializer.validated_data.items():
            if not instance._meta.get_field(name).many_to_many:
                setattr(instance, name, value)
        instance.full_clean()
        self._check(serializer.save(), "change")

    @extend_schema(
        summary="导出 CSV 或 XLSX / export the rows as CSV or XLSX",
        filters=True,
        description="与列表相同的筛选；仅导出有权导出的记录；可导入的登记簿使用导入所用的列 / "
        "the list's filters; only rows the user may export; importable registries use "
        "their import columns",
        parameters=[
            OpenApiParameter(
                "format", str, enum=list(FORMATS), default="csv", description="文件格式 / format"
            )
        ],
        responses={
            **{(200, CONTENT_TYPES[fmt].split(";")[0]): OpenApiTypes.BINARY for fmt in FORMATS},
            400: OpenApiTypes.OBJECT,
        },
    )
    @action(
        detail=False,
        methods=["get"],
        permission_classes=[permissions.IsAuthenticated],
        renderer_classes=[JSONRenderer],
        content_negotiation_class=_FileNegotiation,
        pagination_class=None,
    )
    def export(self, request: Request, *args, **kwargs):
        fmt = request.query_params.get("format", "csv")
        if fmt not in FORMATS:
            raise ValidationError({"format": ["应为 csv 或 xlsx / must be csv or xlsx"]})
        rows = restrict(self.model._default_manager.all(), request.user, "export")
        return export_response(request, slug_for(self.model), self.filter_queryset(rows), fmt)


def viewset_for(label: str) -> type[RegistryViewSet]:
    model = apps.get_model(label)
    filterset = filterset_for(model)
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
