from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from scpvn.greenpoints import models as m


class CriterionInline(admin.TabularInline):
    model = m.Criterion
    extra = 0


@admin.register(m.GreenField)
class GreenFieldAdmin(admin.ModelAdmin):
    list_display = ["name", "pass_score", "validity_months"]
    inlines = [CriterionInline]


@admin.register(m.GreenPoint)
class GreenPointAdmin(SimpleHistoryAdmin):
    list_display = ["name", "enterprise", "field", "district", "status"]
    list_filter = ["status", "field"]
    raw_id_fields = ["enterprise"]


@admin.register(m.Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["point", "date", "total", "passed"]


@admin.register(m.Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "point", "issued", "valid_until"]
