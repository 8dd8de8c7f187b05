from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from scpvn.plans.models import (
    AgencySuccession,
    Deliverable,
    Duty,
    Indicator,
    Objective,
    Plan,
    PlanAgency,
    ReportingDuty,
    Task,
    TaskGroup,
)


class PlanAgencyInline(admin.TabularInline):
    model = PlanAgency
    extra = 0


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["code", "slug", "issuer", "issued", "period_start", "period_end", "complete"]
    search_fields = ["code", "slug", "title", "issuer"]
    inlines = [PlanAgencyInline, ObjectiveInline]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "scope",
        "target",
        "target_min",
        "target_max",
        "unit",
        "series",
        "deadline",
    ]
    list_filter = ["plan", "scope", "level"]
    search_fields = ["code", "name"]


@admin.register(TaskGroup)
class TaskGroupAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "name"]


class DeliverableInline(admin.TabularInline):
    model = Deliverable
    extra = 0


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "lead", "start", "end", "plan"]
    list_filter = ["plan", "group", "lead"]
    search_fields = ["title", "content"]
    filter_horizontal = ["partners"]
    inlines = [DeliverableInline]


@admin.register(Deliverable)
class DeliverableAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "unit", "target", "task"]
    list_filter = ["task__plan"]
    search_fields = ["code", "name"]


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    list_display = ["agency", "text", "truncated", "plan"]
    list_filter = ["plan", "agency", "truncated"]


@admin.register(ReportingDuty)
class ReportingDutyAdmin(admin.ModelAdmin):
    list_display = ["code", "what", "frequency", "by", "plan"]
    filter_horizontal = ["to"]


@admin.register(AgencySuccession)
class AgencySuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "since"]
