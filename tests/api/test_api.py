"""The REST API as a client uses it: tokens, scoped lists, 404 out of scope, writes checked
by the same rule, one error body, the engine over HTTP."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from jifang.platform.accounts.models import Account
from jifang.platform.geo.models import PoliceOrgan
from jifang.platform.units.models import Place
from tests.platform import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    gz = f.guangzhou()
    tianhe, yuexiu = f.bank(gz["tianhe"]), f.bank(gz["yuexiu"])
    with transaction.atomic():
        organ = PoliceOrgan.objects.create(name="天河分局", division=gz["tianhe"])
        officer = User.objects.create_user("officer", password="x")
        Account.objects.create(user=officer, role="officer", organ=organ)
        admin = User.objects.create_user("unit_admin", password="x")
        Account.objects.create(user=admin, role="unit_admin", unit=tianhe)
    clients = {}
    for user in (officer, admin):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        clients[user.username] = client
    return {"tianhe": tianhe, "yuexiu": yuexiu, **clients}


def test_anonymous_gets_401_and_the_schema_is_public(world) -> None:
    response = APIClient().get("/api/units/")
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"
    schema = APIClient().get("/api/schema/")
    assert schema.status_code == 200 and b"/api/units/" in schema.content


def test_lists_are_scoped_and_paginated(world) -> None:
    body = world["officer"].get("/api/units/").json()
    assert [u["id"] for u in body["results"]] == [world["tianhe"].pk]
    assert body["count"] == 1
    filtered = world["officer"].get("/api/units/?division=440104").json()
    assert filtered["count"] == 0


def test_out_of_scope_detail_is_404(world) -> None:
    assert world["officer"].get(f"/api/units/{world['tianhe'].pk}/").status_code == 200
    assert world["officer"].get(f"/api/units/{world['yuexiu'].pk}/").status_code == 404
    assert world["unit_admin"].delete(f"/api/units/{world['tianhe'].pk}/").status_code == 404


def test_unit_admin_adds_a_place_to_its_own_unit_only(world) -> None:
    client = world["unit_admin"]
    own = client.post(
        "/api/places/",
        {"unit": world["tianhe"].pk, "name": "金库", "categories": ["vault"]},
        format="json",
    )
    assert own.status_code == 201, own.content
    other = client.post(
        "/api/places/",
        {"unit": world["yuexiu"].pk, "name": "金库", "categories": ["vault"]},
        format="json",
    )
    assert other.status_code == 403
    assert not Place.objects.filter(unit=world["yuexiu"], name="金库").exists()


def test_invalid_write_names_the_field(world) -> None:
    response = world["unit_admin"].post(
        "/api/places/",
        {"unit": world["tianhe"].pk, "name": "大厅", "categories": ["spaceport"]},
        format="json",
    )
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert problems[0]["field"] == "categories"
    assert "场所类别" in problems[0]["message_zh"]


def test_assess_and_access_check_over_http(world) -> None:
    client = world["officer"]
    case = {
        "regime": "fujian-2015",
        "as_of": "2024-06-01",
        "unit": {"places": [{"id": "p1", "categories": ["kindergarten"]}]},
    }
    response = client.post("/api/assess?explain=1", case, format="json")
    assert response.status_code == 200
    assert response.json()["findings"][0]["code"] == "INSTALL_REQUIRED_MISSING"
    assert response.json()["trace"]
    bad = client.post("/api/assess", {**case, "as_of": "someday"}, format="json")
    assert bad.status_code == 400 and bad.json()["problems"][0]["field"] == "as_of"
    early = client.post("/api/assess", {**case, "as_of": "2010-01-01"}, format="json")
    assert early.status_code == 422 and early.json()["error"] == "no_encoded_regime"
    decision = client.post(
        "/api/access-check",
        {
            "regime": "guangdong-2017",
            "as_of": "2024-06-01",
            "request": {"requester": "citizen", "action": "retrieve"},
        },
        format="json",
    )
    assert decision.json()["decision"] == "deny"


def test_public_may_read_the_filed_practitioners(world) -> None:
    filed = f.practitioner()
    with transaction.atomic():
        hidden = f.practitioner()
        hidden.filed = False
        hidden.save()
    body = APIClient().get("/api/practitioners/").json()
    assert [p["id"] for p in body["results"]] == [filed.pk]
    assert APIClient().post("/api/practitioners/", {}, format="json").status_code == 401
