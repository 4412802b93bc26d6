import django_filters

from .models import Practitioner


class PractitionerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="名称")
    division = django_filters.CharFilter(
        field_name="division__code", lookup_expr="startswith", label="区划代码（前缀）"
    )

    class Meta:
        model = Practitioner
        fields = ["home_province", "filed", "on_warning_list"]
