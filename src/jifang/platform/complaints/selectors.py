"""Reads of complaints. Lists go through `restrict` (officers only); the one public read is
the complainant's own look-up by tracking code (services.find_by_code)."""

from __future__ import annotations

from django.db.models import QuerySet

from jifang.platform.accounts.scope import restrict

from .models import Complaint


def complaints_for(user) -> QuerySet[Complaint]:
    return restrict(Complaint.objects.select_related("division", "practitioner"), user, "view")


def open_complaints_for(user) -> QuerySet[Complaint]:
    return complaints_for(user).exclude(status=Complaint.Status.CLOSED)
