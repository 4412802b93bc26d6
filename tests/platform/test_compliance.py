"""Live compliance: registry records become case files, assessments are stored and logged,
and a sweep counts findings by code and division."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from jifang import law
from jifang.platform.compliance.facts import build_case, units_for_cases
from jifang.platform.compliance.models import Assessment, AssessmentFinding, RectificationOrder
from jifang.platform.compliance.services import assess_unit, regime_version, sweep
from jifang.platform.core.validators import validate_uscc
from jifang.platform.units.models import Place, Unit

from . import factories as f

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 6, 1)


def test_uscc_checksum() -> None:
    validate_uscc(f.uscc())
    validate_uscc("91350100M000100Y43")  # a published example
    for bad in ("91350100M000100Y44", "9135010OM000100Y43", "123"):
        with pytest.raises(ValidationError):
            validate_uscc(bad)


def test_a_registered_unit_becomes_a_valid_case_file() -> None:
    div = f.guangzhou()["tianhe"]
    unit = f.bank(div, practitioner=f.practitioner())
    case = build_case(units_for_cases(Unit.objects.filter(pk=unit.pk)).get(), DAY)
    parsed = law.parse_assess(case)
    assert parsed.division == "440106"
    place = unit.places.get()
    system = unit.systems.get()
    assert parsed.unit.places[0].id == f"p{place.pk}"
    assert parsed.unit.systems[0].places == [f"p{place.pk}"]
    assert parsed.practitioners[0].qualification_level == 2
    assert law.assess(case)["findings"] == []
    assert system.devices.count() == 1


def test_assessment_is_stored_with_regime_and_data_version() -> None:
    div = f.guangzhou()["tianhe"]
    unit = f.bank(div, retention=20)
    assessment = assess_unit(unit, DAY)
    assert assessment.regime_id == "guangdong-2017"
    assert assessment.regime_version == regime_version("guangdong-2017")
    assert len(assessment.data_version) == 64
    assert assessment.key_unit is True
    assert [r.code for r in assessment.finding_rows.all()] == ["RETENTION_SHORT"]
    assert assessment.result["findings"][0]["basis"] == {"article": 20, "paragraph": 1}
    again = assess_unit(unit, DAY)
    assert again.data_version == assessment.data_version  # same facts, same version


@pytest.mark.django_db(transaction=True)  # the log is sequenced when the transaction commits
def test_every_assessment_is_in_the_audit_log() -> None:
    from jifang.platform.auditlog.models import LogEntry

    unit = f.bank(f.guangzhou()["tianhe"])
    assessment = assess_unit(unit, DAY)
    entry = LogEntry.objects.filter(action="assess").get()
    assert entry.object_pk == str(assessment.pk)
    assert entry.after_data["data_version"] == assessment.data_version


def test_orders_on_record_make_fines_due() -> None:
    unit = f.bank(f.guangzhou()["tianhe"], retention=20)
    system = unit.systems.get()
    first = assess_unit(unit, DAY)
    assert first.result["findings"][0]["penalty"]["due_now"] is False
    with transaction.atomic():
        RectificationOrder.objects.create(
            unit=unit,
            finding="RETENTION_SHORT",
            subject=f"s{system.pk}",
            served=dt.date(2024, 1, 1),
            deadline=dt.date(2024, 2, 1),
        )
    second = assess_unit(unit, DAY)
    assert second.result["findings"][0]["penalty"]["due_now"] is True
    assert second.data_version != first.data_version


def test_sweep_counts_by_finding_and_division() -> None:
    divs = f.guangzhou()
    f.bank(divs["tianhe"])
    f.bank(divs["tianhe"], retention=10)
    f.bank(divs["yuexiu"], with_system=False)
    run = sweep(divs["city"], DAY)
    assert run.units == 3
    assert run.by_finding == {"INSTALL_REQUIRED_MISSING": 1, "RETENTION_SHORT": 1}
    assert run.by_division == {
        "440104": {"INSTALL_REQUIRED_MISSING": 1},
        "440106": {"RETENTION_SHORT": 1},
    }
    assert Assessment.objects.filter(sweep=run).count() == 3
    assert AssessmentFinding.objects.filter(assessment__sweep=run).count() == 2
    assert run.finished_at is not None


def test_sweep_reports_units_no_regime_covers() -> None:
    beijing = f.division("110101", "东城区")
    with transaction.atomic():
        unit = Unit.objects.create(name="某单位", uscc=f.uscc("110101"), division=beijing)
        Place.objects.create(unit=unit, name="大厅", categories=["hotel"])
    run = sweep(beijing, DAY)
    assert run.units == 0
    assert run.errors[0]["unit"] == unit.pk
    assert run.errors[0]["error"][0]["field"] == "division"


def test_cli_assess_unit_and_sweep(capsys) -> None:
    from jifang.cli import main

    divs = f.guangzhou()
    unit = f.bank(divs["tianhe"], retention=5)
    assert main(["assess-unit", unit.uscc, "--as-of", "2024-06-01", "--format", "text"]) == 0
    assert "采获信息留存时间不足" in capsys.readouterr().out
    assert main(["sweep", "440100", "--as-of", "2024-06-01"]) == 0
    assert "RETENTION_SHORT" in capsys.readouterr().out
    assert main(["sweep", "999999"]) == 2
