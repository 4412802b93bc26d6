"""A signed-in browser client for the page tests."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client

from jifang.platform.accounts.models import Account


def signed_in(username: str, **account) -> Client:
    """A client signed in as a new user, with an account of `account`'s fields if given."""
    with transaction.atomic():
        user = User.objects.create_user(username, password="x")
        if account:
            Account.objects.create(user=user, **account)
    client = Client()
    client.force_login(user)
    return client
