"""Serializers of the registries: every model field, foreign keys by id."""

from __future__ import annotations

from rest_framework import serializers

from jifang.platform.compliance.models import Assessment


class _AnswerField(serializers.JSONField):
    """An assessment's `result`. A list gives it where it is stored (a single-unit
    assessment) and null for a swept row, whose whole answer the single-unit engine would
    compute on reading (10–20 ms a row); the row's own page (`/api/assessments/{id}/`)
    always gives the whole answer."""

    def get_attribute(self, instance: Assessment):
        if getattr(self.context.get("view"), "action", None) == "list" and not instance.stored:
            return None
        return super().get_attribute(instance)


def _assessment_fields() -> dict:
    return {
        "result": _AnswerField(
            allow_null=True,
            required=False,
            label="评估结果",
            help_text="引擎的完整答复；列表中批量评估的记录为 null，见单条记录 / the engine's "
            "whole answer; null in a list for a swept assessment (stored false): read it "
            "from the assessment's own URL",
        ),
        "stored": serializers.BooleanField(
            read_only=True,
            help_text="是否保存了完整答复（单独评估）；否则为批量评估，答复在读取单条记录时计算 / "
            "whether the whole answer is stored (single-unit assessment) or computed when "
            "the assessment itself is read (a sweep's)",
        ),
    }


def serializer_for(model) -> type[serializers.ModelSerializer]:
    meta = type("Meta", (), {"model": model, "fields": "__all__"})
    attrs = {"Meta": meta, **(_assessment_fields() if model is Assessment else {})}
    return type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), attrs)
