from django.contrib import admin

from scpvn.indicators.models import IndicatorValue, ManualValue


@admin.register(ManualValue)
class ManualValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period", "district", "value", "source_title", "entered_at"]
    list_filter = ["period"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    """Values are written by the engine only."""

    list_display = ["indicator", "period", "district", "value", "observed", "population", "source"]
    list_filter = ["period_kind", "source"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
