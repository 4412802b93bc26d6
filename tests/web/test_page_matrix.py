"""Every registry page x every role x in-scope and out-of-scope rows, against the oracle of
test_scope (as test_api_matrix does for the API): a list shows a row iff the user may view it,
a row's page answers 200 iff so and 404 otherwise, an export holds a row iff the user may
export it; anonymous visitors are sent to the login page. No page links to a row the user
may not view (a link shows the row's name). The unit pages too.

The world is built once for the module, inside a transaction rolled back at its end; each test
runs in a savepoint of it (pytest-django's higher-scoped transaction), so the matrix takes
seconds."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client

from jifang.platform.core.catalog import LABELS, SLUGS
from jifang.platform.core.importexport import export_rows, get_registry
from tests.platform.test_scope import _oracle, world

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "superuser",
    "officer_province",
    "officer_city",
    "officer_county",
    "officer_fujian",
    "unit_admin",
    "unit_operator",
    "practitioner_staff",
]
ROW = re.compile(r'<tr data-pk="(\d+)"')
LINK = re.compile(r'href="/(?:registry/([a-z-]+)|(units))/(\d+)/')


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield world.__wrapped__()
        transaction.set_rollback(True)


def _client(user) -> Client:
    client = Client()
    if not isinstance(user, AnonymousUser):
        client.force_login(user)
    return client


def _rows_of(objects, label: str):
    return [(obj, owner) for obj, owner in objects if type(obj)._meta.label_lower == label]


def _sent_to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def _cells(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _plain(label: str) -> bool:
    """A registry that cannot be imported is exported as a plain table, numbered by pk."""
    reg = get_registry(SLUGS[label])
    return reg is None or reg.model._meta.label_lower != label


def _signature(obj) -> tuple[str, ...]:
    """How the row appears in its export: its import row, or its number in a plain table."""
    label = type(obj)._meta.label_lower
    if _plain(label):
        return (str(obj.pk),)
    [row] = export_rows(get_registry(SLUGS[label]), type(obj).objects.filter(pk=obj.pk))
    return tuple(_cells(c) for c in row)


def _hidden_links(page: str, user, objects) -> list[str]:
    """Links to rows the user may not view: a link shows the row's name, so there must be none."""
    owners = {(type(obj)._meta.label_lower, obj.pk): owner for obj, owner in objects}
    wrong = []
    for slug, units, pk in set(LINK.findall(page)):
        label = LABELS[slug or units]
        owner = owners.get((label, int(pk)))
        if owner is None or not _oracle(user, "view", label, owner):
            wrong.append(f"a link to {label}#{pk}")
    return wrong


def test_the_roles_are_the_worlds(built) -> None:
    assert set(ROLES) == set(built[1])


@pytest.mark.parametrize("role", ROLES)
def test_lists_show_exactly_the_rows_in_scope(built, role: str) -> None:
    objects, users = built
    user = users[role]
    client = _client(user)
    wrong = []
    for label, slug in SLUGS.items():
        response = client.get(f"/registry/{slug}/")
        if isinstance(user, AnonymousUser):
            if not _sent_to_login(response):
                wrong.append(f"{slug}: {response.status_code}")
            continue
        expected = {
            obj.pk for obj, owner in _rows_of(objects, label) if _oracle(user, "view", label, owner)
        }
        page = response.content.decode()
        shown = {int(pk) for pk in ROW.findall(page)}
        if response.status_code != 200 or shown != expected:
            wrong.append(f"{slug}: {response.status_code} shown {shown}, expected {expected}")
        wrong += [f"{slug}: {link}" for link in _hidden_links(page, user, objects)]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_row_pages_answer_200_in_scope_and_404_outside(built, role: str) -> None:
    objects, users = built
    user = users[role]
    client = _client(user)
    wrong = []
    for label, slug in SLUGS.items():
        for obj, owner in _rows_of(objects, label):
            response = client.get(f"/registry/{slug}/{obj.pk}/")
            if isinstance(user, AnonymousUser):
                ok = _sent_to_login(response)
            else:
                ok = response.status_code == (200 if _oracle(user, "view", label, owner) else 404)
                page = response.content.decode()
                wrong += [f"{slug}#{obj.pk}: {link}" for link in _hidden_links(page, user, objects)]
            if not ok:
                wrong.append(f"{slug}#{obj.pk}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_exports_hold_exactly_the_rows_the_user_may_export(built, role: str) -> None:
    objects, users = built
    user = users[role]
    client = _client(user)
    wrong = []
    for label, slug in SLUGS.items():
        response = client.get(f"/registry/{slug}/export.csv")
        if isinstance(user, AnonymousUser):
            if not _sent_to_login(response):
                wrong.append(f"{slug}: {response.status_code}")
            continue
        table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        width = 1 if _plain(label) else None
        exported = sorted(tuple(row[:width]) for row in table[1:])
        expected = sorted(
            _signature(obj)
            for obj, owner in _rows_of(objects, label)
            if _oracle(user, "export", label, owner)
        )
        if response.status_code != 200 or exported != expected:
            wrong.append(f"{slug}: {response.status_code} {exported} != {expected}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("page", ["", "self-check/"])
@pytest.mark.parametrize("role", ROLES)
def test_unit_pages_answer_200_in_scope_and_404_outside(built, role: str, page: str) -> None:
    objects, users = built
    user = users[role]
    client = _client(user)
    wrong = []
    for obj, owner in _rows_of(objects, "units.unit"):
        response = client.get(f"/units/{obj.pk}/{page}")
        if isinstance(user, AnonymousUser):
            ok = _sent_to_login(response)
        else:
            ok = response.status_code == (
                200 if _oracle(user, "view", "units.unit", owner) else 404
            )
        if not ok:
            wrong.append(f"/units/{obj.pk}/{page}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
