from django.contrib import admin

from scpvn.trace.models import (
    Capture,
    Certification,
    Delivery,
    Event,
    Item,
    Location,
    Lot,
    ProblemReport,
    Product,
    Subscription,
)


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "gtin", "enterprise"]
    search_fields = ["name", "gtin"]
    inlines = [CertificationInline]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "gln", "kind", "district"]
    search_fields = ["name", "gln"]


@admin.register(Lot)
class LotAdmin(admin.ModelAdmin):
    list_display = ["product", "code", "produced_on"]


admin.site.register(Item)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "event_type", "biz_step", "event_time", "declared_in_error"]
    list_filter = ["event_type", "biz_step"]


@admin.register(Capture)
class CaptureAdmin(admin.ModelAdmin):
    list_display = ["id", "state", "event_count", "created_at"]
    exclude = ["document"]


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    list_display = ["product", "lot_code", "created_at"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["id", "owner", "query", "dest", "stream", "next_run_at", "last_notified_at"]
    exclude = ["signature_token"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: what was sent where, each attempt's answer."""

    list_display = ["created_at", "dest", "state", "attempts", "event_count"]
    list_filter = ["state"]
    readonly_fields = ["subscription", "dest", "log"]
    exclude = ["body"]
