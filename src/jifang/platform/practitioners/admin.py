from django.contrib import admin

from .models import Personnel, Practitioner, QualificationCertificate


class CertificateInline(admin.TabularInline):
    model = QualificationCertificate
    extra = 0


class PersonnelInline(admin.TabularInline):
    model = Personnel
    extra = 0


@admin.register(Practitioner)
class PractitionerAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "uscc",
        "home_province",
        "filed",
        "out_of_province_filed",
        "on_warning_list",
    )
    list_filter = ("home_province", "filed", "on_warning_list")
    search_fields = ("name", "uscc", "filing_number")
    inlines = [CertificateInline, PersonnelInline]


@admin.register(QualificationCertificate)
class QualificationCertificateAdmin(admin.ModelAdmin):
    list_display = ("number", "practitioner", "level", "valid_from", "valid_until")
    list_filter = ("level",)
    search_fields = ("number", "practitioner__name")
