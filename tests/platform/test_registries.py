"""Registry writes validate in full and happen in a transaction; reads scope by division."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from jifang.platform.auditlog.models import PendingEntry
from jifang.platform.core.services import save_record
from jifang.platform.geo.selectors import organ_for
from jifang.platform.practitioners.selectors import filed_practitioners, warning_list
from jifang.platform.systems.selectors import capturing_devices_at_privacy_locations
from jifang.platform.units.models import Unit
from jifang.platform.units.selectors import units_in, units_with_category
from jifang.platform.units.services import register_unit

from . import factories as f

pytestmark = pytest.mark.django_db


def test_register_unit_with_places_logs_each_record() -> None:
    div = f.guangzhou()["tianhe"]
    before = PendingEntry.objects.count()
    unit = register_unit(
        name="某酒店",
        uscc=f.uscc(),
        division=div,
        places=[
            {"name": "客房楼", "categories": ["hotel"]},
            {"name": "停车场", "categories": ["public_parking"]},
        ],
    )
    assert unit.places.count() == 2
    assert PendingEntry.objects.count() - before == 3


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("uscc", "91440106MA59XXXXX0"),
        ("uscc", ""),
        ("duties", {"flying": True}),
    ],
)
def test_invalid_unit_is_refused_and_nothing_is_written(field: str, value: object) -> None:
    div = f.guangzhou()["tianhe"]
    fields = {"name": "某单位", "uscc": f.uscc(), "division": div, field: value}
    with pytest.raises(ValidationError) as info:
        save_record(Unit(), **fields)
    assert field in info.value.message_dict
    assert not Unit.objects.filter(name="某单位").exists()


def test_invalid_place_category_refuses_the_whole_unit() -> None:
    div = f.guangzhou()["tianhe"]
    with pytest.raises(ValidationError):
        register_unit(
            name="某单位",
            uscc=f.uscc(),
            division=div,
            places=[{"name": "大厅", "categories": ["spaceport"]}],
        )
    assert not Unit.objects.exists()


def test_reads_are_scoped_by_division() -> None:
    divs = f.guangzhou()
    f.bank(divs["tianhe"])
    f.bank(divs["yuexiu"])
    assert units_in("440106").count() == 1
    assert units_in("4401").count() == 2
    assert units_with_category("financial_business", "440104").count() == 1
    assert units_with_category("hotel").count() == 0


def test_public_lists_and_privacy_devices() -> None:
    from django.db import transaction

    from jifang.platform.geo.models import PoliceOrgan
    from jifang.platform.systems.models import Device

    pr = f.practitioner()
    assert list(filed_practitioners()) == [pr]
    save_record(pr, on_warning_list=True, warning_reason="用户投诉查证属实")
    assert list(warning_list()) == [pr] and not filed_practitioners().exists()
    divs = f.guangzhou()
    unit = f.bank(divs["tianhe"])
    with transaction.atomic():
        Device.objects.create(system=unit.systems.get(), code="C99", location="toilet", video=True)
        organ = PoliceOrgan.objects.create(name="广州市公安局", division=divs["city"])
    assert [d.code for d in capturing_devices_at_privacy_locations()] == ["C99"]
    assert organ_for(divs["tianhe"]) == organ


def test_sweep_management_command(capsys) -> None:
    divs = f.guangzhou()
    f.bank(divs["tianhe"], retention=3)
    call_command("sweep", "440100", "--as-of", "2024-06-01")
    assert "RETENTION_SHORT 1" in capsys.readouterr().out
