"""Reads of divisions and police organs."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Division, PoliceOrgan


def divisions_under(division: Division) -> QuerySet[Division]:
    return Division.objects.filter(code__startswith=division.prefix).order_by("code")


def organ_for(division: Division) -> PoliceOrgan | None:
    """The police organ of a division, or of the nearest division above it that has one."""
    current: Division | None = division
    while current is not None:
        organ = current.police_organs.order_by("pk").first()
        if organ is not None:
            return organ
        current = current.parent
    return None
