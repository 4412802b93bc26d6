"""Records as the audit log sees them: label, snapshot, the transaction rule.

No import of ``jifang.platform.core`` here, so ``core.models`` can import
``auditlog.managers`` (which uses these) without a cycle.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, models

from .services import AuditError

__all__ = ["label", "require_transaction", "snapshot", "stored_snapshot"]


def label(model: type[models.Model]) -> str:
    """The model label an entry records, e.g. ``units.unit`` (proxies log as their model)."""
    return model._meta.concrete_model._meta.label_lower


def _normalise(instance: models.Model, data: dict[str, Any]) -> dict[str, Any]:
    """Field values as the database holds them (``"2024-01-01"`` → date, ``0`` → ``0.00``)."""
    fields = {f.name: f for f in instance._meta.concrete_fields}
    for key, value in data.items():
        field = fields.get(key)
        if field is None or value is None:
            continue
        try:
            value = field.to_python(value)
        except ValidationError:
            continue
        if isinstance(field, models.DecimalField) and isinstance(value, Decimal):
            value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
        data[key] = value
    return data


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The record's fields for *before*/*after*: ``RegistryModel.snapshot()``, normalised."""
    return _normalise(instance, instance.snapshot())


def require_transaction(using: str) -> None:
    if not connections[using].in_atomic_block:
        raise AuditError(
            "登记数据只能在事务中修改，以便同时写入审计日志（用 transaction.atomic()）/ "
            "registry records may only change inside a transaction, so that the audit entry "
            "commits with them (use transaction.atomic())"
        )


def stored_snapshot(model: type[models.Model], pk: Any, using: str) -> dict[str, Any] | None:
    """The stored row's snapshot, locking it until the transaction ends (PostgreSQL)."""
    if pk is None:
        return None
    row = model._base_manager.using(using).select_for_update().filter(pk=pk).first()
    return snapshot(row) if row is not None else None
