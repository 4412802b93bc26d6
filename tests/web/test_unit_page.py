"""The unit page and the unit's self-check: findings cite their article (its words on hover)
and the lawful penalty, rows outside a user's scope are 404, only officers re-assess, and the
self-check explains what to fix without storing anything."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from jifang import law
from jifang.platform.compliance.models import Assessment, AssessmentFinding
from jifang.platform.compliance.services import assess_unit
from jifang.platform.geo.models import PoliceOrgan
from jifang.platform.systems.models import Device
from jifang.web.templatetags.jifang import article_text
from jifang.web.views.units import DEVICES_PER_PAGE
from tests.platform import factories as f
from tests.web.clients import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict:
    """A compliant bank in 天河 and one in 越秀 that keeps footage too briefly, both assessed;
    officers of the city and of 天河; the 越秀 bank's administrator and operator."""
    gz = f.guangzhou()
    good = f.bank(gz["tianhe"])
    short = f.bank(gz["yuexiu"], retention=5)
    assess_unit(good)
    assess_unit(short)
    with transaction.atomic():
        city = PoliceOrgan.objects.create(name="广州市公安局", division=gz["city"])
        county = PoliceOrgan.objects.create(name="天河分局", division=gz["tianhe"])
    return {
        "good": good,
        "short": short,
        "city_officer": signed_in("officer_city", role="officer", organ=city),
        "county_officer": signed_in("officer_county", role="officer", organ=county),
        "admin": signed_in("unit_admin", role="unit_admin", unit=short),
        "operator": signed_in("operator", role="unit_operator", unit=short),
    }


def test_the_unit_page_shows_findings_citing_their_article(world) -> None:
    short = world["short"]
    response = world["city_officer"].get(f"/units/{short.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert short.name in page and "营业厅" in page and "金融机构的营业" in page
    assert "视频监控、入侵报警" in page and "5 日" in page  # subsystems, retention
    assessment = Assessment.objects.filter(unit=short).get()
    finding = assessment.result["findings"][0]
    assert finding["code"] == "RETENTION_SHORT"
    assert "采获信息留存时间不足" in page
    # the citation: 第二十条第一款 with the paragraph's words in its title, linking to the law
    words = article_text("guangdong-2017", finding["basis"])
    assert words and f'title="{words}"' in page
    assert '<a class="cite" href="/law/guangdong-2017/#art-20"' in page
    assert ">第二十条第一款</a>" in page
    # the evidence in Chinese, and the penalty range exactly as the engine gave it
    assert "采获信息留存 5 日，少于应当留存的 30 日" in page
    for fine in finding["penalty"]["fines"]:
        assert f"{fine['min']:,} 元至 {fine['max']:,} 元" in page
    assert assessment.regime_version[:12] in page
    assert 'class="badge violated"' in page and 'class="badge met"' in page
    assert "重新评估" in page  # officers may re-assess


def test_out_of_scope_is_404_and_anonymous_goes_to_login(world) -> None:
    short, good = world["short"], world["good"]
    assert world["county_officer"].get(f"/units/{short.pk}/").status_code == 404
    assert world["county_officer"].get(f"/units/{good.pk}/").status_code == 200
    assert world["admin"].get(f"/units/{good.pk}/").status_code == 404
    assert world["admin"].get(f"/units/{good.pk}/self-check/").status_code == 404
    assert world["admin"].get("/units/999999/").status_code == 404
    staff = signed_in("staff", role="practitioner_staff", practitioner=f.practitioner())
    assert staff.get(f"/units/{short.pk}/").status_code == 404
    assert staff.get(f"/units/{short.pk}/self-check/").status_code == 404
    for url in (f"/units/{short.pk}/", f"/units/{short.pk}/self-check/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"


def test_reassess_is_for_officers_only(world) -> None:
    short = world["short"]
    url = f"/units/{short.pk}/"
    before = Assessment.objects.count()
    page = world["operator"].get(url).content.decode()
    assert "重新评估" not in page
    assert world["operator"].post(url, HTTP_HX_REQUEST="true").status_code == 403
    assert world["admin"].post(url).status_code == 403
    assert world["county_officer"].post(url).status_code == 404  # not in the county
    assert Assessment.objects.count() == before
    response = world["city_officer"].post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    block = response.content.decode()
    assert block.lstrip().startswith('<section id="assessment"')
    assert "已按今日登记数据重新评估" in block and "RETENTION_SHORT" in block
    assert Assessment.objects.count() == before + 1
    plain = world["city_officer"].post(url)
    assert plain.status_code == 302 and plain["Location"] == url


def test_devices_are_paged_with_an_htmx_more_button(world) -> None:
    good = world["good"]
    system = good.systems.get()
    with transaction.atomic():
        for i in range(2, DEVICES_PER_PAGE + 6):
            Device.objects.create(system=system, code=f"C{i:03d}", location="lobby", video=True)
    total = DEVICES_PER_PAGE + 5
    page = world["county_officer"].get(f"/units/{good.pk}/").content.decode()
    assert page.count('<tr id="d') == DEVICES_PER_PAGE
    assert 'id="more-devices"' in page and "?devices=2" in page
    more = world["county_officer"].get(f"/units/{good.pk}/?devices=2", HTTP_HX_REQUEST="true")
    rows = more.content.decode()
    assert "<html" not in rows
    assert rows.count('<tr id="d') == total - DEVICES_PER_PAGE
    assert 'id="more-devices"' not in rows


def test_self_check_explains_a_violation_and_stores_nothing(world) -> None:
    short = world["short"]
    assessments, findings = Assessment.objects.count(), AssessmentFinding.objects.count()
    for client in (world["admin"], world["operator"], world["city_officer"]):
        response = client.get(f"/units/{short.pk}/self-check/")
        assert response.status_code == 200
        page = response.content.decode()
        assert 'data-verdict="violations"' in page
        assert 'data-status="violated" data-code="RETENTION_MIN_DAYS"' in page
        # the article cited, with its words on hover and in full below
        assert '<a class="cite" href="/law/guangdong-2017/#art-20"' in page
        assert 'id="art-20"' in page
        paragraph = law.load("guangdong-2017").article(20).paragraphs[0].text
        assert paragraph in page
        # what the data says, and what to do, with the days taken from the engine's answer
        item = next(i for i in response.context["items"] if i["code"] == "RETENTION_MIN_DAYS")
        required = next(
            o["value"]
            for o in response.context["result"]["obligations"]
            if o["code"] == "RETENTION_MIN_DAYS"
        )
        assert f"不少于 {required} 日（现为 5 日）" in item["todo"]
        assert item["todo"] in page
        assert "采获信息留存时间不足" in page
    assert Assessment.objects.count() == assessments
    assert AssessmentFinding.objects.count() == findings


def test_self_check_says_compliant_for_a_compliant_unit(world) -> None:
    good = world["good"]
    response = world["county_officer"].get(f"/units/{good.pk}/self-check/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-verdict="compliant">合规<' in page
    assert 'data-verdict="violations"' not in page
    assert response.context["violations"] == 0
    assert 'id="art-9"' in page  # the articles its obligations cite, in full
