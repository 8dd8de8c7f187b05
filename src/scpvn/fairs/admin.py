from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from scpvn.fairs import models as m


class BoothInline(admin.TabularInline):
    model = m.Booth
    extra = 0


@admin.register(m.Chain)
class ChainAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "deliverable"]


@admin.register(m.FairEvent)
class FairEventAdmin(SimpleHistoryAdmin):
    list_display = ["name", "chain", "start_date", "capacity", "status"]
    list_filter = ["status", "chain"]
    inlines = [BoothInline]


@admin.register(m.FairApplication)
class FairApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["event", "enterprise", "status", "booth", "checked_in_at"]
    list_filter = ["status", "event"]
    raw_id_fields = ["enterprise", "booth"]
