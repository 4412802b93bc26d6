"""Nothing leaks: every registry x every role x in-scope and out-of-scope rows x every action,
checked against an oracle written from the roles' rules, not from the query paths."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction

from jifang.platform.accounts.models import Account
from jifang.platform.accounts.scope import ACTIONS, PATHS, can, restrict
from jifang.platform.complaints.models import Complaint
from jifang.platform.compliance.models import ActRecord, RectificationOrder, SweepRun
from jifang.platform.compliance.services import assess_unit
from jifang.platform.geo.models import PoliceOrgan
from jifang.platform.practitioners.models import Personnel
from jifang.platform.systems.models import Device, Product
from jifang.platform.units.models import ResponsiblePerson

from . import factories as f

pytestmark = pytest.mark.django_db

# What each role may write, per registry, as the product defines it (the oracle's copy).
OFFICER_READ_ONLY = {
    "geo.division",
    "geo.policeorgan",
    "compliance.assessment",
    "compliance.assessmentfinding",
    "compliance.sweeprun",
}
UNIT_ADMIN_WRITES = {
    "units.unit": {"change"},
    "units.responsibleperson": {"add", "change", "delete"},
    "units.place": {"add", "change", "delete"},
    "systems.system": {"add", "change"},
    "systems.device": {"add", "change", "delete"},
}
# Complaints come from the public; officers only handle (change) them.
OFFICER_WRITES = {"complaints.complaint": {"change"}}
STAFF_WRITES = {
    "practitioners.practitioner": {"change"},
    "practitioners.personnel": {"add", "change", "delete"},
}


@dataclass
class Owner:
    division: str | None
    unit: int | None = None
    practitioner: int | None = None
    public: bool = False
    catalogue: bool = False


@pytest.fixture
def world():
    gz = f.guangzhou()
    xm_province = f.division("350000", "福建省", "province", regime_id="fujian-2015")
    xm = f.division("350203", "思明区", "county", xm_province, "fujian-2015")
    p1 = f.practitioner()
    with transaction.atomic():
        p1.division = gz["tianhe"]
        p1.save()
    p2 = f.practitioner(home="35")
    with transaction.atomic():
        p2.division, p2.filed = xm, False
        p2.save()
    a = f.bank(gz["tianhe"], practitioner=p1)
    b = f.bank(gz["yuexiu"], retention=5)
    c = f.bank(xm, practitioner=p2)
    objects: list[tuple[object, Owner]] = []
    for d in (gz["province"], gz["city"], gz["tianhe"], gz["yuexiu"], xm_province, xm):
        objects.append((d, Owner(d.code)))
    with transaction.atomic():
        organs = {
            "province": PoliceOrgan.objects.create(name="广东省公安厅", division=gz["province"]),
            "city": PoliceOrgan.objects.create(name="广州市公安局", division=gz["city"]),
            "county": PoliceOrgan.objects.create(name="天河分局", division=gz["tianhe"]),
            "fujian": PoliceOrgan.objects.create(name="厦门市公安局思明分局", division=xm),
        }
        for unit in (a, b, c):
            ResponsiblePerson.objects.create(unit=unit, name="张三", role="行长")
            RectificationOrder.objects.create(
                unit=unit,
                finding="RETENTION_SHORT",
                subject="unit",
                served=dt.date(2024, 1, 1),
                deadline=dt.date(2024, 2, 1),
            )
            ActRecord.objects.create(unit=unit, code="alter_records", occurred=dt.date(2024, 3, 1))
        for pr in (p1, p2):
            Personnel.objects.create(practitioner=pr, name="李四")
        run = SweepRun.objects.create(division=gz["city"], as_of=dt.date(2024, 6, 1))
        product = Product.objects.create(
            name="网络摄像机",
            model_number="DS-1",
            manufacturer="某电子公司",
            certification="certified",
        )
        complaints = [
            Complaint.objects.create(
                division=gz["tianhe"], about="practitioner", practitioner=p1, content="施工不规范"
            ),
            Complaint.objects.create(
                division=xm, about="system", subject_name="某小区", content="摄像头对着住宅窗户"
            ),
        ]
    for o in organs.values():
        objects.append((o, Owner(o.division.code)))
    objects.append((run, Owner("440100")))
    objects.append((product, Owner(None, catalogue=True)))
    objects += [(c, Owner(c.division.code)) for c in complaints]
    for unit in (a, b, c):
        code = unit.division.code
        pr = unit.systems.first().practitioner_id if unit.systems.exists() else None
        assessment = assess_unit(unit, dt.date(2024, 6, 1))
        objects += [
            (unit, Owner(code, unit.pk)),
            (unit.responsible_persons.get(), Owner(code, unit.pk)),
            (unit.places.get(), Owner(code, unit.pk)),
            (unit.orders.get(), Owner(code, unit.pk)),
            (unit.acts.get(), Owner(code, unit.pk)),
            (assessment, Owner(code, unit.pk)),
        ]
        objects += [(row, Owner(code, unit.pk)) for row in assessment.finding_rows.all()]
        for system in unit.systems.all():
            objects.append((system, Owner(code, unit.pk, pr)))
            objects += [
                (dev, Owner(code, unit.pk, pr)) for dev in Device.objects.filter(system=system)
            ]
    for pr in (p1, p2):
        code = pr.division.code
        objects += [
            (pr, Owner(code, None, pr.pk, public=bool(pr.filed))),
            (pr.certificates.get(), Owner(code, None, pr.pk)),
            (pr.personnel.get(), Owner(code, None, pr.pk)),
        ]
    users = {"anonymous": AnonymousUser()}
    with transaction.atomic():
        users["superuser"] = User.objects.create_superuser("root", password="x")
        for name, organ in organs.items():
            user = User.objects.create_user(f"officer_{name}", password="x")
            Account.objects.create(user=user, role="officer", organ=organ)
            users[f"officer_{name}"] = user
        for role in ("unit_admin", "unit_operator"):
            user = User.objects.create_user(role, password="x")
            Account.objects.create(user=user, role=role, unit=a)
            users[role] = user
        user = User.objects.create_user("staff", password="x")
        Account.objects.create(user=user, role="practitioner_staff", practitioner=p1)
        users["practitioner_staff"] = user
    return objects, users


def _oracle(user, action: str, label: str, owner: Owner) -> bool:
    if not user.is_authenticated:
        return action == "view" and owner.public
    if user.is_superuser:
        return True
    account = user.account
    write = action not in ("view", "export")
    if owner.catalogue:
        return not write or account.role == "officer"
    if action == "view" and owner.public:
        return True
    if account.role == "officer":
        inside = owner.division is not None and owner.division.startswith(
            account.organ.division.prefix
        )
        if write and label in OFFICER_WRITES:
            return inside and action in OFFICER_WRITES[label]
        return inside and not (write and label in OFFICER_READ_ONLY)
    if account.role in ("unit_admin", "unit_operator"):
        mine = owner.unit == account.unit_id
        if not write:
            return mine
        return (
            mine and account.role == "unit_admin" and action in UNIT_ADMIN_WRITES.get(label, set())
        )
    mine = owner.practitioner == account.practitioner_id
    return mine and (not write or action in STAFF_WRITES.get(label, set()))


def test_every_registry_is_covered(world) -> None:
    objects, _ = world
    labels = {type(obj)._meta.label_lower for obj, _ in objects}
    assert labels == set(PATHS)
    registry_models = {
        m._meta.label_lower
        for app in ("geo", "units", "systems", "practitioners", "compliance", "complaints")
        for m in apps.get_app_config(app).get_models()
    }
    assert registry_models == set(PATHS)


def test_nothing_leaks(world) -> None:
    objects, users = world
    wrong = []
    for name, user in users.items():
        for action in ACTIONS:
            for obj, owner in objects:
                label = type(obj)._meta.label_lower
                expected = _oracle(user, action, label, owner)
                if can(user, action, obj) != expected:
                    wrong.append(f"{name} {action} {label}#{obj.pk}: expected {expected}")
    assert not wrong, "\n".join(wrong[:40])


def test_officer_lists_only_their_area(world) -> None:
    _, users = world
    from jifang.platform.units.models import Unit

    def names(user):
        return sorted(u.division.code for u in restrict(Unit.objects.all(), user))

    assert names(users["officer_county"]) == ["440106"]
    assert names(users["officer_city"]) == ["440104", "440106"]
    assert names(users["officer_province"]) == ["440104", "440106"]
    assert names(users["officer_fujian"]) == ["350203"]
    assert names(users["anonymous"]) == []


def test_account_needs_exactly_its_binding(world) -> None:
    from django.core.exceptions import ValidationError

    _, users = world
    account = users["unit_admin"].account
    account.practitioner = users["practitioner_staff"].account.practitioner
    with pytest.raises(ValidationError):
        account.full_clean()


def test_distinct_only_where_a_path_could_repeat_a_row() -> None:
    """Every declared path follows to-one keys (no DISTINCT, which would sort a province's
    rows); a path through a to-many relation would get it."""
    from jifang.platform.accounts.scope import Paths, _crosses_many
    from jifang.platform.units.models import Unit

    assert not any(_crosses_many(apps.get_model(label), p) for label, p in PATHS.items())
    assert _crosses_many(Unit, Paths(practitioner="systems__practitioner"))
