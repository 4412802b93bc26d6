"""Reads of live compliance."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from jifang.platform.units.models import Place, Unit

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


# --- aggregates for the dashboard: every figure is one query, whatever the number of units ---


def latest_assessments(units: QuerySet[Unit]) -> QuerySet[Assessment]:
    """The latest assessment of each unit of `units` (units never assessed have none): a
    subquery per unit on the (unit, -as_of) index, never rows loaded into Python."""
    newest = (
        Assessment.objects.filter(unit=OuterRef("pk")).order_by("-as_of", "-id").values("pk")[:1]
    )
    return Assessment.objects.filter(
        pk__in=units.order_by().annotate(latest=Subquery(newest)).values("latest")
    )


def of_latest(findings: QuerySet[AssessmentFinding]) -> QuerySet[AssessmentFinding]:
    """The rows of `findings` that belong to their unit's latest assessment (the one
    `latest_assessments` picks: the greatest as_of, then the greatest id).

    Written as "no newer assessment of the same unit exists", a probe of the (unit, -as_of)
    index for each finding read, so that a page of findings stops after its rows instead of
    first finding the latest assessment of every unit (seconds at a million units)."""
    newer = Assessment.objects.filter(unit=OuterRef("assessment__unit")).filter(
        Q(as_of__gt=OuterRef("assessment__as_of"))
        | Q(as_of=OuterRef("assessment__as_of"), pk__gt=OuterRef("assessment"))
    )
    return findings.filter(~Exists(newer))


def compliance_counts(units: QuerySet[Unit]) -> dict[str, int]:
    """units, assessed (have an assessment), compliant (latest has no finding), key_units
    (the latest assessment found the unit must install)."""
    counts = latest_assessments(units).aggregate(
        assessed=Count("pk"),
        compliant=Count("pk", filter=Q(findings_count=0)),
        key_units=Count("pk", filter=Q(key_unit=True)),
    )
    counts["units"] = units.count()
    return counts


def open_findings(findings: QuerySet[AssessmentFinding], units: QuerySet[Unit]) -> QuerySet:
    """The rows of `findings` that belong to the latest assessment of a unit of `units`."""
    return findings.filter(assessment__in=latest_assessments(units))


def count_findings_by(findings: QuerySet[AssessmentFinding], field: str) -> QuerySet:
    """Findings and distinct units (one latest assessment per unit) grouped by `field`
    (`code` or `division_code`), largest first."""
    return (
        findings.order_by()
        .values(field)
        .annotate(findings=Count("pk"), units=Count("assessment", distinct=True))
        .order_by("-findings", field)
    )


def units_by_category(units: QuerySet[Unit], categories: list[str]) -> dict[str, int]:
    """How many units of `units` have a place of each category: one query with a conditional
    count per category (JSON containment is not portable to SQLite; the code is matched
    inside the JSON text, as UnitFilterSet does)."""
    places = Place.objects.filter(unit__in=units.order_by().values("pk"))
    return places.aggregate(
        **{
            code: Count("unit", distinct=True, filter=Q(categories__icontains=f'"{code}"'))
            for code in categories
        }
    )


# --- the same figures, precomputed by a sweep (SweepRun.areas) ----------------------------


def covering_sweep(prefix: str) -> SweepRun | None:
    """The newest finished sweep whose division contains the area `prefix` (None for the whole
    country, or when no sweep covers the area). A division's prefix is its code's first 2, 4
    or 6 digits, so the candidates are the sweeps of those codes."""
    if not prefix:
        return None
    codes = {prefix[:n].ljust(6, "0") for n in (2, 4, 6) if n <= len(prefix)}
    runs = SweepRun.objects.filter(division__code__in=codes, finished_at__isnull=False)
    for run in runs.select_related("division").order_by("-finished_at", "-pk")[:5]:
        if prefix.startswith(run.division.prefix):
            return run
    return None


def swept_figures(run: SweepRun, prefix: str) -> dict:
    """The sweep's figures summed over the divisions under `prefix`: the same keys as
    compliance_counts, plus places, systems, devices, findings by code and by division
    ({code: [findings, units]}) and units by place category."""
    total = dict.fromkeys(
        ("units", "assessed", "compliant", "key_units", "places", "systems", "devices"), 0
    )
    by_code: dict[str, list[int]] = {}
    by_division: dict[str, list[int]] = {}
    by_category: dict[str, int] = {}
    for division, area in sorted(run.areas.items()):
        if not division.startswith(prefix):
            continue
        for name in total:
            total[name] += area[name]
        for code, (n, units) in area["by_finding"].items():
            pair = by_code.setdefault(code, [0, 0])
            pair[0] += n
            pair[1] += units
        if area["findings"]:
            by_division[division] = [area["findings"], area["assessed"] - area["compliant"]]
        for code, n in area["by_category"].items():
            by_category[code] = by_category.get(code, 0) + n
    return {
        **total,
        "by_code": by_code,
        "by_division": by_division,
        "by_category": by_category,
    }
