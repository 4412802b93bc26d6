import django_filters
from django.db.models import Q

from .models import Complaint


class ComplaintFilterSet(django_filters.FilterSet):
    division = django_filters.CharFilter(
        field_name="division__code", lookup_expr="startswith", label="区划代码前缀"
    )
    submitted_after = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__gte", label="提交日期起"
    )
    q = django_filters.CharFilter(method="search", label="查询码、单位名称或内容")

    class Meta:
        model = Complaint
        fields = ["status", "about", "practitioner"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(tracking_code__iexact=value.strip())
            | Q(subject_name__icontains=value)
            | Q(content__icontains=value)
        )
