"""The officer's dashboard: its figures equal hand counts of a small world, an officer sees only
the organ's area (on the page, in charts.json and through the division filter), and other
roles are sent away."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jifang.platform.compliance.services import assess_unit
from jifang.platform.geo.models import PoliceOrgan
from jifang.platform.units.models import Place
from tests.platform import factories as f
from tests.web.clients import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict:
    """广州: 天河 has a compliant bank (its first assessment had a finding, fixed since), a bank
    with no system, and a bank never assessed; 越秀 a bank keeping footage too briefly, which
    is also a hotel. A practitioner in 天河 and one in 福建 (filed, so public)."""
    gz = f.guangzhou()
    fujian = f.division("350000", "福建省", "province", regime_id="fujian-2015")
    p1 = f.practitioner()
    p2 = f.practitioner(home="35")
    with transaction.atomic():
        p1.division = gz["tianhe"]
        p1.save()
        p2.division = fujian
        p2.save()
    fixed = f.bank(gz["tianhe"])
    bare = f.bank(gz["tianhe"], with_system=False)
    unassessed = f.bank(gz["tianhe"])
    short = f.bank(gz["yuexiu"], retention=5)
    with transaction.atomic():
        rooms = Place.objects.create(unit=short, name="客房部", categories=["hotel"])
        short.systems.get().places.add(rooms)
        fixed.duties["staff_training"] = False
        fixed.save()
    assert [r.code for r in assess_unit(fixed).finding_rows.all()] == ["USER_DUTIES_UNMET"]
    with transaction.atomic():
        fixed.duties["staff_training"] = True
        fixed.save()
    assert assess_unit(fixed).findings_count == 0
    assert [r.code for r in assess_unit(bare).finding_rows.all()] == ["INSTALL_REQUIRED_MISSING"]
    assert [r.code for r in assess_unit(short).finding_rows.all()] == ["RETENTION_SHORT"]
    with transaction.atomic():
        city = PoliceOrgan.objects.create(name="广州市公安局", division=gz["city"])
        county = PoliceOrgan.objects.create(name="天河分局", division=gz["tianhe"])
    return {
        **gz,
        "units": {"fixed": fixed, "bare": bare, "unassessed": unassessed, "short": short},
        "city_officer": signed_in("officer_city", role="officer", organ=city),
        "county_officer": signed_in("officer_county", role="officer", organ=county),
        "operator": signed_in("operator", role="unit_operator", unit=fixed),
    }


def _totals(response) -> dict[str, int]:
    return {t["title"]: t["n"] for t in response.context["totals"]}


def test_city_figures_equal_hand_counts(world) -> None:
    response = world["city_officer"].get("/dashboard/")
    assert response.status_code == 200
    assert _totals(response) == {
        "单位": 4,
        "技防重点单位": 3,  # the three assessed banks must install
        "场所/部位": 5,
        "技防系统": 3,
        "设备": 3,
        "从业单位": 1,  # the Fujian company is public, but not in the area
    }
    figures = response.context["figures"]
    assert figures["compliance"] == {
        "units": 4,
        "key_units": 3,
        "assessed": 3,
        "compliant": 1,  # the latest assessment counts, not the earlier one with a finding
        "non_compliant": 2,
        "not_assessed": 1,
        "rate": 33.3,
    }
    kinds = {k["code"]: (k["findings"], k["units"]) for k in figures["findings_by_kind"]}
    assert kinds == {"INSTALL_REQUIRED_MISSING": (1, 1), "RETENTION_SHORT": (1, 1)}
    divisions = {d["code"]: (d["name"], d["findings"]) for d in figures["findings_by_division"]}
    assert divisions == {"440106": ("天河区", 1), "440104": ("越秀区", 1)}
    categories = {c["code"]: c["units"] for c in figures["units_by_category"]}
    assert categories == {"financial_business": 4, "hotel": 1}
    page = response.content.decode()
    assert 'id="compliance-rate">33.3%' in page
    assert 'id="not-assessed">1<' in page
    # every chart has its table, and counts link to the registry lists of the area
    for table in ("table-categories", "table-findings", "table-divisions"):
        assert f'id="{table}"' in page
    assert "采获信息留存时间不足" in page and "应当安装而未安装技防系统" in page
    assert "/registry/units/?division=4401&amp;category=hotel" in page
    assert "/registry/findings/?division=4401&amp;code=RETENTION_SHORT" in page
    assert "vendor/echarts/echarts.min.js" in page and "jifang/js/dashboard.js" in page
    # the charts' own URL answers with this page's figures
    charts = response.context["charts_url"]
    assert f'data-charts-url="{charts}"' in page
    assert world["city_officer"].get(charts).json()["compliance"] == figures["compliance"]
    assert "http://" not in page and "https://" not in page


def test_a_county_officer_sees_only_the_county(world) -> None:
    response = world["county_officer"].get("/dashboard/")
    assert response.status_code == 200
    assert _totals(response) == {
        "单位": 3,
        "技防重点单位": 2,
        "场所/部位": 3,
        "技防系统": 2,
        "设备": 2,
        "从业单位": 1,
    }
    figures = response.context["figures"]
    assert figures["compliance"]["assessed"] == 2
    assert figures["compliance"]["compliant"] == 1
    assert [k["code"] for k in figures["findings_by_kind"]] == ["INSTALL_REQUIRED_MISSING"]
    assert [d["code"] for d in figures["findings_by_division"]] == ["440106"]
    page = response.content.decode()
    assert "RETENTION_SHORT" not in page and "越秀区" not in page
    # the filter offers the county only, and another county is out of scope
    assert [d["code"] for d in response.context["divisions"]] == ["440106"]
    assert world["county_officer"].get("/dashboard/?division=440104").status_code == 404


def test_charts_json_is_scoped_the_same_way(world) -> None:
    city = world["city_officer"].get("/dashboard/charts.json").json()
    county = world["county_officer"].get("/dashboard/charts.json").json()
    assert {k["code"] for k in city["findings_by_kind"]} == {
        "INSTALL_REQUIRED_MISSING",
        "RETENTION_SHORT",
    }
    assert [k["code"] for k in county["findings_by_kind"]] == ["INSTALL_REQUIRED_MISSING"]
    assert [d["code"] for d in county["findings_by_division"]] == ["440106"]
    assert county["compliance"]["units"] == 3 and city["compliance"]["units"] == 4
    assert {c["code"]: c["units"] for c in county["units_by_category"]} == {"financial_business": 3}
    narrowed = world["city_officer"].get("/dashboard/charts.json?division=440104").json()
    assert narrowed["division"] == {"code": "440104", "name": "越秀区"}
    assert [k["code"] for k in narrowed["findings_by_kind"]] == ["RETENTION_SHORT"]
    assert narrowed["compliance"]["units"] == 1
    assert world["county_officer"].get("/dashboard/charts.json?division=440104").status_code == 404


def test_the_division_filter_swaps_the_body_with_htmx(world) -> None:
    response = world["city_officer"].get("/dashboard/?division=440104", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="dashboard-body"')
    assert "<html" not in page
    assert 'data-charts-url="/dashboard/charts.json?division=440104"' in page
    assert _totals(response)["单位"] == 1
    assert "RETENTION_SHORT" in page and "INSTALL_REQUIRED_MISSING" not in page
    full = world["city_officer"].get("/dashboard/").content.decode()
    assert 'hx-get="/dashboard/"' in full and 'hx-target="#dashboard-body"' in full
    assert '<option value="440104"' in full


def test_other_roles_are_sent_away(world) -> None:
    response = world["operator"].get("/dashboard/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert world["operator"].get("/dashboard/charts.json").status_code == 403
    anonymous = Client().get("/dashboard/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/?next=/dashboard/")
    assert Client().get("/dashboard/charts.json").status_code == 302


def test_a_superuser_sees_every_area(world) -> None:
    with transaction.atomic():
        root = User.objects.create_superuser("root", password="x")
    client = Client()
    client.force_login(root)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert _totals(response)["单位"] == 4
    assert _totals(response)["从业单位"] == 2  # both companies, wherever they are


def test_the_figures_cost_the_same_queries_however_many_units(world) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert world["city_officer"].get("/dashboard/").status_code == 200
        return len(seen)

    before = queries()
    for _ in range(3):
        assess_unit(f.bank(world["yuexiu"], retention=5))
    assert queries() == before
