"""Turn a unit's registry records into a case file of the contract, for the law engine.

Subjects are named by kind and primary key: places p12, systems s3, devices d40,
practitioners pr7, acts a5; the unit's own duties are `unit`. Orders name the same subjects.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet

from jifang.platform.practitioners.models import Practitioner
from jifang.platform.systems.models import Product, System
from jifang.platform.units.models import Unit

from .casefile import place_facts

# Everything build_case reads, fetched in a fixed number of queries for any number of units.
CASE_PREFETCH = (
    "places",
    Prefetch(
        "systems",
        queryset=System.objects.prefetch_related(
            "places", "devices__product", "practitioner__certificates"
        ),
    ),
    "orders",
    "acts",
)


def units_for_cases(queryset: QuerySet[Unit]) -> QuerySet[Unit]:
    return queryset.select_related("division").prefetch_related(*CASE_PREFETCH)


def _system_facts(system: System) -> dict[str, Any]:
    products = [d.product for d in system.devices.all() if d.product is not None]
    certified = system.products_certified
    if certified is None and products:
        states = {p.certification for p in products}
        if Product.Certification.UNCERTIFIED in states:
            certified = False
        elif states == {Product.Certification.CERTIFIED}:
            certified = True
    facts = {
        "id": f"s{system.pk}",
        "places": [f"p{p.pk}" for p in system.places.all()],
        "subsystems": list(system.subsystems),
        "in_use": system.status == System.Status.IN_USE,
        "products_certified": certified,
        "devices": [
            {"id": f"d{d.pk}", "location": d.location, "video": d.video, "audio": d.audio}
            for d in system.devices.all()
        ],
    }
    for name in (
        "built_by_government",
        "design_review",
        "built_per_design",
        "built_with_project",
        "acceptance",
        "standards_compliant",
        "network_interface",
        "connected_to_police_platform",
        "police_requested_connection",
        "retention_days",
        "signage",
    ):
        facts[name] = getattr(system, name)
    if system.practitioner_id:
        facts["practitioner"] = f"pr{system.practitioner_id}"
    return {k: v for k, v in facts.items() if v is not None}


def _practitioner_facts(pr: Practitioner, jobs: list[System], as_of: dt.date) -> dict[str, Any]:
    cert = pr.certificate_on(as_of)
    if cert is None:  # none in force: report the latest, so an expiry can be seen
        cert = max(pr.certificates.all(), key=lambda c: c.valid_until, default=None)
    levels = [s.required_level for s in jobs if s.required_level]
    facts = {
        "id": f"pr{pr.pk}",
        "name": pr.name,
        "home_province": pr.home_province,
        "filed": pr.filed,
        "out_of_province_filed": pr.out_of_province_filed,
        "qualification_level": cert.level if cert else None,
        "qualification_valid_until": cert.valid_until if cert else None,
        "required_level": min(levels) if levels else None,  # the strictest job
        "duties": dict(pr.duties),
    }
    return {k: v for k, v in facts.items() if v is not None}


def build_case(unit: Unit, as_of: dt.date) -> dict[str, Any]:
    """The case file of `unit` on `as_of` (use units_for_cases to prefetch in bulk)."""
    systems = list(unit.systems.all())
    jobs: dict[int, list[System]] = {}
    practitioners: dict[int, Practitioner] = {}
    for s in systems:
        if s.practitioner is not None:
            practitioners[s.practitioner_id] = s.practitioner
            jobs.setdefault(s.practitioner_id, []).append(s)
    places = [place_facts(f"p{p.pk}", p) for p in unit.places.all()]
    return {
        "division": unit.division.code,
        "as_of": as_of,
        "unit": {
            "name": unit.name,
            "kind": unit.kind,
            "places": places,
            "systems": [_system_facts(s) for s in systems],
            "duties": dict(unit.duties),
        },
        "practitioners": [
            _practitioner_facts(pr, jobs[pk], as_of) for pk, pr in sorted(practitioners.items())
        ],
        "acts": [
            {
                "id": f"a{a.pk}",
                "code": a.code,
                "by": a.by,
                "serious": a.serious,
                "illegal_income": float(a.illegal_income),
            }
            for a in unit.acts.all()
            if a.occurred <= as_of
        ],
        "orders": [
            {
                "finding": o.finding,
                "subject": o.subject,
                "served": o.served,
                "deadline": o.deadline,
                "corrected": o.corrected,
                "harm": o.harm,
                "serious": o.serious,
            }
            for o in unit.orders.all()
            if o.served <= as_of
        ],
    }
