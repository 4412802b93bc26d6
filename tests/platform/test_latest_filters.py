"""The findings filter `latest` (仅各单位最近一次评估): exactly the findings of each unit's latest
assessment, the one `selectors.latest_assessments` picks (the greatest date, then the greatest
id), whatever order the assessments were made in; newest first."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import transaction

from jifang.platform.compliance.filtersets import AssessmentFindingFilterSet
from jifang.platform.compliance.models import Assessment, AssessmentFinding
from jifang.platform.compliance.selectors import latest_assessments, of_latest
from jifang.platform.units.models import Unit
from tests.platform import factories as f

pytestmark = pytest.mark.django_db

DAYS = [dt.date(2024, 1, 1), dt.date(2024, 6, 1), dt.date(2024, 9, 1)]


def _assess(unit: Unit, as_of: dt.date, codes: list[str]) -> Assessment:
    assessment = Assessment.objects.create(
        unit=unit,
        as_of=as_of,
        regime_id="guangdong-2017",
        regime_version="v",
        data_version="",
        findings_count=len(codes),
    )
    AssessmentFinding.objects.bulk_create(
        AssessmentFinding(
            assessment=assessment,
            division_code=unit.division.code,
            code=code,
            subject="unit",
            article=9,
        )
        for code in codes
    )
    return assessment


def _units(count: int) -> list[Unit]:
    tianhe = f.guangzhou()["tianhe"]
    return [
        Unit.objects.create(name=f"个人{i}", kind="individual", division=tianhe)
        for i in range(count)
    ]


def _reference() -> list[int]:
    """The findings of the latest assessment of every unit, by the dashboard's selector."""
    latest = latest_assessments(Unit.objects.all())
    return sorted(
        AssessmentFinding.objects.filter(assessment__in=latest).values_list("pk", flat=True)
    )


def _filtered(data: dict) -> list[int]:
    fs = AssessmentFindingFilterSet(data=data, queryset=AssessmentFinding.objects.all())
    assert fs.is_valid(), fs.errors
    return list(fs.qs.values_list("pk", flat=True))


def test_the_latest_by_date_then_by_id_whatever_the_order_made() -> None:
    with transaction.atomic():
        dated, tied, single, fixed = _units(4)
        newer = _assess(dated, DAYS[1], ["RETENTION_SHORT"])
        _assess(dated, DAYS[0], ["SIGNAGE_MISSING"])  # made later, but of an earlier date
        _assess(tied, DAYS[1], ["SIGNAGE_MISSING"])
        second = _assess(tied, DAYS[1], ["USER_DUTIES_UNMET", "RETENTION_SHORT"])  # same date
        only = _assess(single, DAYS[0], ["ACCEPTANCE_MISSING"])
        _assess(fixed, DAYS[0], ["RETENTION_SHORT"])
        _assess(fixed, DAYS[1], [])  # corrected since: no open finding
    expected = sorted(
        AssessmentFinding.objects.filter(assessment__in=[newer, second, only]).values_list(
            "pk", flat=True
        )
    )
    assert len(expected) == 4 and _reference() == expected
    got = _filtered({"latest": "true"})
    assert got == sorted(expected, reverse=True)  # newest first
    assert sorted(_filtered({"latest": "false"})) == sorted(
        AssessmentFinding.objects.values_list("pk", flat=True)
    )
    # with the other filters, the same rows narrowed
    assert _filtered({"latest": "true", "code": "RETENTION_SHORT"}) == sorted(
        AssessmentFinding.objects.filter(pk__in=expected, code="RETENTION_SHORT").values_list(
            "pk", flat=True
        ),
        reverse=True,
    )


def test_random_histories_equal_the_selector() -> None:
    rng = random.Random(5)
    codes = ["RETENTION_SHORT", "SIGNAGE_MISSING", "USER_DUTIES_UNMET"]
    with transaction.atomic():
        units = _units(12)
        for _ in range(40):
            unit = rng.choice(units)
            _assess(unit, rng.choice(DAYS), rng.sample(codes, rng.randint(0, 2)))
    expected = _reference()
    assert expected  # the history leaves open findings
    assert sorted(_filtered({"latest": "true"})) == expected
    assert sorted(of_latest(AssessmentFinding.objects.all()).values_list("pk", flat=True)) == (
        expected
    )
    # a unit's next assessment closes its earlier findings
    with transaction.atomic():
        unit = Unit.objects.get(pk=AssessmentFinding.objects.get(pk=expected[0]).assessment.unit_id)
        _assess(unit, DAYS[-1] + dt.timedelta(days=1), [])
    after = _reference()
    assert expected[0] not in after
    assert sorted(_filtered({"latest": "true"})) == after
