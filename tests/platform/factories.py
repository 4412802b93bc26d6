"""Small builders of registry records for platform tests (always inside a transaction)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from jifang.platform.core.validators import uscc_check_char
from jifang.platform.geo.models import Division
from jifang.platform.practitioners.models import Practitioner, QualificationCertificate
from jifang.platform.systems.models import Device, System
from jifang.platform.units.models import Place, Unit

_serial = iter(range(1, 10**6))


def uscc(division: str = "440106") -> str:
    body = f"91{division}{next(_serial):09d}"[:17]
    return body + uscc_check_char(body)


def division(
    code: str, name: str, level: str = "county", parent: Division | None = None, regime_id: str = ""
) -> Division:
    with transaction.atomic():
        return Division.objects.create(
            code=code, name=name, level=level, parent=parent, regime_id=regime_id
        )


def guangzhou() -> dict[str, Division]:
    gd = division("440000", "广东省", "province", regime_id="guangdong-2017")
    gz = division("440100", "广州市", "city", gd, "guangdong-2017")
    return {
        "province": gd,
        "city": gz,
        "tianhe": division("440106", "天河区", "county", gz, "guangdong-2017"),
        "yuexiu": division("440104", "越秀区", "county", gz, "guangdong-2017"),
    }


def bank(
    div: Division,
    *,
    retention: int = 45,
    with_system: bool = True,
    practitioner: Practitioner | None = None,
) -> Unit:
    with transaction.atomic():
        unit = Unit.objects.create(
            name=f"某银行{div.name}支行",
            uscc=uscc(div.code),
            division=div,
            duties={
                d: True
                for d in (
                    "duty_monitoring",
                    "self_inspection",
                    "maintenance",
                    "info_access_register",
                    "confidentiality",
                    "staff_training",
                    "emergency_plan",
                    "records_ledger",
                )
            },
        )
        hall = Place.objects.create(unit=unit, name="营业厅", categories=["financial_business"])
        if with_system:
            system = System.objects.create(
                unit=unit,
                name="视频监控与报警系统",
                subsystems=["video", "intrusion_alarm"],
                design_review="approved",
                built_per_design=True,
                acceptance="passed",
                standards_compliant=True,
                products_certified=True,
                network_interface=True,
                connected_to_police_platform=True,
                retention_days=retention,
                signage=True,
                practitioner=practitioner,
                required_level=2 if practitioner else None,
            )
            system.places.add(hall)
            Device.objects.create(system=system, code="C01", location="cashier", video=True)
    return unit


def practitioner(
    home: str = "44", level: int = 2, until: dt.date = dt.date(2030, 1, 1)
) -> Practitioner:
    with transaction.atomic():
        pr = Practitioner.objects.create(
            name="某安防工程公司",
            uscc=uscc("440106"),
            home_province=home,
            filed=True,
            duties={
                "quality": True,
                "archive": True,
                "client_confidentiality": True,
                "staff_training": True,
            },
        )
        QualificationCertificate.objects.create(
            practitioner=pr,
            level=level,
            number=f"GD-{next(_serial)}",
            valid_from=dt.date(2020, 1, 1),
            valid_until=until,
        )
    return pr
