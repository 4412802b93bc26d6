"""A refusal comes before the input's faults: a user whose role may not add to a registry gets
403 even when the row sent would also break a uniqueness rule (never a 400 that describes the
registry's contents to someone who may not write to it)."""

from __future__ import annotations

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from jifang.platform.accounts.scope import may_ever
from jifang.platform.core.catalog import READ_ONLY, model_for
from jifang.platform.core.catalog import SLUGS as ROUTES
from tests.platform.test_scope import world  # noqa: F401  (the fixture)

from .test_api_create_matrix import SKIP_FIELDS

pytestmark = pytest.mark.django_db


def test_a_role_that_may_not_add_is_refused_before_validation(world) -> None:  # noqa: F811
    objects, users = world
    admin = APIClient()
    admin.force_authenticate(users["superuser"])
    wrong, refused, invalid = [], 0, 0
    for label, prefix in ROUTES.items():
        if label in READ_ONLY:
            continue
        obj = next(o for o, _ in objects if type(o)._meta.label_lower == label)
        # the row exactly as it is: every unique value taken already
        data = {
            k: v
            for k, v in admin.get(f"/api/{prefix}/{obj.pk}/").json().items()
            if k not in SKIP_FIELDS and v is not None
        }
        for name, user in users.items():
            if name in ("anonymous", "superuser"):
                continue
            client = APIClient()
            client.force_authenticate(user)
            sid = transaction.savepoint()
            status = client.post(f"/api/{prefix}/", data, format="json").status_code
            transaction.savepoint_rollback(sid)
            if not may_ever(user, "add", model_for(prefix)):
                refused += status == 403
                if status != 403:
                    wrong.append(f"{name} add {prefix}: {status}, not 403")
            else:
                invalid += status == 400
    assert not wrong, "\n".join(wrong)
    assert refused > 20 and invalid > 5  # both kinds of answer were really given
