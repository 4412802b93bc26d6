import django_filters

from .models import Assessment, RectificationOrder


class AssessmentFilterSet(django_filters.FilterSet):
    division = django_filters.CharFilter(
        field_name="unit__division__code", lookup_expr="startswith"
    )

    class Meta:
        model = Assessment
        fields = ["unit", "as_of", "regime_id", "key_unit"]


class RectificationOrderFilterSet(django_filters.FilterSet):
    overdue_on = django_filters.DateFilter(field_name="deadline", lookup_expr="lt")

    class Meta:
        model = RectificationOrder
        fields = ["unit", "finding", "corrected"]
