"""Serializers of the registries: every model field, foreign keys by id."""

from __future__ import annotations

from rest_framework import serializers


def serializer_for(model) -> type[serializers.ModelSerializer]:
    meta = type("Meta", (), {"model": model, "fields": "__all__"})
    return type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), {"Meta": meta})
