import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView

from scpvn.assessments.filtersets import ResponseFilterSet
from scpvn.assessments.forms import AssignForm, ResponseForm
from scpvn.assessments.models import Answer, Questionnaire, RepeatPhoto, Response
from scpvn.assessments.scopes import ANSWER_ROLES, OFFICER_ROLES
from scpvn.assessments.services import (
    ResponseInvalid,
    assign,
    assignment_of,
    can_answer,
    countable_deliverables,
    open_assignments,
    responses_visible_to,
    submit_response,
)
from scpvn.assessments.tables import ResponseTable
from scpvn.core.files import serve_protected_file
from scpvn.core.object_views import ObjectDetailView, ObjectListView
from scpvn.core.paging import in_model_order
from scpvn.core.redirects import back_or
from scpvn.orgs.access import RoleRequiredMixin, user_has_role
from scpvn.orgs.roles import ALL_ROLES
from scpvn.registry.services import enterprises_visible_to, places_visible_to


class QuestionnaireListView(RoleRequiredMixin, ListView):
    """Questionnaires, and the ones waiting for the user's answer."""

    allowed_roles = ALL_ROLES
    template_name = "assessments/questionnaire_list.html"

    def get_queryset(self):
        return in_model_order(
            Questionnaire.objects.filter(is_active=True).annotate(question_count=Count("questions"))
        )

    def get_context_data(self, **kwargs):
        todo = open_assignments(self.request.user).select_related(
            "questionnaire", "enterprise", "place"
        )[:100]
        return super().get_context_data(todo=todo, **kwargs)


class QuestionnaireDetailView(RoleRequiredMixin, DetailView):
    """The questions; officers assign the questionnaire to subjects in their scope here."""

    allowed_roles = ALL_ROLES
    model = Questionnaire
    template_name = "assessments/questionnaire_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            questions=self.object.questions.all(),
            can_assign=user_has_role(user, OFFICER_ROLES),
            form=kwargs.pop("form", AssignForm(deliverables=countable_deliverables(user))),
            place_fields=AssignForm.PLACE_FIELDS,
            assigned=self.object.assignments.count(),
            responses=responses_visible_to(user)
            .filter(questionnaire=self.object)
            .select_related("enterprise", "place", "district", "unit")[:20],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not user_has_role(request.user, OFFICER_ROLES):
            raise PermissionDenied
        form = AssignForm(request.POST, deliverables=countable_deliverables(request.user))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        if self.object.subject == Questionnaire.Subject.ENTERPRISE:
            count = assign(
                request.user,
                self.object,
                enterprises=form.enterprises(enterprises_visible_to(request.user)),
                due=form.cleaned_data["due"],
                deliverable=form.cleaned_data["deliverable"],
            )
        else:
            count = assign(
                request.user,
                self.object,
                places=form.places(places_visible_to(request.user), self.object.place_kinds),
                due=form.cleaned_data["due"],
                deliverable=form.cleaned_data["deliverable"],
            )
        messages.success(request, _("Đã giao phiếu cho %(n)s đối tượng mới.") % {"n": count})
        return redirect("assessments:questionnaire_detail", pk=self.object.pk)


class AnswerView(RoleRequiredMixin, FormView):
    """Answer a questionnaire for one enterprise or place (an officer's visit, or the
    enterprise answering for itself)."""

    allowed_roles = ANSWER_ROLES
    template_name = "assessments/answer.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.questionnaire = get_object_or_404(Questionnaire, pk=kwargs["pk"])
        subjects = {
            "enterprise": enterprises_visible_to,
            "place": places_visible_to,
        }
        if kwargs["kind"] not in subjects or kwargs["kind"] != self.questionnaire.subject:
            raise Http404
        self.subject = get_object_or_404(
            subjects[kwargs["kind"]](request.user), pk=kwargs["subject"]
        )
        self.assignment = assignment_of(self.questionnaire, self.subject)
        if user_has_role(request.user, ANSWER_ROLES) and not can_answer(
            request.user, self.subject, self.assignment
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        return ResponseForm(self.questionnaire, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            questionnaire=self.questionnaire, subject=self.subject, **kwargs
        )

    def form_valid(self, form):
        try:
            response = submit_response(
                questionnaire=self.questionnaire,
                subject=self.subject,
                date=form.cleaned_data["date"],
                values=form.values(),
                user=self.request.user,
                assignment=self.assignment,
            )
        except ResponseInvalid as exc:
            for code, message in exc.errors.items():
                form.add_error(code if code in form.fields else None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã ghi phiếu trả lời."))
        return back_or(self.request, "assessments:response_detail", pk=response.pk)


class ResponseListView(RoleRequiredMixin, ObjectListView):
    allowed_roles = ALL_ROLES
    filterset = ResponseFilterSet
    table = ResponseTable
    filter_fields = ("questionnaire_code", "unit", "district")
    title = gettext_lazy("Phiếu đã trả lời")

    def get_scope(self):
        return responses_visible_to(self.request.user).select_related(
            "questionnaire", "enterprise", "place", "district", "unit"
        )


class ResponseDetailView(RoleRequiredMixin, ObjectDetailView):
    allowed_roles = ALL_ROLES
    template_name = "assessments/response_detail.html"

    def get_scope(self):
        return responses_visible_to(self.request.user).select_related(
            "questionnaire", "enterprise", "place", "district", "submitted_by"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(answers=shown_answers(self.object), **kwargs)


def shown_answers(response: Response) -> list[Answer]:
    """A response's answers in the questionnaire's order; a repeat group's answer (a visit
    received over OpenRosa) also gets `rows`, one per repeat instance: its cells under the
    form's labels and the photos taken in it."""
    answers = list(
        response.answers.select_related("question")
        .prefetch_related("repeat_photos")
        .order_by("question__order")
    )
    submission = getattr(response, "submission", None)  # none for answers typed on a page
    mapping = submission.form.mapping if submission is not None else {}
    repeats = {f["code"]: f for f in mapping.get("fields", []) if f.get("repeat")}
    for answer in answers:
        spec = repeats.get(answer.question.code)
        if spec is None:
            continue
        try:
            rows = json.loads(answer.text)
        except ValueError:
            continue
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            continue
        photo_names = {p[-1] for p in spec.get("photos", [])}
        # Forms published before the columns were kept: the rows' own keys.
        known = spec.get("columns") or [[k, k] for k in dict.fromkeys(k for r in rows for k in r)]
        columns = [(c, label) for c, label in known if c not in photo_names]
        photos = list(answer.repeat_photos.all())
        answer.columns = [label for _code, label in columns]
        answer.rows = [
            {
                "position": position,
                "cells": [row.get(code, "") for code, _label in columns],
                "photos": [p for p in photos if p.position == position],
            }
            for position, row in enumerate(rows, start=1)
        ]
    return answers


class PhotoView(RoleRequiredMixin, DetailView):
    """A photo answer, served only to those who may see its response."""

    allowed_roles = ALL_ROLES

    def get_queryset(self):
        return Answer.objects.filter(response__in=responses_visible_to(self.request.user)).exclude(
            photo=""
        )

    def render_to_response(self, context, **kwargs):
        # get_queryset already holds only the answers of responses the user may see
        return serve_protected_file(self.request, self.object.photo, allowed=True)


class RepeatPhotoView(PhotoView):
    """A photo taken inside a repeat group, served past the same rule as a photo answer."""

    def get_queryset(self):
        return RepeatPhoto.objects.filter(
            answer__response__in=responses_visible_to(self.request.user)
        )
