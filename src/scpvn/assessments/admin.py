from django.contrib import admin

from scpvn.assessments.models import Answer, Assignment, Question, Questionnaire, Response


class QuestionInline(admin.TabularInline):
    """Questions change only by publishing a form: an answered version's are fixed, and
    the receive path remembers them (`services.questions_of`)."""

    model = Question
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    """Questionnaires come from their YAML files; the admin is for looking."""

    list_display = ["code", "version", "title", "subject", "is_active"]
    inlines = [QuestionInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    raw_id_fields = ["question"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "enterprise", "place", "district", "date"]
    list_filter = ["questionnaire__code", "district"]
    raw_id_fields = ["enterprise", "place", "assignment", "submitted_by"]
    inlines = [AnswerInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "enterprise", "place", "due"]
    raw_id_fields = ["enterprise", "place"]
