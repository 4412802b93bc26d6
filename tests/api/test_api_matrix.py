"""Every endpoint x every role x in-scope and out-of-scope rows: list, detail, update, delete
and export answer exactly what the roles' rules allow (the oracle of test_scope)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from rest_framework.test import APIClient

from jifang.platform.core.catalog import READ_ONLY
from jifang.platform.core.catalog import SLUGS as ROUTES
from tests.platform.test_scope import _oracle, world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    if not isinstance(user, AnonymousUser):
        client.force_authenticate(user)
    return client


def _listed(client: APIClient, prefix: str) -> set[int]:
    ids, url = set(), f"/api/{prefix}/?page_size=1000"
    while url:
        response = client.get(url)
        if response.status_code != 200:
            return set()
        body = response.json()
        ids |= {row["id"] for row in body["results"]}
        url = body["next"]
    return ids


def test_every_endpoint_answers_by_the_rules(world) -> None:  # noqa: F811
    objects, users = world
    wrong = []
    for name, user in users.items():
        client = _client(user)
        for label, prefix in ROUTES.items():
            rows = [(obj, owner) for obj, owner in objects if type(obj)._meta.label_lower == label]
            expected = {obj.pk for obj, owner in rows if _oracle(user, "view", label, owner)}
            if _listed(client, prefix) != expected:
                wrong.append(f"{name} list {prefix}")
            for obj, owner in rows:
                url = f"/api/{prefix}/{obj.pk}/"
                seen = client.get(url).status_code == 200
                if seen != _oracle(user, "view", label, owner):
                    wrong.append(f"{name} detail {prefix}#{obj.pk}")
                for action, method in (("change", client.patch), ("delete", client.delete)):
                    sid = transaction.savepoint()
                    status = method(url, {}, format="json").status_code
                    transaction.savepoint_rollback(sid)
                    allowed = status in (200, 204, 409)  # 409: allowed, but still referenced
                    expected = _oracle(user, action, label, owner) and label not in READ_ONLY
                    if allowed != expected:
                        wrong.append(f"{name} {action} {prefix}#{obj.pk}: {status}")
    assert not wrong, "\n".join(wrong[:40])
