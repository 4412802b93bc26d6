import django_filters

from .models import Division, PoliceOrgan


class DivisionFilterSet(django_filters.FilterSet):
    prefix = django_filters.CharFilter(field_name="code", lookup_expr="startswith")

    class Meta:
        model = Division
        fields = ["level", "regime_id", "parent"]


class PoliceOrganFilterSet(django_filters.FilterSet):
    class Meta:
        model = PoliceOrgan
        fields = ["division"]
