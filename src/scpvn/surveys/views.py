from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from scpvn.core.files import serve_protected_file
from scpvn.core.paging import in_model_order
from scpvn.orgs.access import RoleRequiredMixin, user_has_role
from scpvn.orgs.pages import ActionView
from scpvn.orgs.policy import ISSUE, VIEW, allows
from scpvn.orgs.roles import OFFICER_ROLES
from scpvn.registry.services import enterprises_visible_to
from scpvn.surveys import services as survey_services
from scpvn.surveys.models import Survey, SurveyReport, SurveyResponse


def _answered(prefix: str) -> Q:
    """Sampled enterprises (reached by `prefix`) whose assignment holds a response."""
    return Q(**{f"{prefix}assignment__responses__isnull": False})


class SurveyListView(RoleRequiredMixin, ListView):
    template_name = "surveys/survey_list.html"
    queryset = in_model_order(
        Survey.objects.annotate(
            sampled=Count("responses", distinct=True),
            answered=Count("responses", filter=_answered("responses__"), distinct=True),
        )
    )


class SurveyDetailView(RoleRequiredMixin, DetailView):
    """Response tracking per sector, the sample (each enterprise's form is answered on the
    questionnaire engine's answer page), and the generated reports."""

    model = Survey
    template_name = "surveys/survey_detail.html"

    def get_context_data(self, **kwargs):
        survey = self.object
        sectors = survey.sectors.annotate(
            sampled=Count("responses", distinct=True),
            answered=Count("responses", filter=_answered("responses__"), distinct=True),
        )
        for sector in sectors:
            sector.candidates = survey_services.sector_candidates(sector).count()
        reports = list(survey.reports.select_related("sector").prefetch_related("issues"))
        return super().get_context_data(**kwargs) | {
            "sectors": sectors,
            "questions": survey.questionnaire.questions.all(),
            "responses": survey.responses.filter(
                enterprise__in=enterprises_visible_to(self.request.user)
            )
            .select_related("enterprise", "sector", "assignment")
            .prefetch_related("assignment__responses"),
            "reports": reports,
            # the reports this user may number and sign (rule in reports/scopes.py)
            "signable": {r.pk for r in reports if allows(self.request.user, ISSUE, r)},
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


class DeclineView(ActionView):
    """An enterprise of the sample refuses to answer."""

    def get_object(self):
        return get_object_or_404(SurveyResponse, pk=self.kwargs["pk"])

    def act(self, response) -> None:
        survey_services.decline(self.request.user, response)
        self.success_message = _("Đã ghi nhận từ chối.")

    def redirect_to(self, response) -> str:
        return response.survey.get_absolute_url()


class ReportDownloadView(RoleRequiredMixin, DetailView):
    """A generated report, DOCX or draft PDF, to those who may read its survey (the signed
    PDF is the register's, `reports:issued-file`)."""

    model = SurveyReport

    def get(self, request, *args, fmt: str = "docx", **kwargs):
        report = self.get_object()
        name = f"bao-cao-khao-sat-{report.sector.name if report.sector else 'tong-hop'}.{fmt}"
        return serve_protected_file(
            request,
            report.pdf if fmt == "pdf" else report.file,
            allowed=allows(request.user, VIEW, report.survey),
            download_name=name,
        )
