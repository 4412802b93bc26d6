"""Schemathesis against the OpenAPI document: generated requests (a bounded number per
operation) never cause a server error, and every response fits the documented schema."""

from __future__ import annotations

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.db import transaction
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from jifang.platform.wsgi import application
from tests.platform import factories as f


def _load():
    """The document the server publishes, generated in-process (no database needed)."""
    import json

    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    spec = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(spec)))
    loaded.app = application
    return loaded


schema = _load()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go straight to the WSGI app: keep Django from closing the test's connection
    at the end of each one (Django's own test client does the same)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db) -> str:
    divs = f.guangzhou()
    f.bank(divs["tianhe"], practitioner=f.practitioner())
    with transaction.atomic():
        user = User.objects.create_superuser("root", password="x")
        return Token.objects.create(user=user).key


@schema.parametrize()
@settings(max_examples=5, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_fits_its_schema(case, token) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
