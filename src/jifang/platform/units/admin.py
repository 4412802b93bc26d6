from django.contrib import admin

from .models import Place, ResponsiblePerson, Unit


class ResponsiblePersonInline(admin.TabularInline):
    model = ResponsiblePerson
    extra = 0


class PlaceInline(admin.TabularInline):
    model = Place
    extra = 0
    fields = (
        "name",
        "categories",
        "public_area",
        "anti_terror_target",
        "police_key_place",
        "central_urban",
        "new_construction",
    )


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "uscc", "division", "phone")
    list_filter = ("kind", "division__regime_id")
    search_fields = ("name", "uscc", "address")
    autocomplete_fields = ("division",)
    inlines = [ResponsiblePersonInline, PlaceInline]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "categories", "public_area", "anti_terror_target")
    list_filter = ("public_area", "anti_terror_target", "police_key_place")
    search_fields = ("name", "unit__name")
    autocomplete_fields = ("unit",)
