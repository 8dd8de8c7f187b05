from pathlib import Path

from django.apps import apps
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.module_loading import import_string
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from scpvn.geo.models import District
from scpvn.orgs.access import RoleRequiredMixin
from scpvn.orgs.roles import ALL_ROLES, Role
from scpvn.registry.forms import ImportForm
from scpvn.registry.importing import Problem, annotated_errors, run_import_job, template_workbook
from scpvn.registry.models import Enterprise, ImportJob, Place, VsicCode
from scpvn.registry.services import enterprises_visible_to, places_visible_to
from scpvn.registry.tasks import run_registry_import

IMPORT_ROLES = frozenset({Role.CITY_ADMIN, Role.AGENCY_OFFICER})
# Files up to this size are imported while the page waits; larger ones go to the worker.
INLINE_IMPORT_BYTES = 256 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class EnterpriseListView(RoleRequiredMixin, ListView):
    allowed_roles = ALL_ROLES
    template_name = "registry/enterprise_list.html"
    paginate_by = 50

    def get_queryset(self):
        qs = enterprises_visible_to(self.request.user).select_related("district", "industrial_zone")
        query = self.request.GET.get("q", "").strip()
        if query:
            qs = qs.filter(Q(name__icontains=query) | Q(tax_code__startswith=query))
        if self.request.GET.get("district"):
            qs = qs.filter(district__code=self.request.GET["district"])
        if self.request.GET.get("distribution"):
            qs = qs.filter(distribution=self.request.GET["distribution"])
        return qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            districts=District.objects.all(),
            distributions=Enterprise.Distribution.choices,
            can_import=self.request.user.has_role(*IMPORT_ROLES),
            **kwargs,
        )


class EnterpriseDetailView(RoleRequiredMixin, DetailView):
    allowed_roles = ALL_ROLES
    template_name = "registry/enterprise_detail.html"

    def get_queryset(self):
        return enterprises_visible_to(self.request.user).select_related(
            "district", "ward", "industrial_zone"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            vsic=VsicCode.objects.filter(code=self.object.vsic_code).first(),
            places=self.object.places.select_related("district"),
            responses=self.object.responses.select_related("questionnaire")[:50],
            assignments=self.object.assignments.select_related("questionnaire"),
            **kwargs,
        )


class PlaceListView(RoleRequiredMixin, ListView):
    allowed_roles = ALL_ROLES
    template_name = "registry/place_list.html"
    paginate_by = 50

    def get_queryset(self):
        qs = places_visible_to(self.request.user).select_related("district", "operator")
        if self.request.GET.get("kind"):
            qs = qs.filter(kind=self.request.GET["kind"])
        if self.request.GET.get("district"):
            qs = qs.filter(district__code=self.request.GET["district"])
        return qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            districts=District.objects.all(), kinds=Place.Kind.choices, **kwargs
        )


class ImportView(RoleRequiredMixin, FormView):
    allowed_roles = IMPORT_ROLES
    template_name = "registry/import.html"
    form_class = ImportForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(jobs=ImportJob.objects.all()[:10], **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            file=upload,
            original_name=upload.name[:255],
            dry_run=form.cleaned_data["dry_run"],
            created_by=self.request.user,
        )
        if upload.size <= INLINE_IMPORT_BYTES:
            run_import_job(job)
        else:
            run_registry_import.enqueue(job.pk)
        return redirect("registry:import_job", pk=job.pk)


class ImportJobView(RoleRequiredMixin, DetailView):
    """The job's progress; htmx polls the same URL for the progress fragment."""

    allowed_roles = IMPORT_ROLES
    model = ImportJob

    def get_template_names(self) -> list[str]:
        if self.request.headers.get("HX-Request"):
            return ["registry/_import_progress.html"]
        return ["registry/import_job.html"]

    def get_context_data(self, **kwargs):
        return super().get_context_data(problems_shown=self.object.problems[:200], **kwargs)


class ImportErrorsView(RoleRequiredMixin, DetailView):
    allowed_roles = IMPORT_ROLES
    model = ImportJob

    def render_to_response(self, context, **kwargs):
        problems = [Problem(**p) for p in self.object.problems]
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
