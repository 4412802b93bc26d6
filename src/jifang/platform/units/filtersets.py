import django_filters

from .models import Place, Unit


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="名称、信用代码或地址")
    division = django_filters.CharFilter(
        field_name="division__code", lookup_expr="startswith", label="区划代码（前缀）"
    )
    regime = django_filters.CharFilter(field_name="division__regime_id", label="适用法规")
    category = django_filters.CharFilter(method="by_category", label="场所类别")

    class Meta:
        model = Unit
        fields = ["kind"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(
            Q(name__icontains=value) | Q(uscc__iexact=value) | Q(address__icontains=value)
        )

    def by_category(self, queryset, name, value):
        # JSON containment is not portable to SQLite; match the code inside the JSON text.
        return queryset.filter(places__categories__icontains=f'"{value}"').distinct()


class PlaceFilterSet(django_filters.FilterSet):
    unit = django_filters.NumberFilter(field_name="unit_id")
    division = django_filters.CharFilter(
        field_name="unit__division__code", lookup_expr="startswith", label="区划代码（前缀）"
    )

    class Meta:
        model = Place
        fields = ["public_area", "anti_terror_target", "police_key_place", "new_construction"]
