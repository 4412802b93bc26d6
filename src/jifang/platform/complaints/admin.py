from django.contrib import admin

from .models import Complaint


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ("tracking_code", "submitted_at", "division", "about", "subject_name", "status")
    list_filter = ("status", "about")
    search_fields = ("tracking_code", "subject_name", "content", "division__name")
    date_hierarchy = "submitted_at"
    autocomplete_fields = ("division", "practitioner")
    readonly_fields = ("tracking_code", "submitted_at", "source_ip")
