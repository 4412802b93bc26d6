"""Writes of live compliance: assess a unit, sweep a jurisdiction.

A unit's assessment is stored whole and logged in the audit log with the regime and data
version it used. A sweep runs the batch engine (`jifang.law.batch`) over the registries read
in bulk (`columns`), writes assessments and findings in bulk, the dashboard's figures per
division (`SweepRun.areas`), and one audit entry for the run (see `sweep`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from importlib import resources
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from jifang import law
from jifang.platform.auditlog.services import append as audit_append
from jifang.platform.auditlog.services import log_event
from jifang.platform.geo.models import Division
from jifang.platform.units.models import Unit

from .facts import build_case, units_for_cases
from .models import Assessment, AssessmentFinding, SweepRun

CHUNK = 200_000  # units per slice of a sweep


@cache
def regime_version(regime_id: str) -> str:
    """SHA-256 of the regime data file: which encoding of the law an answer used."""
    data = (resources.files("jifang.law") / "regimes" / f"{regime_id}.yaml").read_bytes()
    return hashlib.sha256(data).hexdigest()


def data_version(case: dict[str, Any]) -> str:
    text = json.dumps(case, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _key_unit(result: dict[str, Any]) -> bool | None:
    statuses = [o["status"] for o in result["obligations"] if o["code"] == "INSTALL"]
    if any(s in {"met", "violated"} for s in statuses):
        return True
    return None if "insufficient_facts" in statuses else False


def _new_assessment(
    unit: Unit, as_of: dt.date, sweep: SweepRun | None, explain: bool
) -> tuple[Assessment, list[AssessmentFinding]]:
    case = build_case(unit, as_of)
    result = law.assess(case, explain=explain)
    regime_id = result["regime"]["id"]
    assessment = Assessment(
        unit=unit,
        as_of=as_of,
        regime_id=regime_id,
        regime_version=regime_version(regime_id),
        data_version=data_version(case),
        key_unit=_key_unit(result),
        findings_count=len(result["findings"]),
        result=result,
        sweep=sweep,
    )
    rows = [
        AssessmentFinding(
            division_code=unit.division.code,
            code=f["code"],
            subject=f["subject"],
            article=f["basis"]["article"],
            due_now=bool(f["penalty"] and f["penalty"]["due_now"]),
        )
        for f in result["findings"]
    ]
    return assessment, rows


def _log(assessment: Assessment) -> None:
    audit_append(
        "assess",
        "compliance.assessment",
        str(assessment.pk),
        str(assessment.unit),
        None,
        {
            "unit": assessment.unit_id,
            "as_of": assessment.as_of.isoformat(),
            "regime_id": assessment.regime_id,
            "regime_version": assessment.regime_version,
            "data_version": assessment.data_version,
            "findings": sorted(r["code"] for r in assessment.result["findings"]),
        },
    )


def assess_unit(unit: Unit, as_of: dt.date | None = None, explain: bool = False) -> Assessment:
    """Assess one unit on a date (default today), store the answer and log it."""
    as_of = as_of or timezone.localdate()
    unit = units_for_cases(Unit.objects.filter(pk=unit.pk)).get()
    with transaction.atomic():
        assessment, rows = _new_assessment(unit, as_of, None, explain)
        assessment.save()
        for row in rows:
            row.assessment = assessment
        AssessmentFinding.objects.bulk_create(rows)
        _log(assessment)
    return assessment


def sweep(division: Division, as_of: dt.date | None = None, chunk: int = CHUNK) -> SweepRun:
    """Assess every unit under `division` on `as_of` with the batch engine; store the results,
    the counts and the dashboard's figures.

    Units are read by slices of `chunk` (by id), each slice's tables in one query each, and
    each slice is written in bulk in its own transaction (COPY on PostgreSQL), so a province
    is swept without holding it in memory or in one transaction. Assessments of a sweep store
    the counts and the finding rows, not the whole answer (`Assessment.result` recomputes it
    when read). A sweep is the engine's output, not a registry write: it appends ONE
    ``sweep`` entry to the audit log, with the counts and the SHA-256 of the results.
    """
    from . import bulk
    from .columns import Reader, unit_ids

    as_of = as_of or timezone.localdate()
    with transaction.atomic():
        run = SweepRun.objects.create(division=division, as_of=as_of)
    reader = Reader(division.prefix, as_of)
    tally = bulk.Tally()
    ids = unit_ids(division.prefix)
    bounds = [
        (int(ids[start - 1]) if start else 0, int(ids[min(start + chunk, ids.len()) - 1]))
        for start in range(0, ids.len(), chunk)
    ]
    for piece in _slices(reader, bounds):
        with transaction.atomic():
            bulk.store(run, piece, tally)
            for pk in piece.single:
                _sweep_one(run, pk, as_of, tally)
    with transaction.atomic():
        tally.finish(run)
        log_event(
            "sweep",
            model="compliance.sweeprun",
            object_pk=run.pk,
            object_repr=f"{division} {as_of.isoformat()}",
            after=tally.record(run),
        )
    if connection.vendor == "postgresql":  # a million new rows: let the planner know
        with connection.cursor() as cursor:
            cursor.execute(
                f"ANALYZE {Assessment._meta.db_table}, {AssessmentFinding._meta.db_table}"
            )
    return run


def _slices(reader, bounds: list[tuple[int, int]]):
    """The slices, each read while the one before is assessed and written (on PostgreSQL
    outside a transaction; otherwise one after the other, on this connection)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        for low, high in bounds:
            yield reader.read(low, high)
        return

    def read_apart(low: int, high: int):
        try:
            return reader.read(low, high)
        finally:
            connection.close()  # this thread's own

    with ThreadPoolExecutor(max_workers=1) as pool:
        ahead = [pool.submit(read_apart, *b) for b in bounds[:1]]
        for i in range(len(bounds)):
            piece = ahead.pop().result()
            if i + 1 < len(bounds):
                ahead.append(pool.submit(read_apart, *bounds[i + 1]))
            yield piece


def _sweep_one(run: SweepRun, pk: int, as_of: dt.date, tally) -> None:
    """A unit the columns cannot hold as the case file would: the single-unit engine."""
    unit = units_for_cases(Unit.objects.filter(pk=pk)).get()
    try:
        assessment, rows = _new_assessment(unit, as_of, run, explain=False)
    except law.LawError as exc:
        tally.errors.append(
            {"unit": unit.pk, "name": unit.name, "error": [p.as_dict() for p in exc.problems]}
        )
        return
    assessment.save()
    for row in rows:
        row.assessment = assessment
    AssessmentFinding.objects.bulk_create(rows)
    tally.add_single(unit, assessment, rows)
