"""Django choices built from the shared vocabulary, so the registries speak its codes."""

from __future__ import annotations

from jifang.law import vocabulary as v


def choices(table: dict[str, str]) -> list[tuple[str, str]]:
    return [(code, f"{label}（{code}）") for code, label in table.items()]


PLACE_CATEGORY_CHOICES = choices(v.PLACE_CATEGORIES)
DEVICE_LOCATION_CHOICES = choices(v.DEVICE_LOCATIONS)
SUBSYSTEM_CHOICES = choices(v.SUBSYSTEMS)
FINDING_CHOICES = choices(v.FINDINGS)
ACT_CHOICES = choices(v.ACTS)
