from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from scpvn.progress.models import Activity, Evidence


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["name", "file", "url", "kind", "size"]
    readonly_fields = ["kind", "size"]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["date", "title", "task", "deliverable", "quantity", "agency", "status"]
    list_filter = ["status", "agency", "task__plan"]
    search_fields = ["title", "description"]
    raw_id_fields = ["task", "deliverable", "created_by", "submitted_by", "reviewed_by"]
    inlines = [EvidenceInline]
