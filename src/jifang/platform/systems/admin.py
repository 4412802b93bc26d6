from django.contrib import admin

from .models import Device, Product, System


class DeviceInline(admin.TabularInline):
    model = Device
    extra = 0
    autocomplete_fields = ("product",)


@admin.register(System)
class SystemAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "status", "retention_days", "acceptance", "practitioner")
    list_filter = ("status", "acceptance", "design_review")
    search_fields = ("name", "unit__name")
    autocomplete_fields = ("unit", "practitioner")
    filter_horizontal = ("places",)
    inlines = [DeviceInline]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("manufacturer", "model_number", "name", "certification")
    list_filter = ("certification",)
    search_fields = ("manufacturer", "model_number", "name", "certificate_number")


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ("code", "system", "kind", "location", "video", "audio", "product")
    list_filter = ("kind", "location")
    search_fields = ("code", "system__name", "system__unit__name")
    autocomplete_fields = ("system", "product")
