"""Reads of live compliance."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from jifang.platform.units.models import Unit

from .models import Assessment, AssessmentFinding, SweepRun


def latest_assessment(unit: Unit) -> Assessment | None:
    return unit.assessments.order_by("-as_of", "-id").first()


def findings_by_code(run: SweepRun) -> QuerySet:
    """Counts of a sweep's findings by code and division (for tables and charts)."""
    return (
        AssessmentFinding.objects.filter(assessment__sweep=run)
        .values("code", "division_code")
        .annotate(n=Count("id"))
        .order_by("code", "division_code")
    )
