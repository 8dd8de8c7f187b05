"""Pages of the inspection report (10.2): the list with the form that opens one for a
deliverable and period, one report with its tables, files and issuing. Rules are in
`inspections.py` and `issuing.py`."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView

from scpvn.core.errors import Denied
from scpvn.orgs.access import RoleRequiredMixin
from scpvn.plans.models import Deliverable
from scpvn.reports import inspections, issuing
from scpvn.reports.files import INSPECTION_FORMATS, build_inspection_file
from scpvn.reports.keys import Pkcs12Key
from scpvn.reports.register_views import MAX_KEY_BYTES, IssueForm, _refusal
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
            form.add_error(None, _refusal(exc))
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
            can_issue=issuing.can_issue_inspections(self.request.user, self.object),
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


class IssueInspectionReportView(RoleRequiredMixin, View):
    """POST: signs and issues the inspection report with the signer's PKCS#12 key."""

    allowed_roles = INSPECTION_ROLES
    http_method_names = ["post"]

    def post(self, request, pk: int):
        report = get_object_or_404(inspections.inspection_reports_visible_to(request.user), pk=pk)
        form = IssueForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return redirect(report.get_absolute_url())
        upload = form.cleaned_data["key_file"]
        if upload.size > MAX_KEY_BYTES:
            messages.error(request, _("Tệp khóa quá lớn."))
            return redirect(report.get_absolute_url())
        key = Pkcs12Key(upload.read(), form.cleaned_data["pin"])
        try:
            entry = issuing.issue_inspection_report(request.user, report, key)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(request, _("Đã ký và phát hành văn bản số %(c)s.") % {"c": entry.code})
        return redirect(report.get_absolute_url())
