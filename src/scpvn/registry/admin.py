from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from scpvn.registry.models import Enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ["tax_code", "name", "district", "vsic_code"]
    list_filter = ["district"]
    search_fields = ["tax_code", "name"]
    filter_horizontal = ["members"]
    raw_id_fields = ["ward"]
