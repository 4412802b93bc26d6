"""The public pages: the filed practitioners, the warning list and the complaint form. Nothing
private is shown, the same list is shown to everyone, and a complaint is stored, logged,
rate-limited and looked up by its code."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client, override_settings

from jifang.platform.accounts.models import Account
from jifang.platform.auditlog.models import PendingEntry
from jifang.platform.complaints.models import Complaint
from jifang.platform.geo.models import PoliceOrgan
from jifang.platform.practitioners.models import Personnel
from tests.platform import factories as f

pytestmark = pytest.mark.django_db

PRACTITIONERS = "/public/practitioners/"
WARNING_LIST = "/public/warning-list/"
COMPLAINT = "/public/complaints/new/"


@pytest.fixture
def companies():
    divs = f.guangzhou()
    good = f.practitioner(level=2, until=dt.date(2030, 1, 1))
    unfiled = f.practitioner()
    warned = f.practitioner()
    expired = f.practitioner(level=1, until=dt.date(2021, 1, 1))
    with transaction.atomic():
        for pr, name, division in (
            (good, "天河安防工程有限公司", divs["tianhe"]),
            (unfiled, "未备案技防有限公司", divs["tianhe"]),
            (warned, "偷工减料安防有限公司", divs["yuexiu"]),
            (expired, "过期资格技防有限公司", divs["yuexiu"]),
        ):
            pr.name, pr.division = name, division
            pr.save()
        unfiled.filed = False
        unfiled.save()
        warned.on_warning_list, warned.warning_reason = True, "降低工程质量，拒不整改"
        warned.save()
        Personnel.objects.create(practitioner=good, name="王秘密", role="项目经理")
        organ = PoliceOrgan.objects.create(name="天河分局", division=divs["tianhe"])
        officer = User.objects.create_user("officer", password="x")
        Account.objects.create(user=officer, role="officer", organ=organ)
    return {
        "divs": divs,
        "good": good,
        "unfiled": unfiled,
        "warned": warned,
        "expired": expired,
        "officer": officer,
    }


def _page(client: Client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


# --- filed practitioners -------------------------------------------------------------------


def test_filed_companies_are_listed_with_their_level_and_validity(companies) -> None:
    page = _page(Client(), PRACTITIONERS)
    good, expired = companies["good"], companies["expired"]
    assert good.name in page and good.uscc in page and "广州市天河区" in page
    assert "二级" in page and "2030-01-01" in page
    assert expired.name in page and "无有效资格证" in page
    assert companies["unfiled"].name not in page
    assert companies["warned"].name not in page


def test_no_private_field_is_shown(companies) -> None:
    page = _page(Client(), PRACTITIONERS)
    assert "王秘密" not in page and "项目经理" not in page  # personnel
    for private in ("从业人员", "身份证", "电话", "手机"):
        assert private not in page.split("<main", 1)[1], private


def test_a_signed_in_officer_sees_the_same_public_list(companies) -> None:
    client = Client()
    client.force_login(companies["officer"])
    page = _page(client, PRACTITIONERS)
    assert companies["good"].name in page
    # the unfiled company is in the officer's county, but this page is the public list
    assert companies["unfiled"].name not in page


def test_search_by_name_credit_code_and_city(companies) -> None:
    client = Client()
    good, expired = companies["good"], companies["expired"]
    by_name = _page(client, PRACTITIONERS, q="天河安防")
    assert good.name in by_name and expired.name not in by_name
    by_code = _page(client, PRACTITIONERS, q=expired.uscc[-6:])
    assert expired.name in by_code and good.name not in by_code
    by_county = _page(client, PRACTITIONERS, q="越秀")
    assert expired.name in by_county and good.name not in by_county
    by_city = _page(client, PRACTITIONERS, q="广州")
    assert good.name in by_city and expired.name in by_city
    nothing = _page(client, PRACTITIONERS, q="不存在的公司")
    assert "没有符合条件的从业单位" in nothing


def test_search_as_you_type_returns_the_results_only(companies) -> None:
    response = Client().get(PRACTITIONERS, {"q": "天河"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'id="results"' in body
    assert companies["good"].name in body and companies["expired"].name not in body
    full = _page(Client(), PRACTITIONERS)
    assert 'hx-get="/public/practitioners/"' in full and 'hx-target="#results"' in full


def test_the_list_is_paginated_by_fifty() -> None:
    with transaction.atomic():
        for _ in range(51):
            f.practitioner()
    first = _page(Client(), PRACTITIONERS)
    assert "共 51 家" in first and first.count("<tr>") == 51  # the header row and 50
    second = _page(Client(), PRACTITIONERS, page=2)
    assert second.count("<tr>") == 2 and "第 2 / 2 页" in second


# --- warning list --------------------------------------------------------------------------


def test_the_warning_list_shows_the_warned_with_the_reason(companies) -> None:
    page = _page(Client(), WARNING_LIST)
    warned = companies["warned"]
    assert warned.name in page and warned.uscc in page and warned.warning_reason in page
    assert companies["good"].name not in page and companies["unfiled"].name not in page
    assert "王秘密" not in page
    assert warned.name in _page(Client(), WARNING_LIST, q="拒不整改")
    assert warned.name not in _page(Client(), WARNING_LIST, q="天河")


# --- complaints ----------------------------------------------------------------------------


def _valid(place, **changes) -> dict:
    return {
        "division": place.pk,
        "about": "system",
        "subject_name": "某小区物业",
        "content": "小区摄像头正对居民住宅窗户。",
        "contact_name": "刘先生",
        "contact_phone": "13800138000",
        **changes,
    }


def test_a_valid_complaint_is_stored_logged_and_given_a_code(companies) -> None:
    tianhe = companies["divs"]["tianhe"]
    response = Client(REMOTE_ADDR="203.0.113.5").post(COMPLAINT, _valid(tianhe))
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    page = response.content.decode()
    assert complaint.tracking_code in page and "投诉举报已提交" in page
    assert complaint.division == tianhe and complaint.status == "received"
    assert complaint.source_ip == "203.0.113.5"
    entry = PendingEntry.objects.get(model="complaints.complaint", action="create")
    assert entry.object_pk == str(complaint.pk) and entry.actor == "anonymous"
    assert json.loads(entry.after)["content"] == "小区摄像头正对居民住宅窗户。"


def test_a_complaint_may_name_a_filed_practitioner(companies) -> None:
    good = companies["good"]
    data = _valid(companies["divs"]["tianhe"], about="practitioner", subject_name="")
    Client().post(COMPLAINT, {**data, "practitioner": good.pk})
    complaint = Complaint.objects.get()
    assert complaint.practitioner == good and complaint.subject_name == good.name
    # an unfiled company is not on the public list, so it cannot be chosen
    response = Client().post(COMPLAINT, {**data, "practitioner": companies["unfiled"].pk})
    assert "被投诉从业单位：" in response.content.decode()
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"content": ""}, "投诉内容：必填 / content: required"),
        ({"content": "长" * 2001}, "投诉内容：最多2000个字"),
        ({"contact_phone": "12345"}, "联系电话：应为11位手机号码"),
        ({"division": ""}, "所涉区划：必填 / division: required"),
        ({"about": "ufo"}, "投诉对象类别：不是可选的值 / about: not one of the choices"),
        ({"subject_name": ""}, "被投诉单位名称：请填写被投诉单位名称 / subject_name:"),
    ],
)
def test_invalid_input_names_the_field_and_stores_nothing(companies, changes, problem) -> None:
    response = Client().post(COMPLAINT, _valid(companies["divs"]["tianhe"], **changes))
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert not Complaint.objects.exists()
    assert not PendingEntry.objects.filter(model="complaints.complaint").exists()


def test_only_county_level_divisions_are_offered(companies) -> None:
    page = _page(Client(), COMPLAINT)
    divs = companies["divs"]
    assert f'value="{divs["tianhe"].pk}"' in page
    assert f'value="{divs["city"].pk}"' not in page
    response = Client().post(COMPLAINT, _valid(divs["city"]))
    assert "所涉区划：不是可选的值" in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_form_needs_its_csrf_token(companies) -> None:
    client = Client(enforce_csrf_checks=True)
    assert 'name="csrfmiddlewaretoken"' in _page(client, COMPLAINT)
    response = client.post(COMPLAINT, _valid(companies["divs"]["tianhe"]))
    assert response.status_code == 403 and not Complaint.objects.exists()


@override_settings(JIFANG_COMPLAINTS_PER_HOUR=2)
def test_submissions_are_limited_per_address(companies) -> None:
    data = _valid(companies["divs"]["tianhe"])
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(2):
        assert "投诉举报已提交" in client.post(COMPLAINT, data).content.decode()
    refused = client.post(COMPLAINT, data)
    assert refused.status_code == 429
    assert "提交过于频繁：每小时最多2件" in refused.content.decode()
    assert Complaint.objects.count() == 2
    other = Client(REMOTE_ADDR="198.51.100.8").post(COMPLAINT, data)
    assert other.status_code == 200 and Complaint.objects.count() == 3


def test_the_status_is_looked_up_by_code(companies) -> None:
    Client().post(COMPLAINT, _valid(companies["divs"]["tianhe"]))
    complaint = Complaint.objects.get()
    with transaction.atomic():
        complaint.status, complaint.reply = "closed", "经核查，已责令物业调整摄像头角度。"
        complaint.save()
    typed = f"{complaint.tracking_code[:4].lower()}-{complaint.tracking_code[4:]}"
    page = _page(Client(), COMPLAINT, code=typed)
    assert complaint.tracking_code in page and "已办结" in page
    assert "已责令物业调整摄像头角度" in page
    # the look-up shows the status, not what the complainant told the police
    assert "13800138000" not in page and "刘先生" not in page
    missing = Client().get(COMPLAINT, {"code": "NOSUCHCODE22"})
    assert missing.status_code == 404
    assert "查询码：未找到对应的投诉举报" in missing.content.decode()
