"""Audit log tables (see docs/audit.md).

- ``LogEntry``: one row per change or event, ``seq`` 0, 1, 2, … with no gaps; its
  ``leaf_hash`` is the Merkle leaf (level 0 of the tree).
- ``MerkleNode``: every completed perfect subtree above the leaves, keyed by its position in
  append order (:func:`jifang.platform.auditlog.store.node_pos`).
- ``Checkpoint``: signed tree heads (Ed25519), one per size at most.
- ``PendingEntry``: entries committed with their change, waiting (milliseconds) for the
  sequencer to place them in the log.
- ``LogHead``: one row holding the log's size.

Rows of the first three tables are never updated or deleted: database triggers refuse it
(see ``triggers.py``). Write them only through ``services``.
"""

from __future__ import annotations

import json

from django.db import models

from jifang.audit import checkpoint as cp

from .canonical import entry_bytes, ts_text


class LogEntry(models.Model):
    seq = models.BigIntegerField("序号", primary_key=True)
    ts = models.DateTimeField("时间")
    actor = models.CharField("操作人", max_length=150)
    action = models.CharField("操作", max_length=32)
    model = models.CharField("对象类型", max_length=100, blank=True)
    object_pk = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    before = models.TextField("修改前", default="null", help_text="规范 JSON 文本")
    after = models.TextField("修改后", default="null", help_text="规范 JSON 文本")
    leaf_hash = models.BinaryField("叶哈希", max_length=32)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["seq"]
        indexes = [models.Index(fields=["model", "object_pk"], name="auditlog_entry_object")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.model} {self.object_pk}"

    @property
    def before_data(self):
        return json.loads(self.before)

    @property
    def after_data(self):
        return json.loads(self.after)

    def leaf_bytes(self) -> bytes:
        """The canonical bytes this entry's leaf hash covers (see canonical.py)."""
        return entry_bytes(
            self.seq,
            ts_text(self.ts),
            self.actor,
            self.action,
            self.model,
            self.object_pk,
            self.object_repr,
            self.before,
            self.after,
        )


class MerkleNode(models.Model):
    """A perfect subtree of level >= 1 (the leaves live in LogEntry.leaf_hash)."""

    pos = models.BigIntegerField(
        "位置", primary_key=True, help_text="追加顺序中的位置：node_pos(level, index)"
    )
    hash = models.BinaryField("哈希", max_length=32)

    class Meta:
        verbose_name = "默克尔树节点"
        verbose_name_plural = "默克尔树节点"


class Checkpoint(models.Model):
    size = models.BigIntegerField("树大小", primary_key=True)
    origin = models.CharField("日志名称", max_length=200)
    root = models.BinaryField("根哈希", max_length=32)
    timestamp = models.CharField("签名时间", max_length=20, help_text="UTC, YYYY-MM-DDTHH:MM:SSZ")
    key_id = models.BinaryField("密钥标识", max_length=4)
    signature = models.BinaryField("签名", max_length=64)

    class Meta:
        verbose_name = "检查点"
        verbose_name_plural = "检查点"
        ordering = ["size"]

    def __str__(self) -> str:
        return f"{self.origin} @ {self.size}"

    def as_checkpoint(self) -> cp.Checkpoint:
        return cp.Checkpoint(
            origin=self.origin,
            size=self.size,
            root=bytes(self.root),
            timestamp=self.timestamp,
            key_id=bytes(self.key_id),
            signature=bytes(self.signature),
        )

    def note(self) -> str:
        """The checkpoint as a C2SP signed note (docs/audit-proofs.md)."""
        return self.as_checkpoint().to_note()


class PendingEntry(models.Model):
    """An entry committed with its change and not yet placed in the log.

    Written in the writer's transaction (so it commits or rolls back with the change); right
    after that commit the sequencer gives it its ``seq``, moves it to ``LogEntry`` and signs a
    checkpoint (services.sequence). Normally empty.
    """

    id = models.BigAutoField(primary_key=True)
    ts = models.DateTimeField("时间")
    actor = models.CharField("操作人", max_length=150)
    action = models.CharField("操作", max_length=32)
    model = models.CharField("对象类型", max_length=100, blank=True)
    object_pk = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    before = models.TextField("修改前", default="null")
    after = models.TextField("修改后", default="null")

    class Meta:
        verbose_name = "待入账审计记录"
        verbose_name_plural = "待入账审计记录"


class LogHead(models.Model):
    """The single row (id 1): the log's size, the right edge of its tree, the last signature.

    A cache the sequencer keeps so a batch needs no reads of the node table; ``verify``
    checks it against the rebuilt tree.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField("记录数", default=0)
    frontier = models.BinaryField(
        "右边界", default=b"", help_text="树右边界各完全子树的哈希，自大到小相连"
    )
    signed_size = models.BigIntegerField("最近签名的大小", default=0)
    signed_at = models.BigIntegerField("最近签名时间", default=0, help_text="Unix 秒")

    class Meta:
        verbose_name = "日志头"
        verbose_name_plural = "日志头"
