"""The registry pages: search, filters, sorting, pages, the row's page and the exports.

Sorting by a field that is not a listed column (or by nothing known) is ignored: the list
falls back to the registry's own order and answers 200, so an old link never breaks."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jifang.platform.accounts.models import Account
from jifang.platform.core.importexport import get_registry, import_table
from jifang.platform.core.importexport.tables import read_csv_bytes
from jifang.platform.geo.models import PoliceOrgan
from jifang.platform.practitioners.models import Personnel
from jifang.platform.systems.models import Product, System
from jifang.platform.units.models import Unit
from tests.platform import factories as f

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr data-pk="(\d+)"')


@pytest.fixture
def city():
    gz = f.guangzhou()
    builder = f.practitioner()
    tianhe = f.bank(gz["tianhe"], practitioner=builder)
    yuexiu = f.bank(gz["yuexiu"], retention=5)
    with transaction.atomic():
        Personnel.objects.create(practitioner=builder, name="王五", role="项目经理")
        organ = PoliceOrgan.objects.create(name="广州市公安局", division=gz["city"])
        root = User.objects.create_superuser("root", password="x")
        officer = User.objects.create_user("officer", password="x")
        Account.objects.create(user=officer, role="officer", organ=organ)
        staff = User.objects.create_user("staff", password="x")
        Account.objects.create(user=staff, role="practitioner_staff", practitioner=builder)
    return {
        "divisions": gz,
        "builder": builder,
        "tianhe": tianhe,
        "yuexiu": yuexiu,
        "root": root,
        "officer": officer,
        "staff": staff,
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pks(response) -> list[int]:
    assert response.status_code == 200
    return [int(pk) for pk in ROW.findall(response.content.decode())]


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _products(count: int) -> list[Product]:
    with transaction.atomic():
        return [
            Product.objects.create(
                name=f"摄像机{i:03d}", model_number=f"M-{i:03d}", manufacturer="某电子公司"
            )
            for i in range(count)
        ]


# ---------------------------------------------------------------- the list


def test_unknown_registry_is_404_and_anonymous_go_to_login(city) -> None:
    client = _client(city["root"])
    assert client.get("/registry/nothing/").status_code == 404
    assert client.get("/registry/nothing/1/").status_code == 404
    assert client.get("/registry/nothing/export.csv").status_code == 404
    response = Client().get("/registry/units/?q=x")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/registry/units/%3Fq%3Dx"


def test_headers_are_chinese_and_codes_show_their_labels(city) -> None:
    page = _client(city["officer"]).get("/registry/systems/").content.decode()
    assert "<h1>技防系统</h1>" in page
    for header in ("名称", "状态", "采获信息留存天数", "承建从业单位"):
        assert f">{header}</a></th>" in page  # sortable
    assert "<th>子系统</th>" in page  # a JSON list does not sort
    # A JSON code list and choices by their labels, the codes in the title.
    assert '<span title="video、intrusion_alarm">视频监控、入侵报警</span>' in page
    assert '<span title="in_use">使用中</span>' in page
    assert '<span title="passed">验收合格</span>' in page
    assert f'href="/units/{city["tianhe"].pk}/"' in page  # units link to the unit page


def test_search_by_the_filtersets_q_and_by_the_rows_own_fields(city) -> None:
    client = _client(city["root"])
    assert _pks(client.get("/registry/units/?q=天河")) == [city["tianhe"].pk]
    assert _pks(client.get(f"/registry/units/?q={city['yuexiu'].uscc}")) == [city["yuexiu"].pk]
    _products(3)
    assert len(_pks(client.get("/registry/products/?q=M-001"))) == 1
    assert _pks(client.get("/registry/places/?q=不存在")) == []


def test_filters_narrow_the_rows(city) -> None:
    client = _client(city["root"])
    systems = {s.unit_id: s.pk for s in System.objects.all()}
    short = client.get("/registry/systems/?retention_below=30")
    assert _pks(short) == [systems[city["yuexiu"].pk]]
    assert _pks(client.get("/registry/systems/?status=retired")) == []
    assert _pks(client.get("/registry/units/?division=440106")) == [city["tianhe"].pk]
    assert len(_pks(client.get("/registry/places/?public_area=false"))) == 2
    assert _pks(client.get("/registry/places/?public_area=true")) == []
    page = client.get("/registry/systems/?status=in_use").content.decode()
    assert '<option value="in_use" selected>使用中</option>' in page


def test_a_filter_by_a_related_row_is_named_and_can_be_dropped(city) -> None:
    builder = city["builder"]
    response = _client(city["officer"]).get(f"/registry/systems/?practitioner={builder.pk}")
    assert _pks(response) == [System.objects.get(unit=city["tianhe"]).pk]
    page = response.content.decode()
    assert f"承建从业单位：{builder.name}" in page
    assert f'<input type="hidden" name="practitioner" value="{builder.pk}">' in page
    assert 'href="/registry/systems/" hx-get="/registry/systems/"' in page  # the × drops it


def test_bad_filters_are_named_in_both_languages_and_show_no_rows(city) -> None:
    client = _client(city["root"])
    response = client.get("/registry/orders/?finding=NOPE")
    page = response.content.decode()
    assert response.status_code == 200 and _pks(response) == []
    assert "违法认定：" in page and "/ finding: Select a valid choice" in page
    huge = client.get("/registry/systems/?retention_below=1e30")
    assert huge.status_code == 200 and _pks(huge) == []
    assert "留存天数少于：数值超出范围 / retention_below: number out of range" in (
        huge.content.decode()
    )


def test_sorting_by_a_listed_column_and_ignoring_anything_else(city) -> None:
    products = _products(5)
    client = _client(city["root"])
    by_pk = [p.pk for p in products]
    assert _pks(client.get("/registry/products/?sort=name")) == by_pk
    assert _pks(client.get("/registry/products/?sort=-name")) == by_pk[::-1]
    assert _pks(client.get("/registry/products/?sort=-model_number")) == by_pk[::-1]
    default = _pks(client.get("/registry/products/"))
    for ignored in ("password", "-created_at", "id", "name__foo", "-"):
        assert _pks(client.get(f"/registry/products/?sort={ignored}")) == default
    page = client.get("/registry/products/?sort=name").content.decode()
    assert 'href="/registry/products/?sort=-name"' in page and "名称 ▲" in page


def test_ties_sort_stably_by_row_number_in_the_sorts_direction(city) -> None:
    products = _products(4)  # one manufacturer for all
    client = _client(city["root"])
    by_pk = [p.pk for p in products]
    assert _pks(client.get("/registry/products/?sort=manufacturer")) == by_pk
    # a descending sort is the ascending one reversed, so one (column, id) index serves both
    assert _pks(client.get("/registry/products/?sort=-manufacturer")) == by_pk[::-1]


def test_pages_of_fifty_counted_by_the_database(city) -> None:
    _products(120)
    client = _client(city["officer"])
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/registry/products/?sort=name")
    assert len(_pks(first)) == 50 and "共 120 条" in first.content.decode()
    sql = [
        q["sql"].upper() for q in queries.captured_queries if "SYSTEMS_PRODUCT" in q["sql"].upper()
    ]
    assert any("COUNT(" in q for q in sql)
    assert all("LIMIT 50" in q for q in sql if "COUNT(" not in q)
    assert 'href="/registry/products/?sort=name&amp;page=2"' in first.content.decode()
    assert len(_pks(client.get("/registry/products/?sort=name&page=3"))) == 20
    assert _pks(client.get("/registry/products/?page=99")) == _pks(
        client.get("/registry/products/?page=3")
    )
    assert "第 1 / 3 页" in client.get("/registry/products/?page=x").content.decode()


def test_htmx_gets_only_the_table(city) -> None:
    client = _client(city["root"])
    response = client.get(
        "/registry/units/?q=天河&kind=&division=",
        headers={"HX-Request": "true", "HX-Target": "registry"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert 'id="registry"' in page
    assert _pks(response) == [city["tianhe"].pk]
    assert "HX-Request" in response["Vary"]
    assert response["HX-Push-Url"] == "/registry/units/?q=%E5%A4%A9%E6%B2%B3"  # no blank fields
    assert "<html" in client.get("/registry/units/").content.decode()


# ---------------------------------------------------------------- the row's page


def test_practitioner_page_shows_certificates_personnel_and_systems_built(city) -> None:
    builder = city["builder"]
    page = _client(city["staff"]).get(f"/registry/practitioners/{builder.pk}/").content.decode()
    certificate = builder.certificates.get()
    assert certificate.number in page and "资格等级 2 级" in page and "已备案" in page
    assert "王五" in page and "项目经理" in page
    assert "视频监控与报警系统" in page
    # The system's unit is not the company's to see: named nowhere on its page.
    assert city["tianhe"].name not in page and "（无权查看）" in page
    assert f"/registry/systems/?practitioner={builder.pk}" in page


def test_row_page_links_between_registries_and_labels_codes(city) -> None:
    client = _client(city["officer"])
    place = city["tianhe"].places.get()
    page = client.get(f"/registry/places/{place.pk}/").content.decode()
    assert "<dt>场所类别</dt>" in page and "金融" in page and "financial_business" in page
    assert f'<a href="/units/{city["tianhe"].pk}/">{city["tianhe"].name}</a>' in page
    system = System.objects.get(unit=city["tianhe"])
    assert f'<a href="/registry/systems/{system.pk}/">' in page  # the systems covering it
    unit_page = client.get(f"/registry/units/{city['tianhe'].pk}/").content.decode()
    assert "值班监看：是" in unit_page  # duties by their labels
    assert "/registry/places/?unit=" in unit_page


def test_a_row_outside_the_scope_is_404_and_a_huge_number_too(city) -> None:
    with transaction.atomic():
        far = f.division("350203", "思明区", "county")
    outside = f.bank(far)
    client = _client(city["officer"])
    assert client.get(f"/registry/units/{outside.pk}/").status_code == 404
    assert client.get(f"/registry/units/{10**30}/").status_code == 404


# ---------------------------------------------------------------- exports


def test_csv_export_has_the_import_columns_the_filters_and_imports_back(city) -> None:
    client = _client(city["officer"])
    response = client.get("/registry/units/export.csv?division=440106&sort=name&page=2")
    table = _csv(response)
    assert table[0] == get_registry("units").headers()
    assert [row[0] for row in table[1:]] == [city["tianhe"].name]
    assert response["Content-Type"].startswith("text/csv")
    assert "filename*=UTF-8''%E5%8D%95%E4%BD%8D-" in response["Content-Disposition"]
    report = import_table(
        get_registry("units"),
        read_csv_bytes(client.get("/registry/units/export.csv").content),
        dry_run=True,
    )
    assert report.ok and report.unchanged == Unit.objects.count() == 2


def test_the_list_links_to_exports_with_its_filters(city) -> None:
    page = _client(city["officer"]).get("/registry/units/?division=4401&page=1").content.decode()
    assert 'href="/registry/units/export.csv?division=4401"' in page
    assert 'href="/registry/units/export.xlsx?division=4401"' in page


def test_xlsx_export_opens_with_openpyxl(city) -> None:
    response = _client(city["officer"]).get("/registry/systems/export.xlsx?retention_below=30")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "技防系统" and list(rows[0]) == get_registry("systems").headers()
    assert len(rows) == 2 and rows[1][0] == city["yuexiu"].uscc


def test_engine_records_export_the_listed_columns(city) -> None:
    from jifang.platform.compliance.services import assess_unit

    with transaction.atomic():
        assessment = assess_unit(city["tianhe"], dt.date(2024, 6, 1))
    table = _csv(_client(city["officer"]).get("/registry/assessments/export.csv"))
    assert table[0] == [
        "编号",
        "评估日期",
        "单位",
        "适用法规",
        "技防重点单位",
        "违法认定数",
        "生成时间",
    ]
    assert table[1][:4] == [str(assessment.pk), "2024-06-01", city["tianhe"].name, "guangdong-2017"]


def test_bad_format_is_400_in_both_languages(city) -> None:
    client = _client(city["root"])
    response = client.get("/registry/units/export.pdf")
    assert response.status_code == 400
    assert response.content.decode() == "导出格式：应为 csv 或 xlsx / format: must be csv or xlsx"
    assert Client().get("/registry/units/export.csv").status_code == 302
    bad = client.get("/registry/orders/export.csv?finding=NOPE")
    assert bad.status_code == 400 and "finding:" in bad.content.decode()


def test_staff_export_their_own_rows_only(city) -> None:
    client = _client(city["staff"])
    systems = _csv(client.get("/registry/systems/export.csv"))
    assert [row[0] for row in systems[1:]] == [city["tianhe"].uscc]
    # Filed practitioners are public to view, but an export is of one's own rows.
    practitioners = _csv(client.get("/registry/practitioners/export.csv"))
    assert [row[1] for row in practitioners[1:]] == [city["builder"].uscc]
