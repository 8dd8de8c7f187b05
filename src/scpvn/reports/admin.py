from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from scpvn.reports.models import Report, ReportSection


class SectionInline(admin.TabularInline):
    model = ReportSection
    extra = 0
    raw_id_fields = ["task", "agency", "updated_by"]


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ["period", "duty", "number", "status", "submitted_at"]
    list_filter = ["status", "plan"]
    readonly_fields = ["snapshot"]
    inlines = [SectionInline]
