"""Pages: the dashboard, "my tasks", activities with their evidence and review. Thin: every
rule is in `services.py` and `status.py`."""

import datetime as dt
from collections.abc import Sequence
from functools import cache as cache_result

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from scpvn.core import clock, refusals
from scpvn.core.files import serve_protected_file
from scpvn.core.object_views import ObjectDetailView, ObjectListView
from scpvn.orgs.access import RoleRequiredMixin, is_city_wide, user_has_role
from scpvn.orgs.models import Agency
from scpvn.plans.budget import budget_lines
from scpvn.plans.models import Plan, Task
from scpvn.plans.pages import page_plan
from scpvn.plans.revisions import cache_key
from scpvn.plans.services import current_plan, plan_choices
from scpvn.progress import scopes, services
from scpvn.progress.filtersets import ActivityFilterSet
from scpvn.progress.forms import ActivityForm, ReviewForm, VoidForm
from scpvn.progress.models import Activity, Evidence
from scpvn.progress.overlaps import find_overlaps
from scpvn.progress.status import (
    PROGRESS_SECONDS,
    STATUS_COLORS,
    Status,
    default_as_of,
    known_at,
    plan_progress,
)
from scpvn.progress.tables import ActivityTable


def plan_and_date(
    request, among: Sequence[Plan] | None = None
) -> tuple[Plan, dt.date, dt.datetime]:
    """The plan shown (`?plan=<slug>` or the current one), the date it is seen on and what is
    known: `?as_of=`, else today clipped to the plan's period (a finished plan opens on its
    last day, a future one on its first, where its figures mean something). Work dated up to
    that day counts if approved by now; with `?seen=then` only if approved by that day —
    the figures exactly as they could be seen then. `among`: the plan choices the page
    offers, read already (`page_plan`)."""
    plan = page_plan(request, among=among)
    try:
        as_of = dt.date.fromisoformat(request.GET["as_of"])
    except (KeyError, ValueError):
        as_of = default_as_of(plan)
    return plan, as_of, known_at(as_of, seen_then=request.GET.get("seen") == "then")


def asof_query(request, as_of: dt.date) -> str:
    """The query string that carries the date (and the seen-then switch) into drill-downs."""
    seen = "&seen=then" if request.GET.get("seen") == "then" else ""
    return f"as_of={as_of:%Y-%m-%d}{seen}"


def timeline(plan: Plan, as_of: dt.date, tasks) -> dict:
    """Positions (in % of the plan's period) of each task window and of the day shown."""
    span = (plan.period_end - plan.period_start).days + 1

    def pos(day: dt.date) -> float:
        return round(max(0, min(span, (day - plan.period_start).days)) * 100 / span, 2)

    months = []
    day = plan.period_start.replace(day=1)
    while day <= plan.period_end:
        months.append({"label": f"{day:%m/%Y}", "left": pos(day)})
        day = (day + dt.timedelta(days=32)).replace(day=1)
    rows = [
        {
            "progress": t,
            "left": pos(t.task.start),
            "width": round(pos(t.task.end + dt.timedelta(days=1)) - pos(t.task.start), 2),
        }
        for t in tasks
    ]
    return {"rows": rows, "months": months, "today": pos(as_of)}


class DashboardView(RoleRequiredMixin, TemplateView):
    """The plan's progress on a date. Everything below the date (figures, charts, timeline,
    tasks, budget) is one fragment cached per plan revision, date and language: the plan's
    revision moves with every activity or budget entry saved (`plans.revisions`), so a
    cached fragment is never stale, and while it holds the page reads only the plan and the
    plan choice. The figures stay in the context, computed only when something reads them."""

    template_name = "progress/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plans = plan_choices()
        plan, as_of, known = plan_and_date(self.request, among=plans)
        asof_q = asof_query(self.request, as_of)
        compute = cache_result(lambda: dashboard_figures(plan, as_of, known))
        lazy = {name: SimpleLazyObject(lambda name=name: compute()[name]) for name in FIGURES}
        key = cache_key(plan, "dashboard", as_of.isoformat(), asof_q, get_language(), loaded=True)
        body = cache.get(key)
        if body is None:
            body = render_to_string(
                "progress/_dashboard_body.html",
                {"plan": plan, "as_of": as_of, "asof_q": asof_q, **compute()},
                request=self.request,
            )
            cache.set(key, body, PROGRESS_SECONDS)
        context.update(
            plan=plan,
            plans=plans,
            as_of=as_of,
            asof_q=asof_q,
            today=clock.today(),
            presets=[
                plan.period_start.replace(month=m, day=d)
                for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))
                if plan.period_start <= plan.period_start.replace(month=m, day=d) <= plan.period_end
            ],
            body=body,
            **lazy,
        )
        return context


FIGURES = ("progress", "budget", "timeline", "due_soon", "overdue", "status_rows", "chart")


def dashboard_figures(plan: Plan, as_of: dt.date, known: dt.datetime) -> dict:
    """What the dashboard's body shows (`FIGURES`)."""
    progress = plan_progress(plan, as_of, known_at=known)
    percent = {t.task.pk: t.percent for t in progress.tasks}
    return {
        "progress": progress,
        "budget": [(line, percent.get(line.allocation.task_id)) for line in budget_lines(plan)],
        "timeline": timeline(plan, as_of, progress.tasks),
        "due_soon": progress.due_soon,
        "overdue": progress.overdue,
        "status_rows": [
            {
                "status": s,
                "label": s.label,
                "color": STATUS_COLORS[s],
                "count": progress.task_counts[s],
                "deliverables": progress.deliverable_counts[s],
                "task_ids": [t.task.pk for t in progress.tasks if t.status == s],
            }
            for s in Status
        ],
        "chart": {
            "tasks": [f"{t.task.number}" for t in progress.tasks],
            "percent": [t.percent for t in progress.tasks],
            "elapsed": [round(t.elapsed * 100) for t in progress.tasks],
            "statusLabels": [str(s.label) for s in Status],
            "statusCounts": [progress.task_counts[s] for s in Status],
        },
    }


class MyTasksView(RoleRequiredMixin, TemplateView):
    """The tasks an agency leads or partners in, with their status: the officer's own agency,
    or any agency (`?agency=CODE`) for city-wide roles."""

    template_name = "progress/my_tasks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan, as_of, known = plan_and_date(self.request)
        user = self.request.user
        agency = scopes.acting_agency(user)
        code = self.request.GET.get("agency")
        if code and is_city_wide(user):
            agency = get_object_or_404(Agency, code=code)
        tasks = (
            plan.tasks.filter(scopes.tasks_of_agency(agency))
            .distinct()
            .select_related("lead", "group")
            .prefetch_related("deliverables", "partners")
            if agency
            else Task.objects.none()
        )
        context.update(
            plan=plan,
            as_of=as_of,
            asof_q=asof_query(self.request, as_of),
            agency=agency,
            progress=plan_progress(plan, as_of, known_at=known, tasks=list(tasks)),
            agencies=plan.agencies.order_by("planagency__order") if is_city_wide(user) else [],
            mine=services.activities_visible_to(user)
            .filter(agency=agency, status__in=[Activity.Status.DRAFT, Activity.Status.RETURNED])
            .select_related("task")[:20]
            if agency
            else [],
        )
        return context


class ActivityListView(RoleRequiredMixin, ObjectListView):
    """Activities behind a figure, narrowed by `ActivityFilterSet` (the API's too): `?task=`
    (repeatable), `?group=`, `?deliverable=`, `?status=`, `?agency=`, `?unit=` (one of
    today's communes and wards), `?as_of=` to list exactly those counted on that date…"""

    filterset = ActivityFilterSet
    table = ActivityTable
    filter_fields = ("status", "unit")
    title = _("Hoạt động")
    template_name = "progress/activity_list.html"

    def get_scope(self):
        return services.activities_visible_to(self.request.user).select_related(
            "task", "deliverable", "agency", "district", "unit"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            as_of=self.filter.form.cleaned_data.get("as_of"),
            can_record=services.tasks_recordable_by(self.request.user).exists(),
        )
        return context


class ActivityDetailView(RoleRequiredMixin, ObjectDetailView):
    template_name = "progress/activity_detail.html"
    context_object_name = "activity"

    def get_scope(self):
        return services.activities_visible_to(self.request.user).select_related(
            "task__plan", "deliverable", "agency", "district", "created_by", "reviewed_by"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activity, user = self.object, self.request.user
        records = list(activity.history.select_related("history_user").order_by("history_date"))
        changes = []
        for previous, record in zip([None, *records], records, strict=False):
            delta = record.diff_against(previous).changes if previous else []
            changes.append(
                {
                    "record": record,
                    "fields": [
                        {
                            "field": activity._meta.get_field(c.field).verbose_name,
                            "old": c.old,
                            "new": c.new,
                        }
                        for c in delta
                        if c.field != "version"
                    ],
                }
            )
        context.update(
            evidence=activity.evidence.all(),
            changes=reversed(changes),
            can_edit=services.can_edit(user, activity),
            can_review=services.can_review(user, activity),
            review_form=ReviewForm(),
        )
        return context


class ActivityFormView(RoleRequiredMixin, FormView):
    """New activity, or edit of a draft/returned one (`pk`)."""

    allowed_roles = scopes.RECORDER_ROLES
    template_name = "progress/activity_form.html"
    form_class = ActivityForm

    def dispatch(self, request, *args, **kwargs):
        self.activity = None
        if "pk" in kwargs and user_has_role(request.user, self.allowed_roles):
            self.activity = get_object_or_404(
                services.activities_visible_to(request.user), pk=kwargs["pk"]
            )
            if self.activity.status == Activity.Status.APPROVED:
                messages.error(request, _("Hoạt động đã được duyệt, không thể sửa."))
                return redirect(self.activity.get_absolute_url())
            if not services.can_edit(request.user, self.activity):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["tasks"] = services.tasks_recordable_by(self.request.user)
        return kwargs

    def get_initial(self):
        a = self.activity
        if a is None:
            task_id = self.request.GET.get("task")
            task = (
                Task.objects.filter(pk=task_id).select_related("plan").first()
                if task_id and task_id.isdigit()
                else None
            )
            plan = task.plan if task else current_plan()
            today = clock.today()
            return {"task": task and task.pk, "date": plan.day_within(today) if plan else today}
        return {
            "task": a.task_id,
            "deliverable": a.deliverable_id,
            "date": a.date,
            "quantity": f"{a.quantity.normalize():f}",
            "title": a.title,
            "description": a.description,
            "district": a.district_id,
            "module_record": a.module_record_id,
            "duty": a.duty_id,
            "version": a.version,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["activity"] = self.activity
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            activity, warnings = services.save_activity(
                self.request.user,
                self.activity,
                task=data["task"],
                deliverable=data["deliverable"],
                date=data["date"],
                quantity=data["quantity"],
                title=data["title"],
                description=data["description"],
                district=data["district"],
                module_record=data["module_record"],
                duty=data["duty"],
                version=data["version"],
                files=data["files"],
                links=data["links"],
            )
        except ValidationError as exc:
            refusals.add_to_form(form, exc)
            return self.form_invalid(form)
        for warning in warnings:
            messages.warning(self.request, warning)
        messages.success(self.request, _("Đã lưu hoạt động (nháp). Gửi để lãnh đạo duyệt."))
        return redirect(activity.get_absolute_url())


class ActivityActionView(RoleRequiredMixin, View):
    """POST submit / approve / return; the service says whether it is allowed now."""

    http_method_names = ["post"]

    def post(self, request, pk: int, action: str):
        activity = get_object_or_404(services.activities_visible_to(request.user), pk=pk)
        comment = ReviewForm(request.POST).data.get("comment", "")
        actions = {
            "submit": (
                lambda: services.submit_activity(request.user, activity),
                _("Đã gửi duyệt."),
            ),
            "approve": (
                lambda: services.approve_activity(request.user, activity, comment),
                _("Đã duyệt hoạt động."),
            ),
            "return": (
                lambda: services.return_activity(request.user, activity, comment),
                _("Đã trả lại hoạt động."),
            ),
            "void": (
                lambda: services.void_activity(
                    request.user, activity, request.POST.get("reason", "")
                ),
                _("Đã hủy hoạt động trùng; nó không còn được tính."),
            ),
        }
        refusals.run_action(request, actions, action)
        return redirect(activity.get_absolute_url())


class EvidenceView(RoleRequiredMixin, View):
    """Serves an evidence file to those who may see its activity (never a public URL)."""

    def get(self, request, pk: int):
        evidence = get_object_or_404(
            Evidence.objects.filter(
                activity__in=services.activities_visible_to(request.user)
            ).exclude(file=""),
            pk=pk,
        )
        return serve_protected_file(
            request, evidence.file, allowed=True, download_name=evidence.name
        )


class OverlapListView(RoleRequiredMixin, TemplateView):
    """Outputs that may be counted twice (a hand-entered activity beside a module's record),
    for a reviewer to void one."""

    allowed_roles = scopes.REVIEWER_ROLES
    template_name = "progress/overlaps.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan, _as_of, _known = plan_and_date(self.request)
        context.update(plan=plan, overlaps=find_overlaps(plan), void_form=VoidForm())
        return context
