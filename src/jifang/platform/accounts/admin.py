from django.contrib import admin

from .models import Account


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organ", "unit", "practitioner")
    list_filter = ("role",)
    search_fields = ("user__username", "organ__name", "unit__name", "practitioner__name")
    autocomplete_fields = ("organ", "unit", "practitioner")
