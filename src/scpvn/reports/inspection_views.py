"""Pages of the inspection report (10.2): the list with the form that opens one for a
deliverable and period, one report with its tables, files and issuing. Rules are in
`inspections.py` and `issuing.py`."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView

from scpvn.core.errors import Denied
from scpvn.core.refusals import refusal_text
from scpvn.orgs.access import RoleRequiredMixin
from scpvn.plans.models import Deliverable
from scpvn.reports import inspections, issuing
from scpvn.reports.files import INSPECTION_FORMATS, build_inspection_file
from scpvn.reports.models import InspectionReport
from scpvn.reports.register_views import IssueForm, IssueView
from scpvn.reports.scopes import INSPECTION_ROLES


class OpenInspectionReportForm(forms.Form):
    deliverable = forms.ModelChoiceField(
        Deliverable.objects.none(), label=gettext_lazy("Sản phẩm đầu ra (báo cáo kiểm tra)")
    )
    period = forms.CharField(
        label=gettext_lazy("Kỳ báo cáo"),
        max_length=10,
        help_text=gettext_lazy("Năm (2020), 6 tháng (2020-H1) hoặc quý (2020-Q3)."),
    )

    def __init__(self, *args, deliverables, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deliverable"].queryset = deliverables
        self.fields["deliverable"].label_from_instance = lambda d: f"{d.display_code} {d.name[:90]}"


class InspectionReportListView(RoleRequiredMixin, FormView):
    allowed_roles = INSPECTION_ROLES
    template_name = "reports/inspection_list.html"

    def get_form(self, form_class=None):
        return OpenInspectionReportForm(
            **self.get_form_kwargs(),
            deliverables=inspections.reportable_deliverables(self.request.user),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reports=inspections.inspection_reports_visible_to(self.request.user), **kwargs
        )

    def form_valid(self, form):
        try:
            report = inspections.open_inspection_report(
                self.request.user, form.cleaned_data["deliverable"], form.cleaned_data["period"]
            )
        except (Denied, ValidationError) as exc:
            form.add_error(None, refusal_text(exc))
            return self.form_invalid(form)
        return redirect(report.get_absolute_url())


class InspectionReportView(RoleRequiredMixin, DetailView):
    allowed_roles = INSPECTION_ROLES
    template_name = "reports/inspection_detail.html"
    context_object_name = "report"

    def get_queryset(self):
        return inspections.inspection_reports_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            doc=inspections.inspection_document(self.object),
            formats=list(INSPECTION_FORMATS),
            can_issue=issuing.can_issue(self.request.user, self.object),
            issue_form=IssueForm(),
            issues=self.object.issues.all(),
            **kwargs,
        )


class InspectionReportDownloadView(RoleRequiredMixin, View):
    allowed_roles = INSPECTION_ROLES

    def get(self, request, pk: int, fmt: str):
        if fmt not in INSPECTION_FORMATS:
            raise Http404
        report = get_object_or_404(inspections.inspection_reports_visible_to(request.user), pk=pk)
        content, name, content_type = build_inspection_file(report, fmt)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class IssueInspectionReportView(IssueView):
    """Issues the inspection report (signed by a reviewer or the city administrator)."""

    allowed_roles = INSPECTION_ROLES

    def get_document(self, request, pk: int) -> InspectionReport:
        return get_object_or_404(inspections.inspection_reports_visible_to(request.user), pk=pk)
