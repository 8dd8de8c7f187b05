from pathlib import Path

from django.apps import apps
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from scpvn.core.object_views import ObjectDetailView, ObjectListView
from scpvn.orgs.access import RoleRequiredMixin
from scpvn.orgs.roles import ALL_ROLES, Role
from scpvn.registry.filtersets import EnterpriseFilterSet, PlaceFilterSet
from scpvn.registry.forms import ImportForm
from scpvn.registry.importing import (
    Problem,
    annotated_errors,
    mark_stale_jobs,
    template_workbook,
)
from scpvn.registry.models import ImportJob, VsicCode
from scpvn.registry.services import (
    IMPORT_ROLES,
    enterprises_visible_to,
    places_visible_to,
    retry_import,
    start_import,
)
from scpvn.registry.tables import EnterpriseTable, PlaceTable

PROBLEMS_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class EnterpriseListView(RoleRequiredMixin, ObjectListView):
    allowed_roles = ALL_ROLES
    filterset = EnterpriseFilterSet
    table = EnterpriseTable
    filter_fields = ("q", "unit", "district", "distribution")
    title = _("Doanh nghiệp")
    template_name = "registry/enterprise_list.html"

    def get_scope(self):
        return enterprises_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_import=self.request.user.has_role(*IMPORT_ROLES), **kwargs
        )


class EnterpriseDetailView(RoleRequiredMixin, ObjectDetailView):
    allowed_roles = ALL_ROLES
    template_name = "registry/enterprise_detail.html"

    def get_scope(self):
        return enterprises_visible_to(self.request.user).select_related(
            "district", "ward", "industrial_zone"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            vsic=VsicCode.objects.filter(code=self.object.vsic_code).first(),
            places=self.object.places.select_related("district", "unit"),
            responses=self.object.responses.select_related("questionnaire")[:50],
            assignments=self.object.assignments.select_related("questionnaire"),
            **kwargs,
        )


class PlaceListView(RoleRequiredMixin, ObjectListView):
    allowed_roles = ALL_ROLES
    filterset = PlaceFilterSet
    table = PlaceTable
    filter_fields = ("kind", "unit", "district")
    title = _("Chợ, siêu thị, trung tâm thương mại")

    def get_scope(self):
        return places_visible_to(self.request.user).select_related("district", "unit", "operator")


class ImportView(RoleRequiredMixin, FormView):
    allowed_roles = IMPORT_ROLES
    template_name = "registry/import.html"
    form_class = ImportForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(jobs=ImportJob.objects.all()[:10], **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        job = start_import(self.request.user, upload, dry_run=form.cleaned_data["dry_run"])
        return redirect("registry:import_job", pk=job.pk)


class ImportRetryView(RoleRequiredMixin, SingleObjectMixin, View):
    """Run a failed job again on the same file (after a crash or a stale worker)."""

    allowed_roles = IMPORT_ROLES
    model = ImportJob

    def post(self, request, pk: int):
        job = self.get_object()
        if job.status == ImportJob.Status.FAILED:
            retry_import(request.user, job)
        return redirect("registry:import_job", pk=job.pk)


class ImportJobView(RoleRequiredMixin, DetailView):
    """The job's progress; htmx polls the same URL for the progress fragment."""

    allowed_roles = IMPORT_ROLES
    model = ImportJob

    def get_template_names(self) -> list[str]:
        if self.request.headers.get("HX-Request"):
            return ["registry/_import_progress.html"]
        return ["registry/import_job.html"]

    def get_object(self, queryset=None):
        mark_stale_jobs()
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        page = Paginator(self.object.problem_rows.all(), PROBLEMS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            problems_page=page, problem_count=page.paginator.count, **kwargs
        )


class ImportErrorsView(RoleRequiredMixin, DetailView):
    allowed_roles = IMPORT_ROLES
    model = ImportJob

    def render_to_response(self, context, **kwargs):
        problems = [
            Problem(p.row, p.column, p.value, p.reason) for p in self.object.problem_rows.all()
        ]
        content = annotated_errors(Path(self.object.file.path), problems)
        return xlsx_response(content, f"loi-nhap-{self.object.pk}.xlsx")


class TemplateDownloadView(RoleRequiredMixin, View):
    def get(self, request):
        return xlsx_response(template_workbook(), "mau-nhap-doanh-nghiep.xlsx")


class WorkspaceView(RoleRequiredMixin, TemplateView):
    """An enterprise user's landing page: its enterprises and what each app holds for them
    (sections declared in the apps' `workspace` lists), instead of staff pages it may not open."""

    allowed_roles = frozenset({Role.ENTERPRISE_USER})
    template_name = "registry/workspace.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sections = [
            s for config in apps.get_app_configs() for s in getattr(config, "workspace", ())
        ]
        context["sections"] = [
            {
                "title": section.title,
                "rows": import_string(section.rows)(self.request.user),
                "empty": section.empty,
                "more_url": reverse(section.more_url_name) if section.more_url_name else "",
            }
            for section in sorted(sections, key=lambda s: s.order)
        ]
        return context
