"""The sweep with the batch engine: the registries read in bulk give each unit the case file
build_case gives; the stored findings, key units and counts are the single-unit engine's;
one audit entry records the run; the dashboard's figures per division add up."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction

from jifang import law
from jifang.law import batch
from jifang.platform.compliance.columns import Reader
from jifang.platform.compliance.facts import build_case, units_for_cases
from jifang.platform.compliance.models import Assessment, AssessmentFinding
from jifang.platform.compliance.services import _key_unit, sweep
from jifang.platform.geo.models import Division
from jifang.platform.synth.generate import Params
from jifang.platform.units.models import Place, Unit

from . import factories as f

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 6, 1)


@pytest.fixture
def province(django_capture_on_commit_callbacks) -> Division:
    """A small synthetic province (every kind of unit and breach) and a hand-made oddity."""
    from jifang.platform.auditlog.context import acting_as
    from jifang.platform.synth.database import Loader

    with acting_as("test:sweep"), django_capture_on_commit_callbacks(execute=True):
        Loader().load(Params(units=300, seed=31), reset=True)
    return Division.objects.get(level="province")


def _parsed(case: dict) -> dict:
    """A case as the engine reads it (absent and null are the same), regime left out."""
    return law.parse_assess({**case, "regime": None}).model_dump(exclude={"regime"})


def test_bulk_read_gives_each_unit_its_case_file(province) -> None:
    piece = Reader(province.prefix, DAY).read(0, 2**62)
    assert not piece.errors and not piece.single
    cases = batch.frames_to_cases(piece.frames)
    units = units_for_cases(Unit.objects.filter(pk__in=list(cases)))
    assert len(cases) == Unit.objects.count() == 300
    for unit in units:
        assert _parsed(cases[unit.pk]) == _parsed(build_case(unit, DAY)), unit.pk


def _single(unit: Unit) -> tuple[Counter, bool | None]:
    result = law.assess(build_case(unit, DAY))
    found = Counter(
        (
            x["code"],
            x["subject"],
            x["basis"]["article"],
            bool(x["penalty"] and x["penalty"]["due_now"]),
        )
        for x in result["findings"]
    )
    return found, _key_unit(result)


def test_a_sweep_stores_what_the_single_unit_engine_finds(province) -> None:
    run = sweep(province, DAY)
    assert run.units == 300 and not run.errors
    assessments = {a.unit_id: a for a in Assessment.objects.filter(sweep=run)}
    rows: dict[int, Counter] = {}
    for r in AssessmentFinding.objects.filter(assessment__sweep=run).select_related("assessment"):
        key = (r.code, r.subject, r.article, r.due_now)
        rows.setdefault(r.assessment.unit_id, Counter())[key] += 1
    seen = Counter()
    for unit in units_for_cases(Unit.objects.all()):
        found, key_unit = _single(unit)
        a = assessments[unit.pk]
        assert rows.get(unit.pk, Counter()) == found, unit.pk
        assert a.findings_count == sum(found.values())
        assert a.key_unit == key_unit, unit.pk
        assert a.regime_id == "guangdong-2017"
        assert rows.get(unit.pk, Counter()) == found
        seen.update(code for code, *_ in found.elements())
        assert all(r.division_code == unit.division.code for r in a.finding_rows.all())
    assert run.by_finding == dict(sorted(seen.items()))
    assert len(seen) >= 10  # the synthetic province breaks most rules


def test_a_swept_assessment_answers_in_full_when_read(province) -> None:
    run = sweep(province, DAY)
    assessment = Assessment.objects.filter(sweep=run, findings_count__gt=0).first()
    assert assessment.stored is False
    unit = units_for_cases(Unit.objects.filter(pk=assessment.unit_id)).get()
    assert assessment.result == law.assess(build_case(unit, DAY))
    assert len(assessment.result["findings"]) == assessment.findings_count


def test_the_figures_per_division_add_up(province) -> None:
    run = sweep(province, DAY)
    areas = list(run.areas.values())
    assert sum(a["units"] for a in areas) == sum(a["assessed"] for a in areas) == 300
    assert sum(a["findings"] for a in areas) == run.findings
    assert sum(a["places"] for a in areas) == Place.objects.count()
    key_units = Assessment.objects.filter(sweep=run, key_unit=True).count()
    assert sum(a["key_units"] for a in areas) == key_units
    compliant = Assessment.objects.filter(sweep=run, findings_count=0).count()
    assert sum(a["compliant"] for a in areas) == compliant
    by_code = Counter()
    for a in areas:
        for code, (n, _units) in a["by_finding"].items():
            by_code[code] += n
    assert dict(by_code) == run.by_finding
    hotels = Unit.objects.filter(places__categories__icontains='"hotel"').distinct().count()
    assert sum(a["by_category"].get("hotel", 0) for a in areas) == hotels > 0


@pytest.mark.django_db(transaction=True)
def test_a_sweep_is_one_audit_entry() -> None:
    from jifang.platform.auditlog.models import LogEntry

    divs = f.guangzhou()
    f.bank(divs["tianhe"], retention=10)
    f.bank(divs["yuexiu"], with_system=False)
    before = LogEntry.objects.count()
    run = sweep(divs["city"], DAY)
    entries = list(LogEntry.objects.order_by("seq")[before:])
    assert [e.action for e in entries] == ["sweep"]
    assert entries[0].after_data["units"] == run.units == 2
    assert entries[0].after_data["by_finding"] == run.by_finding
    assert len(entries[0].after_data["results_sha256"]) == 64


def test_a_system_covering_another_units_place_goes_the_single_unit_way() -> None:
    divs = f.guangzhou()
    first = f.bank(divs["tianhe"])
    second = f.bank(divs["tianhe"], retention=10)
    with transaction.atomic():
        second.systems.get().places.add(first.places.get())
    piece = Reader("4401", DAY).read(0, 2**62)
    assert piece.single == [second.pk]
    run = sweep(divs["city"], DAY)
    # the single-unit engine refuses that case file (a place not of the unit), as before
    with pytest.raises(law.LawError):
        law.assess(build_case(units_for_cases(Unit.objects.filter(pk=second.pk)).get(), DAY))
    assert run.units == 1
    assert [e["unit"] for e in run.errors] == [second.pk]
    assert Assessment.objects.get(sweep=run).unit == first


def test_slices_give_the_same_sweep_as_one(province) -> None:
    whole = sweep(province, DAY)
    sliced = sweep(province, DAY, chunk=37)
    assert sliced.by_finding == whole.by_finding
    assert sliced.by_division == whole.by_division
    assert sliced.areas == whole.areas


@pytest.mark.django_db(transaction=True)
def test_the_bulk_read_is_the_same_inside_a_transaction_and_outside() -> None:
    """Outside a transaction PostgreSQL is read through ADBC on connections of its own, side
    by side; inside, through Django's connection (COPY as text): the same frames."""
    divs = f.guangzhou()
    f.bank(divs["tianhe"], retention=10)
    f.bank(divs["yuexiu"], with_system=False)
    outside = Reader("4401", DAY).read(0, 2**62)
    with transaction.atomic():
        inside = Reader("4401", DAY).read(0, 2**62)
    assert outside.frames.units.height == 2 and outside.frames.devices.height > 0
    for name, frame in inside.frames.tables().items():
        assert outside.frames.tables()[name].equals(frame), name
    assert outside.counts.sort("unit").equals(inside.counts.sort("unit"))
