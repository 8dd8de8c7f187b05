from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from scpvn.registry.models import Enterprise, ImportJob, IndustrialZone, Place, VsicCode


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ["tax_code", "name", "district", "vsic_code", "distribution", "industrial_zone"]
    list_filter = ["district", "distribution", "size"]
    search_fields = ["tax_code", "name"]
    filter_horizontal = ["members"]
    raw_id_fields = ["ward"]


@admin.register(Place)
class PlaceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "market_class", "district", "operator", "status"]
    list_filter = ["kind", "status", "market_class", "district"]
    search_fields = ["name"]
    raw_id_fields = ["ward", "operator", "proposed_by"]


@admin.register(IndustrialZone)
class IndustrialZoneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "district", "area_ha", "status"]
    list_filter = ["kind", "status"]


@admin.register(VsicCode)
class VsicCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "name_vi"]
    list_filter = ["level"]
    search_fields = ["code", "name_vi"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "status", "created_count", "updated_count", "created_at"]
    readonly_fields = ["failure"]
