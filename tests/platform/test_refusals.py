"""Permission refusals reach the tamper-evident log even though the refused request rolls back."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from rest_framework.test import APIClient

from jifang.platform.accounts.models import Account
from jifang.platform.auditlog.models import PendingEntry
from jifang.platform.geo.models import PoliceOrgan
from jifang.platform.units.models import Place

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    gz = f.guangzhou()
    mine, theirs = f.bank(gz["tianhe"]), f.bank(gz["yuexiu"])
    with transaction.atomic():
        organ = PoliceOrgan.objects.create(name="天河分局", division=gz["tianhe"])
        officer = User.objects.create_user("officer", password="x")
        Account.objects.create(user=officer, role="officer", organ=organ)
        admin = User.objects.create_user("unitadmin", password="x")
        Account.objects.create(user=admin, role="unit_admin", unit=mine)
    return {"mine": mine, "theirs": theirs, "officer": officer, "admin": admin}


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _refusals() -> list[PendingEntry]:
    return list(PendingEntry.objects.filter(action="permission_refused").order_by("pk"))


def test_a_row_outside_the_scope_is_404_and_the_attempt_is_logged(setting) -> None:
    theirs = setting["theirs"]
    response = _client(setting["officer"]).get(f"/api/units/{theirs.pk}/")
    assert response.status_code == 404
    [entry] = _refusals()
    assert entry.actor == "user:officer" and entry.model == "units.unit"
    assert entry.object_pk == str(theirs.pk)
    assert json.loads(entry.after)["reason"] == "out_of_scope"


def test_a_missing_row_is_404_and_not_a_refusal(setting) -> None:
    assert _client(setting["officer"]).get("/api/units/999999/").status_code == 404
    assert _refusals() == []


def test_a_refused_write_rolls_back_but_its_refusal_stays(setting) -> None:
    """A unit administrator adds a place to another unit: 403, nothing written, refusal kept."""
    theirs = setting["theirs"]
    before = (
        Place.objects.count(),
        PendingEntry.objects.filter(model="units.place", action="create").count(),
    )
    response = _client(setting["admin"]).post(
        "/api/places/", {"unit": theirs.pk, "name": "金库", "categories": ["vault"]}, format="json"
    )
    assert response.status_code == 403
    after = (
        Place.objects.count(),
        PendingEntry.objects.filter(model="units.place", action="create").count(),
    )
    assert after == before  # neither the place nor its audit entry was kept
    [entry] = _refusals()
    assert entry.actor == "user:unitadmin" and entry.model == "units.place"
    assert json.loads(entry.after) | {"ip": None} == {
        "action": "create",
        "reason": "forbidden",
        "status": 403,
        "ip": None,
    }


def test_allowed_requests_log_no_refusal(setting) -> None:
    mine = setting["mine"]
    assert _client(setting["admin"]).get(f"/api/units/{mine.pk}/").status_code == 200
    assert _refusals() == []


def test_an_id_filter_outside_the_scope_answers_as_for_a_missing_id(setting) -> None:
    """No existence oracle: `?unit=` of another county's unit looks like a unit that never was."""
    client = _client(setting["officer"])
    outside = client.get(f"/api/assessments/?unit={setting['theirs'].pk}")
    missing = client.get("/api/assessments/?unit=999999")
    assert outside.status_code == missing.status_code == 400
    assert outside.json() == missing.json()
    assert outside.json()["problems"][0]["field"] == "unit"
    inside = client.get(f"/api/assessments/?unit={setting['mine'].pk}")
    assert inside.status_code == 200 and inside.json()["count"] == 0
