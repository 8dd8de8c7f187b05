"""Pages of the outgoing-document register: issuing a report (with the signer's PKCS#12
key), the register with its exports, a signed file, cancelling, and checking any signed PDF.
Rules are in `issuing.py` and `signing.py`."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from scpvn.core.files import validate_upload
from scpvn.core.refusals import refusal_text
from scpvn.orgs.access import RoleRequiredMixin
from scpvn.orgs.roles import Role
from scpvn.reports import issuing
from scpvn.reports.documents import EXPORTS
from scpvn.reports.keys import Pkcs12Key
from scpvn.reports.models import IssuedDocument, Report
from scpvn.reports.signing import verify_pdf
from scpvn.surveys.models import SurveyReport

APPROVERS = frozenset({Role.CITY_ADMIN, Role.REVIEWER})


class IssueForm(forms.Form):
    key_file = forms.FileField(
        label=gettext_lazy("Tệp khóa ký số của người ký (.p12, .pfx)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".p12,.pfx"}),
    )
    pin = forms.CharField(
        label=gettext_lazy("Mật khẩu (PIN)"),
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )


class IssueView(RoleRequiredMixin, View):
    """POST: signs and issues a document with the signer's PKCS#12 key, through
    `issuing.issue_document`. A subclass names the document the user may reach
    (`get_document`)."""

    http_method_names = ["post"]

    def get_document(self, request, pk: int):
        raise NotImplementedError

    def post(self, request, pk: int):
        document = self.get_document(request, pk)
        form = IssueForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return redirect(document.get_absolute_url())
        try:
            key = Pkcs12Key.from_upload(form.cleaned_data["key_file"], form.cleaned_data["pin"])
            entry = issuing.issue_document(request.user, document, key)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, _("Đã ký và phát hành văn bản số %(c)s.") % {"c": entry.code})
        return redirect(document.get_absolute_url())


class IssueReportView(IssueView):
    """Issues an approved periodic report."""

    allowed_roles = APPROVERS

    def get_document(self, request, pk: int) -> Report:
        return get_object_or_404(Report.objects.select_related("plan", "duty__by"), pk=pk)


class IssueSurveyReportView(IssueView):
    """Issues a survey's sector or summary report (back to the survey's page)."""

    allowed_roles = APPROVERS

    def get_document(self, request, pk: int) -> SurveyReport:
        return get_object_or_404(SurveyReport.objects.select_related("survey__agency"), pk=pk)


class RegisterView(RoleRequiredMixin, ListView):
    template_name = "reports/register.html"
    context_object_name = "lines"
    paginate_by = 50

    def get_queryset(self):
        lines = issuing.register_visible_to(self.request.user)
        year = self.request.GET.get("year", "")
        return lines.filter(register__year=year) if year.isdigit() else lines

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_cancel"] = {
            e.pk
            for e in context["lines"]
            if e.document and issuing.can_issue(self.request.user, e.document)
        }
        return context


class RegisterExportView(RegisterView):
    def get(self, request, fmt: str):
        if fmt not in EXPORTS:
            raise Http404
        render_rows, content_type = EXPORTS[fmt]
        response = HttpResponse(render_rows(self.get_queryset()), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="so-van-ban-di.{fmt}"'
        return response


class IssuedFileView(RoleRequiredMixin, View):
    """The signed PDF exactly as it was issued."""

    def get(self, request, pk: int):
        entry = get_object_or_404(issuing.register_visible_to(request.user), pk=pk)
        response = HttpResponse(bytes(entry.pdf), content_type="application/pdf")
        name = f"{entry.number}-{entry.symbol}-{entry.issued_on:%Y%m%d}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class CancelIssueView(RoleRequiredMixin, View):
    allowed_roles = APPROVERS
    http_method_names = ["post"]

    def post(self, request, pk: int):
        entry = get_object_or_404(IssuedDocument, pk=pk)
        try:
            issuing.cancel_issue(request.user, entry, request.POST.get("reason", ""))
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, _("Đã hủy văn bản số %(c)s.") % {"c": entry.code})
        return redirect("reports:register")


class VerifyForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp PDF đã ký số"))


def check_upload(upload) -> list:
    """The signatures of an uploaded PDF (a ValidationError when it is not a signed PDF)."""
    validate_upload(upload, {"pdf"})
    upload.seek(0)
    return verify_pdf(upload.read())


class VerifyView(RoleRequiredMixin, View):
    """Any signed PDF, ours or another agency's: who signed, when, whether it changed since."""

    template = "reports/verify.html"

    def get(self, request):
        return render(request, self.template, {"form": VerifyForm()})

    def post(self, request):
        form = VerifyForm(request.POST, request.FILES)
        checks, error = None, ""
        if form.is_valid():
            try:
                checks = check_upload(form.cleaned_data["file"])
            except ValidationError as exc:
                error = refusal_text(exc)
        status = 200 if form.is_valid() and not error else 400
        return render(
            request, self.template, {"form": form, "checks": checks, "error": error}, status=status
        )
