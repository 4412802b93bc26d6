"""The pages. Each module of `views` owns one area; every query goes through `restrict`."""

from django.urls import path

from .views import dashboard, home, law, public, registries, units

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/charts.json", dashboard.charts, name="dashboard-charts"),
    path("units/<int:pk>/", units.unit_page, name="unit"),
    path("units/<int:pk>/self-check/", units.self_check, name="unit-self-check"),
    path("registry/<slug:registry>/", registries.registry_list, name="registry-list"),
    path(
        "registry/<slug:registry>/export.<str:fmt>",
        registries.registry_export,
        name="registry-export",
    ),
    path("registry/<slug:registry>/<int:pk>/", registries.registry_detail, name="registry-detail"),
    path("law/", law.regimes, name="law"),
    path("law/compare/", law.compare, name="law-compare"),
    path("law/<str:regime_id>/", law.regime, name="law-regime"),
    path("public/practitioners/", public.practitioners, name="public-practitioners"),
    path("public/warning-list/", public.warning_list, name="public-warning-list"),
    path("public/complaints/new/", public.complaint, name="public-complaint"),
]
