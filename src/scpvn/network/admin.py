from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from scpvn.network import models as m
from scpvn.network.services.media import delete_media_item, save_media_item


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


class CriterionInline(admin.TabularInline):
    model = m.Criterion
    extra = 0


@admin.register(m.GreenField)
class GreenFieldAdmin(admin.ModelAdmin):
    list_display = ["name", "pass_score", "validity_months"]
    inlines = [CriterionInline]


@admin.register(m.GreenPoint)
class GreenPointAdmin(SimpleHistoryAdmin):
    list_display = ["name", "enterprise", "field", "district", "status"]
    list_filter = ["status", "field"]
    raw_id_fields = ["enterprise"]


@admin.register(m.Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["point", "date", "total", "passed"]


@admin.register(m.Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "point", "issued", "valid_until"]


@admin.register(m.GuidanceDocument)
class GuidanceDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "published"]


@admin.register(m.PssPilot)
class PssPilotAdmin(admin.ModelAdmin):
    list_display = ["name", "host", "status", "started", "completed"]
    raw_id_fields = ["host"]


class SectorInline(admin.TabularInline):
    model = m.SurveySector
    extra = 0


class QuestionInline(admin.TabularInline):
    model = m.Question
    extra = 0


@admin.register(m.Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "seed"]
    inlines = [SectorInline, QuestionInline]


@admin.register(m.SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["survey", "sector", "enterprise", "status"]
    list_filter = ["survey", "sector", "status"]
    raw_id_fields = ["enterprise"]


@admin.register(m.SurveyReport)
class SurveyReportAdmin(admin.ModelAdmin):
    list_display = ["survey", "sector", "respondents", "generated_at"]


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
