"""Complaints: validated, audited, rate-limited in the database, found by their code, and seen
and handled only by the officers of the division they concern."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from jifang.platform.accounts.models import Account
from jifang.platform.accounts.scope import can, restrict
from jifang.platform.auditlog.models import PendingEntry
from jifang.platform.complaints import services
from jifang.platform.complaints.filtersets import ComplaintFilterSet
from jifang.platform.complaints.models import CODE_ALPHABET, CODE_LENGTH, Complaint
from jifang.platform.geo.models import PoliceOrgan

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    divs = f.guangzhou()
    pr = f.practitioner()
    unit = f.bank(divs["tianhe"], with_system=False)
    with transaction.atomic():
        organs = {
            "tianhe": PoliceOrgan.objects.create(name="天河分局", division=divs["tianhe"]),
            "yuexiu": PoliceOrgan.objects.create(name="越秀分局", division=divs["yuexiu"]),
            "city": PoliceOrgan.objects.create(name="广州市公安局", division=divs["city"]),
        }
        users = {}
        for name, organ in organs.items():
            users[name] = User.objects.create_user(f"officer_{name}", password="x")
            Account.objects.create(user=users[name], role="officer", organ=organ)
        users["unit_admin"] = User.objects.create_user("unit_admin", password="x")
        Account.objects.create(user=users["unit_admin"], role="unit_admin", unit=unit)
        users["staff"] = User.objects.create_user("staff", password="x")
        Account.objects.create(user=users["staff"], role="practitioner_staff", practitioner=pr)
    return {"divs": divs, "practitioner": pr, "users": users}


def _new(place, ip: str | None = "192.0.2.1", **fields) -> Complaint:
    values = {
        "division": place["divs"]["tianhe"],
        "about": "practitioner",
        "practitioner": place["practitioner"],
        "content": "施工后未交付设计资料。",
        **fields,
    }
    return services.submit(Complaint(**values), ip)


def test_a_submission_is_validated_saved_and_logged(place) -> None:
    complaint = _new(place)
    assert complaint.pk and complaint.status == "received"
    assert complaint.subject_name == place["practitioner"].name  # taken from the company
    assert len(complaint.tracking_code) == CODE_LENGTH
    assert set(complaint.tracking_code) <= set(CODE_ALPHABET)
    entry = PendingEntry.objects.get(model="complaints.complaint", object_pk=str(complaint.pk))
    assert entry.action == "create" and complaint.tracking_code in entry.object_repr
    assert json.loads(entry.after)["content"] == "施工后未交付设计资料。"
    # the source address serves the rate limit only; the permanent log does not keep it
    assert complaint.source_ip == "192.0.2.1" and "192.0.2.1" not in entry.after


def test_codes_are_random_and_unique(place) -> None:
    codes = {_new(place, ip=None).tracking_code for _ in range(20)}
    assert len(codes) == 20


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"content": ""}, "content"),
        ({"content": "字" * 2001}, "content"),
        ({"contact_phone": "020-123"}, "contact_phone"),
        ({"contact_phone": "23800138000"}, "contact_phone"),
        ({"about": "unit"}, "about"),  # a practitioner was chosen, so it is about one
        ({"practitioner": None, "about": "unit", "subject_name": ""}, "subject_name"),
    ],
)
def test_invalid_complaints_name_the_field_and_store_nothing(place, fields, field) -> None:
    with pytest.raises(ValidationError) as caught:
        _new(place, **fields)
    assert field in caught.value.message_dict
    assert " / " in caught.value.message_dict[field][0]  # Chinese, then English
    assert not Complaint.objects.exists()


def test_phone_numbers_of_both_kinds_are_accepted(place) -> None:
    assert _new(place, contact_phone="13800138000").contact_phone == "13800138000"
    assert _new(place, contact_phone="020-87654321").contact_phone == "020-87654321"


def test_a_closed_complaint_needs_a_reply(place) -> None:
    complaint = _new(place)
    with pytest.raises(ValidationError) as caught:
        services.answer(complaint, status="closed", reply=" ")
    assert "reply" in caught.value.message_dict
    services.answer(complaint, status="closed", reply="已约谈该公司，责令补交资料。")
    complaint.refresh_from_db()
    assert complaint.status == "closed"
    entries = PendingEntry.objects.filter(model="complaints.complaint", action="update")
    assert json.loads(entries.get().after)["status"] == "closed"


@override_settings(JIFANG_COMPLAINTS_PER_HOUR=3)
def test_the_rate_limit_counts_the_last_hour_in_the_database(place) -> None:
    for _ in range(3):
        _new(place, ip="198.51.100.1")
    with pytest.raises(services.TooManyComplaints) as caught:
        _new(place, ip="198.51.100.1")
    assert "每小时最多3件" in str(caught.value) and Complaint.objects.count() == 3
    _new(place, ip="198.51.100.2")  # another address has its own quota
    with transaction.atomic():
        Complaint.objects.filter(source_ip="198.51.100.1").update(
            submitted_at=timezone.now() - dt.timedelta(hours=1, minutes=1)
        )
    _new(place, ip="198.51.100.1")  # an hour on, the address may submit again
    assert Complaint.objects.count() == 5


def test_found_by_code_however_it_is_typed(place) -> None:
    complaint = _new(place)
    code = complaint.tracking_code
    assert services.find_by_code(f" {code[:6].lower()} {code[6:]} ") == complaint
    assert services.find_by_code("") is None
    assert services.find_by_code("Z" * CODE_LENGTH) is None


def test_officers_of_the_division_see_and_handle_it_nobody_else(place) -> None:
    users = place["users"]
    here = _new(place)
    there = _new(place, division=place["divs"]["yuexiu"])

    def seen(user) -> set[int]:
        return set(restrict(Complaint.objects.all(), user).values_list("pk", flat=True))

    assert seen(users["tianhe"]) == {here.pk}
    assert seen(users["yuexiu"]) == {there.pk}  # another county's officer cannot see it
    assert seen(users["city"]) == {here.pk, there.pk}
    for nobody in (users["unit_admin"], users["staff"], AnonymousUser()):
        assert seen(nobody) == set()
    # the complained-of company's staff never see the complaint about it
    assert not can(users["staff"], "view", here)
    assert can(users["tianhe"], "change", here) and not can(users["yuexiu"], "change", here)
    for action in ("add", "delete"):
        assert not can(users["tianhe"], action, here)


def test_the_filterset_narrows_by_division_status_and_text(place) -> None:
    here = _new(place)
    there = _new(place, division=place["divs"]["yuexiu"], content="摄像头对着住宅窗户")
    services.answer(there, status="handling", reply="")

    def filtered(**params) -> set[int]:
        return {c.pk for c in ComplaintFilterSet(params, Complaint.objects.all()).qs}

    assert filtered(division="440106") == {here.pk}
    assert filtered(status="handling") == {there.pk}
    assert filtered(q="住宅窗户") == {there.pk}
    assert filtered(q=here.tracking_code.lower()) == {here.pk}
    today = timezone.localdate().isoformat()
    assert filtered(submitted_after=today, about="practitioner") == {here.pk, there.pk}


def test_what_the_complainant_said_cannot_be_changed_only_handled(place) -> None:
    """Through the API an officer of the division may set status and reply, not the words."""
    from rest_framework.test import APIClient

    complaint = _new(place)
    client = APIClient()
    client.force_authenticate(place["users"]["tianhe"])
    url = f"/api/complaints/{complaint.pk}/"
    rewrite = client.patch(url, {"content": "改写的内容"}, format="json")
    assert rewrite.status_code == 400
    assert rewrite.json()["problems"][0]["field"] == "content"
    handled = client.patch(url, {"status": "handling", "reply": "已受理"}, format="json")
    assert handled.status_code == 200, handled.json()
    complaint.refresh_from_db()
    assert (complaint.content, complaint.status) == ("施工后未交付设计资料。", "handling")
