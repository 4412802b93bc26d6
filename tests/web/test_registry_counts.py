"""Counts of large lists: exact on SQLite and below the threshold; on PostgreSQL above it the
planner's estimate, said as 「约」 on the page and `count_exact: false` in the API, the list
then in registration order."""

from __future__ import annotations

import pytest
from django.db import connection

from jifang.web.registries import listing

from .test_dashboard import world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_small_lists_count_exactly(world) -> None:  # noqa: F811
    page = world["city_officer"].get("/registry/units/")
    count = page.context["page"].paginator.count
    assert count == 4 and not isinstance(count, listing.ApproximateCount)
    assert "共 4 条" in page.content.decode()
    api = world["city_officer"].get("/api/units/").json()
    assert api["count"] == 4 and api["count_exact"] is True


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate")
def test_large_lists_count_by_estimate_in_registration_order(world, monkeypatch) -> None:  # noqa: F811
    monkeypatch.setattr(listing, "ESTIMATE_ABOVE", 0)  # every analysed table counts as large
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE units_unit")
    page = world["city_officer"].get("/registry/units/")
    count = page.context["page"].paginator.count
    assert isinstance(count, listing.ApproximateCount) and str(count).startswith("约 ")
    assert "共 约 " in page.content.decode()
    pks = [row.pk for row in page.context["page"].object_list]
    assert pks == sorted(pks)
    api = world["city_officer"].get("/api/units/").json()
    assert api["count_exact"] is False
    assert [u["id"] for u in api["results"]] == sorted(pks)
