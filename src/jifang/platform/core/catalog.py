"""The registries by URL name: /api/units/ and /registry/units/ name the same model."""

from __future__ import annotations

import importlib

import django_filters
from django.apps import apps
from django.db.models import Model

from jifang.platform.accounts.scope import PATHS

SLUGS: dict[str, str] = {
    "geo.division": "divisions",
    "geo.policeorgan": "police-organs",
    "units.unit": "units",
    "units.responsibleperson": "responsible-persons",
    "units.place": "places",
    "systems.product": "products",
    "systems.system": "systems",
    "systems.device": "devices",
    "practitioners.practitioner": "practitioners",
    "practitioners.qualificationcertificate": "certificates",
    "practitioners.personnel": "personnel",
    "compliance.rectificationorder": "orders",
    "compliance.actrecord": "acts",
    "compliance.assessment": "assessments",
    "compliance.assessmentfinding": "findings",
    "compliance.sweeprun": "sweeps",
    "complaints.complaint": "complaints",
}
assert set(SLUGS) == set(PATHS), "every scoped registry has a URL name"

LABELS: dict[str, str] = {slug: label for label, slug in SLUGS.items()}

# The engine's answers are records of what it said: nobody edits them, not even a superuser.
READ_ONLY = {"compliance.assessment", "compliance.assessmentfinding", "compliance.sweeprun"}


def model_for(slug: str) -> type[Model] | None:
    label = LABELS.get(slug)
    return apps.get_model(label) if label else None


def slug_for(model: type[Model]) -> str | None:
    return SLUGS.get(model._meta.label_lower)


def filterset_for(model: type[Model]) -> type[django_filters.FilterSet] | None:
    """`<app>.filtersets.<Model>FilterSet`, for the pages and the API alike; None when absent."""
    try:
        module = importlib.import_module(f"{model.__module__.rsplit('.', 1)[0]}.filtersets")
    except ModuleNotFoundError:
        return None
    return getattr(module, f"{model.__name__}FilterSet", None)
