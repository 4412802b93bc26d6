from django.contrib import admin

from .models import ActRecord, Assessment, AssessmentFinding, RectificationOrder, SweepRun


@admin.register(RectificationOrder)
class RectificationOrderAdmin(admin.ModelAdmin):
    list_display = ("unit", "finding", "subject", "served", "deadline", "corrected")
    list_filter = ("finding", "corrected")
    search_fields = ("unit__name", "subject")
    autocomplete_fields = ("unit",)


@admin.register(ActRecord)
class ActRecordAdmin(admin.ModelAdmin):
    list_display = ("unit", "code", "by", "occurred", "serious")
    list_filter = ("code", "by", "serious")
    search_fields = ("unit__name",)
    autocomplete_fields = ("unit",)


class FindingInline(admin.TabularInline):
    model = AssessmentFinding
    extra = 0
    can_delete = False
    readonly_fields = ("code", "subject", "article", "due_now", "division_code")


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("unit", "as_of", "regime_id", "key_unit", "findings_count", "created_at")
    list_filter = ("regime_id", "key_unit", "as_of")
    search_fields = ("unit__name",)
    readonly_fields = [f.name for f in Assessment._meta.fields]
    inlines = [FindingInline]

    def has_add_permission(self, request) -> bool:
        return False  # assessments come from the engine, never typed in

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SweepRun)
class SweepRunAdmin(admin.ModelAdmin):
    list_display = ("division", "as_of", "units", "findings", "started_at", "finished_at")
    readonly_fields = [f.name for f in SweepRun._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
