"""Passwords hashed with Argon2; repeated failed logins lock the account; every login, failure
and logout is in the audit log."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client, override_settings

from jifang.platform import settings as production
from jifang.platform.auditlog.models import PendingEntry

pytestmark = pytest.mark.django_db


def test_production_hashes_with_argon2() -> None:
    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("正确的密码123", hasher.salt())
    assert encoded.startswith("argon2$argon2id$")
    assert hasher.verify("正确的密码123", encoded)
    assert not hasher.verify("错误的密码123", encoded)


def _login(client: Client, password: str):
    return client.post("/admin/login/?next=/admin/", {"username": "officer", "password": password})


@override_settings(JIFANG_LOCKOUT_FAILURES=3, JIFANG_LOCKOUT_MINUTES=15)
def test_lockout_after_repeated_failures_even_with_the_right_password() -> None:
    with transaction.atomic():
        User.objects.create_user("officer", password="right-password-1", is_staff=True)
    client = Client()
    for _ in range(3):
        assert _login(client, "wrong").status_code == 200  # the form again, with an error
    response = _login(client, "right-password-1")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    failures = PendingEntry.objects.filter(action="login_failed")
    assert failures.count() == 4
    assert json.loads(failures.order_by("pk").last().after)["locked"] is True


def test_login_and_logout_are_logged_and_clear_failures() -> None:
    with transaction.atomic():
        User.objects.create_user("officer", password="right-password-1", is_staff=True)
    client = Client()
    _login(client, "wrong")
    response = _login(client, "right-password-1")
    assert response.status_code == 302
    assert PendingEntry.objects.filter(action="login", object_repr="officer").exists()
    from jifang.platform.accounts.models import LoginFailure

    assert not LoginFailure.objects.filter(username="officer").exists()
    client.post("/admin/logout/")
    assert PendingEntry.objects.filter(action="logout").exists()
