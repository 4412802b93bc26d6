import django_filters

from .models import Device, Product, System


class SystemFilterSet(django_filters.FilterSet):
    unit = django_filters.NumberFilter(field_name="unit_id")
    division = django_filters.CharFilter(
        field_name="unit__division__code", lookup_expr="startswith"
    )
    retention_below = django_filters.NumberFilter(field_name="retention_days", lookup_expr="lt")

    class Meta:
        model = System
        fields = ["status", "acceptance", "design_review", "signage", "practitioner"]


class DeviceFilterSet(django_filters.FilterSet):
    system = django_filters.NumberFilter(field_name="system_id")
    division = django_filters.CharFilter(
        field_name="system__unit__division__code",
        lookup_expr="startswith",
        label="区划代码（前缀）",
    )

    class Meta:
        model = Device
        fields = ["kind", "location", "video", "audio"]


class ProductFilterSet(django_filters.FilterSet):
    class Meta:
        model = Product
        fields = ["certification", "manufacturer"]
