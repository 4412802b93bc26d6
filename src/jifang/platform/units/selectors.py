"""Reads of the unit registry."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Unit


def units_in(division_prefix: str) -> QuerySet[Unit]:
    """Units of a division and everything below it (44, 4401, 440106)."""
    return Unit.objects.filter(division__code__startswith=division_prefix).select_related(
        "division"
    )


def units_with_category(category: str, division_prefix: str = "") -> QuerySet[Unit]:
    return (
        units_in(division_prefix).filter(places__categories__icontains=f'"{category}"').distinct()
    )
