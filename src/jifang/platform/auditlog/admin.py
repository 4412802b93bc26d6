"""Read-only admin views of the audit log: nobody edits history, not even a superuser."""

from __future__ import annotations

from django.contrib import admin

from .models import Checkpoint, LogEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    list_display = ("seq", "ts", "actor", "action", "model", "object_pk", "object_repr")
    list_filter = ("action", "model")
    search_fields = ("=seq", "actor", "object_repr", "=object_pk")
    exclude = ("leaf_hash",)
    readonly_fields = (
        "seq",
        "ts",
        "actor",
        "action",
        "model",
        "object_pk",
        "object_repr",
        "before",
        "after",
        "leaf_hash_hex",
    )
    show_full_result_count = False  # counting ten million rows on every page is slow

    @admin.display(description="叶哈希")
    def leaf_hash_hex(self, obj: LogEntry) -> str:
        return bytes(obj.leaf_hash).hex()


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ("size", "timestamp", "origin")
    exclude = ("root", "key_id", "signature")
    readonly_fields = ("size", "timestamp", "origin", "signed_note")

    @admin.display(description="签名检查点")
    def signed_note(self, obj: Checkpoint) -> str:
        return obj.note()
