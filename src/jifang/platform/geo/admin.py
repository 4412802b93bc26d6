from django.contrib import admin

from .models import Division, PoliceOrgan


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "regime_id")
    list_filter = ("level", "regime_id")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)


@admin.register(PoliceOrgan)
class PoliceOrganAdmin(admin.ModelAdmin):
    list_display = ("name", "division", "office", "phone")
    search_fields = ("name", "division__name", "division__code")
    autocomplete_fields = ("division",)
