"""A QuerySet whose bulk writes are logged like single saves.

``QuerySet.update()``, ``bulk_create()`` and ``bulk_update()`` send no model signals, so on a
plain manager they would change registry rows with no audit entry. ``AuditedQuerySet`` logs
one entry per affected row, with before and after, in the same transaction (and refuses to run
outside one). ``delete()`` needs nothing: Django's deletion sends the signals signals.py
listens to. Registry models get it through ``RegistryModel.objects = AuditedManager()``.
"""

from __future__ import annotations

from django.db import models, transaction

from . import services
from .records import label, require_transaction, snapshot

CHUNK = 500


class AuditedQuerySet(models.QuerySet):
    def _plain(self) -> models.QuerySet:
        return models.QuerySet(self.model, using=self.db)

    def _snapshots(self, pks: list) -> dict:
        found = {}
        for start in range(0, len(pks), CHUNK):
            rows = self._plain().select_for_update().filter(pk__in=pks[start : start + CHUNK])
            found.update({row.pk: row for row in rows})
        return found

    def _log_updates(self, pks: list, before: dict) -> None:
        for pk, row in sorted(self._snapshots(pks).items()):
            services.append(
                "update",
                label(self.model),
                pk,
                str(row),
                before.get(pk),
                snapshot(row),
                using=self.db,
            )

    def update(self, **kwargs) -> int:
        require_transaction(self.db)
        with transaction.atomic(using=self.db, savepoint=False):
            pks = sorted(self.values_list("pk", flat=True))
            before = {pk: snapshot(row) for pk, row in self._snapshots(pks).items()}
            count = 0
            for start in range(0, len(pks), CHUNK):
                count += self._plain().filter(pk__in=pks[start : start + CHUNK]).update(**kwargs)
            self._log_updates(pks, before)
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        require_transaction(self.db)
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise services.AuditError(
                "bulk_create 的冲突处理无法逐条记入审计日志 / bulk_create with conflict handling "
                "cannot be logged row by row: save the records one by one"
            )
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            for obj in created:
                if obj.pk is None:
                    raise services.AuditError("bulk_create did not return primary keys")
                services.append(
                    "create",
                    label(self.model),
                    obj.pk,
                    str(obj),
                    None,
                    snapshot(obj),
                    using=self.db,
                )
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None) -> int:
        require_transaction(self.db)
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            pks = sorted({obj.pk for obj in objs})
            before = {pk: snapshot(row) for pk, row in self._snapshots(pks).items()}
            # the plain QuerySet's bulk_update calls its own update(), which logs nothing
            count = self._plain().bulk_update(objs, fields, batch_size=batch_size)
            self._log_updates(pks, before)
        return count

    bulk_update.alters_data = True


AuditedManager = models.Manager.from_queryset(AuditedQuerySet)
