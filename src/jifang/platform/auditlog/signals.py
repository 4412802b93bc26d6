"""Change logging: every create, update and delete of a registry record appends an entry.

Connected (by ``AuditlogConfig.ready``) for every subclass of
:class:`jifang.platform.core.models.RegistryModel`, and for the many-to-many relations they
declare (``System.places``):

- ``pre_save`` refuses a save outside a transaction (:class:`AuditError`), so no change can
  commit without its entry, and reads the stored row (``SELECT … FOR UPDATE``) for *before*;
- ``post_save`` appends ``create`` or ``update`` with *before* and *after* snapshots;
- ``pre_delete`` / ``post_delete`` append ``delete`` with the stored record as *before*
  (cascades log each deleted record);
- ``m2m_changed`` appends an ``update`` of the owning record with its related ids before and
  after.

Every save is logged, including one that changes no field: the row is still written (its
``updated_at`` moves), and a log that skipped some writes could not promise "no change
without its entry". Bulk ``QuerySet.update()``/``bulk_create()``/``bulk_update()`` send no
signals: use :class:`jifang.platform.auditlog.managers.AuditedQuerySet` for those.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models import signals

from jifang.platform.core.models import RegistryModel

from . import services
from .records import label, require_transaction, snapshot, stored_snapshot
from .services import AuditError

__all__ = ["AuditError", "connect", "label", "log_event", "snapshot"]

_BEFORE = "_jifang_audit_before"
_DELETED = "_jifang_audit_deleted"
_M2M = "_jifang_audit_m2m"

log_event = services.log_event


# --------------------------------------------------------------------------- receivers


def _pre_save(sender, instance, using, **kwargs) -> None:
    require_transaction(using)
    instance.__dict__[_BEFORE] = stored_snapshot(type(instance), instance.pk, using)


def _post_save(sender, instance, created, using, **kwargs) -> None:
    before = instance.__dict__.pop(_BEFORE, None)
    services.append(
        "create" if created else "update",
        label(sender),
        instance.pk,
        str(instance),
        before,
        snapshot(instance),
        using=using,
    )


def _pre_delete(sender, instance, using, **kwargs) -> None:
    require_transaction(using)  # Django's deletion always runs in one; refuse any other path
    before = stored_snapshot(type(instance), instance.pk, using)  # not a stale copy's fields
    instance.__dict__[_DELETED] = (
        instance.pk,
        str(instance),
        before if before is not None else snapshot(instance),
    )


def _post_delete(sender, instance, using, **kwargs) -> None:
    pk, text, before = instance.__dict__.pop(_DELETED, (instance.pk, str(instance), None))
    services.append("delete", label(sender), pk, text, before, None, using=using)


def _m2m_owners(field, instance, reverse: bool, pk_set, using: str) -> list[models.Model]:
    if not reverse:
        return [instance]
    owners = field.model._base_manager.using(using)
    if pk_set is None:  # clear() from the other side: every owner linked to instance
        return list(owners.filter(**{field.name: instance}))
    return list(owners.filter(pk__in=pk_set))


def _m2m_receiver(field):
    def _m2m_changed(sender, instance, action, reverse, pk_set, using, **kwargs) -> None:
        kind = action.partition("_")[0]
        if kind == "pre":
            require_transaction(using)
            if pk_set is not None and not pk_set:
                return  # nothing will change
            owners = _m2m_owners(field, instance, reverse, pk_set, using)
            instance.__dict__[_M2M] = [(owner, snapshot(owner)) for owner in owners]
            return
        for owner, before in instance.__dict__.pop(_M2M, []):
            if hasattr(owner, "_prefetched_objects_cache"):
                owner._prefetched_objects_cache.pop(field.name, None)
            after = snapshot(owner)
            if after != before:
                services.append(
                    "update", label(type(owner)), owner.pk, str(owner), before, after, using=using
                )

    return _m2m_changed


def _connect_model(model: type[models.Model]) -> None:
    if not issubclass(model, RegistryModel) or model._meta.abstract:
        return
    uid = f"jifang-audit-{model._meta.label_lower}"
    signals.pre_save.connect(_pre_save, sender=model, dispatch_uid=uid)
    signals.post_save.connect(_post_save, sender=model, dispatch_uid=uid)
    signals.pre_delete.connect(_pre_delete, sender=model, dispatch_uid=uid)
    signals.post_delete.connect(_post_delete, sender=model, dispatch_uid=uid)
    if model._meta.proxy:
        return
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        if isinstance(through, str):  # not resolved yet; class_prepared will see it later
            continue
        signals.m2m_changed.connect(
            _m2m_receiver(field),
            sender=through,
            weak=False,
            dispatch_uid=f"jifang-audit-m2m-{model._meta.label_lower}.{field.name}",
        )


def _class_prepared(sender, **kwargs) -> None:
    """Registry models defined after start-up (tests, plug-ins) are logged too."""
    if apps.ready:
        _connect_model(sender)


def connect() -> None:
    for model in apps.get_models():
        _connect_model(model)
    signals.class_prepared.connect(_class_prepared, dispatch_uid="jifang-audit-class-prepared")


connect()
