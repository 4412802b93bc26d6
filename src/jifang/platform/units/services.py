"""Writes of the unit registry."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jifang.platform.core.services import save_record

from .models import Place, Unit


def register_unit(places: list[dict[str, Any]] = (), **fields: Any) -> Unit:
    """A new unit with its places, validated and saved in one transaction."""
    with transaction.atomic():
        unit = save_record(Unit(), **fields)
        for place in places:
            save_record(Place(unit=unit), **place)
    return unit
