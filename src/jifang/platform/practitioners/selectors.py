"""Reads of the practitioner registry: what the public may look up."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Practitioner


def filed_practitioners() -> QuerySet[Practitioner]:
    """已备案的从业单位 (the public list)."""
    return Practitioner.objects.filter(filed=True, on_warning_list=False).order_by("name")


def warning_list() -> QuerySet[Practitioner]:
    """列入警示公告名录的从业单位."""
    return Practitioner.objects.filter(on_warning_list=True).order_by("name")
