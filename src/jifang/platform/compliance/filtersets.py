import django_filters

from .models import Assessment, AssessmentFinding, RectificationOrder
from .selectors import of_latest


class AssessmentFilterSet(django_filters.FilterSet):
    division = django_filters.CharFilter(
        field_name="unit__division__code", lookup_expr="startswith"
    )

    class Meta:
        model = Assessment
        fields = ["unit", "as_of", "regime_id", "key_unit", "sweep"]


class AssessmentFindingFilterSet(django_filters.FilterSet):
    division = django_filters.CharFilter(
        field_name="division_code", lookup_expr="startswith", label="区划代码（前缀）"
    )
    latest = django_filters.BooleanFilter(method="only_latest", label="仅各单位最近一次评估")

    def only_latest(self, queryset, name, value):
        """The open findings: those of each unit's latest assessment (as the dashboard counts),
        newest first. Read from the newest end, a page stops after its own rows; read from
        the oldest, it would first pass every finding earlier sweeps have superseded."""
        if not value:
            return queryset
        return of_latest(queryset).order_by("-pk")

    class Meta:
        model = AssessmentFinding
        fields = ["code", "due_now", "assessment"]


class RectificationOrderFilterSet(django_filters.FilterSet):
    overdue_on = django_filters.DateFilter(field_name="deadline", lookup_expr="lt")

    class Meta:
        model = RectificationOrder
        fields = ["unit", "finding", "corrected"]
