from django.contrib import admin

from scpvn.surveys import models as m


class SectorInline(admin.TabularInline):
    model = m.SurveySector
    extra = 0


@admin.register(m.Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "seed", "questionnaire"]
    inlines = [SectorInline]


@admin.register(m.SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["survey", "sector", "enterprise", "declined"]
    list_filter = ["survey", "sector", "declined"]
    raw_id_fields = ["enterprise", "assignment"]


@admin.register(m.SurveyReport)
class SurveyReportAdmin(admin.ModelAdmin):
    list_display = ["survey", "sector", "respondents", "generated_at"]
