"""The one way registry records are written outside the admin and the importer: validated
in full, saved in a transaction (so the audit entry lands with the change)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import transaction

from .models import RegistryModel

R = TypeVar("R", bound=RegistryModel)


def save_record(record: R, **changes: Any) -> R:
    """Apply `changes`, validate (`full_clean`: field validators and the model's clean), save."""
    for name, value in changes.items():
        setattr(record, name, value)
    record.full_clean()
    with transaction.atomic():
        record.save()
    return record


def delete_record(record: RegistryModel) -> None:
    with transaction.atomic():
        record.delete()
