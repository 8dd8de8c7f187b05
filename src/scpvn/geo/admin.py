from django.contrib import admin

from scpvn.geo.models import District, Province, Unit, UnitSuccession, Ward


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["level", "kind", "valid_to"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ["old", "new", "whole"]
    list_filter = ["whole", "old__level"]
    search_fields = ["old__name", "new__name", "old__code", "new__code"]
    raw_id_fields = ["old", "new"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "latitude", "longitude"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    raw_id_fields = ["unit"]


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    filter_horizontal = ["former_districts"]
    raw_id_fields = ["unit"]
