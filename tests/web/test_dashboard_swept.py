"""The dashboard from a sweep's precomputed figures: the same numbers as the live counts, for
the area and a division inside it, read from a few rows whatever the number of units."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jifang.platform.compliance.services import sweep
from jifang.web.views import dashboard
from tests.platform import factories as f

from .test_dashboard import world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def _live(client, monkeypatch, path: str) -> dict:
    with monkeypatch.context() as m:
        m.setattr(dashboard.selectors, "covering_sweep", lambda prefix: None)
        return client.get(path).json()


def test_swept_figures_equal_the_live_ones(world, monkeypatch) -> None:  # noqa: F811
    client = world["city_officer"]
    run = sweep(world["city"], dt.date.today())
    for path in ("/dashboard/charts.json", "/dashboard/charts.json?division=440106"):
        swept = client.get(path).json()
        live = _live(client, monkeypatch, path)
        assert swept["source"]["sweep"] == run.pk and live["source"] is None
        for key in ("compliance", "units_by_category", "findings_by_kind", "open_findings"):
            assert swept[key] == live[key], (path, key)
        assert swept["findings_by_division"] == live["findings_by_division"]
    page = client.get("/dashboard/")
    assert "批量评估" in page.content.decode()
    totals = {t["title"]: t["n"] for t in page.context["totals"]}
    assert totals["设备"] == sum(a["devices"] for a in run.areas.values()) > 0


def test_swept_figures_cost_the_same_queries_however_many_units(world) -> None:  # noqa: F811
    def queries() -> int:
        sweep(world["city"], dt.date.today())
        with CaptureQueriesContext(connection) as seen:
            assert world["city_officer"].get("/dashboard/").status_code == 200
        return len(seen)

    before = queries()
    for _ in range(3):
        f.bank(world["yuexiu"], retention=5)
    assert queries() == before


def test_a_county_sweep_does_not_cover_the_city(world) -> None:  # noqa: F811
    sweep(world["tianhe"], dt.date.today())
    city = world["city_officer"].get("/dashboard/charts.json").json()
    county = world["county_officer"].get("/dashboard/charts.json").json()
    assert city["source"] is None
    assert county["source"] is not None
    assert county["compliance"]["assessed"] == county["compliance"]["units"] == 3


def test_a_swept_units_page_shows_the_whole_answer(world) -> None:  # noqa: F811
    from jifang.law import vocabulary as v
    from jifang.platform.compliance.models import Assessment

    run = sweep(world["city"], dt.date.today())
    short = world["units"]["short"]
    assert Assessment.objects.get(sweep=run, unit=short).stored is False
    page = world["city_officer"].get(f"/units/{short.pk}/")
    assert page.status_code == 200
    assert page.context["assessment"].sweep_id == run.pk
    assert [f["code"] for f in page.context["findings"]] == ["RETENTION_SHORT"]
    assert v.FINDINGS["RETENTION_SHORT"] in page.content.decode()
