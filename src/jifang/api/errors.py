"""One error body for every failure: {"error": kind, "problems": [{field, message_zh,
message_en}]}, the same shape the law engine's errors have."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from jifang.law.errors import LawError, NoRegimeError
from jifang.platform.auditlog.refusals import note_refusal

_ZH = {
    exceptions.NotAuthenticated: "需要登录",
    exceptions.AuthenticationFailed: "身份验证失败",
    exceptions.PermissionDenied: "无权进行此操作",
    exceptions.NotFound: "未找到",
    exceptions.MethodNotAllowed: "不支持此方法",
    exceptions.ParseError: "请求体不是有效的 JSON",
    exceptions.Throttled: "请求过于频繁",
}


def _flatten(detail, field: str = "") -> list[dict[str, str]]:
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            name = key if key != "non_field_errors" else "(root)"
            out += _flatten(value, f"{field}.{name}" if field else name)
        return out
    if isinstance(detail, list):
        if all(not isinstance(x, dict | list) for x in detail):
            return [_problem(field or "(root)", str(x)) for x in detail]
        out = []
        for i, value in enumerate(detail):
            out += _flatten(value, f"{field}[{i}]")
        return out
    return [_problem(field or "(root)", str(detail))]


def _problem(field: str, message: str) -> dict[str, str]:
    zh, _, en = message.partition(" / ")
    return {"field": field, "message_zh": zh, "message_en": en or zh}


def handle(exc, context):
    if isinstance(exc, ProtectedError | RestrictedError):
        blockers = sorted({str(obj) for obj in exc.protected_objects if obj is not None})[:10]
        return Response(
            {
                "error": "protected",
                "problems": [
                    {
                        "field": "(request)",
                        "message_zh": f"仍有记录引用此对象，不能删除：{'、'.join(blockers)}",
                        "message_en": f"other records still refer to it: {', '.join(blockers)}",
                    }
                ],
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, LawError):
        code = (
            status.HTTP_422_UNPROCESSABLE_ENTITY
            if isinstance(exc, NoRegimeError)
            else status.HTTP_400_BAD_REQUEST
        )
        return Response(exc.as_dict(), status=code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.PermissionDenied) and context.get("request") is not None:
        view = context.get("view")
        model = getattr(view, "model", None)
        note_refusal(
            context["request"],
            getattr(view, "action", None) or context["request"].method.lower(),
            model._meta.label_lower if model is not None else "",
            (context.get("kwargs") or {}).get("pk", ""),
            "forbidden",
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = {"error": "invalid_input", "problems": _flatten(exc.detail)}
    else:
        zh = next((v for k, v in _ZH.items() if isinstance(exc, k)), "请求失败")
        body = {
            "error": getattr(exc, "default_code", "error"),
            "problems": [{"field": "(request)", "message_zh": zh, "message_en": str(exc.detail)}],
        }
    response.data = body
    return response
