from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from scpvn.outreach import models as m
from scpvn.outreach.services.media import delete_media_item, save_media_item


@admin.register(m.GuidanceDocument)
class GuidanceDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "published"]


@admin.register(m.PssPilot)
class PssPilotAdmin(admin.ModelAdmin):
    list_display = ["name", "host", "status", "started", "completed"]
    raw_id_fields = ["host"]


class RegistrationInline(admin.TabularInline):
    model = m.Registration
    extra = 0


@admin.register(m.Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "date", "status", "deliverable"]
    list_filter = ["kind", "status"]
    inlines = [RegistrationInline]


@admin.register(m.Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["event", "rating", "created_at"]


@admin.register(m.MediaItem)
class MediaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "outlet", "date", "print_quantity", "deliverable"]
    list_filter = ["kind"]

    def save_model(self, request, obj, form, change) -> None:
        # The same path as the page and the API, so an admin edit also updates the count.
        save_media_item(obj)

    def delete_model(self, request, obj) -> None:
        delete_media_item(obj)
