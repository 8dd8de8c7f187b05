from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from scpvn.core import refusals
from scpvn.core.files import serve_protected_file
from scpvn.orgs.access import RoleRequiredMixin, user_has_role
from scpvn.orgs.officers import OFFICER_ROLES
from scpvn.orgs.pages import (
    ActionView,
    attempt,
)
from scpvn.registry.services import enterprises_visible_to
from scpvn.surveys import services as survey_services
from scpvn.surveys.models import Survey, SurveyReport, SurveyResponse

ANSWERED = Q(responses__status=SurveyResponse.Status.ANSWERED)


class SurveyListView(RoleRequiredMixin, ListView):
    template_name = "surveys/survey_list.html"
    queryset = Survey.objects.annotate(
        sampled=Count("responses"), answered=Count("responses", filter=ANSWERED)
    )


class SurveyDetailView(RoleRequiredMixin, DetailView):
    """Response tracking per sector, the sample, and the generated reports."""

    model = Survey
    template_name = "surveys/survey_detail.html"

    def get_context_data(self, **kwargs):
        survey = self.object
        sectors = survey.sectors.annotate(
            sampled=Count("responses"), answered=Count("responses", filter=ANSWERED)
        )
        for sector in sectors:
            sector.candidates = survey_services.sector_candidates(sector).count()
        return super().get_context_data(**kwargs) | {
            "sectors": sectors,
            "questions": survey.questions.all(),
            "responses": survey.responses.filter(
                enterprise__in=enterprises_visible_to(self.request.user)
            ).select_related("enterprise", "sector"),
            "reports": survey.reports.select_related("sector"),
            "manager": user_has_role(self.request.user, OFFICER_ROLES),
        }


class SampleView(ActionView):
    def get_object(self):
        return get_object_or_404(Survey, pk=self.kwargs["pk"])

    def act(self, survey) -> None:
        drawn = survey_services.draw_sample(self.request.user, survey)
        self.success_message = _("Đã chọn mẫu: %(d)s") % {
            "d": ", ".join(f"{k}: {v}" for k, v in drawn.items())
        }


class GenerateReportsView(ActionView):
    def get_object(self):
        return get_object_or_404(Survey, pk=self.kwargs["pk"])

    def act(self, survey) -> None:
        reports = survey_services.generate_reports(self.request.user, survey)
        self.success_message = _("Đã lập %(n)s báo cáo.") % {"n": len(reports)}


class ResponseView(RoleRequiredMixin, DetailView):
    """One enterprise's questionnaire: officers enter the answers from the paper form."""

    template_name = "surveys/response.html"

    def get_queryset(self):
        return SurveyResponse.objects.filter(
            enterprise__in=enterprises_visible_to(self.request.user)
        ).select_related("survey", "enterprise", "sector")

    def get_context_data(self, **kwargs):
        response = self.object
        questions = list(response.survey.questions.all())
        raw = kwargs.get("raw") or {k: v for k, v in response.answers.items()}
        for q in questions:
            value = raw.get(str(q.pk), "")
            q.value = (
                {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
            )
        return super().get_context_data(**kwargs) | {
            "questions": questions,
            "manager": user_has_role(self.request.user, OFFICER_ROLES),
            "scale": ["1", "2", "3", "4", "5"],
        }

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        raw = {k[1:]: v for k, v in request.POST.items() if k.startswith("q")}
        if request.POST.get("action") == "decline":
            attempt(
                request,
                lambda: survey_services.decline(request.user, self.object),
                _("Đã ghi nhận từ chối."),
            )
            return redirect(self.object.survey.get_absolute_url())
        try:
            survey_services.record_answers(request.user, self.object, raw)
        except ValidationError as exc:
            messages.error(request, refusals.refusal_text(exc))
            return self.render_to_response(self.get_context_data(raw=raw), status=400)
        messages.success(request, _("Đã lưu phiếu trả lời."))
        return redirect(self.object.survey.get_absolute_url())


class ReportDownloadView(RoleRequiredMixin, DetailView):
    model = SurveyReport

    def get(self, request, *args, **kwargs):
        report = self.get_object()
        name = f"bao-cao-khao-sat-{report.sector.name if report.sector else 'tong-hop'}.docx"
        return serve_protected_file(request, report.file, allowed=True, download_name=name)
