"""Write a demo plan into the registries, or delete every registry row.

`generate()` writes inside one transaction, object by object (`objects.create`, never
`bulk_create`), so the audit log's signals see every save; `delete_all()` deletes through the
ORM in one transaction too, dependants first.
"""

from __future__ import annotations

import datetime as dt
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass

from jifang import law
from jifang.law.errors import NoRegimeError
from jifang.law.vocabulary import FINDINGS

from . import data as D
from .data import BASE_DATE, DEFAULT_SEED, DEFAULT_UNITS_PER_CITY
from .planner import Plan, certificate_number, plan

# How an order's subject names the object it concerns: the ids of the compliance service's case
# files (compliance/facts.py): p<place id>, s<system id>, d<device id>, pr<practitioner id>,
# a<act id>, or "unit" for the unit's own duties.
SUBJECT_PREFIX = {"place": "p", "system": "s", "device": "d", "practitioner": "pr", "act": "a"}


class DemoDataExists(Exception):
    """The database already holds records the demo would create."""


@dataclass
class Summary:
    seed: int
    units_per_city: int
    seconds: float
    cities: list[dict]  # per city: name, regime, units, compliant, places, systems, devices
    counts: dict[str, int]  # per registry: rows in the database after generation
    findings: dict[str, int]  # planned finding codes across all units
    expected: dict[str, list[str]]  # unit name -> planned finding codes (empty: compliant)

    def render(self) -> str:
        """A short Chinese report: counts per city, per registry and per planned finding."""
        lines = [
            f"演示数据已生成（种子 {self.seed}，每市 {self.units_per_city} 个单位，"
            f"用时 {self.seconds:.1f} 秒；评估基准日 {BASE_DATE.isoformat()}）",
            "",
        ]
        widths = (10, 18, 6, 6, 6, 6, 6, 6)
        head = ("城市", "适用法规", "单位", "合规", "违法", "场所", "系统", "设备")
        lines.append(_row(head, widths))
        for c in self.cities:
            lines.append(
                _row(
                    (
                        c["name"],
                        c["regime"],
                        c["units"],
                        c["compliant"],
                        c["units"] - c["compliant"],
                        c["places"],
                        c["systems"],
                        c["devices"],
                    ),
                    widths,
                )
            )
        lines += ["", "登记数量：" + "，".join(f"{k} {n}" for k, n in self.counts.items())]
        lines += ["", "计划中的违法认定（不合规单位的预期评估结果）："]
        lines += [f"  {FINDINGS[code]}（{code}）：{n}" for code, n in sorted(self.findings.items())]
        return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _row(cells: tuple, widths: tuple[int, ...]) -> str:
    out = []
    for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        text = str(cell)
        pad = " " * max(0, width - _width(text))
        out.append(text + pad if i < 2 else pad + text)
    return "".join(out).rstrip()


def _models():
    from jifang.platform.compliance.models import (
        ActRecord,
        Assessment,
        AssessmentFinding,
        RectificationOrder,
        SweepRun,
    )
    from jifang.platform.geo.models import Division, PoliceOrgan
    from jifang.platform.practitioners.models import (
        Personnel,
        Practitioner,
        QualificationCertificate,
    )
    from jifang.platform.systems.models import Device, Product, System
    from jifang.platform.units.models import Place, ResponsiblePerson, Unit

    return {
        "Division": Division,
        "PoliceOrgan": PoliceOrgan,
        "Practitioner": Practitioner,
        "QualificationCertificate": QualificationCertificate,
        "Personnel": Personnel,
        "Product": Product,
        "Unit": Unit,
        "ResponsiblePerson": ResponsiblePerson,
        "Place": Place,
        "System": System,
        "Device": Device,
        "RectificationOrder": RectificationOrder,
        "ActRecord": ActRecord,
        "Assessment": Assessment,
        "AssessmentFinding": AssessmentFinding,
        "SweepRun": SweepRun,
    }


def delete_all() -> dict[str, int]:
    """Delete every registry row (not the audit log), dependants first, in one transaction."""
    from django.db import transaction

    from jifang.platform.accounts.models import Account
    from jifang.platform.complaints.models import Complaint

    m = _models()
    deleted: dict[str, int] = {}
    with transaction.atomic():
        # Accounts bound to an organ, unit or company go with it; their users stay.
        deleted["Account"], _ = Account.objects.all().delete()
        deleted["Complaint"], _ = Complaint.objects.all().delete()
        for name in (
            "SweepRun",
            "AssessmentFinding",
            "Assessment",
            "ActRecord",
            "RectificationOrder",
            "Device",
            "System",
            "Product",
            "Place",
            "ResponsiblePerson",
            "Unit",
            "Personnel",
            "QualificationCertificate",
            "Practitioner",
            "PoliceOrgan",
        ):
            count, _ = m[name].objects.all().delete()
            deleted[name] = count
        total = 0
        for level in ("county", "city", "province"):
            count, _ = m["Division"].objects.filter(level=level).delete()
            total += count
        count, _ = m["Division"].objects.all().delete()
        deleted["Division"] = total + count
    return deleted


def _regime_of(code: str) -> str:
    try:
        return law.resolve(None, code, dt.date.today()).id
    except NoRegimeError:
        return ""


def write(the_plan: Plan) -> None:
    """Write a plan into the database (the caller holds the transaction)."""
    m = _models()
    Division, PoliceOrgan = m["Division"], m["PoliceOrgan"]
    taken = set(
        m["Unit"]
        .objects.filter(uscc__in=[u.uscc for u in the_plan.units if u.uscc])
        .values_list("uscc", flat=True)
    )
    taken |= set(
        m["Practitioner"]
        .objects.filter(uscc__in=[p.uscc for p in the_plan.practitioners])
        .values_list("uscc", flat=True)
    )
    if taken:
        raise DemoDataExists(
            f"数据库中已有演示数据（{len(taken)} 个统一社会信用代码已登记），请重新生成（不带 "
            f"--no-reset）/ the database already holds demo records ({len(taken)} codes taken); "
            "regenerate with reset"
        )

    divisions: dict[str, object] = {}
    for code, name, level, parent in the_plan.divisions:
        obj = Division.objects.filter(code=code).first()
        if obj is None:
            obj = Division.objects.create(
                code=code,
                name=name,
                level=level,
                parent=divisions.get(parent) if parent else None,
                regime_id=_regime_of(code),
            )
        divisions[code] = obj
    police: dict[str, object] = {}
    for name, code, office, phone in the_plan.police:
        obj = PoliceOrgan.objects.filter(name=name, division=divisions[code]).first()
        if obj is None:
            obj = PoliceOrgan.objects.create(
                name=name, division=divisions[code], office=office, phone=phone
            )
        police[name] = obj
    products: dict[tuple[str, str], object] = {}
    for _kind, name, model, maker, cert in the_plan.products:
        obj = m["Product"].objects.filter(manufacturer=maker, model_number=model).first()
        if obj is None:
            obj = m["Product"].objects.create(
                name=name,
                model_number=model,
                manufacturer=maker,
                certification=cert,
                certificate_number=certificate_number((_kind, name, model, maker, cert)),
            )
        products[(maker, model)] = obj

    practitioners: dict[str, object] = {}
    for spec in the_plan.practitioners:
        pr = m["Practitioner"].objects.create(
            name=spec.name,
            uscc=spec.uscc,
            home_province=spec.division[:2],
            division=divisions[spec.division],
            address=spec.address,
            filed=spec.filed,
            filing_number=spec.filing_number,
            out_of_province_filed=spec.out_of_province_filed,
            duties=dict(spec.duties),
            on_warning_list=spec.on_warning_list,
            warning_reason=spec.warning_reason,
        )
        practitioners[spec.uscc] = pr
        for c in spec.certificates:
            m["QualificationCertificate"].objects.create(
                practitioner=pr,
                level=c.level,
                number=c.number,
                issuing_organ=police[c.issuer],
                valid_from=c.valid_from,
                valid_until=c.valid_until,
            )
        for name, role, trained in spec.personnel:
            m["Personnel"].objects.create(practitioner=pr, name=name, role=role, trained=trained)

    organ_of = {code: obj for obj in police.values() for code in [obj.division.code]}
    for spec in the_plan.units:
        unit = m["Unit"].objects.create(
            name=spec.name,
            kind=spec.kind,
            uscc=spec.uscc,
            division=divisions[spec.division],
            address=spec.address,
            phone=spec.phone,
            duties=dict(spec.duties),
        )
        for name, role, phone in spec.persons:
            m["ResponsiblePerson"].objects.create(unit=unit, name=name, role=role, phone=phone)
        places = {
            p.key: m["Place"].objects.create(unit=unit, **p.model_fields()) for p in spec.places
        }
        systems: dict[str, object] = {}
        devices: dict[str, object] = {}
        for s in spec.systems:
            system = m["System"].objects.create(
                unit=unit,
                name=s.name,
                subsystems=list(s.subsystems),
                practitioner=practitioners[s.practitioner] if s.practitioner else None,
                **s.facts,
            )
            system.places.set([places[k] for k in s.places])
            systems[s.key] = system
            for d in s.devices:
                devices[f"{s.key}/{d.code}"] = m["Device"].objects.create(
                    system=system,
                    code=d.code,
                    kind=d.kind,
                    location=d.location,
                    video=d.video,
                    audio=d.audio,
                    product=products[d.product] if d.product else None,
                    certificate_number=d.certificate_number,
                )
        acts = [
            m["ActRecord"].objects.create(
                unit=unit,
                code=a.code,
                by=a.by,
                occurred=a.occurred,
                serious=a.serious,
                illegal_income=a.illegal_income,
            )
            for a in spec.acts
        ]
        refs = {
            "place": places,
            "system": systems,
            "device": devices,
            "act": {str(i): a for i, a in enumerate(acts)},
        }
        for o in spec.orders:
            kind, key = o.subject
            subject = "unit" if kind == "unit" else f"{SUBJECT_PREFIX[kind]}{refs[kind][key].pk}"
            m["RectificationOrder"].objects.create(
                unit=unit,
                finding=o.finding,
                subject=subject,
                served=o.served,
                deadline=o.deadline,
                corrected=o.corrected,
                harm=o.harm,
                serious=o.serious,
                issued_by=organ_of.get(spec.division),
            )


REGISTRY_LABELS = {
    "Division": "行政区划",
    "PoliceOrgan": "公安机关",
    "Practitioner": "从业单位",
    "QualificationCertificate": "资格证",
    "Personnel": "从业人员",
    "Product": "技防产品",
    "Unit": "单位",
    "ResponsiblePerson": "负责人",
    "Place": "场所/部位",
    "System": "技防系统",
    "Device": "设备",
    "RectificationOrder": "责令改正",
    "ActRecord": "违法行为记录",
}


def generate(
    seed: int = DEFAULT_SEED, units_per_city: int = DEFAULT_UNITS_PER_CITY, *, reset: bool = False
) -> Summary:
    """Build the demo jurisdiction in one transaction; with reset, delete every registry row
    first (in the same transaction). Raises DemoDataExists if the records are already there."""
    from django.db import transaction

    started = time.perf_counter()
    the_plan = plan(seed, units_per_city)
    with transaction.atomic():
        if reset:
            delete_all()
        write(the_plan)
    m = _models()
    counts = {label: m[name].objects.count() for name, label in REGISTRY_LABELS.items()}
    cities = []
    for city in D.CITIES:
        units = [u for u in the_plan.units if u.city == city.code]
        cities.append(
            {
                "name": city.name,
                "regime": city.regime,
                "units": len(units),
                "compliant": sum(u.compliant for u in units),
                "places": sum(len(u.places) for u in units),
                "systems": sum(len(u.systems) for u in units),
                "devices": sum(len(s.devices) for u in units for s in u.systems),
            }
        )
    findings = Counter(code for u in the_plan.units for code in u.expected_findings)
    return Summary(
        seed,
        units_per_city,
        time.perf_counter() - started,
        cities,
        counts,
        dict(findings),
        {u.name: list(u.expected_findings) for u in the_plan.units},
    )
