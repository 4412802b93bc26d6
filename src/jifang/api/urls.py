from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from jifang.platform.accounts.scope import PATHS

from . import views

# URL names of the registries: /api/units/, /api/places/, /api/police-organs/ …
ROUTES = {
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
}
assert set(ROUTES) == set(PATHS), "every scoped registry has an endpoint"

router = DefaultRouter()
for label, prefix in ROUTES.items():
    router.register(prefix, views.viewset_for(label), basename=prefix)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("assess", views.assess, name="api-assess"),
    path("access-check", views.access_check, name="api-access-check"),
    path("", include(router.urls)),
]
