"""GET /api/<registry>/export/?format=csv|xlsx: the rows the user may export (the oracle of
test_scope), with the list's filters, as a file; a bad format is a 400 naming the field."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.test import APIClient

from jifang.platform.auditlog.models import PendingEntry
from jifang.platform.core.catalog import SLUGS
from jifang.platform.core.importexport import get_registry
from tests.platform.test_scope import _oracle, world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    if not isinstance(user, AnonymousUser):
        client.force_authenticate(user)
    return client


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_each_role_exports_exactly_its_rows(world) -> None:  # noqa: F811
    objects, users = world
    wrong = []
    for name, user in users.items():
        if isinstance(user, AnonymousUser):
            continue
        client = _client(user)
        for label, slug in SLUGS.items():
            expected = sum(
                1
                for obj, owner in objects
                if type(obj)._meta.label_lower == label and _oracle(user, "export", label, owner)
            )
            table = _csv(client.get(f"/api/{slug}/export/?format=csv"))
            if len(table) - 1 != expected:
                wrong.append(f"{name} {slug}: {len(table) - 1} rows, expected {expected}")
    assert not wrong, "\n".join(wrong)


def test_officer_counts_differ_by_area(world) -> None:  # noqa: F811
    _, users = world
    counts = {
        name: len(_csv(_client(users[name]).get("/api/units/export/"))) - 1
        for name in ("officer_county", "officer_city", "officer_fujian", "unit_admin")
    }
    assert counts == {"officer_county": 1, "officer_city": 2, "officer_fujian": 1, "unit_admin": 1}


def test_anonymous_is_refused_even_for_the_public_registry(world) -> None:  # noqa: F811
    for slug in ("units", "practitioners"):
        response = APIClient().get(f"/api/{slug}/export/?format=csv")
        assert response.status_code == 401


def test_csv_has_the_import_headers_and_honours_filters(world) -> None:  # noqa: F811
    _, users = world
    client = _client(users["officer_province"])
    table = _csv(client.get("/api/units/export/?format=csv&division=440106"))
    assert table[0] == get_registry("units").headers()
    assert [row[3] for row in table[1:]] == ["440106"]
    response = client.get("/api/units/export/?format=csv")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8


def test_xlsx_opens_with_openpyxl(world) -> None:  # noqa: F811
    _, users = world
    response = _client(users["superuser"]).get("/api/systems/export/?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == get_registry("systems").headers()
    assert len(rows) == 1 + 3  # three banks, one system each


def test_engine_records_export_a_plain_table(world) -> None:  # noqa: F811
    _, users = world
    table = _csv(_client(users["officer_city"]).get("/api/assessments/export/?format=csv"))
    assert table[0][:3] == ["编号", "评估日期", "单位"]
    assert sorted(row[2] for row in table[1:]) == ["某银行天河区支行", "某银行越秀区支行"]


def test_bad_format_and_bad_filter_are_400_naming_the_field(world) -> None:  # noqa: F811
    _, users = world
    client = _client(users["superuser"])
    response = client.get("/api/units/export/?format=pdf")
    assert response.status_code == 400
    problem = response.json()["problems"][0]
    assert problem["field"] == "format" and "csv" in problem["message_zh"]
    assert problem["message_en"] == "must be csv or xlsx"
    response = client.get("/api/orders/export/?format=csv&finding=NOPE")
    assert response.status_code == 400 and response.json()["error"] == "invalid_input"


def test_an_export_is_written_to_the_audit_log(world) -> None:  # noqa: F811
    _, users = world
    before = PendingEntry.objects.filter(action="export").count()
    _client(users["officer_city"]).get("/api/units/export/?format=csv")
    entry = PendingEntry.objects.filter(action="export").order_by("pk").last()
    assert PendingEntry.objects.filter(action="export").count() == before + 1
    assert entry.actor == "user:officer_city" and entry.model == "units.unit"
