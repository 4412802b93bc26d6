"""Writes of live compliance: assess a unit, sweep a jurisdiction. Each in a transaction, each
assessment logged in the audit log with the regime and data version it used."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from functools import cache
from importlib import resources
from typing import Any

from django.db import transaction
from django.utils import timezone

from jifang import law
from jifang.platform.auditlog.services import append as audit_append
from jifang.platform.geo.models import Division
from jifang.platform.units.models import Unit

from .facts import build_case, units_for_cases
from .models import Assessment, AssessmentFinding, SweepRun

CHUNK = 500


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


def sweep(division: Division, as_of: dt.date | None = None) -> SweepRun:
    """Assess every unit under `division` on `as_of`; store results and counts.

    Units are read in chunks with their records prefetched (a fixed number of queries per
    chunk) and written in bulk, one transaction per chunk, so a province can be swept
    without holding it in memory or in one transaction.
    """
    as_of = as_of or timezone.localdate()
    with transaction.atomic():
        run = SweepRun.objects.create(division=division, as_of=as_of)
    by_finding: Counter[str] = Counter()
    by_division: dict[str, Counter[str]] = {}
    errors: list[dict[str, Any]] = []
    units = Unit.objects.filter(division__code__startswith=division.prefix).order_by("pk")
    last_pk, count, findings = 0, 0, 0
    while True:
        chunk = list(units_for_cases(units.filter(pk__gt=last_pk))[:CHUNK])
        if not chunk:
            break
        last_pk = chunk[-1].pk
        with transaction.atomic():
            made: list[tuple[Assessment, list[AssessmentFinding]]] = []
            for unit in chunk:
                try:
                    made.append(_new_assessment(unit, as_of, run, explain=False))
                except law.LawError as exc:
                    errors.append(
                        {
                            "unit": unit.pk,
                            "name": unit.name,
                            "error": [p.as_dict() for p in exc.problems],
                        }
                    )
            Assessment.objects.bulk_create([a for a, _ in made])
            rows = []
            for assessment, finding_rows in made:
                for row in finding_rows:
                    row.assessment = assessment
                    rows.append(row)
                    by_finding[row.code] += 1
                    by_division.setdefault(row.division_code, Counter())[row.code] += 1
                _log(assessment)
            AssessmentFinding.objects.bulk_create(rows)
            count += len(made)
            findings += len(rows)
    with transaction.atomic():
        run.units, run.findings = count, findings
        run.by_finding = dict(sorted(by_finding.items()))
        run.by_division = {k: dict(sorted(v.items())) for k, v in sorted(by_division.items())}
        run.errors = errors
        run.finished_at = timezone.now()
        run.save()
    return run
