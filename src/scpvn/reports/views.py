"""Report pages: the list of due reports, one report with its sections and review, and its
files. Thin: rules are in `services.py`, files in `files.py`."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, TemplateView

from scpvn.core import refusals
from scpvn.core.clock import today
from scpvn.orgs.access import RoleRequiredMixin
from scpvn.plans.models import Duty, ReportingDuty, Task
from scpvn.plans.pages import page_plan
from scpvn.plans.services import plan_choices
from scpvn.progress.scopes import acting_agency
from scpvn.reports import services
from scpvn.reports.files import FORMATS, build_file
from scpvn.reports.issuing import can_issue
from scpvn.reports.models import Report
from scpvn.reports.register_views import IssueForm


class CompileForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Report
        fields = ["number", "summary", "difficulties", "proposals", "signer_title", "signer_name"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "difficulties": forms.Textarea(attrs={"rows": 3}),
            "proposals": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"summary": gettext_lazy("Đánh giá chung (mở đầu phần I)")}


class ReportListView(RoleRequiredMixin, TemplateView):
    template_name = "reports/report_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plans = plan_choices()
        plan = page_plan(self.request, among=plans)
        duties = plan.reporting.select_related("by").prefetch_related("to")
        reports = {(r.duty_id, r.period): r for r in plan.reports.all()}
        rows = []
        for duty in duties:
            periods = services.periods_for(duty)
            items = [
                {
                    "period": p,
                    "due": services.due_date(p),
                    "report": reports.get((duty.pk, p.code)),
                    "overdue": services.due_date(p) < today(),
                }
                for p in periods
            ]
            extra = [
                {
                    "period": services.report_period(code),
                    "due": services.due_date(services.report_period(code)),
                    "report": r,
                    "overdue": False,
                }
                for (duty_id, code), r in reports.items()
                if duty_id == duty.pk and code not in {p.code for p in periods}
            ]
            rows.append({"duty": duty, "items": items + extra})
        context.update(plan=plan, plans=plans, rows=rows, today=today())
        return context


class OpenReportView(RoleRequiredMixin, View):
    """POST: the report for a duty and period, created on first use."""

    http_method_names = ["post"]

    def post(self, request):
        duty = get_object_or_404(ReportingDuty, pk=request.POST.get("duty") or 0)
        try:
            report = services.open_report(duty, request.POST.get("period", ""))
        except ValidationError as exc:
            messages.error(request, refusals.refusal_text(exc))
            return redirect("reports:list")
        return redirect(report.get_absolute_url())


class ReportDetailView(RoleRequiredMixin, DetailView):
    template_name = "reports/report_detail.html"
    context_object_name = "report"
    queryset = Report.objects.select_related("plan", "duty__by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, user = self.object, self.request.user
        agency = acting_agency(user)
        own = {s.task_id: s.text for s in report.sections.filter(agency=agency)} if agency else {}
        by_duty = {s.duty_id: s.text for s in report.sections.filter(duty__isnull=False)}
        doc = services.document(report)
        changes = services.figure_changes(report)
        for task in doc["tasks"]:
            for d in task["deliverables"]:
                d["current"] = changes.get(d["code"])
        context.update(
            doc=doc,
            changed=len(changes),
            writable=[
                {"task": t, "text": own.get(t.pk, "")} for t in services.section_tasks(user, report)
            ],
            writable_duties=[
                {"duty": d, "text": by_duty.get(d.pk, "")}
                for d in services.section_duties(user, report)
            ],
            agency=agency,
            compile_form=CompileForm(instance=report, initial={"version": report.version})
            if services.can_compile(user, report)
            else None,
            can_review=services.can_review(user, report),
            can_issue=report.status == Report.Status.APPROVED and can_issue(user, report),
            issue_form=IssueForm(),
            formats=sorted(FORMATS),
            history=report.history.select_related("history_user")[:20],
        )
        return context


class ReportSectionView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        report = get_object_or_404(Report, pk=pk)
        task = get_object_or_404(Task, pk=request.POST.get("task") or 0, plan=report.plan)
        refusals.attempt(
            request,
            lambda: services.save_section(request.user, report, task, request.POST.get("text", "")),
            _("Đã lưu phần báo cáo nhiệm vụ %(n)s.") % {"n": task.number},
        )
        return redirect(report.get_absolute_url())


class ReportDutySectionView(RoleRequiredMixin, View):
    """POST: the narrative of a duty's agency on that duty's work in the period."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        report = get_object_or_404(Report, pk=pk)
        duty = get_object_or_404(Duty, pk=request.POST.get("duty") or 0, plan=report.plan)
        refusals.attempt(
            request,
            lambda: services.save_duty_section(
                request.user, report, duty, request.POST.get("text", "")
            ),
            _("Đã lưu phần báo cáo nhiệm vụ của %(a)s.") % {"a": duty.agency.code},
        )
        return redirect(report.get_absolute_url() + "#duties")


class ReportCompileView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        report = get_object_or_404(Report, pk=pk)
        form = CompileForm(request.POST, instance=Report(plan=report.plan, duty=report.duty))
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return redirect(report.get_absolute_url())
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        refusals.attempt(
            request,
            lambda: services.save_compilation(
                request.user, report, version=form.cleaned_data["version"], **data
            ),
            _("Đã lưu phần tổng hợp."),
        )
        return redirect(report.get_absolute_url())


class ReportActionView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int, action: str):
        report = get_object_or_404(Report, pk=pk)
        comment = request.POST.get("comment", "")
        actions = {
            "submit": (
                lambda: services.submit_report(request.user, report),
                _("Đã trình báo cáo; số liệu đã được chốt."),
            ),
            "approve": (
                lambda: services.approve_report(request.user, report, comment),
                _("Đã duyệt báo cáo."),
            ),
            "return": (
                lambda: services.return_report(request.user, report, comment),
                _("Đã trả lại báo cáo."),
            ),
            "refresh": (
                lambda: services.refresh_figures(request.user, report),
                _("Đã cập nhật số liệu đã chốt theo các hoạt động được duyệt đến nay."),
            ),
        }
        refusals.run_action(request, actions, action)
        return redirect(report.get_absolute_url())


class ReportDownloadView(RoleRequiredMixin, View):
    def get(self, request, pk: int, fmt: str):
        if fmt not in FORMATS:
            raise Http404
        report = get_object_or_404(Report.objects.select_related("plan", "duty__by"), pk=pk)
        content, name, content_type = build_file(report, fmt)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
