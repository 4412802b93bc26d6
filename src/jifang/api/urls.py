from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from jifang.platform.core.catalog import SLUGS

from . import views

router = DefaultRouter()
for label, prefix in SLUGS.items():  # /api/units/, /api/places/ …
    router.register(prefix, views.viewset_for(label), basename=prefix)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("assess", views.assess, name="api-assess"),
    path("access-check", views.access_check, name="api-access-check"),
    path("", include(router.urls)),
]
