"""Creating through the API, for every registry x every role x a row in and out of scope: the
row (a copy of one of the world's rows, its unique keys renewed) is created iff the roles'
rules let the user add a row there (the oracle of test_scope)."""

from __future__ import annotations

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from jifang.platform.core.catalog import READ_ONLY
from jifang.platform.core.catalog import SLUGS as ROUTES
from tests.platform import factories as f
from tests.platform.test_scope import _oracle, world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

SKIP_FIELDS = {"id", "created_at", "updated_at", "tracking_code", "submitted_at"}


def _copy(admin: APIClient, prefix: str, obj) -> dict:
    """The row as the API gives it, without its key and with its unique values renewed."""
    data = {k: v for k, v in admin.get(f"/api/{prefix}/{obj.pk}/").json().items()}
    for name in SKIP_FIELDS:
        data.pop(name, None)
    for field in type(obj)._meta.fields:
        if field.unique and not field.primary_key and field.name in data:
            if field.name == "uscc":
                data["uscc"] = f.uscc(data["uscc"][2:8])
            elif isinstance(data[field.name], str) and data[field.name].isdigit():
                data[field.name] = data[field.name][:-2] + "99"  # a division code
            elif isinstance(data[field.name], str):
                data[field.name] = data[field.name][:-2] + "X9"
    if isinstance(data.get("name"), str):  # names are unique within their unit or division
        data["name"] += "（二）"
    for name in ("model_number", "number"):  # unique with the maker, or alone
        if isinstance(data.get(name), str):
            data[name] += "-2"
    if "code" in data and type(obj)._meta.label_lower == "systems.device":
        data["code"] = data["code"] + "-2"
    return {k: v for k, v in data.items() if v is not None}


def test_every_endpoint_creates_by_the_rules(world) -> None:  # noqa: F811
    objects, users = world
    admin = APIClient()
    admin.force_authenticate(users["superuser"])
    wrong, outcomes = [], {True: 0, False: 0}
    for label, prefix in ROUTES.items():
        if label in READ_ONLY:
            continue
        rows = [(obj, owner) for obj, owner in objects if type(obj)._meta.label_lower == label]
        for obj, owner in rows:
            data = _copy(admin, prefix, obj)
            for name, user in users.items():
                client = APIClient()
                if name != "anonymous":
                    client.force_authenticate(user)
                sid = transaction.savepoint()
                response = client.post(f"/api/{prefix}/", data, format="json")
                transaction.savepoint_rollback(sid)
                created = response.status_code == 201
                outcomes[created] += 1
                if response.status_code == 400:
                    wrong.append(f"{name} add {prefix} like #{obj.pk}: 400 {response.json()}")
                elif created != _oracle(user, "add", label, owner):
                    wrong.append(f"{name} add {prefix} like #{obj.pk}: {response.status_code}")
    assert not wrong, "\n".join(wrong[:40])
    assert outcomes[True] > 50 and outcomes[False] > 50  # both answers were really given
