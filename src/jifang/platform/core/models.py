"""The base of every registry model: timestamps, validation on save, and change logging.

Every create, update and delete of a RegistryModel appends an audit entry in the same
transaction (see jifang.platform.auditlog.signals); saving outside a transaction is refused.
"""

from __future__ import annotations

from django.db import models
from django.forms.models import model_to_dict

from jifang.platform.auditlog.managers import AuditedManager


class RegistryModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # Bulk writes (update, bulk_create, bulk_update) are logged too, or refused.
    objects = AuditedManager()

    class Meta:
        abstract = True

    def snapshot(self) -> dict:
        """The record's fields as JSON-ready values, for the audit log's before/after."""
        data = model_to_dict(self)
        data["id"] = self.pk
        for key, value in list(data.items()):
            if isinstance(value, list) and value and isinstance(value[0], models.Model):
                data[key] = sorted(obj.pk for obj in value)
            elif hasattr(value, "isoformat"):
                data[key] = value.isoformat()
        return data
