"""The API's lists at scale: `next`/`previous` carry a cursor beside the page number; a list
of assessments leaves a swept row's whole answer to the row's own URL; a page of systems
reads its places at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from jifang.platform.accounts.models import Account
from jifang.platform.compliance.models import Assessment
from jifang.platform.compliance.services import assess_unit, sweep
from jifang.platform.geo.models import PoliceOrgan
from jifang.platform.systems.models import Product
from jifang.platform.units.models import Place
from tests.platform import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict:
    gz = f.guangzhou()
    with transaction.atomic():
        organ = PoliceOrgan.objects.create(name="广州市公安局", division=gz["city"])
        user = User.objects.create_user("officer", password="x")
        Account.objects.create(user=user, role="officer", organ=organ)
    client = APIClient()
    client.force_authenticate(user)
    return {**gz, "client": client}


def _path(url: str | None) -> str | None:
    return url.removeprefix("http://testserver") if url else url


def test_next_links_walk_the_list_by_cursor(world) -> None:
    with transaction.atomic():
        ids = [
            Product.objects.create(
                name=f"摄像机{i}", model_number=f"M{i}", manufacturer="某公司"
            ).pk
            for i in range(120)
        ]
    client = world["client"]
    first = client.get("/api/products/").json()
    assert [p["id"] for p in first["results"]] == ids[:50] and first["count"] == 120
    assert _path(first["next"]) == f"/api/products/?after={ids[49]}&page=2"
    seen, url, bodies = [], "/api/products/", []
    while url:
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).json()
        if url != "/api/products/":
            assert not any(" OFFSET " in q["sql"].upper() for q in queries.captured_queries)
        seen += [p["id"] for p in body["results"]]
        bodies.append(body)
        url = _path(body["next"])
    assert seen == ids and len(bodies) == 3
    last = bodies[-1]
    assert _path(last["previous"]) == f"/api/products/?before={ids[100]}&page=2"
    back = client.get(_path(last["previous"])).json()
    assert [p["id"] for p in back["results"]] == ids[50:100]
    assert _path(back["previous"]) == "/api/products/"  # the first page: no cursor, no number
    assert back["count"] == 120 and back["count_exact"] is True
    # the numbered page alone gives the same rows; a cursor on page 1 is ignored
    by_number = client.get("/api/products/?page=2").json()
    assert [p["id"] for p in by_number["results"]] == ids[50:100]
    ignored = client.get(f"/api/products/?page=1&after={ids[70]}").json()
    assert [p["id"] for p in ignored["results"]] == ids[:50]
    # a cursor no column can hold is bad input, as any such number
    assert client.get("/api/products/?page=2&after=99999999999999999999").status_code == 400


def test_the_cursors_are_in_the_schema(world) -> None:
    schema = APIClient().get("/api/schema/?format=json").json()
    names = {p["name"] for p in schema["paths"]["/api/units/"]["get"]["parameters"]}
    assert {"page", "after", "before"} <= names


def test_an_assessment_list_leaves_a_swept_answer_to_the_row(world, monkeypatch) -> None:
    swept_unit, single_unit = f.bank(world["tianhe"], retention=5), f.bank(world["yuexiu"])
    run = sweep(world["city"], dt.date(2024, 6, 1))
    stored = assess_unit(single_unit, dt.date(2024, 6, 1))
    swept = Assessment.objects.get(sweep=run, unit=swept_unit)
    assert swept.stored is False and stored.stored is True
    client = world["client"]

    def refuse(self):
        raise AssertionError("a list must not run the engine for a swept row")

    with monkeypatch.context() as m:
        m.setattr(Assessment, "recompute", refuse)
        rows = {a["id"]: a for a in client.get("/api/assessments/").json()["results"]}
    assert rows[swept.pk]["result"] is None and rows[swept.pk]["stored"] is False
    assert rows[swept.pk]["findings_count"] == 1 and rows[swept.pk]["sweep"] == run.pk
    assert rows[stored.pk]["stored"] is True
    assert rows[stored.pk]["result"]["regime"]["id"] == "guangdong-2017"
    # the row's own URL gives the whole answer, computed for the swept row
    detail = client.get(f"/api/assessments/{swept.pk}/").json()
    assert detail["stored"] is False
    assert [x["code"] for x in detail["result"]["findings"]] == ["RETENTION_SHORT"]


def test_a_page_of_systems_reads_their_places_at_once(world) -> None:
    client = world["client"]

    def queries_and_places() -> tuple[int, dict[int, list[int]]]:
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/api/systems/").json()
        return len(queries), {s["id"]: s["places"] for s in body["results"]}

    f.bank(world["tianhe"])
    one, _ = queries_and_places()
    banks = [f.bank(world["yuexiu"]) for _ in range(4)]
    with transaction.atomic():
        extra = Place.objects.create(unit=banks[0], name="金库", categories=["vault"])
        banks[0].systems.get().places.add(extra)
    five, places = queries_and_places()
    assert five == one and len(places) == 5
    system = banks[0].systems.get()
    assert places[system.pk] == list(
        system.places.order_by("unit_id", "id").values_list("pk", flat=True)
    )
    assert len(places[system.pk]) == 2
