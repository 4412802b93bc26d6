"""The login page at /accounts/login/: Chinese, self-contained, and it signs a user in."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_and_fetches_nothing_from_outside() -> None:
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "登录" in page and 'lang="zh-hans"' in page
    assert "http://" not in page and "https://" not in page


def test_login_signs_in_and_a_wrong_password_says_so() -> None:
    with transaction.atomic():
        User.objects.create_user("officer", password="right-password-1", is_staff=True)
    client = Client()
    wrong = client.post("/accounts/login/", {"username": "officer", "password": "nope"})
    assert wrong.status_code == 200 and "用户名或密码不正确" in wrong.content.decode()
    right = client.post("/accounts/login/", {"username": "officer", "password": "right-password-1"})
    assert right.status_code == 302 and right["Location"] == "/"


def test_pages_forbid_anything_from_outside_by_policy() -> None:
    page = Client().get("/law/")
    policy = page["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
