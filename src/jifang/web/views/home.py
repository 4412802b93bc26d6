"""The front page: each role lands where its work is."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from jifang.web.roles import role_of


def home(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    account = getattr(request.user, "account", None)
    if role in ("officer", "superuser"):
        return redirect("web:dashboard")
    if role in ("unit_admin", "unit_operator"):
        return redirect("web:unit", pk=account.unit_id)
    if role == "practitioner_staff":
        return redirect("web:registry-detail", registry="practitioners", pk=account.practitioner_id)
    return render(request, "web/home.html")
