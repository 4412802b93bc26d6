"""Reads of systems and devices."""

from __future__ import annotations

from django.db.models import QuerySet

from jifang.law.vocabulary import PRIVACY_LOCATIONS

from .models import Device, System


def systems_of(unit_id: int) -> QuerySet[System]:
    return System.objects.filter(unit_id=unit_id).prefetch_related("places", "devices")


def capturing_devices_at_privacy_locations() -> QuerySet[Device]:
    """Devices that capture at a privacy-sensitive location: where to look first."""
    return Device.objects.filter(location__in=list(PRIVACY_LOCATIONS)).exclude(
        video=False, audio=False
    )
